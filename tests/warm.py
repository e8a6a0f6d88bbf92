"""``python -m MODULE ARGS``, ``python SCRIPT ARGS`` and ``python -c CODE ARGS`` for the
tests, forked from an interpreter that has imported MkDocs, Material, mkdocs-macros and the
engine already.

A strict build of the tiny playbook took 4.9 s, 2.5 of them importing the same 900 modules
again; the suite runs well over a hundred builds. :func:`run` sends each command to one
server per pytest worker (this file run as a script), which imported everything once
and forks a child per command: the child takes the caller's environment, folder and
arguments, runs the module as ``python -m`` would (``runpy``), writes its output to files
and exits with the module's code. Each child starts from the state after the imports,
never from another command's, so no build sees what an earlier one left in memory.

Programs the tests start (mike, pre-commit) start ``mkdocs`` and ``playbook`` themselves:
:func:`shims` gives a folder of stand-ins for them, and for mike and check-jsonschema
(:mod:`warm_shim`), that hand their command, with their standard streams, to the same
server.

What a fork cannot give falls back to a fresh interpreter (the server declines it): an
environment that changes a start-up setting (a ``PYTHON*``, locale or ``TZ`` variable,
read only at start-up: :data:`warm_server.STARTUP`; a ``PYTHONPATH`` that only adds
folders shadowing nothing imported is applied as Python would), a module the server never
imported, or a server that died. A test that asserts what a fresh interpreter imports, or
about its start-up, starts ``sys.executable`` itself.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

WARM_MODULES = ("mkdocs", "playbook.commands.cli")
"""The modules the server runs with ``-m`` (the others start a fresh interpreter); it runs
any script given by its path, and any ``-c`` code."""

IMPORTS = ("mkdocs.__main__", "mkdocs.commands.build", "mkdocs.commands.serve",
           "material.plugins.search.plugin", "material.plugins.offline.plugin",
           "mkdocs_macros.plugin", "playbook_mkdocs.plugin", "playbook_mkdocs.macros",
           "playbook.engine", "playbook.figures", "playbook.pages", "playbook.commands.cli",
           "pymdownx.details", "pymdownx.superfences", "markdown.extensions.tables",
           "markdown.extensions.admonition", "markdown.extensions.codehilite",
           "markdown.extensions.fenced_code", "pygments.formatters", "pygments.lexers",
           "encodings.unicode_escape", "encodings.utf_8_sig", "plotly", "scipy.special",
           "scipy.special._ufuncs", "numpy", "duckdb", "check_jsonschema",
           "playbook.load.query_columns", "sqlglot.dialects.duckdb")
"""What the server imports before its first fork: everything a build of the test sites
reaches (sqlglot too, which only a playbook with a query imports, and scipy.special, which
the figures import at their first computation), and check-jsonschema, run a dozen times (a
module left out is imported by each child, as before). Not scipy.stats: the engine never
uses it, and it took each server 2 CPU-seconds more than scipy.special."""

def _serve() -> None:
    """Import everything, then answer commands from the worker (stdin) and the shims."""
    import importlib

    import warm_server

    for name in IMPORTS:
        importlib.import_module(name)
    _render_references()
    with tempfile.TemporaryDirectory(prefix="warm-jinja-") as jinja_cache, \
            tempfile.TemporaryDirectory(prefix="warm-bin-") as shim_folder:
        _cache_theme_templates(jinja_cache)
        _cache_installed_listings()
        # what every child inherits stays out of its cycle collector's sweeps, as in
        # conftest.py's workers, and in the pages it shares with the server (a sweep writes
        # to each object it walks, so a child copied every page the imports filled)
        gc.collect()
        gc.freeze()
        warm_server.Server(Path(shim_folder)).serve()


def _cache_installed_listings() -> None:
    """List each installed theme folder once per server, not once per build.

    MkDocs adds a theme's static files to every build by listing every file of its
    folders (Jinja's ``list_templates``), then filtering the names: Material's hold 14,500
    files, mostly icons, and the listing took 0.07 of the 0.13 CPU-seconds a build spent
    on them (about 8 in a run). A folder inside this Python's installation does not
    change while the tests run; any other (a playbook's overrides, the plugin's templates
    in this work tree) is listed anew each time. The listing is Jinja's own, per folder.
    """
    import jinja2

    list_templates = jinja2.FileSystemLoader.list_templates
    installed = (os.path.realpath(sys.prefix) + os.sep, os.path.realpath(sys.base_prefix)
                 + os.sep)
    listed: dict[str, list[str]] = {}

    def listing(loader: jinja2.FileSystemLoader) -> list[str]:
        found: set[str] = set()
        for folder in loader.searchpath:
            one = jinja2.FileSystemLoader(folder, followlinks=loader.followlinks)
            if not os.path.realpath(folder).startswith(installed):
                found.update(list_templates(one))
                continue
            key = f"{loader.followlinks} {folder}"
            if key not in listed:
                listed[key] = list_templates(one)
            found.update(listed[key])
        return sorted(found)

    from mkdocs.theme import Theme

    for name in ("mkdocs", "material"):  # listed before the fork, so each child finds them
        listing(jinja2.FileSystemLoader(Theme(name=name).dirs))
    jinja2.FileSystemLoader.list_templates = listing  # type: ignore[method-assign,assignment]


def _render_references() -> None:
    """Render the format and figures references once, for every build to fork.

    They are the same text for every playbook, so the engine renders each once per
    process (``functools.cache``); made here, no build renders them again (0.35 s of CPU
    each time).
    """
    from playbook.model import schema
    from playbook.pages import figures_schema, reference

    schema.texts()
    figures_schema.render()
    figures_schema.markdown()
    reference.markdown()


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


class _Server:
    """The worker's server process, started at the first command; one command at a time
    from the worker (the shims' commands run beside it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._broken = False
        self.shims: Path | None = None

    def start(self) -> subprocess.Popen[str] | None:
        """The running server, started if need be; None when it cannot start."""
        if self._proc is None and not self._broken:
            proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, cwd=Path(__file__).parent)
            assert proc.stdout is not None
            ready = proc.stdout.readline().split(" ", 1)
            if ready[0] != "ready":
                proc.kill()
                self._broken = True
                return None
            self._proc, self.shims = proc, Path(ready[1].rstrip("\n"))
            atexit.register(self._stop, proc)
        return self._proc

    @staticmethod
    def _stop(proc: subprocess.Popen[str]) -> None:
        """End the server at the worker's exit: it removes its folders and exits."""
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.stdout is not None:  # else Python warns of an unclosed file at the exit
            proc.stdout.close()

    def run(self, kind: str, argv: Sequence[str], cwd: Path, env: Mapping[str, str],
            timeout: float) -> tuple[int, str, str] | None:
        """The command's exit code, stdout and stderr, or None when the server does not
        run it (it declined it, could not start, or died)."""
        with self._lock:
            proc = self.start()
            if proc is None or proc.stdin is None or proc.stdout is None:
                return None
            with tempfile.TemporaryDirectory(prefix="warm-") as folder:
                out, err = Path(folder, "out"), Path(folder, "err")
                request = {"kind": kind, "argv": list(argv), "cwd": str(cwd),
                           "env": dict(env), "timeout": max(1, int(timeout)),
                           "stdout": str(out), "stderr": str(err)}
                proc.stdin.write(json.dumps(request) + "\n")
                proc.stdin.flush()
                reply = proc.stdout.readline()
                if not reply:
                    self._broken, self._proc = True, None
                    return None
                code = json.loads(reply)["returncode"]
                if code is None:  # declined
                    return None
                return (int(code), out.read_text(encoding="utf-8", errors="replace"),
                        err.read_text(encoding="utf-8", errors="replace"))


_SERVER = _Server()


def run(module: str | Path, args: Sequence[str | os.PathLike[str]], *,
        env: Mapping[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` (``python SCRIPT args`` for a path, ``python -c args``
    for ``"-c"``) with ``env`` (the test's own by default) and ``cwd``, as
    :func:`subprocess.run` with ``capture_output=True, text=True`` would return it; forked
    from the warm server when it can (the module docstring says when it cannot). Past
    ``timeout`` seconds a forked command is ended by SIGALRM (exit code -14) where
    :func:`subprocess.run` would raise :class:`subprocess.TimeoutExpired`: either fails
    the test."""
    env = dict(os.environ if env is None else env)
    kind = "script" if isinstance(module, Path) else "code" if module == "-c" else "module"
    argv = [*([] if kind == "code" else [str(module)]), *map(str, args)]
    command = [sys.executable, *{"script": [], "code": ["-c"], "module": ["-m"]}[kind], *argv]
    where = cwd or Path.cwd()
    if kind != "module" or module in WARM_MODULES:
        done = _SERVER.run(kind, argv, where, env, timeout)
        if done is not None:
            return subprocess.CompletedProcess(command, *done)
    return subprocess.run(command, cwd=where, env=env, capture_output=True, text=True,
                          check=False, timeout=timeout)


def shims() -> Path:
    """A folder to put first on ``PATH`` so that a program the test starts (mike, pre-commit)
    runs ``mkdocs`` and ``playbook`` on the warm server (:mod:`warm_shim`): each stand-in
    runs the real executable from this interpreter's folder when the server is gone. This
    interpreter's folder itself when the server cannot start."""
    with _SERVER._lock:
        _SERVER.start()
    return _SERVER.shims or Path(sys.executable).parent


def shim(real: Path, folder: Path) -> Path:
    """A stand-in for the script ``real`` in ``folder``, served by this worker's server (or
    running ``real`` itself when the server is gone): :mod:`warm_shim`."""
    import warm_shim

    return warm_shim.write(folder, real, shims() / ".socket")


if __name__ == "__main__":
    _serve()
