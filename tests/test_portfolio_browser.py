"""The portfolio's forest and calibration plots in Chromium, at 3 and at 200 programs.

Each size is the benchmark's playbook (``bench/generate.py``: copies of the example
programs, each promising more or less than its template) built once as the offline
copy (``OFFLINE=true``) and opened from ``file://`` in Debian's Chromium, as a board
pack is read. At 3 programs the portfolio page holds both plots; at 200 the
programs are grouped (``pages/groups.py``): the portfolio page is the groups' index
and holds every program's plots, and each group's page holds its own. On each:

- both charts draw, with a row (and a tick label) per row of the forest and a marker
  per point of the calibration plot, as the built figure says;
- nothing is fetched from off the disk, and nothing logs an error;
- a chart's title, legend, axis titles, tick labels and plot areas do not overlap;
- every row label is whole inside the chart and no two rows read the same;
- with print media at an A4 sheet's width (210 mm less the 12 mm margins of
  ``playbook.css``: 703 CSS px), each chart or, for a plot taller than a sheet, its
  numbers table shows and fits the sheet's width, and no chart printed is taller
  than a sheet.

Needs ``/usr/bin/chromium`` (``make browser-deps``). The 200-program build takes
minutes: it is the size ``make bench`` measures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sites import mkdocs_build

from bench import generate

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
"""The 200-program page lays out 2,000 rows of tables before its charts draw."""
SHEET_PX = 703
"""Width of an A4 sheet's printable area in CSS px: (210 − 2 × 12) mm at 96 px per inch."""
SHEET_HEIGHT_PX = 1032
"""Height of that area: (297 − 2 × 12) mm. A chart taller than this is cut by the printer."""
SCREEN = {"width": 1280, "height": 900}
FOREST, CALIBRATION = "chart-portfolio-forest", "chart-portfolio-calibration"
_TEMPLATE = re.compile(r'<template id="([^"]+)--figure" data-search-exclude>([^<]*)</template>')

ALL_DRAWN = """() => Array.from(document.querySelectorAll('.pb-chart__plot'))
    .every(el => el.getAttribute('data-rendered') === 'true' && el.querySelector('svg.main-svg'))"""

CHART = """(id) => {
    const el = document.getElementById(id).querySelector('.pb-chart__plot');
    const svg = el.querySelector('svg.main-svg');
    const box = (node) => { const r = node.getBoundingClientRect();
                            return [r.left, r.top, r.right, r.bottom]; };
    const boxes = (selector) => Array.from(el.querySelectorAll(selector))
        .filter(n => n.getBoundingClientRect().width > 0 && n.textContent !== '')
        .map(n => [selector, n.textContent.slice(0, 40), box(n)]);
    // each axis's tick labels as one box: they sit side by side by design
    const ticks = (axis) => {
        const all = Array.from(el.querySelectorAll(`.${axis}layer-above .${axis[0]}tick text`),
                               box).filter(b => b[2] > b[0]);
        return all.length ? [[`${axis} ticks`, '', [Math.min(...all.map(b => b[0])),
            Math.min(...all.map(b => b[1])), Math.max(...all.map(b => b[2])),
            Math.max(...all.map(b => b[3]))]]] : [];
    };
    return {
        svg: box(svg),
        parts: [...boxes('.gtitle'), ...boxes('.legend .bg'),
                ...boxes('.g-xtitle text'), ...boxes('.g-x2title text'),
                ...boxes('.g-ytitle text'),
                ...Array.from(el.querySelectorAll('.draglayer .nsewdrag'),
                              n => ['plot area', n.parentNode.getAttribute('class'), box(n)]),
                ...ticks('xaxis'), ...ticks('x2axis')],
        labels: Array.from(el.querySelectorAll('.yaxislayer-above .ytick text'),
                           n => [n.textContent, box(n)]),
        points: Array.from(el.querySelectorAll('.scatterlayer > g.trace'),
                           t => t.querySelectorAll('path.point, g.textpoint').length),
    };
}"""

PRINTED = """() => Array.from(document.querySelectorAll('figure.pb-chart'), fig => {
    const numbers = fig.nextElementSibling.querySelector('table');
    const shown = (n) => n !== null && n.getClientRects().length > 0
        && getComputedStyle(n).visibility !== 'hidden';
    const box = (n) => { const r = n.getBoundingClientRect();
                         return [r.left, r.right, r.height]; };
    const svg = fig.querySelector('svg.main-svg');
    return {id: fig.id, chart: shown(fig), table: shown(numbers),
            chartBox: shown(fig) ? box(svg) : null, tableBox: shown(numbers) ? box(numbers) : null,
            tableScroll: numbers ? numbers.scrollWidth - numbers.clientWidth : 0,
            width: document.documentElement.scrollWidth};
})"""


BUILD_SECONDS = 1200
"""Longest a build may take: 200 programs build in about five minutes on a quiet machine,
and a loaded one (``make test`` runs two workers) takes twice that."""


def _build(root: Path, programs: int) -> Path:
    generate.make(root, programs)
    site = root.parent / "site"
    result = mkdocs_build(root, site, env={"OFFLINE": "true"}, timeout=BUILD_SECONDS)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline site of the benchmark's playbook of 3 programs."""
    return _build(tmp_path_factory.mktemp("portfolio-3") / "pb", 3)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline site of the benchmark's playbook of 200 programs (grouped)."""
    return _build(tmp_path_factory.mktemp("portfolio-200") / "pb", 200)


def _figures(html: Path) -> dict[str, dict[str, Any]]:
    """The figures a built page embeds, by chart id."""
    text = html.read_text(encoding="utf-8")
    return {m.group(1): json.loads(m.group(2)) for m in _TEMPLATE.finditer(text)}


