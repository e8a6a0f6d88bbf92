"""The pull request's preview, opened from disk as a reviewer opens the artifact.

The preview is the offline build (``make offline``: ``OFFLINE=true mkdocs build
--strict``), which the pull-request workflow uploads as ``site-offline/``. Here
it is built from a copy of the example playbook with a change that voids every
sign-off of one program, as a pull request under review does: the build
succeeds all the same and that program's page lists each pending sign-off.
Then Debian's Chromium opens ``index.html`` through ``file://``, with no server:
the "Programs" entry leads to the programs' page (not a folder listing), every
program is reached by its link, search answers from the inlined index, every
chart on every page draws all its traces, and nothing is fetched from off the disk.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sites import REPO, mkdocs_build

pytestmark = pytest.mark.browser

CHANGED = "decision-velocity"
PROGRAMS = ["approval-velocity", "decision-velocity"]
TIMEOUT_MS = 20_000
TRACES = ".cartesianlayer .scatterlayer > g.trace, .cartesianlayer .barlayer > g.trace"
CHARTS = """(selector) => Array.from(document.querySelectorAll('.pb-chart__plot'), el => ({
    id: el.getAttribute('data-figure'),
    rendered: el.getAttribute('data-rendered'),
    expected: Number(el.getAttribute('data-traces')),
    traces: el.querySelectorAll(selector).length,
}))"""
ALL_DRAWN = """() => Array.from(document.querySelectorAll('.pb-chart__plot'))
    .every(el => el.getAttribute('data-rendered') === 'true')"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline build of the example with one program's sign-offs made stale."""
    root = tmp_path_factory.mktemp("preview") / "pb"
    root.mkdir()
    for name in ("docs", "hooks", "program", "data"):
        shutil.copytree(REPO / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "playbook.yml", "allowed_signers"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, root / name)
    reviews = root / "program" / CHANGED / "reviews.yml"
    text = reviews.read_text(encoding="utf-8")
    assert text.count("Rubric use reached 54%") == 1
    reviews.write_text(text.replace("Rubric use reached 54%", "Rubric use reached 54.5%"),
                       encoding="utf-8")
    site = root.parent / "site-offline"
    result = mkdocs_build(root, site, env={"OFFLINE": "true"})
    assert result.returncode == 0, result.stderr  # pending sign-offs never stop a preview
    return site


@pytest.fixture(scope="module")
def opened(browser: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """One page of one context for the module's tests, with every request and page error.

    Chromium keeps no code cache for ``file://`` pages, but a renderer keeps the code it
    compiled for its next page: a context per test compiled the 4.8 MB plotly.min.js
    again in each (2.5 CPU-seconds).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        yield tab, requests, errors
    finally:
        context.close()


@pytest.fixture
def page(opened: tuple[Any, list[str], list[str]]) -> tuple[Any, list[str], list[str]]:
    """The module's page, with the requests and page errors of this test only."""
    for record in opened[1:]:
        record.clear()
    return opened


def _off_disk(requests: list[str]) -> list[str]:
    return [u for u in requests if not u.startswith(("file:", "data:", "blob:"))]


def test_navigation_reaches_every_program_and_its_pending_sign_offs(
        preview: Path, page: tuple[Any, list[str], list[str]]) -> None:
    tab, requests, errors = page
    tab.goto((preview / "index.html").as_uri())
    tab.get_by_role("navigation").get_by_role("link", name="Programs", exact=True).first.click()
    tab.wait_for_load_state()
    assert tab.url == (preview / "programs" / "index.html").as_uri()
    assert "Index of" not in tab.content()
    for program in PROGRAMS:
        tab.goto((preview / "programs" / "index.html").as_uri())
        tab.locator(f"article a[href$='{program}/index.html']").first.click()
        tab.wait_for_load_state()
        assert tab.url == (preview / "programs" / program / "index.html").as_uri()
        body = tab.locator("article").inner_text()
        if program == CHANGED:
            assert "Pending: 3 item(s)" in body
            for role in ("sponsor", "business_owner", "ld_owner"):
                assert f"sign-off by {role} " in body and "is stale" in body
        else:
            assert "Pending:" not in body
    assert errors == []
    assert _off_disk(requests) == []


def test_search_answers_from_disk_and_leads_to_the_page(
        preview: Path, page: tuple[Any, list[str], list[str]]) -> None:
    tab, requests, errors = page
    tab.goto((preview / "index.html").as_uri())
    tab.click("input.md-search__input")
    tab.keyboard.type("rubric", delay=20)
    first = tab.locator(".md-search-result__item a").first
    first.wait_for()
    first.click()
    tab.wait_for_load_state()
    assert tab.url.startswith((preview / "programs").as_uri())
    assert "rubric" in tab.locator("article").inner_text().lower()
    assert errors == []
    assert _off_disk(requests) == []


def test_every_chart_on_every_page_draws_from_disk(
        preview: Path, page: tuple[Any, list[str], list[str]]) -> None:
    tab, requests, errors = page
    pages = sorted(p for p in preview.rglob("*.html")
                   if "pb-chart__plot" in p.read_text(encoding="utf-8"))
    assert len(pages) >= len(PROGRAMS)
    drawn = 0
    for html in pages:
        tab.goto(html.as_uri())
        tab.wait_for_function(ALL_DRAWN)
        charts = tab.evaluate(CHARTS, TRACES)
        assert charts, html
        wrong = [c for c in charts if c["rendered"] != "true" or c["traces"] != c["expected"]]
        assert wrong == [], f"{html.relative_to(preview)}: {wrong}"
        drawn += len(charts)
    assert drawn >= 2 * len(PROGRAMS)
    assert errors == []
    assert _off_disk(requests) == []
