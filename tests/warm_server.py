"""The warm server's loop (:mod:`warm`): commands from the worker on stdin, and from the
stand-ins (:mod:`warm_shim`) on a Unix socket; each is handled in a forked child, which
forks the command's own child and reports how it ended.

A handler per command, rather than the loop waiting, lets a stand-in's command run while a
worker's command runs (pre-commit runs hooks side by side), and a command that starts a
stand-in wait for it without holding up the loop that would serve it.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import selectors
import signal
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

import warm_shim

STARTUP = ("PYTHON", "LC_ALL", "LC_CTYPE", "LANG", "TZ")
"""Variables read only at start-up: Python's flags and paths, the encoding of its streams,
and the time zone, which DuckDB's ICU reads once when ``duckdb`` is imported (a forked
child in another TZ kept the server's zone). A command whose environment sets them
otherwise than the server's runs fresh (``PYTHONPATH`` aside: :meth:`Server.declines`)."""
SHIMS = ("mkdocs", "playbook", "mike", "check-jsonschema")
"""The console scripts the stand-ins' folder holds (those installed beside Python). Not
pre-commit: pre-commit-uv's ``.pth`` file patches it at start-up only when ``sys.argv``
names pre-commit, which a fork of the server would not see."""


def python_path(value: str | None, cwd: str) -> list[str]:
    """The folders ``PYTHONPATH`` puts on ``sys.path`` for a process started in ``cwd``:
    absolute, an empty entry being the folder (as Python and ``site`` make them)."""
    if not value:
        return []
    return [os.path.abspath(os.path.join(cwd, entry)) for entry in value.split(os.pathsep)]


