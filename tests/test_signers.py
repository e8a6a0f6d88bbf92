"""Sign-offs anyone can forge: check says who committed each, the comment lists each added.

A pull request can add a sign-off in anyone's name; until sign-offs are signed,
``playbook check`` gives each sign-off in effect a notice naming the commit git
says added it (never an error, not even under ``--strict``), and ``playbook
diff`` lists every sign-off a change adds or removes with its commits.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.review.quoted import JOINER

TODAY = "2026-06-10"
ADA = ("Ada Quill", "ada@example.invalid")
MALLORY = ("Mallory", "mallory@example.invalid")
EVE = ("Eve", "eve@example.invalid")
HINT = "(anyone can commit a sign-off in another's name: confirm it with Ada Quill)"
NOTICE = ("program/mini/program.yml:50:5: notice: signoff[0]: sign-off by sponsor (Ada Quill, "
          "2026-05-01) is unverified: {}, not verifiable " + HINT)


def git(repo: Path, *args: str, author: tuple[str, str] = ADA,
        committer: tuple[str, str] | None = None) -> str:
    """Run git in ``repo`` as ``author`` (and ``committer``, by default the author)."""
    who = committer or author
    env = {**os.environ, "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
           "GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1]}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


def short(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", "--short=7", rev).strip()


def signed_by(tmp_playbook: TmpPlaybook, run_cli: RunCli, author: tuple[str, str],
              committer: tuple[str, str] | None = None) -> Path:
    """A committed program, then a commit by ``author`` signing it in Ada Quill's name."""
    root = tmp_playbook.root
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Mini program")
    assert run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
                   "--dir", root)[0] == 0
    git(root, "commit", "-qam", "Sponsor signs", author=author, committer=committer)
    return root


def check(run_cli: RunCli, root: Path, *options: str) -> tuple[int, list[str]]:
    code, out, _ = run_cli("check", *options, root)
    return code, out.splitlines()


