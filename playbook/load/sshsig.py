"""SSH signatures of sign-offs: made by ``playbook sign --key``, verified offline.

A sign-off's ``signature`` is ``ssh-keygen -Y sign`` of its digest (the text
``sha256:…``, no line break) in the namespace :data:`NAMESPACE`, as git's SSH
commit signing does. The playbook's ``allowed_signers`` file (git's format:
``<principal> <keytype> <key>``) maps each stakeholder's ``handle`` to their
public keys; the sign-off verifies when ``ssh-keygen -Y verify`` accepts the
signature for the handle of the role that signed.

Both the signature and ``allowed_signers`` come from a pull request. So the
handle is checked against a strict syntax before any process runs, the file is
read through :func:`~playbook.load.safefiles.read_file` (never through a link)
and copied with the signature into a private temporary folder, principal
patterns (``*``, ``?``, ``!``) are refused, and ``ssh-keygen`` is run with an
argument list, never a shell.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from playbook.load.safefiles import Refusal, read_file

NAMESPACE: Final = "playbook-signoff"
"""The ``ssh-keygen -Y`` namespace: a signature made for anything else never verifies."""
ALLOWED_SIGNERS: Final = "allowed_signers"
"""The file at the playbook's root that maps handles to public keys."""
MAX_BYTES: Final = 256 * 1024
"""Largest ``allowed_signers`` read: a few hundred keys."""
HANDLE: Final = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]{0,38}(/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
"""A handle that may be passed to ``ssh-keygen -I`` (matched whole)."""
_TIMEOUT: Final = 20


class SignatureState(StrEnum):
    """What the playbook can say about one sign-off's signature."""

    UNSIGNED = "unsigned"
    """No signature: who signed is only what the commit says."""
    VERIFIED = "verified"
    """Signed by a key the allowed_signers file lists for the role's handle."""
    INVALID = "invalid"
    """Signed, but not verifiably by that person: the sign-off does not count."""


@dataclass(frozen=True)
class Verification:
    """The result of checking one signature, and why."""

    state: SignatureState
    """Whether the sign-off is unsigned, or signed verifiably or not by the role's person."""
    handle: str = ""
    """The handle the signature was checked against (empty when there was none)."""
    reason: str = ""
    """Why an invalid signature failed, in plain words."""


def allowed_signers(root: Path) -> bytes | str:
    """The bytes of ``root/allowed_signers``, or why they cannot be used."""
    raw = read_file(root / ALLOWED_SIGNERS, root, ALLOWED_SIGNERS, MAX_BYTES)
    if raw is None:
        return f"there is no {ALLOWED_SIGNERS} file at the playbook's root"
    if isinstance(raw, Refusal):
        return raw.message
    return usable(raw)


def usable(raw: bytes) -> bytes | str:
    """``raw`` when it can serve as ``allowed_signers``, else why not (too large, or a
    principal pattern): the same rule for the work tree and a revision's file."""
    if len(raw) > MAX_BYTES:
        return f"{ALLOWED_SIGNERS} is over {MAX_BYTES // 1024} KiB"
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        words = line.split()
        if words and not words[0].startswith("#") and any(c in words[0] for c in "*?!"):
            return (f"{ALLOWED_SIGNERS} line {number}: a principal pattern ('*', '?', '!') "
                    "would let a key sign for several people; list each handle")
    return raw


def verify(root: Path, handle: str | None, digest: str, signature: str) -> Verification:
    """Whether ``signature`` is ``handle``'s signature of ``digest``, by ``root``'s
    ``allowed_signers``."""
    if not handle:
        return Verification(SignatureState.INVALID, "", "the role has no handle in "
                            "stakeholders to check the key against")
    if not HANDLE.fullmatch(handle):
        return Verification(SignatureState.INVALID, "", f"handle {handle!r} is not a plain "
                            "@user or @org/team handle")
    signers = allowed_signers(root)
    if isinstance(signers, str):
        return Verification(SignatureState.INVALID, handle, signers)
    # the file by its hash: a process keeps answers, not copies of every version of it
    question = (hashlib.sha256(signers).hexdigest(), handle, digest, signature)
    if question not in _ANSWERS:
        _ANSWERS[question] = _verified(signers, handle, digest, signature)
    return _ANSWERS[question]


_ANSWERS: dict[tuple[str, str, str, str], Verification] = {}
"""Each question asked of ssh-keygen in this process (``check`` and a build ask each
sign-off's several times): a verification is a function of the file, handle, digest
and signature."""


def _verified(signers: bytes, handle: str, digest: str, signature: str) -> Verification:
    """Run ``ssh-keygen -Y verify`` on one question, in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="playbook-sig-") as tmp:
        folder = Path(tmp)
        (folder / ALLOWED_SIGNERS).write_bytes(signers)
        (folder / "signature").write_text(signature, encoding="utf-8")
        try:
            done = subprocess.run(
                ["ssh-keygen", "-Y", "verify", "-f", str(folder / ALLOWED_SIGNERS),
                 "-I", handle, "-n", NAMESPACE, "-s", str(folder / "signature")],
                input=digest.encode("utf-8"), capture_output=True, timeout=_TIMEOUT,
                check=False, shell=False)
        except FileNotFoundError:
            return Verification(SignatureState.INVALID, handle,
                                "ssh-keygen is not installed here")
        except subprocess.TimeoutExpired:
            return Verification(SignatureState.INVALID, handle, "ssh-keygen did not answer")
    if done.returncode == 0:
        return Verification(SignatureState.VERIFIED, handle)
    return Verification(SignatureState.INVALID, handle,
                        f"no key {ALLOWED_SIGNERS} lists for {handle} made this signature "
                        "of this digest")


UNSIGNED: Final = Verification(SignatureState.UNSIGNED)
"""The result for a sign-off without a signature."""


class SigningError(Exception):
    """``ssh-keygen -Y sign`` did not sign; the text says why."""


def sign(key: Path, digest: str) -> str:
    """The armored SSH signature of ``digest`` by the private key at ``key``.

    Raises:
        SigningError: ssh-keygen is missing or refused the key.
    """
    try:
        done = subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", NAMESPACE],
                              input=digest.encode("utf-8"), capture_output=True,
                              timeout=120, check=False, shell=False)
    except FileNotFoundError:
        raise SigningError("ssh-keygen is not installed") from None
    except subprocess.TimeoutExpired:
        raise SigningError("ssh-keygen did not answer") from None
    text = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0 or "-----BEGIN SSH SIGNATURE-----" not in text:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise SigningError(f"ssh-keygen could not sign with {key}: {said or 'no signature'}")
    return text.replace("\r\n", "\n")
