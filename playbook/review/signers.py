"""Who added each sign-off: the commits git names for its lines, never verified.

A sign-off is a few lines in ``program.yml``; anyone who can open a pull
request can write one in another person's name, and a commit's author and
committer are whatever its maker typed. Unless a sign-off carries an SSH
signature (:mod:`playbook.load.sshsig`), the most a review can say is who
committed it, and that nobody can verify it:
``playbook check`` gives every sign-off in effect a notice
(:func:`notices`), and the review comment lists every sign-off a pull request
adds or removes with the commits that did (:func:`moves`).

The lines come from ``git blame --line-porcelain``, which prints each line's
text beside its commit: the file is parsed from that text, so the positions
and the attribution are of the same bytes, and nothing is read from the work
tree by this module (git reads a committed link as its target's name).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from playbook.load import yaml_source as yamlsrc
from playbook.load.bundle import Bundle
from playbook.load.signoffs import states
from playbook.load.sshsig import SignatureState
from playbook.model.problems import Problem, Severity
from playbook.review.diff import DiffError, Snapshot, resolve, run_git


class OriginKind(StrEnum):
    """What git can say about the commit that holds a line."""

    COMMITTED = "committed"
    """A commit in the history read: its author and committer as git records them."""
    UNCOMMITTED = "uncommitted"
    """The line is in the work tree only."""
    OUTSIDE_HISTORY = "outside-history"
    """The line is older than the history fetched (a shallow clone's first commit)."""


@dataclass(frozen=True)
class Origin:
    """The commit that last wrote one line, as git records it (no one verified it)."""

    kind: OriginKind
    commit: str = ""
    """Short commit id (empty when not committed)."""
    author: str = ""
    """``Name <e-mail>`` of the commit's author."""
    committer: str = ""
    """``Name <e-mail>`` of its committer."""


@dataclass(frozen=True)
class SignoffMove:
    """A sign-off that a pull request adds or removes, and the commits that did."""

    program: str
    entry: dict[str, Any]
    """The sign-off as the model reads it (role, name, date, version, digest)."""
    added: bool
    """True: added by the pull request; False: removed by it."""
    origins: tuple[Origin, ...]
    """The commits that wrote (or removed) its lines; empty when git has no history."""


_NULL_COMMIT: Final = "0" * 40
_SHORT: Final = 7


@functools.cache
def _in_repository(root: Path) -> bool:
    """Whether ``root`` is in a git work tree: asked once per process and folder, so a
    playbook outside git (a tarball, a benchmark) costs ``check`` one git run, not one
    per program."""
    try:
        done = run_git(root, "rev-parse", "--is-inside-work-tree")
    except DiffError:  # no git program
        return False
    return done.returncode == 0 and done.stdout.strip() == b"true"


def _blame(root: Path, rel: str, commit: str | None) -> list[tuple[str, Origin]] | None:
    """Each line of ``rel`` (at ``commit``, or in the work tree) with its origin.

    ``None`` when git has no history there: not a repository, or no such file.
    """
    if not _in_repository(root):
        return None
    rev = [commit] if commit is not None else []
    try:
        done = run_git(root, "blame", "--line-porcelain", *rev, "--", rel)
    except DiffError:  # no git program
        return None
    if done.returncode != 0:
        return None
    out: list[tuple[str, Origin]] = []
    info: dict[str, str] = {}
    for raw in done.stdout.decode("utf-8", "replace").split("\n"):
        if raw.startswith("\t"):
            out.append((raw[1:], _origin(info)))
            info = {}
        elif not info:
            info["sha"] = raw.split(" ", 1)[0]
        else:
            key, _, value = raw.partition(" ")
            info[key] = value
    return out


def _origin(info: dict[str, str]) -> Origin:
    sha = info.get("sha", "")
    if sha == _NULL_COMMIT:
        return Origin(OriginKind.UNCOMMITTED)
    kind = OriginKind.OUTSIDE_HISTORY if "boundary" in info else OriginKind.COMMITTED
    return Origin(kind, sha[:_SHORT],
                  f"{info.get('author', '')} {info.get('author-mail', '')}".strip(),
                  f"{info.get('committer', '')} {info.get('committer-mail', '')}".strip())


def entry_origins(root: Path, program_id: str,
                  commit: str | None) -> dict[int, tuple[Origin, ...]] | None:
    """Sign-off index → the origins of the lines holding its values, first line first.

    ``None`` when git has no history of the file; an index is missing when its
    entry is not a mapping the loader could place.
    """
    rel = f"program/{program_id}/program.yml"
    blamed = _blame(root, rel, commit)
    if blamed is None:
        return None
    text = "\n".join(line for line, _ in blamed).removeprefix("\ufeff")
    source, _ = yamlsrc.parse(text, rel)
    entries = source.data.get("signoff") if isinstance(source.data, dict) else None
    out: dict[int, tuple[Origin, ...]] = {}
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        rows = sorted({source.values[("signoff", i, k)][0] for k in entry
                       if ("signoff", i, k) in source.values})
        origins = [blamed[row - 1][1] for row in rows if 0 < row <= len(blamed)]
        out[i] = tuple(dict.fromkeys(origins))
    return out


def _one(o: Origin) -> str:
    if o.kind is OriginKind.UNCOMMITTED:
        return "an uncommitted change"
    if o.kind is OriginKind.OUTSIDE_HISTORY:
        return f"a commit outside the fetched history ({o.commit})"
    also = f", committed by {o.committer}" if o.committer != o.author else ""
    return f"commit author {o.author} ({o.commit}{also})"


def described(origins: Sequence[Origin], verb: str = "added") -> str:
    """``added by commit author Ada <ada@example.org> (1a2b3c4)``, in plain text."""
    if not origins:
        return "no git history says who " + verb + " it"
    return f"{verb} by " + " and ".join(_one(o) for o in origins)


def notices(bundle: Bundle) -> list[Problem]:
    """A notice on each sign-off in effect: verified by its SSH signature, or who
    committed it and that no one can verify it (an invalid signature is pending instead)."""
    program = bundle.program
    source = bundle.sources.get("program")
    if program is None or source is None or not program.signoff:
        return []
    found = entry_origins(bundle.root, bundle.id, None)
    out = []
    for s in states(bundle):
        if s.index is None:
            continue
        origins = found.get(s.index, ()) if found is not None else ()
        line, column = source.where(("signoff", s.index))
        if s.verification.state is SignatureState.INVALID:
            continue  # a pending item says so, and the sign-off does not count
        if s.verification.state is SignatureState.VERIFIED:
            out.append(Problem(
                source.path, line, column, f"signoff[{s.index}]",
                f"sign-off by {s.role} ({s.name}, {s.date}) is verified: signed by "
                f"{s.verification.handle}'s key ({described(origins)})", "",
                Severity.NOTICE))
            continue
        out.append(Problem(
            source.path, line, column, f"signoff[{s.index}]",
            f"sign-off by {s.role} ({s.name}, {s.date}) is unverified: {described(origins)}, "
            "not verifiable",
            f"anyone can commit a sign-off in another's name: confirm it with {s.name}",
            Severity.NOTICE))
    return out


def _key(entry: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(entry.get(k)) for k in ("role", "name", "date", "version", "digest",
                                             "signature"))


def _removers(root: Path, base: str, head: str | None, program_id: str,
              entry: dict[str, Any]) -> tuple[Origin, ...]:
    """The commits between ``base`` and ``head`` that removed a sign-off's digest."""
    if head is None:
        return (Origin(OriginKind.UNCOMMITTED),)
    fmt = "--format=%h%x1f%an <%ae>%x1f%cn <%ce>"
    try:
        done = run_git(root, "log", fmt, f"-S{entry['digest']}", "--end-of-options",
                       f"{resolve(root, base)}..{resolve(root, head)}", "--",
                       f"program/{program_id}/program.yml")
    except DiffError:
        return ()
    rows = done.stdout.decode("utf-8", "replace").splitlines() if done.returncode == 0 else []
    return tuple(Origin(OriginKind.COMMITTED, *row.split("\x1f", 2)) for row in rows
                 if row.count("\x1f") == 2)


def moves(root: Path, base: str, head: str | None, before: Snapshot,
          after: Snapshot) -> list[SignoffMove]:
    """Every sign-off that ``head`` (``None``: the work tree) adds to or removes from ``base``.

    Entries are compared whole, as many times as each appears, so a sign-off
    copied, edited or re-dated counts as one removed and one added.
    """
    out: list[SignoffMove] = []
    for program in sorted(set(before) | set(after)):
        old = before.get(program, {}).get("program", {}).get("signoff", [])
        new = after.get(program, {}).get("program", {}).get("signoff", [])
        gone = Counter(_key(e) for e in old) - Counter(_key(e) for e in new)
        came = Counter(_key(e) for e in new) - Counter(_key(e) for e in old)
        if came:
            origins = entry_origins(root, program, None if head is None else resolve(root, head))
            added = []
            for i, entry in reversed(list(enumerate(new))):  # a repeated entry's last copy
                if came[_key(entry)] > 0:
                    came[_key(entry)] -= 1
                    found = origins.get(i, ()) if origins is not None else ()
                    added.append(SignoffMove(program, entry, True, found))
            out.extend(reversed(added))
        for entry in old:
            if gone[_key(entry)] > 0:
                gone[_key(entry)] -= 1
                out.append(SignoffMove(program, entry, False,
                                       _removers(root, base, head, program, entry)))
    return out
