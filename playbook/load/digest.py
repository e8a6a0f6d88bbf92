"""A content digest of everything one program's load reads, for a cache that is never stale.

``mkdocs serve`` rebuilds the site on every save; at hundreds of programs,
re-reading every program for a one-value edit costs minutes (issue 13). The
engine keeps each program loaded, checked and computed under the digest of
its inputs and reloads only the programs whose digest changed.

What a program's load reads is its program folder (``program/<id>/``), its
data folder (``data/<id>/``, SQL sources included: DuckDB may read nothing
else), any other file of the playbook a source names (a shared lookup
table), and ``playbook.yml``, which the caller puts in the key. The folders'
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
    h = hashlib.blake2b(digest_size=20)
    for top in ("program", "data"):
        h.update(f"\0{top}\0".encode(errors="surrogateescape"))
        _walk(root / top / program_id, "", h, set())
    return h.hexdigest()


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


def files_digest(paths: Iterable[str]) -> str:
    """The digest of the files at ``paths``: each one's link target, content or absence."""
    h = hashlib.blake2b(digest_size=20)
    for path in sorted(paths):
        _walk(Path(path), path, h, set())
    return h.hexdigest()


def _walk(path: Path, shown: str, h: hashlib.blake2b, seen: set[tuple[int, int]]) -> None:
    """Feed ``path`` (file, symlink or folder) into ``h``; ``seen`` stops symlink loops."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        h.update(f"absent {shown}\0".encode(errors="surrogateescape"))
        return
    except OSError:
        h.update(os.urandom(16))  # unreadable: never equal to an earlier digest
        return
    if stat.S_ISLNK(info.st_mode):
        h.update(f"link {shown} -> {os.readlink(path)}\0".encode(errors="surrogateescape"))
        try:
            info = os.stat(path)  # what the link points at: its content counts too
        except OSError:
            return  # a dangling link: its target name above is all there is
    if stat.S_ISDIR(info.st_mode):
        if (info.st_dev, info.st_ino) in seen:
            h.update(f"loop {shown}\0".encode(errors="surrogateescape"))
            return
        seen.add((info.st_dev, info.st_ino))
        h.update(f"dir {shown}\0".encode(errors="surrogateescape"))
        try:
            names = sorted(os.listdir(path))
        except OSError:
            h.update(os.urandom(16))
            return
        for name in names:
            _walk(path / name, f"{shown}/{name}", h, seen)
    elif stat.S_ISREG(info.st_mode):
        h.update(f"file {shown} {info.st_size}\0".encode(errors="surrogateescape"))
        try:
            with open(path, "rb") as stream:
                while chunk := stream.read(CHUNK):
                    h.update(chunk)
        except OSError:
            h.update(os.urandom(16))
    else:  # a FIFO or a device is never opened (the load refuses it): its kind counts
        h.update(f"special {shown} {stat.S_IFMT(info.st_mode)}\0".encode(errors="surrogateescape"))
