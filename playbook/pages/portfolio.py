"""Portfolio page: every program, those that need attention first, then the rest.

A leader scans this page before a portfolio review. The concerns come from
:func:`playbook.figures.attention.concerns` (four-fifths flags, missing or stale
sign-offs, overdue reviews, stale data); this module only words and links them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from playbook.figures.attention import Concern, ConcernKind, concerns
from playbook.figures.site import ProgramView, SiteData
from playbook.model.base import ROLE_TITLES
from playbook.pages.calibration import calibration_section
from playbook.pages.forest import forest_section
from playbook.pages.mdtext import (
    Md,
    cell,
    chip,
    fmt,
    heading,
    join,
    labels,
    lines,
    link,
    table,
    text,
)
from playbook.pages.measure import STATUS_LABELS
from playbook.pages.overview import program_day
from playbook.pages.roadmap import upcoming

CONCERN_LABELS: Final[Mapping[ConcernKind, str]] = MappingProxyType({
    ConcernKind.FOUR_FIFTHS: "Four-fifths flag",
    ConcernKind.NOT_SIGNED: "Not signed",
    ConcernKind.STALE_SIGNOFF: "Stale sign-off",
    ConcernKind.OVERDUE_REVIEW: "Review overdue",
    ConcernKind.STALE_DATA: "Stale data",
})
"""The words on the chip of each concern."""
CHIP_STATE: Final[Mapping[ConcernKind, str]] = MappingProxyType({
    ConcernKind.FOUR_FIFTHS: "off-track", ConcernKind.NOT_SIGNED: "overdue",
    ConcernKind.STALE_SIGNOFF: "stale", ConcernKind.OVERDUE_REVIEW: "overdue",
    ConcernKind.STALE_DATA: "stale"})
"""The chip colour of each concern."""
_PAGE: Final[Mapping[ConcernKind, str]] = MappingProxyType({
    ConcernKind.FOUR_FIFTHS: "measurement.md", ConcernKind.NOT_SIGNED: "people.md",
    ConcernKind.STALE_SIGNOFF: "people.md", ConcernKind.OVERDUE_REVIEW: "reviews.md",
    ConcernKind.STALE_DATA: "measurement.md"})
"""The program page where each concern is explained and resolved."""


def _detail(view: ProgramView, c: Concern) -> str:
    """What the concern is about, in words (plain text)."""
    kpis = {k.id: k.name for k in view.bundle.kpis.kpis} if view.bundle.kpis else {}
    roles = ", ".join(ROLE_TITLES.get(r, r) for r in c.subjects)
    match c.kind:
        case ConcernKind.FOUR_FIFTHS:
            tool = f"{c.subjects[0]}: " if c.subjects else ""
            # not "a ratio below four-fifths": a withheld group is flagged whatever its rate
            return f"{tool}the four-fifths check flags a group; review by HR, legal and DEI"
        case ConcernKind.NOT_SIGNED:
            return f"the measurement plan is not signed by {roles}"
        case ConcernKind.STALE_SIGNOFF:
            return f"changed since signed by {roles}"
        case ConcernKind.OVERDUE_REVIEW:
            return "no review recorded for day " + " and day ".join(c.subjects)
        case ConcernKind.STALE_DATA:
            return "no recent data for " + ", ".join(kpis.get(k, k) for k in c.subjects)


def concern_text(view: ProgramView, c: Concern) -> Md:
    """One concern as a chip and its detail, linked to the page that explains it."""
    return fmt("{} {}", chip(CHIP_STATE[c.kind], CONCERN_LABELS[c.kind]),
               link(text(_detail(view, c)), f"{view.id}/{_PAGE[c.kind]}"))


def _program_cell(view: ProgramView) -> Md:
    p = view.bundle.program
    assert p is not None
    return link(text(p.title), f"{view.id}/index.md")


def portfolio(site: SiteData, title: str = "Portfolio") -> Md:
    """Programs that need attention first, then the rest; KPI grid; upcoming milestones.

    ``title`` heads a group's portfolio page (:mod:`playbook.pages.groups`).
    """
    out = [heading(1, title), fmt("Every program, as of {}.\n", site.today)]
    flagged = [(v, concerns(v.figures)) for v in site.programs]
    # stable: programs keep their order within each half
    ordered = [(v, cs) for v, cs in flagged if cs] + [(v, cs) for v, cs in flagged if not cs]
    out.append(heading(2, "Needs attention"))
    if ordered and ordered[0][1]:
        out.append(fmt("{}\n", table(labels("Program", "What needs attention"), [
            [_program_cell(v), join((concern_text(v, c) for c in cs), Md("<br>"))]
            for v, cs in ordered if cs])))
    else:
        out.append(Md("No program has a four-fifths flag, a missing or stale sign-off, an "
                      "overdue review or stale data.\n"))
    # every program, in the same order: those above first, then the rest
    out.append(heading(2, "Programs"))
    rows = []
    for v, _ in ordered:
        p = v.bundle.program
        assert p is not None
        rows.append([_program_cell(v), text(p.status), text(p.start),
                     text(program_day(v.figures.day)), text(p.strategy.outcome)])
    out.append(fmt("{}\n", table(labels("Program", "Status", "Start", "Today", "Outcome"),
                                 rows)))
    out.append(heading(2, "KPI status"))
    grid = []
    for v, _ in ordered:
        p = v.bundle.program
        assert p is not None
        for kpi in (v.bundle.kpis.kpis if v.bundle.kpis else []):
            f = v.figures.kpis[kpi.id]
            chips = chip(f.status, STATUS_LABELS.get(f.status))
            grid.append([link(text(p.title), f"{v.id}/measurement.md"), cell(kpi.name),
                         text(kpi.kind),
                         fmt("{} {}", chips, chip("stale", "Stale")) if f.stale else chips])
    out.append(fmt("{}\n", table(labels("Program", "KPI", "Kind", "Status"), grid)) if grid
               else Md("No KPIs are defined yet.\n"))
    out.append(heading(2, "Upcoming milestones"))
    out.append(upcoming(site))
    # a group's page is one of several: its chart id names its first program
    out.append(forest_section(site, "chart-portfolio-forest" if title == "Portfolio" else
                              f"chart-portfolio-forest-{site.programs[0].id}"))
    out.append(calibration_section(site))
    return lines(out)
