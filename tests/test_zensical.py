"""Zensical, the successor of mkdocs-material, builds ``playbook pages --out`` with its charts.

Zensical runs no MkDocs plugin or hook: the pages, their downloads and the chart assets
come from ``playbook pages --out``, and the settings that load the assets from the
``zensical-snippet.toml`` it writes beside them. Every chart of every generated page
must reach the built site with its figure, on a page that loads the scripts drawing it.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.pages import assets

pytestmark = pytest.mark.site

ZENSICAL = Path(sys.executable).parent / "zensical"
TODAY = "2026-03-01"
TEMPLATE = re.compile(r'<template id="([^"]+)"[^>]*>(.*?)</template>', re.DOTALL)
PLOT = re.compile(r'<div class="pb-chart__plot" data-figure="([^"]+)"')
LOADED = re.compile(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"')
PROJECT = '[project]\nsite_name = "Ours"\ndocs_dir = "docs"\nsite_dir = "site"\n'
"""What a team writes itself at the top of its ``zensical.toml``."""


def _charts(folder: Path, suffix: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each page's charts (figure ids in order) and figures (id → JSON), by page stem."""
    found = {}
    for page in sorted(folder.rglob(f"*{suffix}")):
        text = page.read_text(encoding="utf-8")
        plots = PLOT.findall(text)
        if plots:
            found[page.relative_to(folder).as_posix()] = (plots, dict(TEMPLATE.findall(text)))
    return found


@pytest.mark.skipif(not ZENSICAL.is_file(), reason="zensical is not installed in this "
                    "environment (it is pinned in constraints.txt: make .venv/.installed)")
def test_zensical_builds_the_pages_and_finds_every_chart(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "site-project"
    docs = root / "docs"
    code, _, err = run_cli("pages", "--dir", tmp_playbook.root, "--out", docs,
                           "--today", TODAY)
    assert code == 0, err
    snippet = (docs / assets.SNIPPET).read_text(encoding="utf-8")
    (root / "zensical.toml").write_text(snippet.replace("[project]\n", PROJECT, 1),
                                        encoding="utf-8")
    done = subprocess.run([str(ZENSICAL), "build", "--strict", "-f", "zensical.toml"],
                          cwd=root, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    site = root / "site"
    pages = _charts(docs, ".md")
    assert sum(len(plots) for plots, _ in pages.values()) > 0, "no chart: the test checks nothing"
    for path, (plots, figures) in pages.items():
        built = site / PurePosixPath(path).with_suffix("") / "index.html"
        if path.endswith("index.md"):
            built = site / PurePosixPath(path).parent / "index.html"
        text = built.read_text(encoding="utf-8")
        assert PLOT.findall(text) == plots, path
        assert {k: html.unescape(v) for k, v in TEMPLATE.findall(text)} == {
            k: html.unescape(v) for k, v in figures.items()}, path
        loaded = {(built.parent / src).resolve() for src in LOADED.findall(text)
                  if not src.startswith(("http:", "https:"))}
        for asset in [assets.STYLES, assets.CHARTS]:
            assert (site / asset).resolve() in loaded, (path, asset)
            assert (site / asset).read_bytes() == (docs / asset).read_bytes(), asset
        # the chart script loads Plotly from beside itself: it must be there, whole
        assert (site / assets.CHARTS).with_name("plotly.min.js") == site / assets.PLOTLY
        assert (site / assets.PLOTLY).read_bytes() == (docs / assets.PLOTLY).read_bytes()
