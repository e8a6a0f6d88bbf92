"""Verifiable sign-offs: an SSH signature of the digest, checked against ``allowed_signers``.

Keys are made in the test with ``ssh-keygen``. A sign-off signed by the key the
playbook lists for the role's handle is verified; one signed by anyone else,
tampered with, or without an ``allowed_signers`` file is pending as
unverifiable and does not count for the publishing policy.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.load import sshsig
from playbook.load.signoffs import SignoffState
from playbook.load.sshsig import SignatureState, Verification
from playbook.pages.program import signoff_chip
from playbook.review.comment import signoff_part
from playbook.review.signers import SignoffMove, _key

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")

WHERE = "program/mini/program.yml:{}: "
SIGNED = "sign-off by sponsor (Ada Quill, 2026-05-01)"
FIX = ("('playbook sign mini --role sponsor' --key <your SSH key>, with your public key "
       "listed for your handle in allowed_signers)")
UNVERIFIABLE = ("program/mini/program.yml:55:16: pending signoff-unverifiable: "
                f"signoff[0].signature: {SIGNED} is unverifiable: ")
REQUIRE = "publish:\n  require_signoffs: [sponsor]\n"


def keypair(folder: Path, name: str) -> tuple[Path, str]:
    """A new ed25519 key without passphrase: its private key file and public key line."""
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
                   check=True, capture_output=True)
    public = key.with_suffix(".pub").read_text().split()
    return key, f"{public[0]} {public[1]}"


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Ada's (the sponsor, ``@aquill``) and Mallory's keys, outside the playbook."""
    folder = tmp_path / "keys"
    folder.mkdir()
    return {who: keypair(folder, who) for who in ("ada", "mallory")}


def listed(tmp_playbook: TmpPlaybook, keys: dict[str, tuple[Path, str]]) -> None:
    """``allowed_signers``: Ada's key for ``@aquill``, Mallory's for ``@mallory``."""
    tmp_playbook.write("./allowed_signers", f"# handle keytype key\n@aquill {keys['ada'][1]}\n"
                       f"@mallory {keys['mallory'][1]}\n")


def sign(run_cli: RunCli, root: Path, key: Path) -> None:
    code, out, err = run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
                             "--key", key, "--dir", root)
    assert (code, err) == (0, ""), err
    assert out.startswith("signed mini 1.0.0 as sponsor (Ada Quill, 2026-05-01) with an SSH "
                          "signature: sha256:")


def check(run_cli: RunCli, root: Path, *options: str) -> tuple[int, list[str]]:
    code, out, _ = run_cli("check", *options, root)
    return code, out.splitlines()


def test_a_sign_off_signed_by_the_handles_key_is_verified_and_counts(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]]) -> None:
    root = tmp_playbook.root
    listed(tmp_playbook, keys)
    tmp_playbook.write("./playbook.yml", REQUIRE)
    sign(run_cli, root, keys["ada"][0])
    text = tmp_playbook.read("program.yml")
    assert "    signature: |\n      -----BEGIN SSH SIGNATURE-----\n" in text
    assert text.endswith("      -----END SSH SIGNATURE-----\n")
    assert check(run_cli, root, "--for", "deploy") == (0, [
        WHERE.format("50:5") + f"notice: signoff[0]: {SIGNED} is verified: signed by "
        "@aquill's key (no git history says who added it)"])


def test_a_forged_sign_off_is_pending_and_does_not_count_for_the_policy(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]]) -> None:
    root = tmp_playbook.root
    listed(tmp_playbook, keys)
    tmp_playbook.write("./playbook.yml", REQUIRE)
    sign(run_cli, root, keys["mallory"][0])  # Mallory signs in the sponsor's name
    forged = [UNVERIFIABLE + "no key allowed_signers lists for @aquill made this signature "
              f"of this digest; it does not count {FIX}"]
    assert check(run_cli, root) == (0, forged)  # shown; only the deploy needs the sponsor
    assert check(run_cli, root, "--for", "deploy") == (1, forged)


def test_a_signature_of_an_old_digest_is_verified_but_stale(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]]) -> None:
    root = tmp_playbook.root
    listed(tmp_playbook, keys)
    sign(run_cli, root, keys["ada"][0])
    tmp_playbook.edit("program.yml", "title: Mini staffing program", "title: Mini program")
    code, lines = check(run_cli, root)
    assert code == 0
    assert lines[1].endswith(f"pending signoff-stale: signoff[0].digest: {SIGNED} is stale: "
                             "the program changed after it was signed (review with "
                             "'playbook diff', then 'playbook sign mini --role sponsor')")
    assert f"{SIGNED} is verified: signed by @aquill's key" in lines[0]
    assert not any("unverifiable" in line for line in lines)


