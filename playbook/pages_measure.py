"""Measurement page: the KPI dashboard, behaviour change, fairness of AI tools."""

from __future__ import annotations

import math
from typing import Any

from playbook import charts
from playbook.mdtext import cell, chip, not_defined, number, table, text
from playbook.model.base import ROLE_TITLES
from playbook.model.measure import Kpi
from playbook.site import ProgramView, SiteData
from playbook.stats import BehaviourEffect, Interval, PairedEffect
from playbook.trajectory import KpiFigures

STATUS_LABELS = {"on-track": "On track", "at-risk": "At risk", "off-track": "Off track",
                 "no-data": "No data yet"}


def _unit(kpi: Kpi) -> str:
    unit = kpi.unit.strip()
    if unit.lower() in ("percent", "%", "pct", "percentage"):
        return "%"
    # a descriptive unit ("score (1-5)") reads badly after every number: name it once
    return "" if len(unit) > 12 or "(" in unit else f" {unit}"


def _val(kpi: Kpi, value: float | None) -> str:
    return "—" if value is None else f"{number(value)}{_unit(kpi)}"


def _mval(kpi: Kpi, value: float | None) -> str:
    return text(_val(kpi, value))


def kpi_sentence(kpi: Kpi, figs: KpiFigures) -> str:
    """One plain sentence: where the KPI went and whether it is on track."""
    target = f"{_val(kpi, kpi.target.value)} by {kpi.target.by}"
    if figs.latest is None:
        return f"{kpi.name}: no data yet; the target is {target}."
    base, last = kpi.baseline.value, figs.latest
    verb = "fell" if last < base else "rose" if last > base else "stayed"
    move = (f"{verb} from {_val(kpi, base)} to {_val(kpi, last)}" if verb != "stayed"
            else f"stayed at {_val(kpi, base)}")
    status = STATUS_LABELS.get(figs.status, figs.status).lower()
    stale = " The latest data is stale." if figs.stale else ""
    return f"{kpi.name} {move}; {status} for {target}.{stale}"


def kpi_chart(view: ProgramView, kpi: Kpi) -> str:
    """The chart of one KPI with its summary and numbers (the ``kpi_chart`` macro)."""
    figs = view.figures.kpis[kpi.id]
    min_n = view.bundle.kpis.privacy.min_group_size if view.bundle.kpis else 5
    traces: list[dict[str, Any]] = []
    groups = list(dict.fromkeys(p.group for p in figs.points))
    for group in groups:
        pts = [p for p in figs.points if p.group == group]
        traces.append(charts.line(charts.SERIES_NAMES.get(group, group),
                                  [p.period for p in pts], [p.value for p in pts],
                                  charts.PALETTE.get(group, "#1f77b4"),
                                  dash="solid" if group != "comparison" else "dot"))
    traces.append(charts.line("Baseline", [kpi.baseline.date, kpi.target.by],
                              [kpi.baseline.value, kpi.baseline.value],
                              charts.PALETTE["baseline"], dash="dot", markers=False))
    traces.append(charts.line("Target trajectory", [d for d, _ in figs.trajectory],
                              [v for _, v in figs.trajectory], charts.PALETTE["target"],
                              dash="dash", markers=False))
    shapes, notes = [], []
    for cp in figs.checkpoints:
        shape, note = charts.vline(str(cp.date), f"day {cp.day}")
        shapes.append(shape)
        notes.append(note)
    figure = {"data": traces, "layout": charts.layout(
        kpi.name, y_title=kpi.unit, shapes=shapes, annotations=notes)}
    rows = [[str(p.period), charts.SERIES_NAMES.get(p.group, p.group),
             f"fewer than {min_n}" if p.suppressed else number(p.value, 2),
             f"fewer than {min_n}" if p.suppressed else str(p.n)] for p in figs.points]
    return charts.embed(f"chart-{view.id}-{kpi.id}", figure, kpi_sentence(kpi, figs),
                        ["Period", "Group", kpi.name, "n"], rows)


def kpi_table(view: ProgramView) -> str:
    """All KPIs with baseline, target, latest value and status (the ``kpi_table`` macro)."""
    k = view.bundle.kpis
    if k is None:
        return not_defined("kpis.yml", "the measurement plan and KPI dashboard.")
    if not k.kpis:
        return "No KPIs are defined yet.\n"
    rows = []
    for kpi in k.kpis:
        f = view.figures.kpis[kpi.id]
        rows.append([cell(kpi.name), _mval(kpi, kpi.baseline.value),
                     f"{_mval(kpi, kpi.target.value)} by {kpi.target.by}",
                     _mval(kpi, f.latest),
                     chip(f.status, STATUS_LABELS.get(f.status))
                     + (" " + chip("stale", "Stale") if f.stale else "")])
    return table(["KPI", "Baseline", "Target", "Latest", "Status"], rows,
                 ["l", "r", "r", "r", "l"]) + "\n"