def test_check_names_the_commit_author_of_a_sign_off_and_says_it_is_not_verifiable(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    root = signed_by(tmp_playbook, run_cli, MALLORY)
    added = f"added by commit author Mallory <mallory@example.invalid> ({short(root)})"
    assert check(run_cli, root) == (0, [NOTICE.format(added)])
    # a notice is a fact to weigh, not a fault to fix: --strict passes
    assert check(run_cli, root, "--strict") == (0, [NOTICE.format(added)])
    assert run_cli("check", root)[2] == (
        "playbook check ok: 0 error(s), 0 finding(s), 0 pending, 0 acknowledged, "
        "1 notice(s)\n")


def test_a_committer_other_than_the_author_is_named_too(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    root = signed_by(tmp_playbook, run_cli, MALLORY, committer=EVE)
    assert check(run_cli, root)[1] == [NOTICE.format(
        f"added by commit author Mallory <mallory@example.invalid> ({short(root)}, "
        "committed by Eve <eve@example.invalid>)")]


def test_a_sign_off_whose_lines_came_from_two_commits_names_both(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    root = signed_by(tmp_playbook, run_cli, ADA)
    first = short(root)
    # the same value, another line: blame gives the name's line to Mallory
    tmp_playbook.edit("program.yml", 'name: "Ada Quill"\n', 'name: "Ada Quill"  # as agreed\n')
    git(root, "commit", "-qam", "Touch the name line", author=MALLORY)
    assert check(run_cli, root)[1] == [NOTICE.format(
        f"added by commit author Ada Quill <ada@example.invalid> ({first}) and commit author "
        f"Mallory <mallory@example.invalid> ({short(root)})")]


def test_an_uncommitted_a_shallow_and_a_gitless_sign_off_are_each_said_so(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    root = signed_by(tmp_playbook, run_cli, MALLORY)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", root.as_uri(), str(clone)],
                   check=True, capture_output=True)
    assert check(run_cli, clone)[1] == [NOTICE.format(
        f"added by a commit outside the fetched history ({short(root)})")]
    git(root, "reset", "-q", "--soft", "HEAD~1")
    assert check(run_cli, root)[1] == [NOTICE.format("added by an uncommitted change")]
    gitless = tmp_path / "gitless"
    subprocess.run(["git", "-C", str(root), "checkout-index", "-a", f"--prefix={gitless}/"],
                   check=True)
    (gitless / "program/mini/program.yml").write_bytes(
        (root / "program/mini/program.yml").read_bytes())
    assert check(run_cli, gitless)[1] == [NOTICE.format("no git history says who added it")]


def test_the_notice_is_a_github_notice_and_counted_in_json(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    root = signed_by(tmp_playbook, run_cli, MALLORY)
    code, out, _ = run_cli("check", "--format", "github", root)
    assert (code, out.splitlines()) == (0, [
        "::notice file=program/mini/program.yml,line=50,col=5,title=signoff[0]::notice: "
        "sign-off by "
        "sponsor (Ada Quill, 2026-05-01) is unverified: added by commit author Mallory "
        f"<mallory@example.invalid> ({short(root)}), not verifiable {HINT}"])
    report = json.loads(run_cli("check", "--format", "json", root)[1])
    assert (report["errors"], report["findings"], report["pending"], report["notices"]) == (
        0, 0, 0, 1)
    assert report["problems"][0]["severity"] == "notice"


def test_only_the_sign_off_in_effect_for_each_role_gets_a_notice(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    root = signed_by(tmp_playbook, run_cli, MALLORY)
    assert run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-02",
                   "--dir", root)[0] == 0
    (line,) = check(run_cli, root)[1]
    assert line.startswith("program/mini/program.yml:55:5: notice: signoff[1]: sign-off by "
                           "sponsor (Ada Quill, 2026-05-02) is unverified: added by an "
                           "uncommitted change")


ADDS = ("### mini\n\nThis change adds these sign-offs, unverified: anyone can commit a "
        "sign-off in another's name.\n\n- sponsor: Ada Quill, 2026-05-01, version 1.0.0, "
        "added by {}\n")


def test_the_comment_lists_a_sign_off_a_pull_request_adds_with_its_commit(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    """Before: a pull request adding only a sign-off got "No change in meaning"."""
    root = signed_by(tmp_playbook, run_cli, MALLORY, committer=EVE)
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--today", TODAY, "--dir", root)
    assert (code, err) == (0, "")
    z = JOINER
    assert out == ADDS.format(
        f"commit author Mallory &lt;mallory@{z}example.invalid&gt; \\({short(root)}, "
        f"committed by Eve &lt;eve@{z}example.invalid&gt;\\)")
    # the work tree: not committed yet
    git(root, "reset", "-q", "--soft", "HEAD~1")
    assert run_cli("diff", "HEAD", "--today", TODAY, "--dir", root)[1] == ADDS.format(
        "an uncommitted change")


def test_the_comment_lists_a_sign_off_a_pull_request_removes_with_its_commit(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    root = signed_by(tmp_playbook, run_cli, ADA)
    text = tmp_playbook.read("program.yml")
    tmp_playbook.write("program.yml", text[:text.index("\nsignoff:")] + "\n")
    git(root, "commit", "-qam", "Drop the sponsor's sign-off", author=MALLORY)
    out = run_cli("diff", "HEAD~1", "HEAD", "--today", TODAY, "--dir", root)[1]
    assert out == (
        "### mini\n\nThis change removes these sign-offs.\n\n- sponsor: Ada Quill, 2026-05-01, "
        f"version 1.0.0, removed by commit author Mallory &lt;mallory@{JOINER}example.invalid"
        f"&gt; \\({short(root)}\\)\n")
    report = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
                                "--dir", root)[1])
    (moved,) = report["signoffs"]
    assert (moved["program"], moved["added"], moved["entry"]["name"]) == (
        "mini", False, "Ada Quill")
    assert moved["origins"] == [{"kind": "committed", "commit": short(root),
                                 "author": "Mallory <mallory@example.invalid>",
                                 "committer": "Mallory <mallory@example.invalid>"}]


@pytest.mark.parametrize("name", ["@octocat", "see https://evil.example", ":tada: #12"])
def test_a_forged_signer_or_author_name_pings_and_links_nothing(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, name: str) -> None:
    root = signed_by(tmp_playbook, run_cli, ADA)
    assert run_cli("sign", "mini", "--role", "sponsor", "--name", name, "--date", "2026-05-02",
                   "--dir", root)[0] == 0
    git(root, "commit", "-qam", "Another sign-off", author=(name, "x@example.invalid"))
    out = run_cli("diff", "HEAD~1", "HEAD", "--today", TODAY, "--dir", root)[1]
    (line,) = [x for x in out.splitlines() if x.startswith("- sponsor: ")]
    for trigger in ("@o", "://", ":t", "#1", "@e"):
        assert trigger not in line
    author = git(root, "log", "-1", "--format=%an").strip()  # git trims a leading ':'
    assert html.unescape(line.replace(JOINER, "").replace("\\", "")) == (
        f"- sponsor: {name}, 2026-05-02, version 1.0.0, added by commit author {author} "
        f"<x@example.invalid> ({short(root)})")
