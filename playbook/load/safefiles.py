"""Opening a user's files safely: inside the playbook folder, regular, bounded.

Every file is written by a possibly hostile pull request. A symlink may lead
to a secret outside the repository (whose content an error message would then
quote), a FIFO would block the build forever on ``open``, a device or a huge
file would exhaust memory. So every file is resolved (all symlinks followed)
and must land inside the playbook folder and be a regular file before a single
byte of it is read; anything else becomes a :class:`Refusal` that the caller
turns into a located problem. Symlinks that stay inside the folder keep working.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from playbook.load import digest

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
"""Non-blocking: should a FIFO appear between the check and the open, ``open`` returns."""

_MiB = 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    """Why a file is not read: a problem message and a hint."""

    message: str
    hint: str


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` lies under ``root`` as written (``..`` counted, symlinks not)."""
    here = os.path.normpath(os.path.abspath(path))
    top = os.path.normpath(os.path.abspath(root))
    return os.path.commonpath([here, top]) == top and here != top


def real_path(path: Path) -> Path | None:
    """``path`` with every symlink followed; ``None`` when it leads nowhere (or loops)."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing target, a loop, a NUL byte
        return None


_REAL_ROOTS: dict[str, Path] = {}


def _real_root(root: Path) -> Path:
    """The playbook folder's real path, found once per folder and process.

    A program's load asks for it about 25 times (each file's test whether it
    leaves the folder), and a pull request can change what is inside the
    folder, never where the folder is. Keyed by the absolute path as named
    now (a relative root follows the working folder); a folder that does not
    exist yet is not remembered.
    """
    key = os.path.abspath(root)
    found = _REAL_ROOTS.get(key)
    if found is None:
        real = real_path(root)
        if real is None:
            return root.absolute()
        if len(_REAL_ROOTS) >= 64:  # a test session makes hundreds of playbooks
            _REAL_ROOTS.clear()
        found = _REAL_ROOTS[key] = real
    return found


def _leaves(path: Path, real: Path, root: Path, shown: str, thing: str) -> Refusal | None:
    top = _real_root(root)
    if real == top or top in real.parents:
        return None
    if os.path.islink(path):
        return Refusal(f"'{shown}' is a symlink that leads outside the playbook folder",
                       f"replace the link with the {thing} itself: only files inside the "
                       "playbook folder are read")
    return Refusal(f"'{shown}' leads outside the playbook folder through a symlinked folder",
                   "replace the linked folder with the files themselves: only files inside "
                   "the playbook folder are read")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _not_regular(shown: str, mode: int) -> Refusal:
    return Refusal(f"'{shown}' is not a regular file but {_kind(mode)}",
                   "replace it with a plain text file")


def locate(path: Path, root: Path, shown: str) -> Path | Refusal | None:
    """Find the regular file ``path`` stands for, without opening it.

    Args:
        path: The file as named (under ``root``; it may be a symlink).
        root: The playbook folder.
        shown: How to name the file in a refusal.

    Returns:
        The real path of a regular file inside ``root``; ``None`` when nothing
        at all is at ``path`` (the caller knows what a missing file means);
        otherwise a :class:`Refusal`.
    """
    digest.note(path)  # a cache of loaded programs must know what each one read
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):
        return Refusal(f"'{shown}' cannot be read", "check the file's name and permissions")
    real = real_path(path)
    if real is None:
        return Refusal(f"'{shown}' is a symlink that leads nowhere",
                       "replace the link with the file itself")
    refusal = _leaves(path, real, root, shown, "file")
    if refusal is not None:
        return refusal
    try:
        mode = os.stat(real).st_mode  # never open before knowing: a FIFO's open blocks
    except OSError:
        return Refusal(f"'{shown}' cannot be read", "check the file's permissions")
    if not stat.S_ISREG(mode):
        return _not_regular(shown, mode)
    return real


def folder_refusal(path: Path, root: Path, shown: str) -> Refusal | None:
    """Why the folder ``path`` must not be listed or read from, if it must not.

    A folder that does not exist is no concern here (``None``).
    """
    if not os.path.lexists(path):
        return None
    real = real_path(path)
    if real is None:
        return Refusal(f"'{shown}' is a symlink that leads nowhere",
                       "replace the link with the folder itself")
    return _leaves(path, real, root, shown, "folder")


def open_regular(real: Path, shown: str) -> tuple[BinaryIO, int] | Refusal:
    """Open a located file for reading and return it with its size in bytes.

    The opened file is checked again (``fstat``), so a file swapped for a FIFO
    or a device after :func:`locate` is refused, not read.
    """
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        return Refusal("file not found", "")
    except OSError as exc:
        return Refusal(f"'{shown}' cannot be read: {exc.strerror}",
                       "check the file's permissions")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            return _not_regular(shown, info.st_mode)
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise


def size_text(size: int) -> str:
    """Show a size in bytes as people read it: ``51 MiB``, ``1.5 MiB``, ``200 KiB``."""
    for unit, factor in (("MiB", _MiB), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def too_large(size: int, limit: int, what: str) -> str:
    """Say that a file of ``size`` bytes is over ``limit`` for ``what`` ("a data file")."""
    shown, most = size_text(size), size_text(limit)
    if shown == most:  # just over the limit: rounded, both would read the same
        shown, most = f"{size:,} bytes", f"{limit:,}-byte"
    return f"file is {shown}, over the {most} limit for {what}"