class Server:
    """The loop, the folder of stand-ins and the state every command starts from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.start_env = dict(os.environ)
        self.own_path = python_path(os.environ.get("PYTHONPATH"), os.getcwd())
        # the rest of sys.path after the script's folder and PYTHONPATH's entries
        self.base_path = sys.path[1 + len(self.own_path):]

    def serve(self) -> None:
        """Write the stand-ins, say ``ready FOLDER``, and serve until stdin closes."""
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        address = str(self.folder / ".socket")
        listener.bind(address)
        listener.listen(64)
        bin_folder = Path(sys.executable).parent
        for name in SHIMS:
            if (bin_folder / name).is_file():
                warm_shim.write(self.folder, bin_folder / name, Path(address))
        sys.stdout.write(f"ready {self.folder}\n")
        sys.stdout.flush()
        events = selectors.DefaultSelector()
        events.register(0, selectors.EVENT_READ)
        events.register(listener, selectors.EVENT_READ)
        pending = b""
        while True:
            for key, _ in events.select(timeout=5):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    _fork(lambda: self._shim_command(conn))  # noqa: B023 (runs now)
                    conn.close()
                    continue
                chunk = os.read(0, 1 << 16)
                if not chunk:  # the worker closed it (at its exit)
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    request = json.loads(line)
                    _fork(lambda: self._worker_command(request))  # noqa: B023 (runs now)
            _reap()

    def declines(self, env: Mapping[str, str], cwd: str) -> str | None:
        """Why a fork cannot run a command with ``env`` from ``cwd`` as a fresh Python
        would, or None: a start-up variable that differs, or a ``PYTHONPATH`` folder holding
        a module the server imported from elsewhere (a fresh Python would import that)."""
        def startup(e: Mapping[str, str]) -> dict[str, str]:
            return {k: v for k, v in e.items() if k.startswith(STARTUP) and k != "PYTHONPATH"}
        if startup(env) != startup(self.start_env):
            return "a start-up variable differs"
        imported = {name: module for name, module in sys.modules.items() if "." not in name}
        for entry in python_path(env.get("PYTHONPATH"), cwd):
            if entry not in self.own_path and (shadow := _shadows(entry, imported)):
                return f"PYTHONPATH's {shadow} is not the module imported"
        return None

    def _worker_command(self, request: dict[str, object]) -> None:
        """Run the worker's command with its output to files; reply on stdout."""
        env: dict[str, str] = request["env"]  # type: ignore[assignment]
        code: int | None = None
        if not self.declines(env, str(request["cwd"])):
            null = os.open(os.devnull, os.O_RDONLY)
            out, err = (os.open(str(request[name]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                                0o600) for name in ("stdout", "stderr"))
            pid = _fork(lambda: self._child(
                str(request["kind"]), request["argv"], str(request["cwd"]),  # type: ignore[arg-type]
                env, {0: null, 1: out, 2: err}, int(request["timeout"])))  # type: ignore[call-overload]
            code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        os.write(1, (json.dumps({"returncode": code}) + "\n").encode())

    def _shim_command(self, conn: socket.socket) -> None:
        """Run a stand-in's command on the streams it passed; answer how it ended."""
        real, cwd, streams, argv, env = _receive(conn)
        if self.declines(env, cwd):
            conn.sendall(b"declined")
            return
        pid = _fork(lambda: self._child("script", [real, *argv], cwd, env, streams, 0))
        for fd in streams.values():
            os.close(fd)
        # the stand-in gone (killed by its caller's timeout) ends its command too
        died = selectors.DefaultSelector()
        died.register(os.pidfd_open(pid), selectors.EVENT_READ)
        died.register(conn, selectors.EVENT_READ)
        if all(key.fileobj is conn for key, _ in died.select()):
            os.kill(pid, signal.SIGKILL)
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        conn.sendall(f"signal {-code}".encode() if code < 0 else f"exit {code}".encode())

    def _child(self, kind: str, argv: Sequence[str], cwd: str, env: Mapping[str, str],
               streams: Mapping[int, int], timeout: int) -> None:
        """Become the command: its folder, environment, streams, arguments and path."""
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        time.tzset()  # TZ is read into the C library, not looked up again
        tempfile.tempdir = None  # the server's, cached: looked up again from TMPDIR
        for fd in (0, 1, 2):
            if fd in streams:
                os.dup2(streams[fd], fd)
                os.close(streams[fd])
            else:
                os.close(fd)
        sys.stdout.reconfigure(line_buffering=os.isatty(1))  # as Python sets it up
        if timeout:
            signal.alarm(timeout)  # the default action ends the child
        # a script's folder with links resolved, as Python finds it
        first = {"script": os.path.dirname(os.path.realpath(argv[0])),
                 "module": os.getcwd(), "code": ""}[kind]
        path = [*python_path(env.get("PYTHONPATH"), cwd), *self.base_path]
        sys.path[:] = [first, *dict.fromkeys(path)]  # site drops repeated folders
        _run(kind, list(argv))


def _run(kind: str, argv: list[str]) -> NoReturn:
    """Run the command as ``python`` would, in this child, and exit with its code."""
    import runpy
    import types

    code = 1
    try:
        try:
            if kind == "script":
                sys.argv = argv
                runpy.run_path(argv[0], run_name="__main__")
            elif kind == "code":
                sys.argv = ["-c", *argv[1:]]
                main = types.ModuleType("__main__")
                sys.modules["__main__"] = main
                exec(compile(argv[0], "<string>", "exec"), main.__dict__)
            else:
                sys.argv = argv
                # imported by the server for what it imports; runpy runs it anew as
                # __main__, and warns when a copy is already in sys.modules
                module = sys.modules.get(argv[0])
                sys.modules.pop(f"{argv[0]}.__main__" if hasattr(module, "__path__")
                                else argv[0], None)
                runpy.run_module(argv[0], run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if exc.code is not None and not isinstance(exc.code, int):
                print(exc.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _fork(work: Callable[[], None]) -> int:
    """Run ``work`` in a forked child, which then exits; its process id."""
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(0)
    return pid


def _reap() -> None:
    """Collect the handlers that finished (the loop never waits for one)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _receive(conn: socket.socket) -> tuple[str, str, dict[int, int], list[str],
                                             dict[str, str]]:
    """A stand-in's request (:func:`warm_shim.request`): script, folder, streams by number,
    arguments, environment."""
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    while len(data) < warm_shim.HEADER or len(data) < warm_shim.HEADER + int.from_bytes(
            data[:warm_shim.HEADER], "big"):
        chunk = conn.recv(1 << 16)
        if not chunk:
            raise EOFError("the stand-in sent part of its request")
        data += chunk
    fields = [os.fsdecode(f) for f in data[warm_shim.HEADER:].split(b"\0")]
    real, cwd, numbers, count = fields[:4]
    argv = fields[4:4 + int(count)]
    env = dict(item.split("=", 1) for item in fields[4 + int(count):])
    streams = dict(zip((int(n) for n in numbers.split(",") if n), fds, strict=True))
    return real, cwd, streams, argv, env


def _shadows(entry: str, imported: Mapping[str, object]) -> str | None:
    """The file in ``entry`` a fresh Python would import instead of a module imported
    here from elsewhere, or None."""
    if not os.path.isdir(entry):
        return entry if os.path.exists(entry) else None  # a zip: not looked into
    suffixes = tuple(importlib.machinery.all_suffixes())
    for name in os.listdir(entry):
        path = os.path.join(entry, name)
        if os.path.isdir(path):  # a package; a folder without __init__ shadows nothing
            if not any(os.path.isfile(os.path.join(path, "__init__" + s)) for s in suffixes):
                continue
            stem = name
        elif name.endswith(suffixes):
            stem = name.partition(".")[0]
        else:
            continue
        if stem not in imported:
            continue
        spec = getattr(imported[stem], "__spec__", None)
        if spec is not None and spec.origin in ("built-in", "frozen"):
            continue  # found before any folder is looked at
        if spec is None or spec.origin is None:  # a namespace package, or made up
            return path
        origin = os.path.dirname(spec.origin) if spec.submodule_search_locations is not None \
            else spec.origin
        if os.path.realpath(origin) != os.path.realpath(path):
            return path
    return None