@pytest.mark.parametrize("change", ["body", "digest"])
def test_a_tampered_signature_or_digest_is_unverifiable(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]],
        change: str) -> None:
    root = tmp_playbook.root
    listed(tmp_playbook, keys)
    sign(run_cli, root, keys["ada"][0])
    text = tmp_playbook.read("program.yml")
    if change == "body":  # one character of the signature's last base64 line
        lines = text.split("\n")
        at = len(lines) - 3
        lines[at] = lines[at][:10] + ("A" if lines[at][10] != "A" else "B") + lines[at][11:]
        text = "\n".join(lines)
    else:  # the signature copied onto another digest
        digest = text.split("digest: ")[1].split("\n")[0]
        text = text.replace(digest, "sha256:" + "0" * 64)
    tmp_playbook.write("program.yml", text)
    code, lines = check(run_cli, root)
    assert code == 0
    assert any(line.endswith(f"{SIGNED} is unverifiable: no key allowed_signers lists for "
                             f"@aquill made this signature of this digest; it does not count "
                             f"{FIX}") for line in lines), lines
    assert not any("is verified" in line for line in lines)


def test_without_allowed_signers_a_signature_is_unverifiable(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]]) -> None:
    root = tmp_playbook.root
    tmp_playbook.write("./playbook.yml", REQUIRE)
    sign(run_cli, root, keys["ada"][0])
    assert check(run_cli, root, "--for", "deploy") == (1, [
        UNVERIFIABLE + "there is no allowed_signers file at the playbook's root; it does not "
        f"count {FIX}"])


def test_a_principal_pattern_in_allowed_signers_is_refused(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]]) -> None:
    root = tmp_playbook.root
    sign(run_cli, root, keys["mallory"][0])
    for principals in ("*", "@aq*", "@aquil?", "@x,!@aquill"):
        tmp_playbook.write("./allowed_signers", f"{principals} {keys['mallory'][1]}\n")
        lines = check(run_cli, root)[1]
        assert lines == [UNVERIFIABLE + "allowed_signers line 1: a principal pattern ('*', '?', "
                         "'!') would let a key sign for several people; list each handle; it "
                         f"does not count {FIX}"], principals


def test_an_allowed_signers_link_is_not_followed(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]],
        tmp_path: Path) -> None:
    root = tmp_playbook.root
    outside = tmp_path / "outside"
    outside.write_text(f"@aquill {keys['mallory'][1]}\n")
    (root / "allowed_signers").symlink_to(outside)
    sign(run_cli, root, keys["mallory"][0])
    lines = check(run_cli, root)[1]
    assert len(lines) == 1 and "is unverifiable: " in lines[0] and "link" in lines[0], lines


@pytest.mark.parametrize("handle", [
    "@a;touch pwned", "@a$(id)", "@a`id`", "@a|id", "@a&&id", "@a b", "@a\nb", "-Ifoo", "aquill",
    "@a'b", '@a"b', "@a>x", "@a*", "@a,@b", "", None])
def test_a_handle_with_shell_or_pattern_characters_is_refused_before_any_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handle: str | None) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process ran")

    monkeypatch.setattr(subprocess, "run", no_process)
    (tmp_path / "allowed_signers").write_text("@a ssh-ed25519 AAAA\n")
    found = sshsig.verify(tmp_path, handle, "sha256:" + "0" * 64,
                          "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n")
    assert found.state is SignatureState.INVALID
    assert found.reason == ("the role has no handle in stakeholders to check the key against"
                            if not handle else
                            f"handle {handle!r} is not a plain @user or @org/team handle")


def test_each_question_is_asked_of_ssh_keygen_once_per_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        keys: dict[str, tuple[Path, str]]) -> None:
    (tmp_path / "allowed_signers").write_text(f"@aquill {keys['ada'][1]}\n")
    digest = "sha256:" + "1" * 64
    signature = sshsig.sign(keys["ada"][0], digest)
    runs: list[object] = []
    real = subprocess.run

    def counted(*args: object, **kwargs: object) -> object:
        runs.append(args)
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counted)
    for _ in range(3):
        assert sshsig.verify(tmp_path, "@aquill", digest, signature).state \
            is SignatureState.VERIFIED
    assert sshsig.verify(tmp_path, "@mallory", digest, signature).state \
        is SignatureState.INVALID
    assert len(runs) == 2


