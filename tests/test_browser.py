"""The built example site in headless Chromium: charts draw, nothing leaves the machine.

The example playbook, built once per run (``PLAYBOOK_TODAY=2026-11-22``) and served
from a thread on 127.0.0.1 (``example_site`` in ``conftest.py``), is opened in Debian's
Chromium (``/usr/bin/chromium``) through Playwright; Playwright's own browser download
is never used. Every page visited must draw each chart with the right number of
traces, log no console or page error, fetch nothing that failed or came from another
host; with ``SCREENSHOTS=1`` each also leaves a full-page screenshot in
``tests/artifacts/`` for a person to look at (off by default: one took up to 3 s and
checked nothing). An axe-core scan of the main pages
allows no serious or critical violation, nor a repeated landmark. Each
program's print packet, printed to PDF, must hold every chart's last date label
and legend (read with ``pdftotext`` from poppler-utils; ``make browser-deps``
installs it).

Needs ``node_modules/axe-core`` (``npm ci``; ``make test`` runs it) and
``/usr/bin/chromium`` (``make browser-deps``).
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import forget
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
)
from playwright.sync_api import Error as PlaywrightError
from sites import Site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PROGRAMS = ["decision-velocity", "approval-velocity"]
TIMEOUT_MS = 20_000

TRACES = ".cartesianlayer .scatterlayer > g.trace, .cartesianlayer .barlayer > g.trace"
"""One ``g.trace`` group per drawn trace (lines and markers live in scatterlayer, bars in
barlayer); the legend's entries are ``g.traces`` and are not counted."""

CHART_STATE = """(selector) => Array.from(document.querySelectorAll('.pb-chart__plot'), el => ({
    id: el.getAttribute('data-figure'),
    rendered: el.getAttribute('data-rendered'),
    expected: Number(el.getAttribute('data-traces')),
    svgs: el.querySelectorAll('svg.main-svg').length,
    traces: el.querySelectorAll(selector).length,
}))"""

AXE_RUN = """async ([allowed, alsoFail]) => {
    // only violations are read: axe then keeps no node list for the passes (a quarter of its time)
    const result = await axe.run(document, {resultTypes: ['violations']});
    const out = [];
    for (const v of result.violations) {
        if (v.impact !== 'serious' && v.impact !== 'critical' && !alsoFail.includes(v.id)) continue;
        const nodes = v.nodes.filter(n => {
            const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
            return !allowed.some(([rule, sel]) => rule === v.id && el && el.matches(sel));
        });
        if (nodes.length) out.push({id: v.id, impact: v.impact, help: v.help,
            nodes: nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                    summary: n.failureSummary}))});
    }
    return out;
}"""

