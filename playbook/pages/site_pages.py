"""Site data → Markdown pages, one set per program plus portfolio pages.

The last engine step (files → model → figures → site data → **pages**). Pages
are rendered here, in Python, from escaped values, and marked
``render_macros: false`` so no YAML value is ever evaluated as a template.
``playbook pages --out DIR`` writes the same pages without MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from playbook.figures.site import ProgramView, SiteData
from playbook.model.problems import Problems
from playbook.pages import budget as pages_budget
from playbook.pages import figures_schema, groups, reference
from playbook.pages import measure as pages_measure
from playbook.pages import money as pages_money
from playbook.pages import overview as pages_overview
from playbook.pages import portfolio as pages_portfolio
from playbook.pages import program as pages_program
from playbook.pages import roadmap as pages_roadmap
from playbook.pages.mdtext import Html, Md, cat, front_matter, html_text, join, raw_block
from playbook.pages.problems import program_problems_page
from playbook.pages.sections import PACKET
from playbook.pages.sections import SECTIONS as SECTION_LIST

PROGRAMS_DIR = "programs"

RENDERERS: Final[Mapping[str, Callable[[ProgramView, SiteData], Md]]] = MappingProxyType({
    "index.md": pages_overview.overview,
    "strategy.md": pages_program.strategy,
    "competencies.md": pages_program.competencies,
    "roadmap.md": pages_roadmap.roadmap,
    "people.md": pages_program.people,
    "vendors.md": pages_money.vendors,
    "measurement.md": pages_measure.measurement,
    "budget.md": pages_budget.budget,
    "reviews.md": pages_program.reviews,
})
"""The renderer of each program page (:data:`~playbook.pages.sections.SECTIONS` names them)."""
SECTIONS: Final = tuple((s.file, s.title, RENDERERS[s.file]) for s in SECTION_LIST)
"""File name, nav title and renderer of each program page, in nav order."""


@dataclass(frozen=True)
class Page:
    """One generated Markdown page, relative to ``docs/``."""

    path: str
    title: str
    markdown: Md


WIDE: Final = frozenset({"strategy.md", "roadmap.md"})
"""Pages that hide the table of contents to give diagrams the full width."""
PAGE_BREAK: Final = raw_block(Html('<div class="pb-packet-section" aria-hidden="true"></div>'))
"""Starts the next section of the packet on a new sheet (``playbook.css``)."""


def packet(title: str, bodies: list[Md]) -> Md:
    """Every section of one program on one page, each from a new sheet when printed.

    Searching finds each section on its own page, so the packet stays out of the
    search index; its table of contents would repeat the navigation, so it is hidden.

    Args:
        title: The program's title (plain text).
        bodies: The rendered sections, overview first, without front matter.
    """
    return cat(front_matter(f"{title} · print packet", hide_toc=True, searchable=False),
               join(bodies, cat(Md("\n"), PAGE_BREAK, Md("\n"))))


def generate(site: SiteData) -> list[Page]:
    """Render every generated page: portfolio, each program's pages, the format reference."""
    found = groups.groups(site)
    pages = [Page(f"{PROGRAMS_DIR}/index.md", "Portfolio", cat(front_matter("Portfolio"), (
        groups.index(site, found) if found else pages_portfolio.portfolio(site))))]
    for group in found:  # hundreds of programs: one portfolio page per group
        title = f"Portfolio: {group.title}"
        pages.append(Page(f"{PROGRAMS_DIR}/{group.slug}.md", title, cat(
            front_matter(title), pages_portfolio.portfolio(groups.subset(site, group), title))))
    for view in site.programs:
        assert view.bundle.program is not None
        program = view.bundle.program.title
        bodies = []
        for name, title, render in SECTIONS:
            full = program if name == "index.md" else f"{title} · {program}"
            bodies.append(render(view, site))
            pages.append(Page(f"{PROGRAMS_DIR}/{view.id}/{name}", title,
                              cat(front_matter(full, hide_toc=name in WIDE), bodies[-1])))
        pages.append(Page(f"{PROGRAMS_DIR}/{view.id}/{PACKET}", "Print packet",
                          packet(program, bodies)))
    for program_id, errors in site.broken.items():
        pages.append(Page(f"{PROGRAMS_DIR}/{program_id}/index.md", f"{program_id}: errors",
                          program_problems_page(program_id, Problems(list(errors)))))
    pages.append(Page(reference.PATH, "Format reference", reference.markdown()))
    pages.append(Page(figures_schema.PATH, "Figures reference", figures_schema.markdown()))
    return pages


def nav(site: SiteData) -> list[dict[str, object]]:
    """The MkDocs nav entries for the generated pages."""
    each = {view.id: [{title: f"{PROGRAMS_DIR}/{view.id}/{name}"}
                      for name, title, _ in SECTIONS] for view in site.programs}
    # a program with errors: one page of them, last (MkDocs prints nav titles as HTML)
    broken: list[dict[str, object]] = [
        {html_text(f"{program_id}: errors"): f"{PROGRAMS_DIR}/{program_id}/index.md"}
        for program_id in site.broken]
    if found := groups.groups(site):  # bounded per page: see playbook.pages.groups
        return [*groups.nav(found, f"{PROGRAMS_DIR}/index.md", each), *broken]
    entries: list[dict[str, object]] = [{"Portfolio": f"{PROGRAMS_DIR}/index.md"}]
    for view in site.programs:
        assert view.bundle.program is not None
        # MkDocs treats nav titles as HTML (themes print them unescaped): escape here
        entries.append({html_text(view.bundle.program.title): each[view.id]})
    return [*entries, *broken]


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
