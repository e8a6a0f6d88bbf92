"""A content digest of everything one program's load reads, for a cache that is never stale.

``mkdocs serve`` rebuilds the site on every save; at hundreds of programs,
re-reading every program for a one-value edit costs minutes (issue 13). The
engine keeps each program loaded, checked and computed under the digest of
its inputs and reloads only the programs whose digest changed.

What a program's load reads is its program folder (``program/<id>/``), its
data folder (``data/<id>/``: no source or query may read anything else), any
other file the load looked up, and ``playbook.yml``, which the caller puts in
the key. The folders'
digest covers every entry, recursively: names, kinds, symlink targets and the
bytes of every regular file. The other files are those the load looked up
(:func:`recording`; a file named but absent counts too, so its appearance is
seen). Timestamps are not trusted: a file restored with its old modification
time still changes the digest.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Final

CHUNK: Final = 1 << 20
"""Bytes read at a time while hashing a file (a 50M-row Parquet file is never held whole)."""


def program_digest(root: Path, program_id: str) -> str:
    """The digest of ``program/<id>/`` and ``data/<id>/`` under ``root``.

    A folder that cannot be read gets a digest of its own that never repeats,
    so a cache reloads the program and the load reports the problem.
    """
    hasher = _Hasher(root)
    for top in ("program", "data"):
        hasher.h.update(f"\0{top}\0".encode())
        hasher.walk(root / top / program_id, "")
    return hasher.h.hexdigest()


_looked_up: ContextVar[set[str] | None] = ContextVar("looked_up", default=None)
"""The files looked up since :func:`recording` began, as absolute paths (``None``: off)."""


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect every file the code in the ``with`` block looks up (see :func:`note`)."""
    seen: set[str] = set()
    token = _looked_up.set(seen)
    try:
        yield seen
    finally:
        _looked_up.reset(token)


def note(path: Path) -> None:
    """Record that a load looked up ``path`` (:func:`playbook.load.safefiles.locate`)."""
    seen = _looked_up.get()
    if seen is not None:
        seen.add(os.path.abspath(path))


def outside(paths: set[str], root: Path, program_id: str) -> set[str]:
    """The ``paths`` not under the program's own folders (which its digest covers)."""
    own = tuple(os.path.join(os.path.abspath(root / top / program_id), "")
                for top in ("program", "data"))
    return {p for p in paths if not p.startswith(own)}


def files_digest(paths: Iterable[str], root: Path) -> str:
    """The digest of the files at ``paths``: each one's link target, content or absence."""
    hasher = _Hasher(root)
    for path in sorted(paths):
        hasher.walk(Path(path), path)
    return hasher.h.hexdigest()


class _Hasher:
    """Feeds files, symlinks and folders into one hash, never leaving the playbook.

    A symlink is followed only when it leads to a place inside the playbook (as
    the load follows it); one leading out counts by its target's name alone, so
    no file outside the repository is ever opened, and a loop is walked once.
    """

    def __init__(self, root: Path) -> None:
        self.h = hashlib.blake2b(digest_size=20)
        self.top = os.path.realpath(root)
        self.seen: set[tuple[int, int]] = set()

    def line(self, text: str) -> None:
        """One record: a name that is no UTF-8 (a lone surrogate) is kept as its bytes."""
        self.h.update(f"{text}\0".encode(errors="surrogateescape"))

    def walk(self, path: Path, shown: str) -> None:
        """Feed ``path`` (file, symlink or folder), shown as ``shown``, into the hash."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            self.line(f"absent {shown}")
            return
        except OSError:
            self.h.update(os.urandom(16))  # unreadable: never equal to an earlier digest
            return
        if stat.S_ISLNK(info.st_mode):
            self.line(f"link {shown} -> {os.readlink(path)}")
        real = os.path.realpath(path)  # a link, or a folder above that is one
        if os.path.commonpath([real, self.top]) != self.top:
            self.line(f"out {shown}")
            return  # out of the playbook: refused by the load, never read here
        if stat.S_ISLNK(info.st_mode):
            try:
                info = os.stat(real)  # what the link leads to: its content counts too
            except OSError:
                return  # a dangling link: its target's name above is all there is
        if stat.S_ISDIR(info.st_mode):
            self.folder(path, shown, (info.st_dev, info.st_ino))
        elif stat.S_ISREG(info.st_mode):
            self.line(f"file {shown} {info.st_size}")
            try:
                with open(path, "rb") as stream:
                    while chunk := stream.read(CHUNK):
                        self.h.update(chunk)
            except OSError:
                self.h.update(os.urandom(16))
        else:  # a FIFO or a device is never opened (the load refuses it): its kind counts
            self.line(f"special {shown} {stat.S_IFMT(info.st_mode)}")

    def folder(self, path: Path, shown: str, identity: tuple[int, int]) -> None:
        """Feed a folder's entries, in name order; a folder already walked (a loop) once."""
        if identity in self.seen:
            self.line(f"loop {shown}")
            return
        self.seen.add(identity)
        self.line(f"dir {shown}")
        try:
            names = sorted(os.listdir(path))
        except OSError:
            self.h.update(os.urandom(16))
            return
        for name in names:
            self.walk(path / name, f"{shown}/{name}")
