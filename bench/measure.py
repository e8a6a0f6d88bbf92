"""How the benchmark measures: a child process's CPU time, wall time and peak RSS.

Each measured command runs in a fresh process and is reaped with
``os.wait4``, whose resource usage is that child's alone (``RUSAGE_CHILDREN``
would mix every child so far). The serve latency starts ``mkdocs serve``,
edits one program file and polls the page until it shows the change.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-22"
"""The build date of every measured run (``PLAYBOOK_TODAY``): same input, same site."""


@dataclass(frozen=True)
class Run:
    """One measured process."""

    cpu: float
    """User plus system CPU seconds."""
    wall: float
    rss_mb: float
    """Peak resident set size, MiB."""
    code: int
    output: str


@dataclass(frozen=True)
class Size:
    """The figures of one generated playbook."""

    label: str
    build: Run
    floor: Run | None
    check: Run
    page: tuple[str, int]
    serve: float | None
    portfolio: tuple[int, int] = (0, 0)
    """The portfolio page's bytes and the rows of its forest plot (every program has one)."""


def env() -> dict[str, str]:
    """The environment of measured commands: this checkout importable, a fixed date."""
    out = dict(os.environ, PYTHONPATH=str(REPO), PLAYBOOK_TODAY=TODAY,
               NO_MKDOCS_2_WARNING="1")
    out.pop("CI", None)
    return out


def run(args: list[str], cwd: Path) -> Run:
    """Run ``args`` in ``cwd`` and measure it; the output is kept for a failure's report."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    wall = time.perf_counter() - start
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024,
               proc.returncode, output)


def best(runs: list[Run]) -> Run:
    """The least CPU and wall time of repeated runs of one command, and their highest peak.

    Another process on the machine only ever adds time, so the least is the
    closest to what the command costs (``timeit`` reports the same); memory is
    not slowed by a neighbour, so the worst peak is kept. A failed run wins:
    its output is what the benchmark reports.
    """
    failed = [r for r in runs if r.code != 0]
    if failed:
        return failed[0]
    return Run(min(r.cpu for r in runs), min(r.wall for r in runs),
               max(r.rss_mb for r in runs), 0, runs[-1].output)


def mkdocs(*args: str) -> list[str]:
    """The ``mkdocs`` command of this interpreter's environment."""
    return [sys.executable, "-m", "mkdocs", *args]


def largest_page(site: Path) -> tuple[str, int]:
    """The largest HTML page under ``site`` (charts are embedded in it) and its bytes."""
    sizes = [(p.stat().st_size, str(p.relative_to(site))) for p in site.rglob("*.html")]
    size, name = max(sizes)
    return name, size


_FOREST = re.compile(r'<template id="chart-portfolio-forest--figure"[^>]*>([^<]*)</template>')


def portfolio_page(site: Path) -> tuple[int, int]:
    """The portfolio page's bytes and its forest plot's rows (0 when it has none)."""
    page = site / "programs" / "index.html"
    text = page.read_text(encoding="utf-8")
    found = _FOREST.search(text)
    rows = len(json.loads(found.group(1))["layout"]["yaxis"]["ticktext"]) if found else 0
    return page.stat().st_size, rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError):
        return None


def serve_latency(root: Path, edit: object, timeout: float = 900) -> float | None:
    """Seconds from saving a program file to the served page showing the change.

    Args:
        root: The playbook folder.
        edit: A callable ``edit(stamp) -> page path``, saving the change (see
            :func:`bench.generate.edit_value`); it runs once the first build is served.
        timeout: Give up (``None``) after this long, for the first build or the edit.
    """
    port = _free_port()
    # as `make serve` starts it: --dirty re-renders only what a save changed
    proc = subprocess.Popen(mkdocs("serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"),
                            cwd=root,
                            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + timeout
        while _get(base) is None:
            if time.monotonic() > deadline or proc.poll() is not None:
                return None
            time.sleep(0.2)
        time.sleep(1)  # let the watcher settle after the first build
        stamp = f"bench{time.time_ns()}"
        assert callable(edit)
        saved = time.perf_counter()
        page = edit(stamp)
        deadline = time.monotonic() + timeout
        while stamp not in (_get(base + page) or ""):
            if time.monotonic() > deadline or proc.poll() is not None:
                return None
            time.sleep(0.05)
        return time.perf_counter() - saved
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
