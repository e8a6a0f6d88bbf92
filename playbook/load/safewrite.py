"""Writing files into a folder a pull request filled: never through a link, whole or not at all.

A committed symlink where a command writes (``data/<id>/snapshots``,
``.github/CODEOWNERS``, a page under ``--out``) would redirect the write to
whatever it points at: the checkout's virtualenv launcher, a shell start-up
file, ``.git/hooks``. So every command that writes goes through
:func:`write_files`: each name between the root and the file is opened with
``O_NOFOLLOW`` relative to the folder above it (a link, a file where a folder
belongs or a path leaving the root is refused), a missing folder is created
and opened the same way, and each file is written to a fresh temporary file
in its real folder, flushed to disk and renamed over the old one. Every
target is checked before the first byte is written, so a refusal (a located
:class:`WriteRefused`) leaves everything as it was.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from playbook.load.safefiles import kind
from playbook.model.problems import PlaybookError, Problem

_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class WriteRefused(PlaybookError):
    """A file was not written because of what is on its way; nothing was written at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
        """Where, what and the fix: the path relative to the root the command writes in."""


def _refuse(shown: str, what: str, fix: str) -> WriteRefused:
    return WriteRefused(Problem(shown, 1, 1, "", f"'{shown}' {what}", f"{fix}; nothing was "
                                "written"))


def _parts(rel: str | PurePosixPath, prefix: str) -> tuple[str, ...]:
    """The names of ``rel`` below the root; a path that leaves the root is refused."""
    text = os.path.normpath(str(rel))
    parts = PurePosixPath(text).parts
    if not parts or os.path.isabs(text) or parts[0] == "..":
        shown = prefix + PurePosixPath(str(rel)).as_posix()
        raise _refuse(shown, "is outside the folder written into",
                      "write only below the playbook folder")
    return parts


def _step(fd: int, name: str, shown: str, create: bool) -> int | None:
    """Open the real folder ``name`` in the folder ``fd``; ``None``: absent (and not made)."""
    try:
        return os.open(name, _FOLDER_FLAGS, dir_fd=fd)
    except FileNotFoundError:
        if not create:
            return None
        os.mkdir(name, 0o777, dir_fd=fd)  # fails on anything already there, a link included
        return _step(fd, name, shown, create=False)  # opened no-follow: it is the new folder
    except OSError as exc:
        info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            raise _refuse(shown, "is a symbolic link, and nothing is written through one",
                          "replace the link with a real folder or remove it") from None
        if not stat.S_ISDIR(info.st_mode):
            raise _refuse(shown, f"is {kind(info.st_mode)}, not a folder",
                          "move it out of the way") from None
        raise _refuse(shown, f"cannot be opened: {exc.strerror}",
                      "check the folder's permissions") from None


def _folder(root: Path, parts: tuple[str, ...], prefix: str, create: bool) -> int | None:
    """A descriptor of the real folder ``root/parts``; ``None`` when absent and not made.

    ``root`` itself is the user's choice and may be reached through a link; it is
    created as named when missing (``playbook new x --dir new-playbook``).
    """
    if not root.is_dir():
        if not create:
            return None
        root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    for i, name in enumerate(parts):
        try:
            inner = _step(fd, name, prefix + "/".join(parts[:i + 1]), create)
        finally:
            os.close(fd)
        if inner is None:
            return None
        fd = inner
    return fd


def _check(root: Path, parts: tuple[str, ...], prefix: str) -> None:
    """Refuse now what would stop the write of ``root/parts`` later; create nothing."""
    fd = _folder(root, parts[:-1], prefix, create=False)
    if fd is None:
        return  # a folder on the way is missing: made, and checked, when writing
    try:
        info = os.stat(parts[-1], dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    finally:
        os.close(fd)
    shown = prefix + "/".join(parts)
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(shown, "is a symbolic link, and nothing is written through one",
                      "remove the link; the command writes the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(shown, f"is {kind(info.st_mode)}, not a file", "move it out of the way")


def _write_one(root: Path, parts: tuple[str, ...], data: bytes, prefix: str) -> None:
    """Write one checked file: a new temporary file in its real folder, then a rename."""
    fd = _folder(root, parts[:-1], prefix, create=True)
    assert fd is not None  # created when missing
    try:
        try:
            mode = stat.S_IMODE(os.stat(parts[-1], dir_fd=fd, follow_symlinks=False).st_mode)
        except FileNotFoundError:
            mode = None  # a new file: the mode open gives it (0o666 less the umask)
        # a fresh random name, created exclusively: no committed name can redirect it
        tmp = f".{parts[-1]}.{secrets.token_hex(6)}.part"
        out = os.open(tmp, _NEW_FILE_FLAGS, 0o666, dir_fd=fd)
        try:
            with os.fdopen(out, "wb") as stream:
                stream.write(data)
                stream.flush()
                if mode is not None:
                    os.fchmod(stream.fileno(), mode)
                os.fsync(stream.fileno())
            os.replace(tmp, parts[-1], src_dir_fd=fd, dst_dir_fd=fd)  # renames never follow
        except BaseException:
            os.unlink(tmp, dir_fd=fd)
            raise
        os.fsync(fd)  # the rename itself reaches the disk
    finally:
        os.close(fd)


def write_files(root: Path, files: Sequence[tuple[str | PurePosixPath, bytes]],
                prefix: str = "") -> list[PurePosixPath]:
    """Write each ``(path relative to root, bytes)``, all checked before any is written.

    Args:
        root: The folder written into (the playbook folder, or an output folder
            outside it); links above it are the user's own and are followed.
        files: The files to write, relative to ``root``.
        prefix: Put before a path in a refusal (``root`` as the user named it,
            when that is not the playbook folder).

    Returns:
        The paths written, relative to ``root``.

    Raises:
        WriteRefused: A path leaves ``root``, a name on its way is a link or not
            a folder, or the file is a link or not a regular file; nothing was written.
    """
    checked = [(_parts(rel, prefix), data) for rel, data in files]
    for parts, _ in checked:
        try:
            _check(root, parts, prefix)
        except OSError as exc:  # unreadable: a permission, a name too long
            raise _refuse(prefix + "/".join(parts), f"cannot be written: {exc.strerror}",
                          "check the folder's permissions") from None
    for parts, data in checked:
        try:
            _write_one(root, parts, data, prefix)
        except OSError as exc:  # a full disk, a folder made meanwhile: stop at the first
            shown = prefix + "/".join(parts)
            raise PlaybookError(f"{shown}: cannot be written: {exc.strerror or exc}") from None
    return [PurePosixPath(*parts) for parts, _ in checked]


def anchor(root: Path, out: Path) -> tuple[Path, PurePosixPath, str]:
    """Where to write an output folder ``out`` from, the folder below it and the prefix.

    An ``out`` inside the playbook folder ``root`` is written from ``root``, so
    every folder between them is checked; one outside it (``/tmp/pages``) is
    the user's own: it is created as named and written from.
    """
    here, top = os.path.abspath(out), os.path.abspath(root)
    if os.path.commonpath([here, top]) == top:
        return root, PurePosixPath(Path(os.path.relpath(here, top)).as_posix()), ""
    out.mkdir(parents=True, exist_ok=True)
    return out, PurePosixPath("."), out.as_posix().rstrip("/") + "/"
