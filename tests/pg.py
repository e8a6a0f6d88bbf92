"""A throwaway PostgreSQL server for the warehouse tests: Debian's binaries, no mocks.

PostgreSQL refuses to run as root, so as root the cluster is created and
started as the ``postgres`` user (``runuser``). It listens on a free port of
127.0.0.1 and a socket in its own folder, trusts local connections, and is
stopped and removed when the test session ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed; run 'make test' (it installs "
                           "Debian's postgresql package) or 'apt-get install postgresql'")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def server() -> Iterator[str]:
    """Start a server; yield a SQLAlchemy URL for its ``postgres`` database."""
    folder = Path(tempfile.mkdtemp(prefix="playbook-pg-"))
    data, port = folder / "data", _free_port()
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U",
                                 "postgres", "--no-sync"]), **run)  # type: ignore[call-overload]
    options = f"-p {port} -k {folder} -h 127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                                 str(folder / "log"), "start"]), **run)  # type: ignore[call-overload]
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
