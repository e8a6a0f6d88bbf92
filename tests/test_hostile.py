"""The hostile-input corpus, built strictly and loaded in Chromium: nothing runs.

Every payload class (template syntax, HTML and SVG handlers, Markdown links and
images with ``javascript:``/``data:``/off-host URLs, code-span breakouts, Plotly
markup, Markdown block syntax) goes into every text field of a program, a data
file's name and folder, a CSV column name and AI-outcome group labels
(:mod:`hostile`). The site must build with ``--strict``, execute nothing, fetch
nothing off the machine and show every payload as the text it is. Control and
bidirectional characters are refused or flagged in every text field.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hostile import EVIL, HOSTILE, PAYLOADS, make_hostile_playbook, replace, text_fields
from sites import mkdocs_build
from test_site import MINI_CONFIG, REPO

from playbook.engine import load_playbook

TODAY = "2026-11-22"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """(playbook root, built site, fields attacked), built with ``--strict``."""
    base = tmp_path_factory.mktemp("hostile")
    root = base / "pb"
    fields = make_hostile_playbook(root)
    (root / "hooks").mkdir()
    for hook in ("playbook_hooks.py",):
        (root / "hooks" / hook).write_bytes((REPO / "hooks" / hook).read_bytes())
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    site = base / "site"
    # cwd is the playbook: a template that ran `touch PWNED` would leave the file there
    result = mkdocs_build(root, site, today=TODAY, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return root, site, len(fields)


URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "xlink:href",
                            "poster", "data", "background", "ping", "style"})
"""Attributes that load or link something; a payload in ``title`` or ``alt`` is only text."""


class _Markup(HTMLParser):
    """Collects the elements and attributes a payload could have created."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._tag = ""
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and (v.startswith(("javascript:", "data:")) or EVIL in v):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        if tag in ("svg", "circle") and any(n == "r" and v == "9" for n, v in attrs):
            self.found.append(f"<{tag}> from a payload")

    def handle_data(self, data: str) -> None:
        if self._tag == "script" and "xss" in data:
            self.found.append("inline script from a payload")
        self.texts.append(data)


