"""Opening a user's files safely: inside the playbook folder, regular, bounded, no link.

Every file is written by a possibly hostile pull request. A symlink may lead
to a secret (``.git/config`` holds the checkout's token, ``.env`` a password)
whose content an error message or a published figure would then show, a FIFO
would block the build forever on ``open``, a device or a huge file would
exhaust memory. So every component of a file's path below the playbook folder
is looked at (``lstat``, never following a link) before a single byte is read:
each folder on the way must be a real folder and the file a regular file.
Anything else, a link of any kind included, becomes a :class:`Refusal` that
the caller turns into a located problem. The path that is opened is the one
that was checked, so what is read is what was looked at. A source or a query
reads only below its program's data folder (:func:`locate_data`), never a name
that starts with a dot.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath
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
    return _parts(path, root) is not None


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


def kind(mode: int) -> str:
    """What a file of ``mode`` is, for a message: "a folder", "a named pipe (FIFO)", …."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a file"
    return "a special file"


def _not_regular(shown: str, mode: int) -> Refusal:
    return Refusal(f"'{shown}' is not a regular file but {kind(mode)}",
                   "replace it with a plain text file")


def _parts(path: Path, root: Path) -> tuple[str, ...] | None:
    """The names from ``root`` down to ``path`` as written (``..`` taken lexically);
    ``None`` when ``path`` is not below ``root``."""
    # each path made absolute once (each time asks for the working folder; a program's
    # load asks this about 700 times)
    here = os.path.normpath(os.path.abspath(path))
    top = os.path.normpath(os.path.abspath(root))
    if os.path.commonpath([here, top]) != top or here == top:
        return None
    return PurePath(here).parts[len(PurePath(top).parts):]


def _walk(path: Path, root: Path, shown: str, thing: str) -> os.stat_result | Refusal | None:
    """``lstat`` of ``path`` after checking every folder between ``root`` and it.

    Returns:
        The last component's own status (never a link's target); ``None`` when
        nothing is there; a :class:`Refusal` when a component is a link, when a
        folder on the way is not a folder or when ``path`` is not below ``root``.
    """
    parts = _parts(path, root)
    if parts is None:
        return Refusal(f"'{shown}' is outside the playbook folder",
                       f"put the {thing} inside the playbook folder")
    here = Path(os.path.abspath(root))
    info = None
    for i, part in enumerate(parts):
        here = here / part
        try:
            info = os.lstat(here)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, ValueError):
            return Refusal(f"'{shown}' cannot be read", f"check the {thing}'s name and "
                           "permissions")
        if stat.S_ISLNK(info.st_mode):
            if i == len(parts) - 1:
                return Refusal(f"'{shown}' is a symbolic link",
                               f"replace the link with the {thing} itself: nothing is read "
                               "through a link")
            return Refusal(f"'{shown}' is reached through the symbolic link "
                           f"'{'/'.join(parts[:i + 1])}'",
                           "replace the link with the folder itself: nothing is read "
                           "through a link")
        if i < len(parts) - 1 and not stat.S_ISDIR(info.st_mode):
            return None  # a file where a folder belongs: nothing is at ``path``
    return info


def locate(path: Path, root: Path, shown: str) -> Path | Refusal | None:
    """Find the regular file ``path`` stands for, without opening it.

    Args:
        path: The file as named (under ``root``).
        root: The playbook folder (itself reached however its user chose).
        shown: How to name the file in a refusal.

    Returns:
        The real path of a regular file below ``root`` reached through real
        folders only; ``None`` when nothing at all is at ``path`` (the caller
        knows what a missing file means); otherwise a :class:`Refusal`.
    """
    digest.note(path)  # a cache of loaded programs must know what each one read
    info = _walk(path, root, shown, "file")
    if not isinstance(info, os.stat_result):
        return info
    if not stat.S_ISREG(info.st_mode):  # never open before knowing: a FIFO's open blocks
        return _not_regular(shown, info.st_mode)
    parts = _parts(path, root)
    assert parts is not None  # _walk refused a path outside ``root``
    return _real_root(root).joinpath(*parts)


def locate_data(rel: str, root: Path, program_id: str) -> Path | Refusal | None:
    """:func:`locate` a file a source or query of program ``program_id`` reads.

    Only a file below ``data/<program_id>/`` qualifies, and no name on its way
    may start with a dot (``.git/``, ``.env``: what a checkout keeps beside the
    data and never commits on purpose).
    """
    folder = f"data/{program_id}/"
    parts = _parts(root / rel, root)
    if parts is None:
        return Refusal(f"'{rel}' is outside the playbook folder", f"put the file under {folder}")
    if parts[:2] != ("data", program_id) or len(parts) < 3:
        return Refusal(f"'{rel}' is not in the program's data folder",
                       f"put the file under {folder}: a source reads only its own "
                       "program's data")
    if any(part.startswith(".") for part in parts[2:]):
        return Refusal(f"'{rel}' is a hidden file or in a hidden folder",
                       "rename it without the leading '.': names starting with a dot "
                       "are never read")
    return locate(root / rel, root, rel)


def folder_refusal(path: Path, root: Path, shown: str) -> Refusal | None:
    """Why the folder ``path`` must not be listed or read from, if it must not.

    A folder that does not exist is no concern here (``None``).
    """
    info = _walk(path, root, shown, "folder")
    return info if isinstance(info, Refusal) else None


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


def read_file(path: Path, root: Path, shown: str, limit: int) -> bytes | Refusal | None:
    """The bytes of the regular file ``path`` (:func:`locate`), at most ``limit + 1``.

    ``None`` when nothing is there; a caller that compares the bytes with what
    it expects needs no more than one byte over the expected length.
    """
    real = locate(path, root, shown)
    opened = real if real is None or isinstance(real, Refusal) else open_regular(real, shown)
    if opened is None or isinstance(opened, Refusal):
        return opened
    stream, _ = opened
    with stream:
        return stream.read(limit + 1)


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