AXE_ALLOWED = [
    # Material's search overlay <div class="md-search" role="dialog"> has no accessible
    # name. It is the theme's own partial (partials/search.html); fixing it would mean
    # overriding Material's template, which we do not customise.
    ("aria-dialog-name", ".md-search"),
]
"""(axe rule, CSS selector) pairs excused from the scan, each with its reason above."""
AXE_ALSO_FAIL = [
    # moderate, but a screen reader's landmark list then offers two regions it cannot
    # tell apart (Material's icon-only section labels; playbook-charts.js names them)
    "landmark-unique",
]
"""axe rules below serious that fail the scan all the same."""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def site(example_site: Site) -> Site:
    """The example built once per run (conftest.py) with the URL it is served at as its
    ``site_url``, so that Material's instant navigation takes the links."""
    return example_site


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` in {ROOT} "
                    "(make test does this) to install axe-core from package-lock.json")
    return AXE


@dataclass
class Tab:
    """One page in a fresh browser context, with everything it did recorded."""

    page: Page
    site: Site
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.site.url + path

    def goto(self, path: str) -> None:
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"

    def expected_charts(self, path: str) -> int:
        """How many charts the built HTML of ``path`` holds."""
        html = (self.site.root / path / "index.html").read_text(encoding="utf-8")
        return html.count('class="pb-chart__plot"')

    def expected_title(self, path: str) -> str:
        """The ``<title>`` the built HTML of ``path`` carries."""
        text = (self.site.root / path / "index.html").read_text(encoding="utf-8")
        match = re.search(r"<title>(.*?)</title>", text, re.S)
        assert match, f"no <title> in {path}"
        return html.unescape(match.group(1).strip())

    def assert_charts(self, path: str) -> int:
        """Every chart of ``path`` is drawn with one trace group per figure trace."""
        want = self.expected_charts(path)
        with contextlib.suppress(PlaywrightError):  # on timeout, report the state below
            self.page.wait_for_function(
                """([selector, want]) => {
                    const plots = document.querySelectorAll('.pb-chart__plot');
                    return plots.length === want && Array.from(plots).every(el =>
                        el.getAttribute('data-rendered') === 'true'
                        && el.querySelector('svg.main-svg')
                        && el.querySelectorAll(selector).length
                           === Number(el.getAttribute('data-traces')));
                }""", arg=[TRACES, want], timeout=TIMEOUT_MS)
        state = self.page.evaluate(CHART_STATE, TRACES)
        assert len(state) == want, f"{path}: {len(state)} charts on the page, built {want}"
        broken = [c for c in state if c["rendered"] != "true" or c["svgs"] < 1
                  or c["traces"] != c["expected"] or c["expected"] < 1]
        assert not broken, f"{path}: charts not drawn as built: {broken}"
        return want

    def screenshot(self, name: str) -> None:
        """A full-page screenshot in ``tests/artifacts/``, when ``SCREENSHOTS=1``."""
        if os.environ.get("SCREENSHOTS") != "1":
            return
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        """No console error, no page error, no failed or off-host request."""
        port = urlsplit(self.site.url).port
        foreign = [u for u in self.requests
                   if not (u.startswith(("data:", "blob:"))
                           or (urlsplit(u).hostname == "127.0.0.1" and urlsplit(u).port == port))]
        assert not foreign, f"requests left 127.0.0.1: {foreign}"
        assert not self.bad_responses, f"failed requests: {self.bad_responses}"
        assert not self.page_errors, f"page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@pytest.fixture(scope="module")
def warm_page(warm_context: BrowserContext) -> Iterator[Page]:
    """One page of the worker's context that each test of the module navigates anew.

    A new page per test started a renderer that read plotly's compiled code back from
    the cache (about 0.6 CPU-seconds a test); a renderer kept from page to page keeps it.
    """
    page = warm_context.new_page()
    try:
        yield page
    finally:
        forget(warm_context, page)


@pytest.fixture
def tab(warm_context: BrowserContext, warm_page: Page, site: Site) -> Iterator[Tab]:
    """The module's light-scheme page, recording this test's errors and requests, in the
    worker's one browser context (``warm_context``: what a test stored is gone after it,
    and the page is back to screen media)."""
    context, page = warm_context, warm_page
    tab = Tab(page, site)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(error: PlaywrightError) -> None:
        tab.page_errors.append(str(error))

    def on_request(request: Request) -> None:
        tab.requests.append(request.url)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            tab.bad_responses.append(f"{response.status} {response.url}")

    def on_failed(request: Request) -> None:
        tab.bad_responses.append(f"{request.failure} {request.url}")

    listeners = {"request": on_request, "response": on_response, "requestfailed": on_failed}
    for event, listener in listeners.items():
        context.on(event, listener)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield tab
    finally:
        for event, listener in listeners.items():
            context.remove_listener(event, listener)
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
        page.emulate_media(media="null")
        forget(context, page, close=False)


# --------------------------------------------------------------------------- tests


def _instant_click(tab: Tab, scope: str, href: str, path: str) -> None:
    """Click the ``scope`` link to ``href`` and wait for Material to show ``path``, no reload."""
    # Material rewrites link targets to absolute URLs once instant navigation is on.
    link = tab.page.locator(f'{scope} a[href="{href}"], {scope} a[href="{tab.url(path)}"]')
    tab.page.evaluate("() => { window.__marker = 1; }")
    link.first.click()
    # navigation.tracking may append the heading in view as a #fragment.
    tab.page.wait_for_url(lambda url: url.split("#")[0] == tab.url(path))
    tab.page.wait_for_function("(t) => document.title === t", arg=tab.expected_title(path))
    assert tab.page.evaluate("() => window.__marker") == 1, (
        f"following {href} reloaded the page: instant navigation did not handle it")
    tab.assert_charts(path)


def test_instant_navigation(tab: Tab) -> None:
    """Home → portfolio (sidebar) → overview → measurement (in-page links) for each program,
    the next program's trip starting from the last measurement page's sidebar; no reload.

    One trip serves every program: the home page's load is the only full load.
    """
    tab.goto("")
    tab.page.wait_for_function("() => typeof window.document$ !== 'undefined'")
    tab.screenshot("home")
    for program in PROGRAMS:
        _instant_click(tab, "nav.md-nav--primary", "programs/", "programs/")
        tab.screenshot("portfolio-instant")
        _instant_click(tab, "article", f"{program}/", f"programs/{program}/")
        tab.screenshot(f"{program}-overview-instant")
        _instant_click(tab, "article", "measurement/", f"programs/{program}/measurement/")
        tab.screenshot(f"{program}-measurement-instant")
    tab.assert_clean()


def _slug(path: str) -> str:
    """``programs/`` → ``portfolio``; ``programs/x/budget/`` → ``x-budget``."""
    return path.removeprefix("programs/").strip("/").replace("/", "-") or "portfolio"


AXE_PAGES = ["programs/"] + [f"programs/{program}/{page}" for program in PROGRAMS
                             for page in ("", "roadmap/", "vendors/", "budget/")]
"""The pages scanned by :func:`test_direct_load_and_axe`; each measurement page and the first
program's print packet are scanned by the tests that load them for their other checks."""


def _direct_load_and_axe(tab: Tab, axe_script: Path, path: str) -> int:
    """Loaded directly, ``path`` shows its title and draws every chart (a measurement page
    at least three); then axe-core finds no serious or critical violation. Returns the
    number of charts."""
    tab.goto(path)
    assert tab.page.title() == tab.expected_title(path)
    charts = tab.assert_charts(path)
    if path.endswith("/measurement/"):
        assert charts >= 3, f"{path}: only {charts} charts"
    # Plotly (4.8 MB) is fetched by the pages that draw a chart, and by no other
    plotly = [u for u in tab.requests if u.endswith("/assets/playbook/plotly.min.js")]
    assert len(plotly) == (1 if charts else 0), (path, charts, plotly)
    tab.page.add_script_tag(path=str(axe_script))
    violations: list[dict[str, Any]] = tab.page.evaluate(AXE_RUN, [AXE_ALLOWED, AXE_ALSO_FAIL])
    tab.screenshot(f"{_slug(path)}-direct")
    report = "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']}\n" + "\n".join(
            f"    {n['target']}: {n['html']}\n      {n['summary']}".replace("\n", "\n      ")
            for n in v["nodes"])
        for v in violations)
    assert not violations, f"axe violations on {path}:\n{report}"
    return charts


@pytest.mark.parametrize("path", AXE_PAGES, ids=_slug)
def test_direct_load_and_axe(tab: Tab, axe_script: Path, path: str) -> None:
    """Loaded directly, each page shows its title and draws every chart; then axe-core
    finds no serious or critical violation.

    One load per page serves both checks: loading a page and drawing its charts is most
    of a browser test's time.
    """
    _direct_load_and_axe(tab, axe_script, path)
    tab.assert_clean()


@pytest.mark.parametrize("program", PROGRAMS)
def test_measurement_direct_axe_then_dark_mode(tab: Tab, axe_script: Path, program: str) -> None:
    """Loaded directly, the measurement page draws at least three charts and axe-core finds
    no serious or critical violation in the light scheme; then the palette toggle switches
    to slate and every chart is redrawn in light ink.

    One load serves the scan and the dark mode: a measurement page costs a browser about
    3 CPU-seconds to load and draw.
    """
    path = f"programs/{program}/measurement/"
    _direct_load_and_axe(tab, axe_script, path)
    tab.page.locator("form[data-md-component=palette] label:visible").first.click()
    tab.page.wait_for_function(
        "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    # The site script redraws on the scheme change with its dark-mode ink, #e2e4e9.
    tab.page.wait_for_function("""() => Array.from(document.querySelectorAll('.pb-chart__plot'))
        .every(el => { const t = el.querySelector('svg.main-svg text.gtitle');
                       return t && getComputedStyle(t).fill === 'rgb(226, 228, 233)'; })""")
    tab.assert_charts(path)
    tab.screenshot(f"{program}-measurement-dark")
    tab.assert_clean()


PRINTED_LABELS = """() => Array.from(document.querySelectorAll('.pb-chart__plot'), el => ({
    id: el.getAttribute('data-figure'),
    width: el.querySelector('svg.main-svg').getAttribute('width'),
    date: (el._fullLayout && el._fullLayout.xaxis.type) === 'date',
    ticks: Array.from(el.querySelectorAll('.xaxislayer-above .xtick text'), t => t.textContent),
    legend: Array.from(el.querySelectorAll('.legend .legendtext'), t => t.textContent),
    notes: Array.from(el.querySelectorAll('.annotation-text'), t => t.textContent),
}))"""


@pytest.mark.parametrize("program", PROGRAMS)
def test_print_packet_to_pdf(tab: Tab, axe_script: Path, program: str) -> None:
    """Printed from Chromium, the packet keeps each chart whole: last date, legend, day 365.

    The first program's packet is also the scan's print page: loaded directly, it draws
    every chart and axe-core finds no serious or critical violation on screen before it is
    printed (one load serves both: the packet is the longest page to load and draw).
    """
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: install poppler-utils (make browser-deps)")
    path = f"programs/{program}/print/"
    if program == PROGRAMS[0]:
        _direct_load_and_axe(tab, axe_script, path)
    else:
        tab.goto(path)
        tab.assert_charts(path)
    # what Chromium does when printing, page.pdf() included: print media, then beforeprint
    # (the chart script re-lays every chart at paper width), and afterprint once printed.
    # Done by hand first to read the labels the printed charts carry.
    tab.page.emulate_media(media="print")
    tab.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    charts = tab.page.evaluate(PRINTED_LABELS)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"{program}-packet.pdf"
    tab.page.pdf(path=str(pdf), format="A4")
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Print the whole program" in text  # the overview opens the packet
    dated = [c for c in charts if c["date"]]
    assert len(dated) >= 3 and all(c["width"] == "680" for c in charts), charts
    for chart in dated:
        assert chart["ticks"][-1] in text, f"{chart['id']}: last date label cut off"
        for note in chart["notes"]:
            assert note in text, f"{chart['id']}: marker {note!r} cut off"
        if chart["legend"]:
            # one legend, its entries side by side on one printed line
            entries = r"\s+".join(re.escape(e) for e in chart["legend"])
            assert re.search(entries, text), f"{chart['id']}: legend lost: {chart['legend']}"
    assert any("day 365" in c["notes"] for c in dated)
    tab.assert_clean()