def _scan(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    return parser


def test_the_corpus_reaches_every_kind_of_field(tmp_path: Path) -> None:
    fields = len(make_hostile_playbook(tmp_path / "pb"))  # what hostile_site builds
    assert fields >= 50  # titles, names, texts, notes, units, labels in all eight files


@pytest.mark.site
def test_no_template_ran_and_no_markup_was_made(hostile_site: tuple[Path, Path, int]) -> None:
    root, site, _ = hostile_site
    assert not (root / "PWNED").exists()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        scan = _scan(page.read_text(encoding="utf-8"))
        assert scan.found == [], f"{page.relative_to(site)}: {scan.found}"
    overview = _scan((site / "programs" / "mini" / "index.html").read_text(encoding="utf-8"))
    shown = " ".join(" ".join(overview.texts).split())
    # shown literally: the payloads read as typed, so no part of them became markup
    for name, payload in PAYLOADS.items():
        assert " ".join(payload.split()) in shown, name
    assert "J1NJA{% endif %}" in shown


@pytest.mark.site
def test_the_search_index_holds_text_not_markup(hostile_site: tuple[Path, Path, int]) -> None:
    _, site, _ = hostile_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        scan = _scan(doc["text"])
        assert scan.found == [], f"{doc['location']}: {scan.found}"


@pytest.mark.parametrize(("char", "severity", "name"), [
    ("\\u009b", "error", "U+009B"), ("\\u0000", "error", "U+0000"),
    ("\\u001b", "error", "U+001B"), ("\\u202e", "finding", "U+202E"),
])
def test_control_and_bidi_characters_in_every_text_field(
        tmp_path: Path, char: str, severity: str, name: str) -> None:
    """Every text field reports the character at its own line and column.

    One load per file, with the character in each of its fields, serves all of them (a
    load per field cost 3.5 s a character): each problem is located at its field's first
    character, so none stands in for another's. Files go one at a time: an error in
    ``program.yml`` stops its program's other files from loading."""
    import itertools
    import shutil

    from hostile import MINI

    root = tmp_path / "pb"
    shutil.copytree(MINI, root)
    for file, group in itertools.groupby(text_fields(root), key=lambda s: s.file):
        fields = list(group)
        original = file.read_bytes()
        grown: dict[int, int] = {}  # a field's start → characters its edit added
        for scalar in fields:  # last first: the offsets of those still to edit stay valid
            before = len(file.read_text(encoding="utf-8"))
            # json.dumps would escape the backslash: write the YAML escape itself
            replace(scalar, scalar.value + " CHAR")
            text = file.read_text(encoding="utf-8")
            at = text.index(" CHAR\"", scalar.start)
            text = text[:at] + " " + char + text[at + len(" CHAR"):]
            file.write_text(text, encoding="utf-8")
            grown[scalar.start] = len(text) - before
        problems = [p for p in load_playbook(root)[1] if p.severity == severity]
        text = file.read_text(encoding="utf-8")
        file.write_bytes(original)
        where = file.relative_to(root).as_posix()
        for scalar in fields:  # where each field starts once the earlier ones grew
            start = scalar.start + sum(n for at, n in grown.items() if at < scalar.start)
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            assert any(p.path == where and (p.line, p.column) == (line, column)
                       and name in p.message for p in problems), (
                where, line, column, scalar.value, [str(p) for p in problems])


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def served(hostile_site: tuple[Path, Path, int]) -> Iterator[str]:
    _, site, _ = hostile_site
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


DOM_MARKUP = """() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            const v = a.value.trim().toLowerCase();
            if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
            if (URLS.includes(a.name) && (v.startsWith('javascript:') || v.startsWith('data:')
                || v.includes('EVIL'))) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
        }
    }
    for (const img of document.querySelectorAll('img[src="x"]')) bad.push('img src=x');
    return bad;
}""".replace("EVIL", EVIL).replace("URLS", json.dumps(sorted(URL_ATTRIBUTES)))

CHART_TEXT = """() => Array.from(document.querySelectorAll('.pb-chart svg text'),
    t => t.textContent).join(' ')"""


@pytest.mark.browser
def test_chromium_runs_nothing_and_fetches_nothing_off_host(
        hostile_site: tuple[Path, Path, int], served: str, browser: Any) -> None:
    _, site, _ = hostile_site
    paths = sorted(p.parent.relative_to(site).as_posix() + "/"
                   for p in site.rglob("index.html"))
    dialogs: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    port = urlsplit(served).port
    context = browser.new_context(service_workers="block")
    try:
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        chart_text = ""
        for path in paths:
            page.goto(served + ("" if path == "./" else path), wait_until="load")
            page.wait_for_function("""() => Array.from(document.querySelectorAll(
                '.pb-chart__plot')).every(el => el.getAttribute('data-rendered') === 'true')""",
                timeout=20_000)
            page.mouse.move(400, 300)  # hover handlers, had any been made, would fire
            bad = page.evaluate(DOM_MARKUP)
            assert bad == [], f"{path}: {bad}"
            chart_text += page.evaluate(CHART_TEXT)
    finally:
        context.close()
    foreign = [u for u in requests if not (u.startswith(("data:", "blob:")) or
               (urlsplit(u).hostname == "127.0.0.1" and urlsplit(u).port == port))]
    assert dialogs == []
    assert foreign == []
    assert errors == []
    # Plotly drew the markup as text: the tag itself is visible in the chart
    assert re.search(r"<span style=\"fill:url\(http://" + re.escape(EVIL), chart_text), \
        chart_text[:500]
    assert HOSTILE  # the corpus is not empty


@pytest.mark.parametrize(("where", "char", "severity"), [
    ("label", "\u009b", "error"), ("label", "\u202e", "finding"),
    ("column", "\u0007", "error"), ("column", "\u2066", "finding"),
    ("path", "\\u001b", "error"),
])
def test_control_and_bidi_characters_in_data_files_and_paths(
        tmp_path: Path, where: str, char: str, severity: str) -> None:
    import shutil

    from hostile import MINI

    root = tmp_path / "pb"
    shutil.copytree(MINI, root)
    data = root / "data" / "mini"
    if where == "label":
        f = data / "recommendations.csv"
        f.write_text(f.read_text(encoding="utf-8").replace("women,", f"wo{char}men,"),
                     encoding="utf-8")
        shown = "data/mini/recommendations.csv"
    elif where == "column":
        f = data / "board_use.csv"
        f.write_text(f.read_text(encoding="utf-8").replace("month,pct", f"month,p{char}ct"),
                     encoding="utf-8")
        kpis = root / "program" / "mini" / "kpis.yml"
        kpis.write_text(kpis.read_text(encoding="utf-8").replace(
            "value: pct}", "value: " + json.dumps(f"p{char}ct") + "}"), encoding="utf-8")
        shown = "data/mini/board_use.csv"
    else:
        kpis = root / "program" / "mini" / "kpis.yml"
        kpis.write_text(kpis.read_text(encoding="utf-8").replace(
            "file: data/mini/start_time.csv", f'file: "data/mini/start{char}_time.csv"'),
            encoding="utf-8")
        shown = "program/mini/kpis.yml"
    problems = load_playbook(root)[1]
    mine = [p for p in problems if p.path == shown and p.severity == severity]
    assert mine, [str(p) for p in problems]
    point = int(char[2:], 16) if char.startswith("\\u") else ord(char)
    code = f"U+{point:04X}"
    assert any(code in p.message for p in mine), [str(p) for p in mine]