def _spec(view: ProgramView, kpi: Kpi) -> str:
    f = view.figures.kpis[kpi.id]
    src = kpi.source
    source = (f"`{src.file}` ({'person-level, aggregated only' if src.subject else 'aggregate'})"
              if src else "not yet connected")
    rows = [["Owner", ROLE_TITLES[kpi.owner] if kpi.owner else "—"],
            ["Cadence", kpi.cadence], ["Direction", f"{kpi.direction} is better"],
            ["Source", source],
            ["Last data point", str(f.latest_date) if f.latest_date else "none yet"],
            ["Fresh until", str(f.stale_after) if f.stale_after else "—"]]
    out = table(["Specification", "Value"], rows) + "\n"
    if f.checkpoints:
        out += "\n" + table(["Checkpoint", "Date", "Trajectory", "Actual", "Status"], [
            [f"Day {c.day}", str(c.date), _mval(kpi, c.expected), _mval(kpi, c.actual),
             chip(c.status, STATUS_LABELS.get(c.status)) if c.status else "—"]
            for c in f.checkpoints], ["l", "l", "r", "r", "l"]) + "\n"
        if src is not None and src.wave:
            out += ("\nSurvey waves are sparse: a checkpoint reads the latest wave known on "
                    "that day, which before the post wave is the pre-wave value.\n")
    return out


def _ci(ci: Interval) -> str:
    return f"{number(ci.low, 2)} to {number(ci.high, 2)}"


def _paired_row(label: str, e: PairedEffect | None, missing: str) -> list[str]:
    if e is None:
        return [label, missing, "—", "—", "—", "—"]
    # without spread in the changes d_z is undefined (0/0) or unbounded (x/0)
    d_z = f"{e.d_z:.2f}" if math.isfinite(e.d_z) else "—"
    return [label, str(e.n), f"{number(e.mean_pre, 2)} → {number(e.mean_post, 2)}",
            f"{e.mean_change:+.2f}", _ci(e.ci), d_z]


def behaviour_section(view: ProgramView, kpi: Kpi, effect: BehaviourEffect) -> str:
    """Pre/post change, difference-in-differences and MDE for one person-level KPI."""
    min_n = view.bundle.kpis.privacy.min_group_size if view.bundle.kpis else 5
    out = [f"### {text(kpi.name)}\n"]

    def missing(group: str) -> str:
        return f"fewer than {min_n}" if group in effect.suppressed_groups else "no data yet"

    # without a group column every person is in one group, "all", and none is compared
    grouped = kpi.source is not None and kpi.source.group is not None
    rows = ([_paired_row("Pilot", effect.pilot, missing("pilot")),
             _paired_row("Comparison", effect.comparison, missing("comparison"))] if grouped
            else [_paired_row("Everyone measured", effect.pilot, missing("all"))])
    out.append(table(["Group", "n", "Mean pre → post", "Change", "95% CI", "Cohen's d_z"],
                     rows, ["l", "r", "r", "r", "r", "r"]) + "\n")
    if effect.pilot is None and effect.comparison is None and not effect.suppressed_groups:
        out.append("No one has answered both the pre and the post wave yet.\n")
    if effect.did is not None:
        d = effect.did
        out.append(f"**Difference-in-differences:** {d.estimate:+.2f} {text(kpi.unit)} "
                   f"(95% CI {_ci(d.ci)}; pilot n = {d.n_pilot}, comparison n = "
                   f"{d.n_comparison}). This is the change in the pilot group beyond the "
                   "change in the comparison group.\n")
    if effect.unmatched:
        who = "1 person" if effect.unmatched == 1 else f"{effect.unmatched} people"
        out.append(f"{who} answered only one wave and "
                   f"{'is' if effect.unmatched == 1 else 'are'} left out of the paired "
                   "figures.\n")
    out.append(attribution_line(view))
    if effect.mde is not None:
        m = effect.mde
        raw = f" ({number(m.raw, 2)} {text(kpi.unit)})" if m.raw is not None else ""
        out.append(f"**Minimum detectable effect** for a pilot of {m.n} at α = {m.alpha} and "
                   f"power {m.power}: d = {m.d:.2f}{raw}; the program targets a change of "
                   f"{number(m.targeted, 2)}.\n")
        if not m.detectable:
            out.append('!!! warning "This pilot cannot detect the change it aims for"\n'
                       "    The smallest change this cohort can reliably detect is larger than "
                       "the targeted change. Enlarge the cohort, lengthen the measurement or "
                       "treat the result as directional.\n")
    return "\n".join(out)


