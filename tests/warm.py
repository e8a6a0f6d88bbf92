"""``python -m MODULE ARGS`` for the tests, forked from an interpreter that has imported
MkDocs, Material, mkdocs-macros and the engine already.

A strict build of the tiny playbook took 4.9 s, 2.5 of them importing the same 900 modules
again; the suite runs well over a hundred builds. :func:`run` sends each command to one
server per pytest worker (this file run as a script), which imported everything once
and forks a child per command: the child takes the caller's environment, folder and
arguments, runs the module as ``python -m`` would (``runpy``), writes its output to files
and exits with the module's code. Each child starts from the state after the imports,
never from another command's, so no build sees what an earlier one left in memory.

What a fork cannot give falls back to a fresh interpreter (:func:`run` decides): an
environment that changes a ``PYTHON*`` variable (which Python reads only at start-up), a
module the server never imported, or a server that died. A test that asserts what a
fresh interpreter imports, or about its start-up, starts ``sys.executable`` itself.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

WARM_MODULES = ("mkdocs",)
"""The modules the server runs with ``-m`` (the others start a fresh interpreter); it runs
any script given by its path."""

IMPORTS = ("mkdocs.__main__", "mkdocs.commands.build", "mkdocs.commands.serve",
           "material.plugins.search.plugin", "material.plugins.offline.plugin",
           "mkdocs_macros.plugin", "playbook_mkdocs.plugin", "playbook_mkdocs.macros",
           "playbook.engine", "playbook.figures", "playbook.pages", "pymdownx.details",
           "pymdownx.superfences", "markdown.extensions.tables",
           "markdown.extensions.admonition", "plotly", "scipy.stats", "numpy", "duckdb")
"""What the server imports before its first fork: everything a build of the test sites
reaches (a module left out is imported by each child, as before)."""


def _serve() -> None:
    """The server's loop: one JSON request per line on stdin, one JSON reply per line."""
    import importlib

    for name in IMPORTS:
        importlib.import_module(name)
    with tempfile.TemporaryDirectory(prefix="warm-jinja-") as jinja_cache:
        _cache_theme_templates(jinja_cache)
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        for line in sys.stdin:  # until the worker closes it (at its exit)
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _child(request)  # never returns
            _, status = os.waitpid(pid, 0)
            reply = {"returncode": os.waitstatus_to_exitcode(status)}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()


def _cache_theme_templates(folder: str) -> None:
    """Compile each theme template once per server, not once per build.

    MkDocs gives every build a new Jinja environment without a bytecode cache, so each
    build compiled Material's 38 templates again (a quarter of a tiny site's build).
    Jinja's file cache keys a template by its name and file and checks its source's
    digest, so a changed or overridden template is compiled anew.
    """
    import jinja2
    from mkdocs.theme import Theme

    cache = jinja2.FileSystemBytecodeCache(folder)
    get_env = Theme.get_env

    def cached_env(self: Theme) -> jinja2.Environment:
        env = get_env(self)
        env.bytecode_cache = cache
        return env

    Theme.get_env = cached_env  # type: ignore[method-assign]


def _child(request: dict[str, object]) -> None:
    """Run one ``python -m`` command in this forked child, then exit with its code."""
    import runpy
    import signal
    import time
    import traceback

    code = 1
    try:
        os.chdir(str(request["cwd"]))
        os.environ.clear()
        os.environ.update(request["env"])  # type: ignore[arg-type]
        time.tzset()  # TZ is read into the C library, not looked up again
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            os.dup2(os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        signal.alarm(int(request["timeout"]))  # the default action ends the child
        argv = [str(a) for a in request["argv"]]  # type: ignore[attr-defined]
        sys.argv = list(argv)
        try:
            if request["script"]:  # python SCRIPT: its folder goes first on the path
                sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
                runpy.run_path(argv[0], run_name="__main__")
            else:  # python -m MODULE: the working folder does
                sys.path[0] = os.getcwd()
                # imported by the server for what it imports; runpy runs it anew as
                # __main__, and warns when a copy is already in sys.modules
                sys.modules.pop(f"{argv[0]}.__main__", None)
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


class _Server:
    """The worker's server process, started at the first command; one command at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._broken = False

    def _start(self) -> subprocess.Popen[str] | None:
        if self._proc is None and not self._broken:
            proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, cwd=Path(__file__).parent)
            assert proc.stdout is not None
            if proc.stdout.readline() != "ready\n":
                proc.kill()
                self._broken = True
                return None
            self._proc = proc
            atexit.register(self._stop, proc)
        return self._proc

    @staticmethod
    def _stop(proc: subprocess.Popen[str]) -> None:
        """End the server at the worker's exit: it removes its cache folder and exits."""
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

    def run(self, argv: Sequence[str], script: bool, cwd: Path, env: Mapping[str, str],
            timeout: float) -> tuple[int, str, str] | None:
        """The command's exit code, stdout and stderr, or None when the server cannot run
        it (it could not start, or it died)."""
        with self._lock:
            proc = self._start()
            if proc is None or proc.stdin is None or proc.stdout is None:
                return None
            with tempfile.TemporaryDirectory(prefix="warm-") as folder:
                out, err = Path(folder, "out"), Path(folder, "err")
                request = {"argv": list(argv), "script": script, "cwd": str(cwd),
                           "env": dict(env), "timeout": max(1, int(timeout)),
                           "stdout": str(out), "stderr": str(err)}
                proc.stdin.write(json.dumps(request) + "\n")
                proc.stdin.flush()
                reply = proc.stdout.readline()
                if not reply:
                    self._broken, self._proc = True, None
                    return None
                return (int(json.loads(reply)["returncode"]),
                        out.read_text(encoding="utf-8", errors="replace"),
                        err.read_text(encoding="utf-8", errors="replace"))


_SERVER = _Server()


def run(module: str | Path, args: Sequence[str | os.PathLike[str]], *,
        env: Mapping[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` (or ``python SCRIPT args`` for a path) with ``env`` (the
    test's own by default) and ``cwd``, as :func:`subprocess.run` with
    ``capture_output=True, text=True`` would return it; forked from the warm server when it
    can (the module docstring says when it cannot). Past ``timeout`` seconds a forked
    command is ended by SIGALRM (exit code -14) where :func:`subprocess.run` would raise
    :class:`subprocess.TimeoutExpired`: either fails the test."""
    env = dict(os.environ if env is None else env)
    script = isinstance(module, Path)
    argv = [str(module), *map(str, args)]
    command = [sys.executable, *([] if script else ["-m"]), *argv]
    where = cwd or Path.cwd()
    startup = {k: v for k, v in env.items() if k.startswith("PYTHON")}
    same_start = startup == {k: v for k, v in os.environ.items() if k.startswith("PYTHON")}
    if (script or module in WARM_MODULES) and same_start:
        done = _SERVER.run(argv, script, where, env, timeout)
        if done is not None:
            return subprocess.CompletedProcess(command, *done)
    return subprocess.run(command, cwd=where, env=env, capture_output=True, text=True,
                          check=False, timeout=timeout)


if __name__ == "__main__":
    _serve()
