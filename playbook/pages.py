"""Site data → Markdown pages, one set per program plus portfolio pages.

The last engine step (files → model → figures → site data → **pages**). Pages
are rendered here, in Python, from escaped values, and marked
``render_macros: false`` so no YAML value is ever evaluated as a template.
``playbook pages --out DIR`` writes the same pages without MkDocs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playbook import pages_measure, pages_money, pages_overview, pages_program, pages_roadmap
from playbook.mdtext import html_text
from playbook.site import ProgramView, SiteData

PROGRAMS_DIR = "programs"

SECTIONS: list[tuple[str, str, Callable[[ProgramView, SiteData], str]]] = [
    ("index.md", "Overview", pages_overview.overview),
    ("strategy.md", "Strategy and logic chain", pages_program.strategy),
    ("competencies.md", "Competency matrix", pages_program.competencies),
    ("roadmap.md", "Roadmap", pages_roadmap.roadmap),
    ("people.md", "Stakeholders and RACI", pages_program.people),
    ("vendors.md", "Vendors", pages_money.vendors),
    ("measurement.md", "Measurement", pages_measure.measurement),
    ("budget.md", "Budget and ROI", pages_money.budget),
    ("reviews.md", "Reviews", pages_program.reviews),
]
"""File name, nav title and renderer of each program page, in nav order."""


@dataclass(frozen=True)
class Page:
    """One generated Markdown page, relative to ``docs/``."""

    path: str
    title: str
    markdown: str


WIDE = {"strategy.md", "roadmap.md"}
"""Pages that hide the table of contents to give diagrams the full width."""


_NOT_YAML_TEXT = re.compile(
    "[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]")
"""Characters a YAML reader rejects or reads as a line break (NEL, LS, PS, BOM)."""


def yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML scalar that always parses back to ``value``.

    A JSON string is a YAML scalar; characters YAML does not accept raw (C0 and C1
    controls, line breaks, a byte-order mark) are written as escapes, so no value
    can make front matter unparseable (MkDocs would drop it silently).
    """
    quoted = json.dumps(value, ensure_ascii=False)

    def escape(m: re.Match[str]) -> str:
        c = ord(m.group(0))
        return f"\\u{c:04x}" if c <= 0xFFFF else f"\\U{c:08x}"

    return _NOT_YAML_TEXT.sub(escape, quoted)


def _front(title: str, *, wide: bool = False) -> str:
    # themes print the meta title unescaped (in <title> too): escape it as HTML here
    shown = yaml_string(html_text(title))
    hide = "hide:\n  - toc\n" if wide else ""
    return f"---\ntitle: {shown}\nrender_macros: false\n{hide}---\n\n"


def generate(site: SiteData) -> list[Page]:
    """Render every page of the site, portfolio first, in nav order."""
    pages = [Page(f"{PROGRAMS_DIR}/index.md", "Portfolio",
                  _front("Portfolio") + pages_overview.portfolio(site))]
    for view in site.programs:
        assert view.bundle.program is not None
        program = view.bundle.program.title
        for name, title, render in SECTIONS:
            full = program if name == "index.md" else f"{title} · {program}"
            pages.append(Page(f"{PROGRAMS_DIR}/{view.id}/{name}", title,
                              _front(full, wide=name in WIDE) + render(view, site)))
    return pages


def nav(site: SiteData) -> list[dict[str, object]]:
    """The MkDocs nav entries for the generated pages."""
    entries: list[dict[str, object]] = [{"Portfolio": f"{PROGRAMS_DIR}/index.md"}]
    for view in site.programs:
        assert view.bundle.program is not None
        # MkDocs treats nav titles as HTML (themes print them unescaped): escape here
        entries.append({html_text(view.bundle.program.title): [
            {title: f"{PROGRAMS_DIR}/{view.id}/{name}"} for name, title, _ in SECTIONS]})
    return entries


def write(pages: list[Page], out: Path) -> list[Path]:
    """Write pages under ``out`` (``playbook pages --out``); return the paths."""
    written = []
    for page in pages:
        path = out / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
        written.append(path)
    return written


NAV_MARKER = "programs/"
"""The nav entry in ``mkdocs.yml`` that the generated program pages replace."""


def splice_nav(user_nav: list[object] | None, generated: list[dict[str, object]]) -> (
        list[object] | None):
    """Replace the ``programs/`` entry of the user's nav with the generated entries.

    Without a nav MkDocs lists every page itself; a nav without the marker gets
    the program pages appended under "Programs".
    """
    if user_nav is None:
        return None
    out: list[object] = []
    spliced = False
    for item in user_nav:
        if isinstance(item, dict) and len(item) == 1 and next(iter(item.values())) == NAV_MARKER:
            out.append({next(iter(item)): generated})
            spliced = True
        else:
            out.append(item)
    if not spliced:
        out.append({"Programs": generated})
    return out
