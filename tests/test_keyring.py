"""``allowed_signers`` changes are changes of meaning: who may sign for whom.

A key added under a handle lets its holder sign in that person's name, so
``playbook diff`` (and the pull request's comment) lists each handle a change
adds, removes or gives another key, by the fingerprints ``ssh-keygen -lf``
prints, with the roles that handle signs for; ``--exit-code`` counts it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook
from test_sshsig import keypair

from playbook.review import keyring, quoted

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")
TODAY = "2026-06-01"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def printed(public: Path) -> str:
    """``ssh-ed25519 SHA256:…`` as ``ssh-keygen -lf`` prints the key."""
    words = subprocess.run(["ssh-keygen", "-lf", str(public)], check=True,
                           capture_output=True, text=True).stdout.split()
    return f"ssh-{words[-1].strip('()').lower()} {words[1]}"


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "keys"
    folder.mkdir()
    return {who: keypair(folder, who) for who in ("ada", "ada2", "ben", "old")}


def test_fingerprints_are_those_ssh_keygen_prints(keys: dict[str, tuple[Path, str]]) -> None:
    key, line = keys["ada"]
    found = keyring.parse(f"# a comment\n@aquill,@ada-q {line} ada@laptop\n\n".encode())
    assert found == {"@aquill": frozenset({printed(key.with_suffix(".pub"))}),
                     "@ada-q": frozenset({printed(key.with_suffix(".pub"))})}
    # options before the key type, and a line with no key, as ssh-keygen reads them
    assert keyring.parse(f'@aquill namespaces="playbook-signoff" {line}\n@x\n'.encode()) == {
        "@aquill": frozenset({printed(key.with_suffix(".pub"))})}
    assert keyring.parse(b"@aquill ssh-ed25519 not*base64\n") == {
        "@aquill": frozenset({"ssh-ed25519 (not a key: not*base64)"})}


def test_diff_lists_who_was_added_removed_and_given_another_key(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]]) -> None:
    root = tmp_playbook.root
    fp = {who: printed(key.with_suffix(".pub")) for who, (key, _) in keys.items()}
    tmp_playbook.write("./allowed_signers",
                       f"@aquill {keys['ada'][1]}\n@gone {keys['old'][1]}\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "keys")
    tmp_playbook.write("./allowed_signers",
                       f"@aquill {keys['ada2'][1]}\n@bortiz {keys['ben'][1]}\n")
    git(root, "commit", "-qam", "new keys")
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--dir", root, "--today", TODAY,
                             "--exit-code")
    assert (code, err) == (1, "")  # a change of meaning, though no program changed
    zwj = "\u200d"
    assert out == (
        "No change in meaning to any program.\n\n"
        "### Signing keys (<code>allowed\\_signers</code>)\n\n"
        "This change alters who can sign for whom: a key listed under a handle verifies "
        "sign-offs in that person's name. Check each new fingerprint with its owner "
        "\\(ssh-keygen -lf on their public key\\) before approving.\n\n"
        "| Handle | Change | Keys before | Keys after | Signs for |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| <code>@{zwj}aquill</code> | changed | <code>{_q(fp['ada'])}</code> | "
        f"<code>{_q(fp['ada2'])}</code> | sponsor of mini |\n"
        f"| <code>@{zwj}bortiz</code> | added | — | <code>{_q(fp['ben'])}</code> | "
        "business\\_owner of mini |\n"
        f"| <code>@{zwj}gone</code> | removed | <code>{_q(fp['old'])}</code> | — | — |\n")
    report = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--dir", root, "--today", TODAY,
                                "--format", "json")[1])
    assert [(s["handle"], s["kind"], s["before"], s["after"], s["roles"])
            for s in report["signers"]] == [
        ("@aquill", "changed", [fp["ada"]], [fp["ada2"]], ["sponsor of mini"]),
        ("@bortiz", "added", [], [fp["ben"]], ["business_owner of mini"]),
        ("@gone", "removed", [fp["old"]], [], [])]
    # the work tree is read as the build reads it: a link is no allowed_signers file
    (root / "allowed_signers").unlink()
    (root / "allowed_signers").symlink_to(root / "program" / "mini" / "program.yml")
    out = run_cli("diff", "HEAD", "--dir", root, "--today", TODAY)[1]
    assert "| <code>@\u200daquill</code> | removed |" in out
    assert "**The head's <code>allowed\\_signers</code> cannot be used: " \
           "'allowed\\_signers' is a symbolic link" in out


@pytest.mark.parametrize(("line", "why"), [
    ("* {key}", "allowed\\_signers line 1: a principal pattern \\('\\*', '?', '\\!'\\) would "
                "let a key sign for several people; list each handle"),
    ("@aquill {key}\n" + "# padding\n" * 30_000,
     "allowed\\_signers is over 256 KiB"),
])
def test_a_committed_allowed_signers_the_build_refuses_is_said_so(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]],
        line: str, why: str) -> None:
    """A revision's file is judged by the rule the build applies to the work tree."""
    root = tmp_playbook.root
    tmp_playbook.write("./allowed_signers", f"@aquill {keys['ada'][1]}\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "keys")
    tmp_playbook.write("./allowed_signers", line.format(key=keys["ada2"][1]))
    git(root, "commit", "-qam", "refused")
    code, out, _ = run_cli("diff", "HEAD~1", "HEAD", "--dir", root, "--today", TODAY,
                           "--exit-code")
    assert code == 1
    assert f"**The head's <code>allowed\\_signers</code> cannot be used: {why}.** No " \
           "signed sign-off verifies with it." in out
    assert "| <code>@\u200daquill</code> | removed |" in out


def _q(fingerprint: str) -> str:
    """A fingerprint as the comment quotes it: GitHub's patterns broken (a joiner after
    ``SHA256:``), Markdown escaped as for every quoted value."""
    return str(quoted.text(fingerprint))


def test_no_key_change_says_nothing(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                    keys: dict[str, tuple[Path, str]]) -> None:
    root = tmp_playbook.root
    tmp_playbook.write("./allowed_signers", f"@aquill {keys['ada'][1]}\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "keys")
    tmp_playbook.write("./allowed_signers", f"# Ada, COO\n@aquill   {keys['ada'][1]} laptop\n")
    assert run_cli("diff", "--dir", root, "--today", TODAY, "--exit-code") == (
        0, "No change in meaning to any program.\n", "")
