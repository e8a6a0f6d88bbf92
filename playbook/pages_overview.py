"""Overview page (the executive summary) and the portfolio page."""

from __future__ import annotations

from playbook.mdtext import cell, chip, money, number, paragraphs, percent, table, text
from playbook.model.base import ROLE_TITLES
from playbook.pages_measure import STATUS_LABELS, kpi_sentence
from playbook.pages_program import signoff_table
from playbook.pages_roadmap import upcoming
from playbook.signoff import REQUIRED_ROLES
from playbook.site import ProgramView, SiteData
from playbook.timeline import next_open

PAGES = [("strategy.md", "Strategy"), ("competencies.md", "Competencies"),
         ("roadmap.md", "Roadmap"), ("people.md", "Stakeholders"), ("vendors.md", "Vendors"),
         ("measurement.md", "Measurement"), ("budget.md", "Budget and ROI"),
         ("reviews.md", "Reviews")]


def program_day(day: int) -> str:
    """Where a program stands: ``day 42``, or ``starts in 9 days`` before its day 0."""
    if day >= 0:
        return f"day {day}"
    return f"starts in {-day} day{'s' if day < -1 else ''}"


def _signoff_state(view: ProgramView) -> str:
    p = view.bundle.program
    assert p is not None
    required = [s for s in view.signoffs if s.role in REQUIRED_ROLES]
    missing = [ROLE_TITLES[s.role] for s in required if s.name is None]
    stale = [ROLE_TITLES[s.role] for s in required if s.name is not None and not s.current]
    if len(missing) == len(required):
        return "The measurement plan is not signed yet."
    parts = []
    if missing:
        parts.append("not signed by " + ", ".join(missing))
    if stale:
        parts.append("stale for " + ", ".join(stale) + " (changed since signed)")
    if not parts:
        return (f"Version {text(p.version)} is signed by sponsor, business owner and L&D owner "
                "and nothing has changed since.")
    return f"Version {text(p.version)}: " + "; ".join(parts) + "."


def executive_summary(view: ProgramView, site: SiteData) -> str:
    """What a sponsor needs in one screen, written from the data."""
    b = view.bundle
    p = b.program
    assert p is not None
    f = view.figures
    out = [f"**Outcome.** {text(p.strategy.outcome)}\n",
           f"**Status:** {text(p.status)} · "
           + (f"day {f.day} of the program (started {p.start})" if f.day >= 0
              else f"{program_day(f.day)} (on {p.start})") + " · "
           f"version {text(p.version)}\n"]
    if b.kpis and b.kpis.kpis:
        items = []
        for kpi in b.kpis.kpis:
            figs = f.kpis[kpi.id]
            items.append(f"- {chip(figs.status, STATUS_LABELS.get(figs.status))} "
                         f"{text(kpi_sentence(kpi, figs))}")
        out.append("**KPIs against their trajectories**\n\n" + "\n".join(items) + "\n")
    nxt = next_open(view.milestones)
    if nxt is not None:
        out.append(f"**Next milestone:** {text(nxt.deliverable)} ({ROLE_TITLES[nxt.owner]}, "
                   f"due {nxt.due}) {chip(nxt.state)}\n")
    open_gates = [g for g in f.gates if g.passed is not True]
    names = {k.id: k.name for k in b.kpis.kpis} if b.kpis else {}
    if open_gates:
        label = ("Gates not met" if all(g.passed is False for g in open_gates)
                 else "Gates not met or pending")
        out.append(f"**{label}:** " + "; ".join(
            f"{text(names.get(g.kpi_id, g.kpi_id))} {'≥' if g.op == '>=' else '≤'} "
            f"{number(g.threshold)} by {g.due} ("
            + ("not met" if g.passed is False else "due later" if g.due > site.today
               else "no data")
            + (f", latest {number(g.actual)}" if g.actual is not None else "") + ")"
            for g in open_gates) + ".\n")
    elif f.gates:
        out.append("**Gates:** every phase gate so far is met.\n")
    out.append("**Reviews:** " + "; ".join(
        f"day {r.day} ({r.due}): "
        + (f"{r.decision} (held {r.held})" if r.held else chip(r.state))
        for r in view.reviews) + "\n")
    out.append(f"**Sign-off:** {_signoff_state(view)}\n")
    roi = f.roi
    if roi is not None:
        headline = (f"{roi.horizon_years}-year TCO {money(roi.tco, roi.currency)}; counted "
                    f"benefits {money(roi.benefits, roi.currency)}")
        if roi.roi_pct is not None:
            headline += f"; ROI {percent(roi.roi_pct)}"
        if roi.bcr is not None:
            headline += f", benefit–cost ratio {number(roi.bcr, 2)}"
        headline += (f"; payback in month {roi.payback_month}" if roi.payback_month
                     else "; no costs to pay back" if roi.tco <= 0
                     else "; no payback within the horizon")
        out.append(f"**ROI headline:** {headline}.\n")
    if f.fairness is not None and f.fairness.flagged:
        out.append('!!! warning "An AI tool fails the four-fifths check"\n    See the '
                   "fairness section of the measurement page.\n")
    return "\n".join(out)


def overview(view: ProgramView, site: SiteData) -> str:
    """Overview page of one program."""
    p = view.bundle.program
    assert p is not None
    out = [f"# {text(p.title)}\n", paragraphs(p.summary) + "\n",
           "## Executive summary\n", executive_summary(view, site),
           "## In this playbook\n",
           " · ".join(f"[{title}]({name})" for name, title in PAGES) + "\n",
           "## People\n",
           table(["Role", "Name"], [[ROLE_TITLES[r], cell(person["name"])] for r, person in
                                    p.stakeholders.model_dump(exclude_none=True).items()])
           + "\n",
           "## Pilot\n",
           f"{p.pilot.cohort_size} leaders from {text(', '.join(p.pilot.functions))}; "
           f"{p.pilot.duration_days} days; comparison group: "
           f"{'yes' if p.pilot.comparison_group else 'no'}.\n"]
    out.extend(f"- {text(i)}" for i in p.pilot.intervention)
    # printed, the overview is the sign-off packet: close with who signed what
    out.append("\n## Sign-off\n")
    out.append(signoff_table(view))
    return "\n".join(out) + "\n"


def portfolio(site: SiteData) -> str:
    """Every program with its status, a KPI status grid and upcoming milestones."""
    out = ["# Portfolio\n", f"Every program, as of {site.today}.\n", "## Programs\n"]
    rows = []
    for v in site.programs:
        p = v.bundle.program
        assert p is not None
        rows.append([f"[{text(p.title)}]({v.id}/index.md)", text(p.status), str(p.start),
                     program_day(v.figures.day), text(p.strategy.outcome)])
    out.append(table(["Program", "Status", "Start", "Today", "Outcome"], rows) + "\n")
    out.append("## KPI status\n")
    grid = []
    for v in site.programs:
        p = v.bundle.program
        assert p is not None
        for kpi in (v.bundle.kpis.kpis if v.bundle.kpis else []):
            f = v.figures.kpis[kpi.id]
            grid.append([f"[{text(p.title)}]({v.id}/measurement.md)", cell(kpi.name),
                         kpi.kind, chip(f.status, STATUS_LABELS.get(f.status))
                         + (" " + chip("stale", "Stale") if f.stale else "")])
    out.append(table(["Program", "KPI", "Kind", "Status"], grid) + "\n" if grid
               else "No KPIs are defined yet.\n")
    out.append("## Upcoming milestones\n")
    out.append(upcoming(site))
    return "\n".join(out)
