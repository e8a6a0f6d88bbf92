"""Roadmap page: 90/180/365 phases and milestones, as a timeline and tables."""

from __future__ import annotations

from typing import Any

from playbook.figures.site import ProgramView, SiteData
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
    labels,
    lines,
    link,
    not_defined,
    number,
    raw_block,
    table,
    text,
)


def timeline_chart(view: ProgramView, site: SiteData) -> Md:
    """Phases as bars and milestones as points on a date axis, with today marked."""
    traces: list[dict[str, Any]] = []
    for ph in view.phases:
        traces.append({"type": "scatter", "mode": "lines", "name": ph.name,
                       "x": [str(ph.first), str(ph.last)], "y": [ph.name, ph.name],
                       "line": {"width": 18}, "hoverinfo": "x+name"})
    if view.milestones:
        names = {p.phase_id: p.name for p in view.phases}
        traces.append({"type": "scatter", "mode": "markers", "name": "Milestones",
                       "x": [str(m.due) for m in view.milestones],
                       "y": [names.get(m.phase_id, m.phase_id) for m in view.milestones],
                       "text": [m.milestone_id for m in view.milestones],
                       "marker": {"size": 11, "symbol": "diamond", "color": "#ff7f0e",
                                  "line": {"width": 1, "color": "#333"}},
                       "hovertemplate": "%{text}<br>%{x}<extra></extra>"})
    shape, note = charts.vline(str(site.today), "today")
    figure = {"data": traces, "layout": charts.layout(
        "Roadmap", x_type="date", height=260, shapes=[shape], annotations=[note],
        yaxis={"autorange": "reversed", "automargin": True}, showlegend=False)}
    done = sum(1 for m in view.milestones if m.done is not None)
    current = next((p.name for p in view.phases if p.state == "current"), None)
    summary = ((f"{done} of {len(view.milestones)} milestones done" if view.milestones
                else "No milestones yet")
               + (f"; current phase: {current}." if current else "."))
    rows = [[m.milestone_id, str(m.due), STATE_LABELS[m.state]] for m in view.milestones]
    return raw_block(charts.embed(f"chart-{view.id}-roadmap", figure, summary,
                                  ["Milestone", "Due", "Status"], rows))


def roadmap_section(view: ProgramView, site: SiteData) -> Md:
    """Timeline, phases with gates, milestones (also the ``roadmap`` macro)."""
    if view.bundle.roadmap is None:
        return not_defined("roadmap.yml", "the 90/180/365-day phases and milestones.")
    out = [timeline_chart(view, site), heading(2, "Phases")]
    gates = view.figures.gates
    names = {k.id: k.name for k in view.bundle.kpis.kpis} if view.bundle.kpis else {}
    rows = []
    for ph in view.phases:
        mine = [g for g in gates if g.phase_id == ph.phase_id]
        # plain text, escaped once as a whole cell
        gate_text = "; ".join(
            f"{names.get(g.kpi_id, g.kpi_id)} {'≥' if g.op == '>=' else '≤'} "
            f"{number(g.threshold)}: "
            + ("passed" if g.passed else "not met" if g.passed is False
               else "due later" if g.due > site.today else "no data")
            + (f" ({number(g.actual)})" if g.actual is not None else "") for g in mine)
        rows.append([cell(ph.name), fmt("{} – {}", ph.first, ph.last), chip(ph.state),
                     cell(gate_text or None)])
    out.append(fmt("{}\n", table(labels("Phase", "Dates", "Status", "Gate (go/no-go)"), rows)))
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
               fmt("\nDay 0 is {}. Status as of {}: 90 days pilot, 180 days scale, 365 days "
                   "sustain.\n\n", p.start, site.today),
               roadmap_section(view, site))


def upcoming(site: SiteData, limit: int = 12) -> Md:
    """Open milestones across every program, soonest first (portfolio page)."""
    rows = []
    for view in site.programs:
        assert view.bundle.program is not None
        for m in view.milestones:
            if m.done is None:
                rows.append((m.due, view, m))
    rows.sort(key=lambda r: (r[0], r[1].id, r[2].milestone_id))
    if not rows:
        return Md("No open milestones.\n")
    return fmt("{}\n", table(
        labels("Due", "Program", "Milestone", "Owner", "Status"),
        [[text(due), link(text(v.bundle.program.title), f"{v.id}/roadmap.md")
          if v.bundle.program else text(v.id), cell(m.deliverable), text(ROLE_TITLES[m.owner]),
          chip(m.state)] for due, v, m in rows[:limit]]))