class Opened:
    """A built page open in a fresh context, with what it fetched and every error."""

    def __init__(self, browser: Any, html: Path) -> None:
        self.context = browser.new_context(viewport=SCREEN, color_scheme="light",
                                           service_workers="block")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.goto(html.as_uri(), wait_until="load")
        self.page.wait_for_function(ALL_DRAWN)

    def chart(self, chart_id: str) -> dict[str, Any]:
        return self.page.evaluate(CHART, chart_id)

    def off_disk(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:"))]


@pytest.fixture
def opener(browser: Any) -> Iterator[Any]:
    """Open built pages; every context is closed after the test."""
    opened: list[Opened] = []

    def open_page(html: Path) -> Opened:
        opened.append(Opened(browser, html))
        return opened[-1]

    try:
        yield open_page
    finally:
        for tab in opened:
            tab.context.close()


def _overlaps(parts: list[list[Any]]) -> list[str]:
    """Each pair of a chart's parts whose boxes overlap (by more than a pixel's rounding)."""
    out = []
    for i, (name, what, (l1, t1, r1, b1)) in enumerate(parts):
        for other, what2, (l2, t2, r2, b2) in parts[i + 1:]:
            if min(r1, r2) - max(l1, l2) > 1 and min(b1, b2) - max(t1, t2) > 1:
                out.append(f"{name} {what!r} overlaps {other} {what2!r}")
    return out


def _clipped(svg: list[float], labels: list[list[Any]]) -> list[str]:
    left, top, right, bottom = svg
    return [text for text, (x0, y0, x1, y1) in labels
            if x0 < left - 0.5 or x1 > right + 0.5 or y0 < top - 0.5 or y1 > bottom + 0.5]


def _assert_reads_well(tab: Opened, chart_id: str, figure: dict[str, Any], where: str) -> None:
    """The chart draws every row and point of ``figure``; nothing overlaps or is cut."""
    state = tab.chart(chart_id)
    # a line (the identity) has no point; markers and text have one per value
    drawn = [len(t["x"]) if t["mode"] != "lines" else 0 for t in figure["data"]]
    assert state["points"] == drawn, f"{where} {chart_id}: points {state['points']} != {drawn}"
    assert _overlaps(state["parts"]) == [], f"{where} {chart_id}"
    assert _clipped(state["svg"], state["labels"]) == [], f"{where} {chart_id}: labels cut"
    ticktext = figure["layout"]["yaxis"].get("ticktext")
    if ticktext is not None:  # the forest: a label per row, each row told from the others
        labels = [text for text, _ in state["labels"]]
        assert len(labels) == len(ticktext), f"{where}: {len(labels)} row labels drawn"
        assert len(set(labels)) == len(labels), f"{where}: rows read alike: {labels}"


def _assert_prints(tab: Opened, where: str) -> None:
    """With print media at a sheet's width, each chart, or its table, shows and fits."""
    tab.page.set_viewport_size({"width": SHEET_PX, "height": 1000})
    tab.page.emulate_media(media="print")
    tab.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    for chart in tab.page.evaluate(PRINTED):
        name = f"{where} {chart['id']}"
        assert chart["chart"] or chart["table"], f"{name}: neither chart nor table prints"
        for box in (chart["chartBox"], chart["tableBox"]):
            if box is not None:
                assert box[0] >= 0 and box[1] <= SHEET_PX, f"{name}: {box} is wider than a sheet"
        # a table runs on from sheet to sheet; a chart is one picture
        assert chart["chartBox"] is None or chart["chartBox"][2] <= SHEET_HEIGHT_PX, (
            f"{name}: a chart {chart['chartBox'][2]:.0f} px tall prints cut off")
        assert chart["tableScroll"] <= 0, f"{name}: the numbers table is cut at the edge"
        assert chart["width"] <= SHEET_PX, f"{name}: the page is {chart['width']} px wide"
        if chart["chart"]:
            state = tab.chart(chart["id"])
            assert _overlaps(state["parts"]) == [], f"{name} printed"
            assert _clipped(state["svg"], state["labels"]) == [], f"{name}: printed labels cut"
    tab.page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")


def _check_page(opener: Any, site: Path, page: str, rows: int) -> dict[str, Any]:
    html = site / page
    figures = _figures(html)
    forest = next(k for k in figures if k.startswith(FOREST))
    assert len(figures[forest]["layout"]["yaxis"]["ticktext"]) == rows
    tab = opener(html)
    _assert_reads_well(tab, forest, figures[forest], page)
    _assert_reads_well(tab, CALIBRATION, figures[CALIBRATION], page)
    _assert_prints(tab, page)
    assert tab.off_disk() == [], f"{page}: fetched from off the disk"
    assert tab.errors == [], f"{page}: {tab.errors}"
    return figures


def test_three_programs(opener: Any, three: Path) -> None:
    figures = _check_page(opener, three, "programs/index.html", 3)
    # the calibration plot draws its points' intervals at this size
    assert all("error_y" in t for t in figures[CALIBRATION]["data"][1:])


@pytest.mark.large  # a 200-program build: make bench runs it, make test does not
def test_two_hundred_programs_on_the_portfolio_and_a_group_page(opener: Any, many: Path) -> None:
    figures = _check_page(opener, many, "programs/index.html", 200)
    assert '<div class="pb-tall">' in (many / "programs" / "index.html").read_text("utf-8")
    assert sum(len(t["x"]) for t in figures[CALIBRATION]["data"][1:]) > 1000
    _check_page(opener, many, "programs/group.01.html", 20)
