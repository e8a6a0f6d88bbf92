"""What a built site holds beyond its pages: the search index, the print packet, the
offline copy. The tests read the mini playbook built with the project's hooks, online
and offline, once per run (``conftest.py``), in the files MkDocs and Material wrote."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_site import _EXTERNAL

from playbook.pages.assets import IFRAME_WORKER
from playbook.pages.sections import SECTIONS

pytestmark = pytest.mark.site


@pytest.fixture
def mini_site(mini_online: Path) -> Path:
    """The mini playbook built once per run (conftest.py), online."""
    return mini_online


def _index(site: Path) -> list[dict[str, Any]]:
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs: list[dict[str, Any]] = data["docs"]
    return docs


def test_chart_numbers_stay_out_of_the_search_index(mini_site: Path) -> None:
    html = (mini_site / "programs" / "mini" / "measurement" / "index.html").read_text("utf-8")
    assert html.count('<details class="pb-numbers" data-search-exclude>') >= 2
    tables = re.findall(r'<details class="pb-numbers".*?</details>', html, re.S)
    rows = [re.findall(r"<t[dh]>(.*?)</t[dh]>", row) for t in tables
            for row in re.findall(r"<tr>(.*?)</tr>", t)]
    assert len(rows) > len(tables), "the numbers tables list their points"
    docs = [d for d in _index(mini_site) if d["location"].startswith("programs/mini/measurement/")]
    text = "\n".join(d["title"] + " " + d["text"] for d in docs)
    assert "Numbers behind the chart" not in text
    # the index runs a table's cells together: "2026-02-01Pilot group38.9" before the fix
    assert [r for r in rows if "".join(r[:2]) in text] == []
    # headings and prose stay: the KPI dashboard and each chart's one-sentence summary
    assert "KPI dashboard" in [d["title"] for d in docs]
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert captions and all(c.split(";")[0] in text for c in captions)


def test_the_print_packet_holds_every_section_and_is_not_searched(mini_site: Path) -> None:
    packet = (mini_site / "programs" / "mini" / "print" / "index.html").read_text("utf-8")
    titles = re.findall(r"<h1[^>]*>(.*?)</h1>", packet, re.S)
    assert len(titles) == len(SECTIONS)
    assert packet.count('class="pb-packet-section"') == len(SECTIONS) - 1
    assert not [d for d in _index(mini_site) if d["location"].startswith("programs/mini/print")]
    overview = (mini_site / "programs" / "mini" / "index.html").read_text("utf-8")
    assert '<a href="print/">Print the whole program as one packet</a>' in overview


def test_offline_copy_loads_nothing_from_the_network(mini_offline: Path) -> None:
    """The offline plugin's contract: .html links, the index as a script, no CDN."""
    site = mini_offline
    pages = sorted(site.rglob("*.html"))
    assert (site / "programs" / "mini" / "measurement.html").is_file()
    offenders = [f"{p.relative_to(site)}: {m.group(0)}" for p in pages
                 for m in _EXTERNAL.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []
    overview = (site / "programs" / "mini" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../../assets/playbook/iframe-worker-shim.js"></script>' in overview
    assert (site / IFRAME_WORKER).is_file()
    assert 'href="measurement.html"' in overview
    # search from file://: the worker reads the index from this script, not by fetch
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    assert json.loads(script.removeprefix("var __index = "))["docs"] == _index(site)
    # instant navigation cannot work from disk and would stop the charts from drawing
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                       overview, re.S)
    assert config and "navigation.instant" not in json.loads(config.group(1))["features"]
    # its links start at the server's root, and no browser shows it from disk
    assert not (site / "404.html").exists()


def test_the_online_build_keeps_instant_navigation(mini_site: Path) -> None:
    overview = (mini_site / "programs" / "mini" / "index.html").read_text(encoding="utf-8")
    assert "iframe-worker" not in overview
    assert not (mini_site / "search" / "search_index.js").exists()
    assert (mini_site / "404.html").is_file()
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                       overview, re.S)
    assert config and "navigation.instant" in json.loads(config.group(1))["features"]


@pytest.mark.browser
def test_offline_copy_draws_charts_and_searches_from_disk(mini_offline: Path,
                                                          browser: Any) -> None:
    """Opened from file:// in Chromium: every chart draws, search answers, no request
    leaves the disk (instant navigation would have stopped the charts)."""
    site = mini_offline
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((site / "programs" / "mini" / "measurement.html").as_uri())
        page.wait_for_function("""() => {
            const plots = document.querySelectorAll('.pb-chart__plot');
            return plots.length > 0 && Array.from(plots).every(
                el => el.getAttribute('data-rendered') === 'true');
        }""", timeout=20_000)
        page.click("input.md-search__input")
        page.keyboard.type("board", delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
    finally:
        context.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
