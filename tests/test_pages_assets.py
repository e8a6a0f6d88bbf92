"""``playbook pages --out`` writes the chart assets and the settings that load them.

An engine that runs no MkDocs plugin (Zensical) gets the assets only from here:
every chart on every page must find its figure and a script that draws it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from playbook.pages import assets
from tests.conftest import RunCli, TmpPlaybook

TODAY = "2026-03-01"
PLOT = re.compile(r'<div class="pb-chart__plot" data-figure="([^"]+)"')
TEMPLATE = re.compile(r'<template id="([^"]+)"')


def _write(book: TmpPlaybook, run_cli: RunCli, out: Path) -> str:
    code, stdout, err = run_cli("pages", "--dir", book.root, "--out", out, "--today", TODAY)
    assert code == 0, err
    return stdout


def test_pages_write_every_asset_and_list_it(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                             tmp_path: Path) -> None:
    out = tmp_path / "docs"
    printed = set(_write(tmp_playbook, run_cli, out).splitlines())
    for path, source in assets.files():
        assert (out / path).read_bytes() == source.read_bytes(), path
        assert (out / path).as_posix() in printed
    assert (out / assets.SNIPPET).as_posix() in printed


def test_snippet_loads_what_the_charts_need_from_the_output(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    _write(tmp_playbook, run_cli, out)
    project = tomllib.loads((out / assets.SNIPPET).read_text(encoding="utf-8"))["project"]
    assert project == {"extra_css": [assets.STYLES],
                       "extra_javascript": [assets.CHARTS]}
    for path in [*project["extra_css"], *project["extra_javascript"]]:
        assert (out / path).is_file() and (out / path).stat().st_size > 0, path
    # the chart script draws exactly what the pages mark up, with the Plotly beside it
    script = (out / assets.CHARTS).read_text(encoding="utf-8")
    assert ".pb-chart__plot" in script
    assert (out / assets.CHARTS).with_name("plotly.min.js") == out / assets.PLOTLY
    assert '"plotly.min.js"' in script and (out / assets.PLOTLY).stat().st_size > 4_000_000
    charts = 0
    for page in sorted(out.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        figures = PLOT.findall(text)
        assert set(figures) <= set(TEMPLATE.findall(text)), page
        charts += len(figures)
    assert charts > 0, "the mini playbook draws no chart: the test checks nothing"
