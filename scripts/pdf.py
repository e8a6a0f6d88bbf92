"""Print each program's print packet to a PDF, the board pack as a file (``make pdf``).

A built site (by default the offline copy ``make offline`` writes into
``site-offline/``) is served from a thread on 127.0.0.1 and each page
``programs/<id>/print/`` is opened in Debian's headless Chromium through
Playwright, as ``tests/test_browser.py`` does; Playwright's own browser download is
never used. Once every chart has drawn, Chromium prints the page (print media, so
the chart script re-lays each chart at paper width on ``beforeprint``) into
``site-pdf/<id>.pdf``.

Playwright is a test extra (``pip install -e '.[test]'``, which ``make`` installs),
so this lives in ``scripts/`` rather than in the package, and imports it only when
it prints.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
PLAYWRIGHT_DISABLED = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled",
    "PreconnectToSearch", "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion")
"""The features Playwright (1.65) switches off in every Chromium it launches."""
UNUSED_UI = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
"""Browser interface a headless browser never shows: Chromium 156 preloads its address bar's
drop-down, two web pages of its own, in every new window (each Playwright context), and
they kept a core a quarter busy for seconds: a context cost 2.2 CPU-seconds instead of 0.6."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--no-first-run",
                 # Chromium keeps the last --disable-features alone, so this one repeats
                 # Playwright's (tests/test_chromium.py fails when Playwright adds one)
                 "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED + UNUSED_UI)]
"""Debian's Chromium as the board pack and the browser tests launch it."""
TIMEOUT_MS = 30_000

CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.pb-chart__plot')).every(el =>
    el.getAttribute('data-rendered') === 'true' && el.querySelector('svg.main-svg'))"""
"""True once every chart of the page has drawn (the chart script sets ``data-rendered``)."""


class PdfError(Exception):
    """The packet could not be printed: no site, no program, or no Chromium."""


def programs(site: Path) -> dict[str, str]:
    """Each program whose print page ``site`` holds, by id: the page's path in the site.

    A site built with directory URLs has ``programs/<id>/print/index.html``; the
    offline copy (Material's offline plugin turns them off) has ``programs/<id>/print.html``.
    """
    pages = {page.parent.parent.name: "programs/{}/print/"
             for page in site.glob("programs/*/print/index.html")}
    pages |= {page.parent.name: "programs/{}/print.html"
              for page in site.glob("programs/*/print.html")}
    if not pages:
        raise PdfError(f"{site}: no programs/<id>/print page (build the site first: "
                       "make offline)")
    return {program: pages[program].format(program) for program in sorted(pages)}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the output free of access logs."""


@contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` served on a free port of 127.0.0.1 for as long as the block runs; its URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="pdf-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def print_page(browser: Any, url: str, out: Path) -> None:
    """Open ``url``, wait for every chart to draw, and print it to ``out`` (A4)."""
    page = browser.new_page()
    try:
        response = page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        if response is None or not response.ok:
            raise PdfError(f"GET {url}: {response and response.status}")
        try:
            page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
        except Exception as error:  # playwright's TimeoutError; imported only to print
            raise PdfError(f"{url}: the charts did not all draw within "
                           f"{TIMEOUT_MS // 1000} s; nothing printed") from error
        # page.pdf() switches to print media and fires beforeprint: the charts re-lay
        # at paper width before the page is printed
        page.emulate_media(media="print")
        page.pdf(path=str(out), format="A4", print_background=True)
    finally:
        page.close()


def make_pdfs(site: Path, out: Path, only: list[str] | None = None,
              browser: Any = None) -> list[Path]:
    """Print each program's packet (or those in ``only``) of built ``site`` into ``out``
    (with ``browser``, a running Chromium: Playwright's sync API runs one at a time)."""
    ids = programs(site)
    unknown = sorted(set(only or []) - set(ids))
    if unknown:
        raise PdfError(f"{site}: no print page for {', '.join(unknown)} "
                       f"(programs: {', '.join(ids)})")
    if not CHROMIUM.is_file():
        raise PdfError(f"{CHROMIUM} is missing: install Debian's chromium (make browser-deps)")
    out.mkdir(parents=True, exist_ok=True)
    with served(site) as url:
        if browser is not None:
            return _print_all(browser, url, ids, only or list(ids), out)
        from playwright.sync_api import sync_playwright  # a test extra: only when printing

        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                return _print_all(own, url, ids, only or list(ids), out)
            finally:
                own.close()


def _print_all(browser: Any, url: str, ids: dict[str, str], wanted: list[str],
               out: Path) -> list[Path]:
    written = []
    for program in wanted:
        pdf = out / f"{program}.pdf"
        print_page(browser, url + ids[program], pdf)
        written.append(pdf)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python scripts/pdf.py [--site DIR] [--out DIR] [PROGRAM ...]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site-offline",
                        help="the built site (default: site-offline, from make offline)")
    parser.add_argument("--out", type=Path, default=ROOT / "site-pdf",
                        help="where the PDFs go (default: site-pdf)")
    parser.add_argument("program", nargs="*", help="program ids (default: every program)")
    args = parser.parse_args(argv)
    try:
        for pdf in make_pdfs(args.site, args.out, args.program or None):
            print(pdf)
    except PdfError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
