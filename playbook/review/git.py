"""Reading a git repository for the review: revisions, trees and blobs, never a shell.

:mod:`.snapshots` reads the programs at a revision through these, and
:mod:`.sides`, :mod:`.history` and :mod:`.signers` the files and the log. Every
failure of git is a :class:`DiffError`, said once by the command.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from playbook.model.problems import PlaybookError


class DiffError(PlaybookError):
    """A side of the diff cannot be read; nothing is reported."""

    exit_code = 2


def run_git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``root``, whatever its exit code.

    Arguments go to git as a list, never through a shell, so no quoting is
    needed and none is done; callers put ``--end-of-options`` before any
    revision so that one starting with ``-`` cannot be read as an option.
    """
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              check=False, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DiffError(f"cannot run git: {exc}") from None


def _failed(args: tuple[str, ...], done: subprocess.CompletedProcess[bytes]) -> DiffError:
    # git's first line says what went wrong; usage text after it is noise here
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return DiffError(f"git {args[0]} failed: {lines[0] if lines else 'no output'}")


def _git(root: Path, *args: str) -> bytes:
    """Run git in ``root`` and return its output; a failure is a :class:`DiffError`."""
    done = run_git(root, *args)
    if done.returncode != 0:
        raise _failed(args, done)
    return done.stdout


_OID: Final = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
"""An object id as :func:`tree` lists it: SHA-1, or SHA-256 in a repository that uses it."""
LINK: Final = "120000"
"""The git mode of a symbolic link."""
_BLOB_MODES: Final = frozenset({"100644", "100755", LINK})


def tree(root: Path, commit: str, *folders: str) -> list[tuple[str, str, str]]:
    """``(path, mode, blob id)`` of every file under each of ``folders`` (or the file of
    that name) at ``commit``, listed by one git process.

    Paths are relative to ``root``, which may be a folder inside the repository;
    submodules are left out, symbolic links kept (mode :data:`LINK`).
    """
    # -z: names verbatim, NUL-separated (spaces, quotes and newlines included)
    listing = _git(root, "ls-tree", "-r", "-z", "--end-of-options", commit, "--", *folders)
    out = []
    for row in listing.decode("utf-8", "replace").split("\0"):
        info, _, name = row.partition("\t")
        mode, _, oid = info.partition(" blob ")
        if mode in _BLOB_MODES:
            out.append((name, mode, oid))
    return out


def blob(root: Path, oid: str) -> bytes:
    """The content of the blob ``oid`` (from :func:`tree`)."""
    return _git(root, "cat-file", "blob", "--end-of-options", oid)


def blobs(root: Path, oids: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """Each blob of ``oids`` (from :func:`tree`) with its content, read by one git process.

    A side of a diff is every program and data file at a revision: one ``git cat-file``
    per file started hundreds of processes for a large playbook, where ``--batch`` reads
    them all from one. Blobs come one at a time, as git writes them (``<oid> <type>
    <size>``, the content, a newline), so a side's data is never all in memory at once.

    Raises:
        DiffError: git cannot run, or an object is missing or not a blob.
    """
    wanted = list(dict.fromkeys(oids))
    if not wanted:
        return
    if any(not _OID.fullmatch(oid) for oid in wanted):  # one per line: no newline, no option
        raise DiffError("git cat-file failed: not an object id")
    try:
        proc = subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc}") from None
    # git answers while it reads: the ids go in from a thread, so neither side can wait
    # on the other with a full pipe
    feeder = threading.Thread(target=_feed, args=(proc, wanted), daemon=True)
    feeder.start()
    try:
        for oid in wanted:
            yield oid, _next_blob(proc)
    finally:
        proc.kill()  # a reader that stopped early leaves git waiting to write
        feeder.join()  # its writes fail now, and it has closed git's input
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
        proc.wait()


def _feed(proc: subprocess.Popen[bytes], oids: list[str]) -> None:
    assert proc.stdin is not None
    # OSError: git is gone (it failed, or was ended after an error); closing says "no more"
    with contextlib.suppress(OSError), proc.stdin:
        for oid in oids:
            proc.stdin.write(f"{oid}\n".encode("ascii"))


def _next_blob(proc: subprocess.Popen[bytes]) -> bytes:
    assert proc.stdout is not None and proc.stderr is not None
    header = proc.stdout.readline().decode("ascii", "replace").split()
    if not header:  # git stopped: its first line says why
        lines = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git cat-file failed: {lines[0] if lines else 'no output'}")
    if len(header) != 3 or header[1] != "blob":
        raise DiffError(f"git cat-file failed: {' '.join(header)}")
    size = int(header[2])
    data = proc.stdout.read(size)
    if len(data) != size or proc.stdout.read(1) != b"\n":
        raise DiffError("git cat-file failed: its output was cut short")
    return data


def resolve(root: Path, rev: str) -> str:
    """The id of the commit ``rev`` names in the repository holding ``root``.

    Raises:
        DiffError: ``root`` is not in a git repository, or ``rev`` names no commit.
    """
    args = ("rev-parse", "--quiet", "--verify", "--end-of-options", f"{rev}^{{commit}}")
    done = run_git(root, *args)
    # --verify --quiet exits 1 for a revision that names no commit (unknown, a
    # tree, a blob) and 128 for other failures such as "not a git repository"
    if done.returncode == 1:
        raise DiffError(f"revision {rev!r} is not a commit")
    if done.returncode != 0:
        raise _failed(args, done)
    return done.stdout.decode("ascii").strip()
