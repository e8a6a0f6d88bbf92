"""Who may sign for whom: the changes a pull request makes to ``allowed_signers``.

The file maps each stakeholder's handle to the public keys that verify their
sign-offs (:mod:`playbook.load.sshsig`). A key added under a handle lets its
holder sign in that person's name from then on, so a change to the file
changes the meaning of every signature as surely as a target changes a
figure: the review comment lists each handle added, removed or given another
key, by the keys' SHA-256 fingerprints (what ``ssh-keygen -lf`` prints, so a
signer can compare it with their own), and the roles the handle signs for.

Both sides are read as the build reads them: the work tree through
:func:`~playbook.load.sshsig.allowed_signers` (never through a link), a
revision from git's objects (a committed link is no file).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from playbook.load.sshsig import ALLOWED_SIGNERS, allowed_signers, usable
from playbook.pages.mdtext import Md, fmt, join, labels, lines, table, words
from playbook.review.git import LINK, blob, resolve, tree
from playbook.review.quoted import cell, code
from playbook.review.snapshots import Snapshot

_KEY_TYPE: Final = re.compile(r"(ssh|ecdsa|sk)-[a-z0-9@.-]+")
"""The key type word of an ``allowed_signers`` line (matched whole): what follows the
principals and any options, and precedes the base64 key."""

Keys = dict[str, frozenset[str]]
"""Handle → the fingerprints of its keys (``ssh-ed25519 SHA256:…``)."""


class SignerChangeKind(StrEnum):
    """What happened to one handle's keys."""

    ADDED = "added"
    """The handle was not in the file before: it can sign from now on."""
    REMOVED = "removed"
    """The handle is gone: its sign-offs no longer verify."""
    CHANGED = "changed"
    """The handle has other keys than before."""


@dataclass(frozen=True)
class SignerChange:
    """One handle whose keys a change adds, removes or replaces."""

    handle: str
    kind: SignerChangeKind
    before: tuple[str, ...]
    """Fingerprints of its keys at the base, sorted."""
    after: tuple[str, ...]
    """Fingerprints of its keys at the head, sorted."""
    roles: tuple[str, ...] = ()
    """``role of program`` for each stakeholder with this handle at the head (or the base,
    when removed)."""


def fingerprint(key_type: str, key: str) -> str:
    """``ssh-ed25519 SHA256:…`` as ``ssh-keygen -l`` prints it, or the type and an
    unreadable key's first characters."""
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        return f"{key_type} (not a key: {key[:12]}{'…' if len(key) > 12 else ''})"
    digest = base64.b64encode(hashlib.sha256(raw).digest()).decode("ascii").rstrip("=")
    return f"{key_type} SHA256:{digest}"


def parse(data: bytes) -> Keys:
    """Each principal of an ``allowed_signers`` file with its keys' fingerprints."""
    out: dict[str, set[str]] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        words_ = line.split()
        if not words_ or words_[0].startswith("#"):
            continue
        at = next((i for i, w in enumerate(words_[1:], 1) if _KEY_TYPE.fullmatch(w)), None)
        if at is None or at + 1 >= len(words_):
            continue  # no key on the line: ssh-keygen ignores it as well
        for principal in words_[0].split(","):
            out.setdefault(principal, set()).add(fingerprint(words_[at], words_[at + 1]))
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class KeyFile:
    """``allowed_signers`` on one side of a review."""

    keys: Keys
    refused: str = ""
    """Why the file cannot be used (a link, too large, a principal pattern); empty when it
    is usable or absent."""


def keys_at(root: Path, rev: str | None) -> KeyFile:
    """``allowed_signers`` at ``rev`` (``None``: the work tree), by the build's rule: no
    keys when the file is missing, and none, with the reason, when it is refused."""
    if rev is None:
        path = root / ALLOWED_SIGNERS
        if not path.exists() and not path.is_symlink():
            return KeyFile({})
        raw = allowed_signers(root)
    else:
        found = [(mode, oid) for name, mode, oid in tree(root, resolve(root, rev),
                                                        ALLOWED_SIGNERS)
                 if name == ALLOWED_SIGNERS]
        if not found:
            return KeyFile({})
        mode, oid = found[0]
        raw = (f"'{ALLOWED_SIGNERS}' is a symbolic link" if mode == LINK
               else usable(blob(root, oid)))
    return KeyFile(parse(raw)) if isinstance(raw, bytes) else KeyFile({}, raw)


def _roles(snapshot: Snapshot, handle: str) -> tuple[str, ...]:
    out = []
    for program, files in sorted(snapshot.items()):
        people = files.get("program", {}).get("stakeholders") or {}
        out += [f"{role} of {program}" for role, person in people.items()
                if isinstance(person, dict) and person.get("handle") == handle]
    return tuple(out)


def compare(base: KeyFile, head: KeyFile, old: Snapshot, new: Snapshot) -> list[SignerChange]:
    """Every handle whose keys differ between the two sides, in handle order (a refused
    file has no keys: every sign-off it verified stops verifying)."""
    before, after = base.keys, head.keys
    out = []
    for handle in sorted(set(before) | set(after)):
        a, b = before.get(handle, frozenset()), after.get(handle, frozenset())
        if a == b:
            continue
        kind = (SignerChangeKind.ADDED if not a else SignerChangeKind.REMOVED if not b
                else SignerChangeKind.CHANGED)
        roles = _roles(new if b else old, handle)
        out.append(SignerChange(handle, kind, tuple(sorted(a)), tuple(sorted(b)), roles))
    return out


def _keys(fingerprints: tuple[str, ...]) -> Md:
    return join((code(f) for f in fingerprints), Md("<br>")) if fingerprints else Md("—")


def markdown(changes: list[SignerChange], head: KeyFile) -> Md:
    """The comment's part on ``allowed_signers``: empty when no key changed and the head's
    file is usable."""
    refused = fmt("**The head's {} cannot be used: {}.** No signed sign-off verifies "
                  "with it.\n", code(ALLOWED_SIGNERS), cell(head.refused)) \
        if head.refused else Md("")
    if not changes:
        return lines([fmt("### Signing keys ({})\n", code(ALLOWED_SIGNERS)), refused]) \
            if refused else Md("")
    rows = [[code(c.handle), words(c.kind.value), _keys(c.before), _keys(c.after),
             join((cell(r) for r in c.roles), Md(", ")) if c.roles else Md("—")]
            for c in changes]
    return lines([
        fmt("### Signing keys ({})\n", code(ALLOWED_SIGNERS)),
        *([refused] if refused else []),
        words("This change alters who can sign for whom: a key listed under a handle "
              "verifies sign-offs in that person's name. Check each new fingerprint with "
              "its owner (ssh-keygen -lf on their public key) before approving."),
        Md(""),
        table(labels("Handle", "Change", "Keys before", "Keys after", "Signs for"), rows),
        Md(""),
    ])
