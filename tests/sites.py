"""Building sites for the tests: the example, the mini playbook and tiny scaffolds.

A real MkDocs build takes seconds, so the sites every test reads the same way
(the example, the mini playbook online and offline) are built once per run by
the session fixtures in ``conftest.py``; a test that needs a variant of its own
(a hostile title, a broken macro, a failed rebuild) builds it with
:func:`mkdocs_build` into its ``tmp_path``.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import warm

from playbook.commands import scaffold

REPO = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"
TODAY = "2026-11-22"
"""The build date of every test site (``PLAYBOOK_TODAY``)."""

MINI_CONFIG = """\
site_name: Tiny playbook
strict: true
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  - search
  - macros:
      render_by_default: false
      on_undefined: strict
      on_error_fail: true
hooks:
  - hooks/playbook_hooks.py
markdown_extensions: [admonition, pymdownx.details, tables]
nav:
  - Home: index.md
  - Programs: programs/
"""
OPT_IN = "---\nrender_macros: true\n---\n\n"
"""Front matter of a hand-written page that uses the playbook macros."""
OFFLINE_PLUGIN = "  - offline:\n      enabled: !ENV [OFFLINE, false]\n"


@dataclass(frozen=True)
class Site:
    """A built site, and the URL it was built for and is served at."""

    root: Path
    url: str


def mkdocs_build(root: Path, site: Path, today: str = TODAY,
                 env: dict[str, str] | None = None, timeout: float = 300,
                 cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Build ``root``'s site strictly into ``site`` (never with -q), ``env`` added, within
    ``timeout`` seconds, from ``cwd`` (the test's own by default); forked from a warm
    interpreter (:mod:`warm`)."""
    env = {**os.environ, "PLAYBOOK_TODAY": today, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return warm.run("mkdocs", ["build", "--strict", "-f", root / "mkdocs.yml", "-d", site],
                    env=env, cwd=cwd, timeout=timeout)


def drop_forecast(root: Path, program: str = "tiny") -> None:
    """Remove the ``forecast:`` block from a program written by ``playbook new``, so a
    test can delete ``kpis.yml`` and reach the macros (a forecast naming KPIs that no
    longer exist is an error at load time, before any page)."""
    file = root / "program" / program / "program.yml"
    text = file.read_text(encoding="utf-8")
    start = text.index("\nforecast:\n") + 1
    body = start + len("forecast:\n")
    end = re.search(r"^\S", text[body:], re.MULTILINE)  # the next top-level key
    file.write_text(text[:start] + (text[body + end.start():] if end else ""),
                    encoding="utf-8")


def tiny_site(tmp_path: Path, docs: str = "# Home\n") -> Path:
    """A one-program playbook with the project's hooks, in ``tmp_path/pb``."""
    root = tmp_path / "pb"
    root.mkdir()
    shutil.copytree(REPO / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(docs, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    scaffold.new_program(root, "tiny", date(2026, 3, 2))
    return root


def mini_site(tmp_path: Path, *, offline: bool = False) -> Path:
    """Build the mini playbook (``tests/fixtures/mini``) and return the site folder."""
    root = tmp_path / "pb"
    shutil.copytree(MINI, root)
    shutil.copytree(REPO / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nThe mini playbook.\n", encoding="utf-8")
    config = MINI_CONFIG.replace("  - search\n", "  - search\n" + OFFLINE_PLUGIN)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(root, site, env={"OFFLINE": "true" if offline else "false"})
    assert result.returncode == 0, result.stderr
    return site


def tiny_built(tmp_path: Path) -> tuple[Path, Path]:
    """The plain tiny playbook (:func:`tiny_site`) and its strict build: (root, site).

    Built as if unpacked from a tarball: git finds no repository at or above it.
    """
    root = tiny_site(tmp_path)
    site = tmp_path / "site"
    result = mkdocs_build(root, site, env={"GIT_CEILING_DIRECTORIES": str(root.parent)})
    assert result.returncode == 0, result.stderr
    return root, site


def copy_tiny(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of a built tiny playbook and its site, in ``tmp_path``."""
    root, site = tmp_path / "pb", tmp_path / "site"
    shutil.copytree(built[0], root)
    shutil.copytree(built[1], site)
    return root, site


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` → its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of access logs."""


@contextmanager
def served_example(folder: Path) -> Iterator[Site]:
    """The example playbook built strictly into ``folder``, served from a thread.

    The server binds its free port first so that the build can take
    ``site_url = http://127.0.0.1:<port>/`` (``SITE_URL``, as a published build
    does): Material's instant navigation only intercepts links listed in
    ``sitemap.xml``, which is empty without a ``site_url`` and must name this host
    and port.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        result = mkdocs_build(REPO, folder, env={"SITE_URL": url})
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr, result.stderr
        thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
        thread.start()
        try:
            yield Site(folder, url)
        finally:
            server.shutdown()
            thread.join(timeout=10)
    finally:
        server.server_close()
