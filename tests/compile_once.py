"""Two pytest workers compile each module once between them, not once each.

A run starts with an empty bytecode cache (``PYTHONPYCACHEPREFIX``, in the run's temp
folder: see ``conftest.pytest_configure``), and collecting the suite imports 2,600
modules: scipy, statsmodels, pandas, the engine and the test modules. Both workers
start together and import them in the same order, so each compiled all of them, and
compiling was two thirds of collecting (30 CPU-s a worker; 9 with the cache filled).

:func:`share` makes a process compile a module only under a lock, and look in the cache
again once it holds the lock: the worker that gets there second waits for the first
one's bytecode (written whole, by rename) rather than compiling the same source again.
Neither waits long: whoever is ahead compiles, the other one reads, and they leapfrog.
What a process reads is what it would have compiled itself (the same source, checked
against it by Python as any cached bytecode is), so no result can change.

Only compiling happens under a lock, never running a module (running one imports
others, and two workers each holding one lock while waiting for the other's would wait
for ever); locks are striped over a fixed set of files to keep the folder small.
"""

from __future__ import annotations

import fcntl
import os
import threading
import zlib
from importlib.machinery import SourceFileLoader
from importlib.util import cache_from_source
from pathlib import Path
from types import CodeType
from typing import Any

STRIPES = 64
"""Lock files; two modules share one only when their paths hash alike."""

_held = threading.local()


def _lock(folder: Path, source: str) -> int:
    """Take the lock of ``source`` (its stripe) and return its file descriptor."""
    stripe = zlib.crc32(source.encode("utf-8", "surrogateescape")) % STRIPES
    fd = os.open(folder / f"{stripe}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def share(folder: Path) -> None:
    """Compile plain modules, and the test modules pytest rewrites, under a lock each.

    Args:
        folder: Where the lock files live (made if missing).
    """
    if getattr(SourceFileLoader.get_code, "shared", False):
        return  # conftest imported again (as ``tests.conftest``): a second lock would wait
        # for the first, held by this very process
    folder.mkdir(parents=True, exist_ok=True)
    _share_plain(folder)
    _share_rewritten(folder)


def _share_plain(folder: Path) -> None:
    original = SourceFileLoader.get_code

    def get_code(self: SourceFileLoader, fullname: str) -> CodeType | None:
        path = self.get_filename(fullname)
        try:
            cached = cache_from_source(path)
        except NotImplementedError:  # no cache for this interpreter
            return original(self, fullname)
        if os.path.exists(cached):  # compiled already (Python checks it is current)
            return original(self, fullname)
        fd = _lock(folder, path)
        try:  # reads the other worker's bytecode if it came meanwhile; else compiles
            return original(self, fullname)
        finally:
            os.close(fd)

    get_code.shared = True  # type: ignore[attr-defined]
    SourceFileLoader.get_code = get_code  # type: ignore[method-assign]


def _share_rewritten(folder: Path) -> None:
    """The same for test modules: pytest reads its cached rewrite (``_read_pyc``), else
    rewrites (``_rewrite_test``) and writes it (``_write_pyc``); the lock is held from a
    second read that found nothing until the write."""
    from _pytest.assertion import rewrite

    read, write = rewrite._read_pyc, rewrite._write_pyc

    def release() -> None:
        fd = getattr(_held, "fd", None)
        if fd is not None:
            _held.fd = None
            os.close(fd)

    def read_pyc(source: Path, pyc: Path, *args: Any, **kwargs: Any) -> CodeType | None:
        release()  # a rewrite that failed never wrote: let go of its lock
        found = read(source, pyc, *args, **kwargs)
        if found is not None:
            return found
        fd = _lock(folder, str(source))
        found = read(source, pyc, *args, **kwargs)
        if found is not None:
            os.close(fd)
        else:
            _held.fd = fd  # pytest rewrites it now, then writes it: see write_pyc
        return found

    def write_pyc(*args: Any, **kwargs: Any) -> bool:
        try:
            return write(*args, **kwargs)
        finally:
            release()

    rewrite._read_pyc = read_pyc
    rewrite._write_pyc = write_pyc