def test_a_key_that_cannot_sign_changes_nothing(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    before = tmp_playbook.read("program.yml")
    code, _, err = run_cli("sign", "mini", "--role", "sponsor", "--key", tmp_path / "nokey",
                           "--dir", tmp_playbook.root)
    assert code == 1
    assert f"ssh-keygen could not sign with {tmp_path / 'nokey'}: " in err
    assert tmp_playbook.read("program.yml") == before


@pytest.mark.parametrize(("current", "state", "shown"), [
    (True, SignatureState.VERIFIED, "Current, signature verified"),
    (True, SignatureState.UNSIGNED, "Current"),
    (False, SignatureState.UNSIGNED, "Stale: changed since signed"),
    (False, SignatureState.VERIFIED, "Stale: changed since signed"),
    (False, SignatureState.INVALID, "Unverifiable: signature not the signer's key")])
def test_the_program_page_shows_each_signature_state(
        current: bool, state: SignatureState, shown: str) -> None:
    signed = SignoffState("sponsor", "Ada Quill", date(2026, 5, 1), "1.0.0", current, 0,
                          Verification(state, "@aquill"))
    assert f">{shown}</span>" in signoff_chip(signed)


@pytest.mark.parametrize("layout", ["flow list", "crlf", "after an unsigned sign-off"])
def test_a_signed_sign_off_is_written_and_verified_in_every_layout(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]],
        layout: str) -> None:
    root = tmp_playbook.root
    listed(tmp_playbook, keys)
    text = tmp_playbook.read("program.yml")
    if layout == "flow list":
        tmp_playbook.write("program.yml", text + "signoff: []\n")
    elif layout == "crlf":
        tmp_playbook.write("program.yml", text.replace("\n", "\r\n"))
    else:
        assert run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-04-01",
                       "--dir", root)[0] == 0
    sign(run_cli, root, keys["ada"][0])
    lines = check(run_cli, root)[1]
    assert sum(f"{SIGNED} is verified: signed by @aquill's key" in line
               for line in lines) == 1, lines
    assert not any("pending" in line for line in lines), lines


def test_the_review_comment_says_which_added_sign_offs_are_ssh_signed() -> None:
    entry = {"role": "sponsor", "name": "Ada Quill", "date": "2026-05-01",
             "version": "1.0.0", "digest": "sha256:" + "0" * 64}
    armored = "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"
    moved = [SignoffMove("mini", {**entry, "signature": armored}, True, ()),
             SignoffMove("mini", entry, True, ())]
    assert str(signoff_part(moved)[0]) == (
        "This change adds these sign-offs; an unsigned one is unverified: anyone can commit "
        "a sign-off in another's name.\n\n"
        "- sponsor: Ada Quill, 2026-05-01, version 1.0.0, SSH-signed for the check to verify, "
        "no git history says who added it\n"
        "- sponsor: Ada Quill, 2026-05-01, version 1.0.0, no git history says who added it\n")
    # a signature added to or changed in a sign-off is a sign-off added and one removed
    assert _key({**entry, "signature": armored}) != _key(entry)


def test_a_role_without_a_handle_cannot_verify(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, keys: dict[str, tuple[Path, str]]) -> None:
    listed(tmp_playbook, keys)
    tmp_playbook.edit("program.yml", 'title: COO, handle: "@aquill"}', "title: COO}")
    sign(run_cli, tmp_playbook.root, keys["ada"][0])
    assert check(run_cli, tmp_playbook.root)[1] == [
        UNVERIFIABLE + "the role has no handle in stakeholders to check the key against; it "
        f"does not count {FIX}"]


@pytest.mark.parametrize("error", [FileNotFoundError, subprocess.TimeoutExpired])
def test_without_a_working_ssh_keygen_a_signature_is_unverifiable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise (error("ssh-keygen") if error is FileNotFoundError
               else subprocess.TimeoutExpired("ssh-keygen", 20))

    monkeypatch.setattr(subprocess, "run", broken)
    (tmp_path / "allowed_signers").write_text("@aquill ssh-ed25519 AAAA\n")
    found = sshsig.verify(tmp_path, "@aquill", f"sha256:{error.__name__}",
                          "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n")
    assert (found.state, found.reason) == (SignatureState.INVALID, {
        FileNotFoundError: "ssh-keygen is not installed here",
        subprocess.TimeoutExpired: "ssh-keygen did not answer"}[error])
    with pytest.raises(sshsig.SigningError) as raised:
        sshsig.sign(tmp_path / "key", "sha256:0")
    assert str(raised.value) == {FileNotFoundError: "ssh-keygen is not installed",
                                 subprocess.TimeoutExpired: "ssh-keygen did not answer"}[error]