def attribution(view: ProgramView) -> str:
    """The attribution method, confounders, assumptions and data limits."""
    k = view.bundle.kpis
    a = k.attribution if k else None
    if a is None:
        return ('!!! warning "No attribution method stated"\n    Effects below are not '
                "separated from other causes. State a method in `kpis.yml`.\n")
    out = ['!!! info "How to read these figures"\n',
           f"    **Attribution:** {a.method.replace('-', ' ')}.\n"]
    for title, values in (("Confounders", a.confounders), ("Assumptions", a.assumptions),
                          ("Data-quality limits", a.data_quality)):
        if values:
            out.append(f"    **{title}:**\n")
            out.extend(f"    - {text(v)}" for v in values)
            out.append("")
    return "\n".join(out) + "\n"


def attribution_line(view: ProgramView) -> str:
    """A compact attribution note to stand beside each effect."""
    a = view.bundle.kpis.attribution if view.bundle.kpis else None
    if a is None:
        return ("*Attribution: none stated, so this change is not separated from other "
                "causes.*\n")
    parts = [f"*Attribution: {a.method.replace('-', ' ')}"]
    if a.confounders:
        parts.append("Confounders: " + " · ".join(text(c) for c in a.confounders))
    if a.assumptions:
        parts.append("Assumptions: " + " · ".join(text(x) for x in a.assumptions))
    return ". ".join(parts) + ".*\n"


def fairness_section(view: ProgramView) -> str:
    """AI tools and the four-fifths check on their outcomes."""
    ai = view.bundle.ai
    if ai is None:
        return "No AI tools are declared (`ai.yml`).\n"
    out = [table(["Tool", "Feeds", "Human in the loop", "Reviewers"], [
        [cell(t.name), cell(", ".join(t.affects)), "yes" if t.human_in_the_loop else "**no**",
         cell(", ".join(ROLE_TITLES[r] for r in t.reviewers))] for t in ai.tools]) + "\n"
           if ai.tools else "No AI tools are listed in `ai.yml` yet.\n"]
    fair = view.figures.fairness
    if fair is None:
        out.append("No selection outcomes are connected yet, so the four-fifths check "
                   "cannot run.\n")
        return "\n".join(out)
    if not fair.groups:
        out.append(f"No group has {_min(view)} or more people yet, so no selection rate is "
                   "shown and the four-fifths check cannot run.\n")
    else:
        out.append(table(["Group", "n", "Selected", "Selection rate", "Impact ratio",
                          "Result"], [
            [cell(g.group), str(g.n), str(g.selected), f"{g.rate:.1%}",
             f"{g.impact_ratio:.2f}",
             chip("off-track", "Below 0.8") if g.flagged else chip("on-track", "Passes")]
            for g in fair.groups], ["l", "r", "r", "r", "r", "l"]) + "\n")
    notes = ([f"Reference group: {text(fair.reference_group)}."]
             if fair.reference_group else [])
    if fair.groups and not any(g.selected for g in fair.groups):
        notes.append("No one in the groups shown was selected, so every impact ratio is 1.")
    if fair.suppressed_groups:
        # the count of people is left out: with one small group it would be its size
        notes.append(f"{fair.suppressed_groups} group(s) with fewer than {_min(view)} people "
                     "are not shown.")
    if fair.no_group:
        notes.append(f"{fair.no_group} outcome(s) have no group recorded.")
    notes.append(text(fair.note))
    out.append(" ".join(notes) + "\n")
    return "\n".join(out)


def _min(view: ProgramView) -> int:
    return view.bundle.kpis.privacy.min_group_size if view.bundle.kpis else 5


def measurement(view: ProgramView, site: SiteData) -> str:
    """Measurement page."""
    p = view.bundle.program
    assert p is not None
    out = [f"# {text(p.title)}: measurement\n",
           f"Status as of {site.today}. Each KPI is judged against a straight trajectory from "
           "its baseline to its target.\n"]
    k = view.bundle.kpis
    out.append(kpi_table(view))
    if k is None:
        return "\n".join(out)
    out.append(attribution(view))
    out.append("## KPI dashboard\n")
    for kpi in k.kpis:
        f = view.figures.kpis[kpi.id]
        out.append(f"### {text(kpi.name)}\n")
        out.append(chip(f.status, STATUS_LABELS.get(f.status))
                   + (" " + chip("stale", "Stale") if f.stale else "")
                   + f" {text(kpi.kind)} KPI · owner: "
                   + (ROLE_TITLES[kpi.owner] if kpi.owner else "none") + "\n")
        out.append(kpi_chart(view, kpi))
        out.append(_spec(view, kpi))
    if view.figures.behaviour:
        out.append("## Behaviour change\n")
        for kpi in k.kpis:
            effect = view.figures.behaviour.get(kpi.id)
            if effect is not None:
                out.append(behaviour_section(view, kpi, effect))
    out.append("## Fairness of AI tools\n")
    out.append(fairness_section(view))
    return "\n".join(out)
