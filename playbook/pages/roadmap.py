"""Roadmap page: 90/180/365 phases and milestones, as a timeline and tables."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from playbook.figures.program import GateState, GateStatus
from playbook.figures.site import ProgramView, SiteData
from playbook.figures.trajectory import CHECKPOINT_DAYS
from playbook.model.base import ROLE_TITLES
from playbook.pages import charts
from playbook.pages.mdtext import (
    STATE_LABELS,
    Md,
    cat,
    cell,
    chip,
    code,
    fmt,
    heading,
    join,
    labels,
    lines,
    link,
    not_defined,
    number,
    raw_block,
    table,
    text,
    words,
)

PHASE_COLOURS: Final = ("#9ecae1", "#a1d99b", "#fdd0a2", "#dadaeb", "#c7e9c0")
"""Pale bar fills, one per phase in turn: the dark milestone markers stand out on each."""
MILESTONE_MARKER: Final = MappingProxyType({
    "size": 12, "symbol": "diamond", "color": "#1f2328",
    "line": {"width": 2, "color": "#ffffff"}})
"""Dark diamonds with a white rim: visible on every bar colour and on either page scheme."""


def timeline_chart(view: ProgramView, site: SiteData) -> Md:
    """Phases as bars and milestones as points on a date axis, with today marked."""
    traces: list[dict[str, Any]] = []
    for i, ph in enumerate(view.phases):
        traces.append({"type": "scatter", "mode": "lines", "name": ph.name,
                       "x": [str(ph.first), str(ph.last)], "y": [ph.name, ph.name],
                       "line": {"width": 22, "color": PHASE_COLOURS[i % len(PHASE_COLOURS)]},
                       "hoverinfo": "x+name"})
    if view.milestones:
        names = {p.phase_id: p.name for p in view.phases}
        traces.append({"type": "scatter", "mode": "markers", "name": "Milestones",
                       "x": [str(m.due) for m in view.milestones],
                       "y": [names.get(m.phase_id, m.phase_id) for m in view.milestones],
                       "text": [m.milestone_id for m in view.milestones],
                       "marker": dict(MILESTONE_MARKER),
                       "hovertemplate": "%{text}<br>%{x}<extra></extra>"})
    shape, note = charts.vline(str(site.today), "today")
    # one month per tick label, written flat ("Jan 2026"): the chart spans the
    # column, so Plotly has the room and never rotates them into a corner
    figure = {"data": traces, "layout": charts.layout(
        "Roadmap", x_type="date", height=120 + 60 * max(len(view.phases), 1),
        shapes=[shape], annotations=[note],
        xaxis={"type": "date", "automargin": True, "tickformat": "%b %Y", "tickangle": 0,
               "ticklabelmode": "period"},
        yaxis={"autorange": "reversed", "automargin": True}, showlegend=False)}
    done = sum(1 for m in view.milestones if m.done is not None)
    current = next((p.name for p in view.phases if p.state == "current"), None)
    summary = ((f"{done} of {len(view.milestones)} milestones done" if view.milestones
                else "No milestones yet")
               + (f"; current phase: {current}." if current else "."))
    rows = [[m.milestone_id, str(m.due), STATE_LABELS[m.state]] for m in view.milestones]
    return raw_block(charts.embed(f"chart-{view.id}-roadmap", figure, summary,
                                  ["Milestone", "Due", "Status"], rows))


GATE_WORDS: Final[Mapping[GateState, str]] = MappingProxyType({
    GateState.PASSED: "passed", GateState.NOT_MET: "not met",
    GateState.DUE_LATER: "due later", GateState.NO_DATA: "no data since the start"})
"""How a gate's state reads on a page."""


def gate_text(g: GateStatus, names: Mapping[str, str], *, due: bool = False) -> Md:
    """One gate as a reader says it: ``Board use ≥ 50: not met (41)``.

    Args:
        g: The gate.
        names: KPI id → KPI name.
        due: Name the due date too (the executive summary lists gates of every phase).
    """
    bound = fmt("{} {} {}", text(names.get(g.kpi_id, g.kpi_id)),
                Md("≥") if g.op == ">=" else Md("≤"), number(g.threshold))
    actual = fmt(" ({})", number(g.actual)) if g.actual is not None else Md("")
    if due:
        latest = fmt(", latest {}", number(g.actual)) if g.actual is not None else Md("")
        return fmt("{} by {} ({}{})", bound, g.due, words(GATE_WORDS[g.state]), latest)
    return fmt("{}: {}{}", bound, words(GATE_WORDS[g.state]), actual)


def roadmap_section(view: ProgramView, site: SiteData) -> Md:
    """Timeline, phases with gates, milestones (also the ``roadmap`` macro)."""
    if view.bundle.roadmap is None:
        return not_defined("roadmap.yml", "the 90/180/365-day phases and milestones.")
    out = [timeline_chart(view, site), heading(2, "Phases")]
    gates = view.figures.gates
    names = {k.id: k.name for k in view.bundle.kpis.kpis} if view.bundle.kpis else {}
    goals = {p.id: p.goal for p in view.bundle.roadmap.phases}
    rows = []
    for ph in view.phases:
        mine = [g for g in gates if g.phase_id == ph.phase_id]
        shown = join((gate_text(g, names) for g in mine), Md("; "))
        rows.append([cell(ph.name), cell(goals.get(ph.phase_id)),
                     fmt("{} – {}", ph.first, ph.last), chip(ph.state),
                     shown if mine else cell(None)])
    out.append(fmt("{}\n", table(labels("Phase", "Goal", "Dates", "Status", "Gate (go/no-go)"),
                                 rows)))
    out.append(heading(2, "Milestones"))
    out.append(fmt("{}\n", table(
        labels("Due", "Milestone", "Deliverable", "Owner", "Status"),
        [[text(m.due), code(m.milestone_id), cell(m.deliverable), text(ROLE_TITLES[m.owner]),
          cat(chip(m.state), fmt(" {}", m.done)) if m.done else chip(m.state)]
         for m in view.milestones]))
        if view.milestones else Md("No milestones are planned yet.\n"))
    return lines(out)


def roadmap(view: ProgramView, site: SiteData) -> Md:
    """Roadmap page."""
    p = view.bundle.program
    assert p is not None
    return cat(heading(1, f"{p.title}: roadmap"),
               fmt("\nDay 0 is {}. Status as of {}: {} days pilot, {} days scale, {} days "
                   "sustain.\n\n", p.start, site.today, *CHECKPOINT_DAYS),
               roadmap_section(view, site))


def upcoming(site: SiteData, limit: int = 12) -> Md:
    """Open milestones across every program, soonest first (portfolio page)."""
    rows = site.upcoming
    if not rows:
        return Md("No open milestones.\n")
    return fmt("{}\n", table(
        labels("Due", "Program", "Milestone", "Owner", "Status"),
        [[text(m.due), link(text(v.bundle.program.title), f"{v.id}/roadmap.md")
          if v.bundle.program else text(v.id), cell(m.deliverable), text(ROLE_TITLES[m.owner]),
          chip(m.state)] for v, m in rows[:limit]]))
