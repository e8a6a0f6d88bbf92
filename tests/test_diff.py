"""`playbook diff` hands revisions and paths to git safely."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINI, RunCli, TmpPlaybook


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def _commit_all(repo: Path) -> None:
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")


@pytest.mark.parametrize("option", ["--base", "--head"])
@pytest.mark.parametrize("payload", ["--output={out}", "-o{out}", "--output={out} HEAD"])
def test_a_revision_that_looks_like_an_option_is_refused(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path, option: str,
        payload: str) -> None:
    _commit_all(tmp_playbook.root)
    out = tmp_path / "written-by-git"
    rev = payload.format(out=out)
    code, stdout, err = run_cli("diff", f"{option}={rev}", "--dir", tmp_playbook.root)
    assert (code, stdout) == (2, "")
    assert err == f"playbook diff: revision {rev!r} is not a commit\n"
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["playbook"]


@pytest.mark.parametrize("rev", ["no-such-branch", "HEAD^{tree}", "HEAD:program/mini"])
def test_a_revision_that_is_not_a_commit_is_refused(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, rev: str) -> None:
    _commit_all(tmp_playbook.root)
    code, out, err = run_cli("diff", "--base", rev, "--dir", tmp_playbook.root)
    assert (code, out) == (2, "")
    assert err == f"playbook diff: revision '{rev}' is not a commit\n"


def test_a_folder_outside_any_repository_is_refused(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    # git must not find a repository above the temporary folder
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_playbook.root.parent))
    code, out, err = run_cli("diff", "--dir", tmp_playbook.root)
    assert (code, out) == (2, "")
    assert err == ("playbook diff: git rev-parse failed: fatal: not a git repository (or any "
                   "of the parent directories): .git\n")


def test_a_playbook_in_folders_with_spaces_diffs(tmp_path: Path, run_cli: RunCli) -> None:
    repo = tmp_path / "my repo"
    root = repo / "play book"  # the playbook is a folder inside the repository
    shutil.copytree(MINI, root)
    # a file whose name has spaces once split the file list
    (root / "program/mini/notes for reviewers.md").write_text("kpis.yml\n", encoding="utf-8")
    _commit_all(repo)
    kpis = root / "program/mini/kpis.yml"
    kpis.write_text(kpis.read_text().replace("target: {value: 24,", "target: {value: 22,"))
    code, out, err = run_cli("diff", "--base", "HEAD", "--dir", root)
    assert (code, err) == (0, "")
    assert out.splitlines()[:5] == [
        "### mini", "", "| Kind | File | Field | Before | After |",
        "| --- | --- | --- | --- | --- |",
        "| target | kpis.yml | <code>kpis\\[start-time\\].target.value</code> | 24.0 | 22.0 |"]
    _git(repo, "commit", "-qam", "target")
    code, out, err = run_cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--dir", root)
    assert (code, err) == (0, "")
    assert ("| target | kpis.yml | <code>kpis\\[start-time\\].target.value</code> | 24.0 | "
            "22.0 |") in out
    code, out, err = run_cli("diff", "--base", "HEAD", "--head", "HEAD", "--dir", root)
    assert (code, out, err) == (0, "No change in meaning to any program.\n", "")


def test_a_committed_link_is_reported_not_read(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    # git stores a link as its target's name: read as YAML, that is no program file
    ai = tmp_playbook.path("ai.yml")
    ai.rename(tmp_path / "ai.yml")
    ai.symlink_to(tmp_path / "ai.yml")
    _commit_all(tmp_playbook.root)
    code, out, err = run_cli("diff", "--base", "HEAD", "--dir", tmp_playbook.root)
    assert (code, out) == (1, "")
    # at the base, git's record of the link; in the work tree, the loader's refusal
    assert err.splitlines() == [
        "errors at the base HEAD:",
        "program/mini/ai.yml:1:1: a symbolic link, not a file (commit the file itself)",
        "errors at the head (work tree):",
        "program/mini/ai.yml:1:1: 'program/mini/ai.yml' is a symbolic link (replace the link "
        "with the file itself: nothing is read through a link)"]


def test_the_review_comment_shows_pull_request_text_literally() -> None:
    import markdown as md

    from playbook.review.diff import Change, ChangeKind

    hostile = "[x](javascript:alert(1)) <img src=x onerror=alert(2)> | ![p](http://evil.invalid/)"
    change = Change("mini", "program.yml", "title", "Mini", hostile, ChangeKind.OTHER)
    from playbook.review import comment

    html = md.markdown(comment.markdown([change], []), extensions=["tables"])
    assert "<a " not in html and "<img" not in html
    # shown as text, in its table cell (a zero-width joiner after the colon: no autolink)
    assert "javascript:\u200dalert(1)" in html
    assert html.count("<td>") == 5


def test_exit_code_says_whether_anything_changed_in_meaning(tmp_path: Path,
                                                           run_cli: RunCli) -> None:
    root = tmp_path / "pb"
    shutil.copytree(MINI, root)
    _commit_all(root)
    kpis = root / "program/mini/kpis.yml"
    code, out, _ = run_cli("diff", "HEAD", "--dir", root, "--exit-code")
    assert (code, out) == (0, "No change in meaning to any program.\n")
    kpis.write_text(kpis.read_text() + "# a comment changes nothing\n")
    assert run_cli("diff", "HEAD", "--dir", root, "--exit-code")[0] == 0
    kpis.write_text(kpis.read_text().replace("target: {value: 24,", "target: {value: 22,"))
    code, out, _ = run_cli("diff", "HEAD", "--dir", root, "--exit-code")
    assert code == 1
    assert "| 24.0 | 22.0 |" in out
    assert run_cli("diff", "HEAD", "--dir", root)[0] == 0  # without it: 0 on changes
