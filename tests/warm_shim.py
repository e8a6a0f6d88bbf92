"""A stand-in for a console script (``mkdocs``, ``playbook``) that programs the tests start
(mike starts ``mkdocs`` from ``PATH``, pre-commit the hooks' ``playbook``) runs on the warm
server of :mod:`warm`.

The stand-in connects to the server's Unix socket and hands it its working folder,
arguments, environment and its standard streams themselves (their file descriptors, as
``SCM_RIGHTS``); the server forks a child that runs the real script with them, and the
stand-in exits as the child did (its code, or its signal). The child writes to the very
streams the caller gave, so a program reading them (pre-commit) sees what the real script
would write. When the server is gone, or declines the command (:mod:`warm_server` says
when), the stand-in becomes the real script (``exec``).

It is started as ``python -I -S -B`` and imports only ``os``, ``sys`` and ``_socket``
(``socket`` imports ``enum`` and ``selectors``, ``typing`` much more): its own start costs
a few hundredths of a second of CPU, where the real script's imports cost one or two
seconds.
"""

from __future__ import annotations

import _socket
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import NoReturn

HEADER = 8
"""Bytes of the length that precedes the request."""


def request(real: str) -> bytes:
    """What the server reads: the script, folder, streams passed, arguments, environment,
    NUL-separated (no argument nor variable can hold a NUL)."""
    streams = [str(fd) for fd in (0, 1, 2) if _is_open(fd)]
    fields = [os.fsencode(real), os.getcwdb(), ",".join(streams).encode(),
              str(len(sys.argv) - 1).encode(), *map(os.fsencode, sys.argv[1:]),
              *(key + b"=" + value for key, value in os.environb.items())]
    body = b"\0".join(fields)
    return len(body).to_bytes(HEADER, "big") + body


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _ask(real: str, address: str) -> bytes | None:
    """The server's answer (``exit N``, ``signal N`` or ``declined``), None when there is
    no server to ask."""
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        message = request(real)
        conn.connect(address)
    except OSError:
        return None
    streams = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2) if _is_open(fd))
    rights = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, streams)] if streams else []
    sent = conn.sendmsg([message], rights)  # what socket.send_fds does
    conn.sendall(message[sent:])
    answer = b""
    while chunk := conn.recv(64):
        answer += chunk
    return answer


def main(real: str, address: str) -> NoReturn:
    """Run the command on the server and exit as it did, or become ``real``."""
    answer = _ask(real, address)
    word, _, number = (answer or b"declined").partition(b" ")
    if word == b"exit":
        sys.exit(int(number))
    if word == b"signal":
        import signal

        signal.signal(int(number), signal.SIG_DFL)
        os.kill(os.getpid(), int(number))
        sys.exit(128 + int(number))
    if word != b"declined":
        sys.exit(f"warm shim: the server ended during {real} (it may have run in part)")
    os.execv(real, [real, *sys.argv[1:]])


def write(folder: Path, real: Path, address: Path) -> Path:
    """Write into ``folder`` a stand-in for the script ``real`` served at ``address``."""
    shim = folder / real.name
    shim.write_text(SCRIPT.format(python=sys.executable, name=real.name, real=str(real),
                                  tests=os.path.dirname(os.path.abspath(__file__)),
                                  address=str(address)),
                    encoding="utf-8")
    shim.chmod(0o755)
    return shim


SCRIPT = """\
#!{python} -ISB
# {name}, run on the tests' warm server (tests/warm_shim.py), or {real} when it is gone
import sys
sys.path.insert(0, {tests!r})
from warm_shim import main
main({real!r}, {address!r})
"""
"""The stand-in's file; ``-ISB``: isolated (no environment variable nor user folder changes
how it starts), no ``site`` (it imports nothing installed), and no bytecode written."""
