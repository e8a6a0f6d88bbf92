"""Programs in groups: a bounded navigation and portfolio pages at portfolio scale.

Part of the pages stage (figures → Markdown). MkDocs themes render the whole
navigation into every page, so with hundreds of programs under one section
each page carried every program's title and the build grew with pages ×
programs. Past :data:`GROUP_SIZE` programs, the nav holds groups of at most
that many programs, each with its own portfolio page, and the portfolio page
lists the groups; with Material's ``navigation.prune`` a page then carries only
the groups, its own group's programs and its own program's pages. A playbook of
:data:`GROUP_SIZE` programs or fewer keeps the flat nav and one portfolio page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from playbook.figures.site import ProgramView, SiteData
from playbook.pages.calibration import calibration_section
from playbook.pages.forest import forest_section
from playbook.pages.mdtext import Md, fmt, heading, html_text, labels, lines, link, table, text

GROUP_SIZE: Final = 20
"""Most programs in one nav group and on one group portfolio page."""


@dataclass(frozen=True)
class Group:
    """Consecutive programs (by title) that share a nav section and a portfolio page."""

    slug: str
    """The page's file name without ``.md``; a dot, so never a program id."""
    programs: list[ProgramView]
    """The group's programs, by title then id."""

    @property
    def title(self) -> str:
        """``First title – last title`` (plain text; escape it where it is shown)."""
        first, last = (_title(self.programs[0]), _title(self.programs[-1]))
        return first if first == last else f"{first} – {last}"


def _title(view: ProgramView) -> str:
    assert view.bundle.program is not None
    return view.bundle.program.title


def groups(site: SiteData) -> list[Group]:
    """The groups of ``site``'s programs; none when they fit one group.

    Programs are grouped by title (then id), so a group's range reads like an
    index; the groups are numbered in that order.
    """
    if len(site.programs) <= GROUP_SIZE:
        return []
    ordered = sorted(site.programs, key=lambda v: (_title(v).casefold(), v.id))
    chunks = [ordered[i:i + GROUP_SIZE] for i in range(0, len(ordered), GROUP_SIZE)]
    return [Group(f"group.{n:02d}", chunk) for n, chunk in enumerate(chunks, 1)]


def subset(site: SiteData, group: Group) -> SiteData:
    """``site`` with only ``group``'s programs, for that group's portfolio page."""
    return replace(site, programs=list(group.programs))


def index(site: SiteData, found: list[Group]) -> Md:
    """The portfolio page of a grouped playbook: each group, its size and its KPIs."""
    rows = []
    for group in found:
        kpis = sum(len(v.bundle.kpis.kpis) if v.bundle.kpis else 0 for v in group.programs)
        rows.append([link(text(group.title), f"{group.slug}.md"),
                     text(len(group.programs)), text(kpis)])
    return lines([heading(1, "Portfolio"),
                  fmt("{} programs in {} groups, as of {}; each group's page lists its "
                      "programs, their KPIs and upcoming milestones.\n",
                      text(len(site.programs)), text(len(found)), site.today),
                  fmt("{}\n", table(labels("Group", "Programs", "KPIs"), rows)),
                  # effects against research, then calibration: a portfolio's questions,
                  # every program's effects and forecasts at once (as on the portfolio page)
                  forest_section(site), calibration_section(site)])


def nav(found: list[Group], portfolio: str, entries: dict[str, list[dict[str, str]]]
        ) -> list[dict[str, object]]:
    """The nav of a grouped playbook.

    Args:
        found: The groups, from :func:`groups`.
        portfolio: The portfolio page's path; each group's page sits beside it.
        entries: Each program's nav entries (title → page), by program id.
    """
    folder = portfolio.rsplit("/", 1)[0]
    out: list[dict[str, object]] = [{"Portfolio": portfolio}]
    for group in found:
        # MkDocs treats nav titles as HTML (themes print them unescaped): escape here
        section: list[dict[str, object]] = [{"Group portfolio": f"{folder}/{group.slug}.md"}]
        section += [{html_text(_title(v)): entries[v.id]} for v in group.programs]
        out.append({html_text(group.title): section})
    return out
