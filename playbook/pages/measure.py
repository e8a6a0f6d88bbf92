"""Measurement page: the KPI dashboard, behaviour change, fairness of AI tools."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from playbook.figures.privacy import FIELDING
from playbook.figures.site import ProgramView, SiteData
from playbook.figures.trajectory import KpiFigures, KpiStatus
from playbook.model.base import ROLE_TITLES
from playbook.model.measure import Kpi, Source
from playbook.pages import charts, downloads
from playbook.pages.behaviour import behaviour_section
from playbook.pages.effects import effect_line, effects_table
from playbook.pages.fairness import fairness_section
from playbook.pages.forecast_chart import forecast_trace
from playbook.pages.mdtext import (
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
    not_defined,
    number,
    paragraphs,
    raw_block,
    table,
    text,
    words,
)
from playbook.pages.measure_spec import measure_line
from playbook.pages.research import research_line, research_section

STATUS_LABELS: Final[Mapping[str, str]] = MappingProxyType({
    KpiStatus.ON_TRACK: "On track", KpiStatus.AT_RISK: "At risk",
    KpiStatus.OFF_TRACK: "Off track", KpiStatus.NO_DATA: "No data yet",
    KpiStatus.BASELINE_ONLY: "Not measured since baseline"})
"""How each KPI status reads on a page."""


PERCENT_UNITS: Final = frozenset({"percent", "%", "pct", "percentage"})
"""Units written as ``%`` after the number."""
_CURRENCY = re.compile(r"^([A-Z]{3})(\s.*)?$")
"""A unit that is an ISO 4217 code, alone or before more words (``USD per quarter``)."""
MAX_DIGITS: Final = 4
"""Most decimals shown to keep a sentence's numbers apart (3.62 vs 3.6, not 3.6 vs 3.6)."""


def _descriptive(kpi: Kpi) -> bool:
    """Whether the unit is a description (``score (1-5)``) rather than a unit word."""
    unit = kpi.unit.strip()
    return (unit.lower() not in PERCENT_UNITS and _CURRENCY.match(unit) is None
            and (len(unit) > 12 or "(" in unit))


def _val(kpi: Kpi, value: float | None, digits: int = 1) -> str:
    """A value with its unit: ``87%``, ``USD 288,000``, ``24 days``; a descriptive unit
    (``score (1-5)``) is named once per sentence instead of after every number."""
    if value is None:
        return "—"
    shown = number(value, digits)
    unit = kpi.unit.strip()
    currency = _CURRENCY.match(unit)
    if unit.lower() in PERCENT_UNITS:
        return f"{shown}%"
    if currency is not None:
        return f"{currency.group(1)} {shown}{currency.group(2) or ''}"
    return shown if _descriptive(kpi) else f"{shown} {unit}"


def unit_value(kpi: Kpi, value: float | None, digits: int = 1) -> str:
    """A value with its KPI's unit, as every page writes it (plain text, unescaped)."""
    return _val(kpi, value, digits)


def _mval(kpi: Kpi, value: float | None) -> Md:
    return text(_val(kpi, value))


def distinct_digits(values: list[float], digits: int = 1) -> int:
    """The fewest decimals (from ``digits``) that show different values differently."""
    distinct = set(values)
    for d in range(digits, MAX_DIGITS + 1):
        if len({str(number(v, d)) for v in distinct}) == len(distinct):
            return d
    return MAX_DIGITS


def kpi_sentence(kpi: Kpi, figs: KpiFigures, today: date | None = None) -> str:
    """One plain sentence: where the KPI went and whether it is on track (unescaped).

    Args:
        kpi: The KPI.
        figs: Its figures.
        today: The build date: a target due before it is "due", never "on track … by"
            a past date. Without it the latest data point's date stands in.
    """
    values = [v for v in (kpi.baseline.value, figs.latest, kpi.target.value) if v is not None]
    d = distinct_digits(values)
    name = f"{kpi.name}, in {kpi.unit.strip()}," if _descriptive(kpi) else kpi.name
    goal = _val(kpi, kpi.target.value, d)
    target = f"{goal} by {kpi.target.by}"
    if figs.latest is None:
        return f"{kpi.name}: no data yet; the target is {target}."
    if figs.status == KpiStatus.BASELINE_ONLY:
        unit = f" (in {kpi.unit.strip()})" if _descriptive(kpi) else ""
        return (f"{kpi.name}: {_val(kpi, figs.latest, d)}{unit} at the baseline, nothing "
                f"measured since; the target is {target}.")
    base, last = kpi.baseline.value, figs.latest
    verb = "fell" if last < base else "rose" if last > base else "stayed"
    move = (f"{verb} from {_val(kpi, base, d)} to {_val(kpi, last, d)}" if verb != "stayed"
            else f"stayed at {_val(kpi, base, d)}")
    status = STATUS_LABELS.get(figs.status, figs.status).lower()
    if figs.within_noise and figs.noise_known:
        status += " (within noise of the line)"
    elif figs.within_noise:
        status += " (within the widest band: too few values yet to estimate the noise)"
    elif figs.held:
        status += " (behind the noise band, by less than the margin that confirms a change)"
    stale = " The latest data is stale." if figs.stale else ""
    now = today or figs.latest_date
    if now is not None and kpi.target.by < now:
        return (f"{name} {move}; {status} against the target of {goal}, due "
                f"{kpi.target.by}.{stale}")
    return f"{name} {move}; {status} for {target}.{stale}"


def kpi_chart(view: ProgramView, kpi: Kpi, today: date | None = None) -> Md:
    """The chart of one KPI with its summary and numbers (the ``kpi_chart`` macro).

    ``today`` is the build date the summary judges the target's due date against.
    """
    figs = view.figures.kpis[kpi.id]
    min_n = view.figures.min_group_size
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
    if figs.band:
        traces.extend(charts.band("Noise band", [d for d, _, _ in figs.band],
                                  [lo for _, lo, _ in figs.band],
                                  [hi for _, _, hi in figs.band], charts.PALETTE["target"]))
    promised, promised_rows = forecast_trace(view, kpi)
    traces.extend(promised)
    shapes, notes = [], []
    for cp in figs.checkpoints:
        shape, note = charts.vline(str(cp.date), f"day {cp.day}")
        shapes.append(shape)
        notes.append(note)
    figure = {"data": traces, "layout": charts.layout(
        kpi.name, y_title=kpi.unit, shapes=shapes, annotations=notes)}
    # the numbers table is raw HTML: charts.embed escapes these plain strings as HTML
    rows = [[str(p.period), charts.SERIES_NAMES.get(p.group, p.group),
             FIELDING if p.fielding else f"fewer than {min_n}" if p.suppressed
             else number(p.value, 2),
             "" if p.fielding else f"fewer than {min_n}" if p.suppressed else str(p.n)]
            for p in figs.points] + promised_rows
    summary = kpi_sentence(kpi, figs, today)
    return raw_block(charts.embed(f"chart-{view.id}-{kpi.id}", figure, summary,
                                  ["Period", "Group", kpi.name, "n"], rows))


def _status_chips(status: str, stale: bool) -> Md:
    chips = chip(status, STATUS_LABELS.get(status))
    return cat(chips, Md(" "), chip("stale", "Stale")) if stale else chips


def kpi_table(view: ProgramView) -> Md:
    """All KPIs with baseline, target, latest value and status (the ``kpi_table`` macro)."""
    k = view.bundle.kpis
    if k is None:
        return not_defined("kpis.yml", "the measurement plan and KPI dashboard.")
    if not k.kpis:
        return Md("No KPIs are defined yet.\n")
    rows = []
    for kpi in k.kpis:
        f = view.figures.kpis[kpi.id]
        rows.append([cell(kpi.name), _mval(kpi, kpi.baseline.value),
                     fmt("{} by {}", _mval(kpi, kpi.target.value), kpi.target.by),
                     _mval(kpi, f.latest), _status_chips(f.status, f.stale)])
    return fmt("{}\n", table(labels("KPI", "Baseline", "Target", "Latest", "Status"), rows,
                             ["l", "r", "r", "r", "l"]))


def _origin_kind(src: Source) -> str:
    """How a source's rows reach the site, in words."""
    where = ("SQL in the warehouse, kept as a snapshot" if src.connection else
             "SQL run by DuckDB" if src.query or src.query_file else
             "rows added up by its measure" if src.measure else "")
    level = "person-level, aggregated only" if src.subject else "aggregate"
    return f"{where}; {level}" if where else level


def _columns(src: Source) -> Md:
    """The export's columns the source reads, so a reviewer can check them against it."""
    named = [("date", src.date), ("value", src.value), ("group", src.group),
             ("subject", src.subject), ("wave", src.wave), ("people counted in", src.count)]
    return join((fmt("{} {}", words(role), code(column)) for role, column in named if column),
                Md(", "))


def _spec(view: ProgramView, kpi: Kpi) -> Md:
    f = view.figures.kpis[kpi.id]
    src = kpi.source
    source = (fmt("{} ({})", code(src.origin if src.file or src.query_file else
                                  "SQL query in kpis.yml"),
                  words(_origin_kind(src)))
              if src else words("not yet connected"))
    rows = [[words("Owner"), cell(ROLE_TITLES[kpi.owner] if kpi.owner else None)],
            [words("Cadence"), text(kpi.cadence)],
            [words("Direction"), text(f"{kpi.direction} is better")],
            [words("Source"), source],
            *([[words("Columns"), _columns(src)]] if src else []),
            *([[words("Measure"), measure_line(src, kpi.cadence)]] if src and src.measure else []),
            [words("Last data point"), text(f.latest_date or "none yet")],
            [words("Fresh until"), cell(f.stale_after)]]
    out = fmt("{}\n", table(labels("Specification", "Value"), rows))
    if f.checkpoints:
        out = fmt("{}\n{}\n", out, table(
            labels("Checkpoint", "Date", "Trajectory", "Actual", "Status"), [
                [fmt("Day {}", c.day), text(c.date), _mval(kpi, c.expected),
                 _mval(kpi, c.actual),
                 chip(c.status, STATUS_LABELS.get(c.status)) if c.status else cell(c.note)]
                for c in f.checkpoints], ["l", "l", "r", "r", "l"]))
        if src is not None and src.wave:
            out = cat(out, Md("\nSurvey waves are judged only once measured: a checkpoint "
                              "reads the latest wave complete on that day, and before the "
                              "post wave it says that nothing has been measured since the "
                              "baseline.\n"))
    return out


def attribution(view: ProgramView) -> Md:
    """The attribution method, confounders, assumptions and data limits."""
    k = view.bundle.kpis
    a = k.attribution if k else None
    if a is None:
        return Md('!!! warning "No attribution method stated"\n    Effects below are not '
                  "separated from other causes. State a method in `kpis.yml`.\n")
    out = [Md('!!! info "How to read these figures"\n'),
           fmt("    **Attribution:** {}.\n", text(a.method.replace("-", " ")))]
    for title, values in (("Confounders", a.confounders), ("Assumptions", a.assumptions),
                          ("Data-quality limits", a.data_quality)):
        if values:
            out.append(fmt("    **{}:**\n", words(title)))
            out.extend(fmt("    - {}", text(v)) for v in values)
            out.append(Md(""))
    return fmt("{}\n", lines(out))


def attribution_line(view: ProgramView) -> Md:
    """A compact attribution note to stand beside each effect."""
    a = view.bundle.kpis.attribution if view.bundle.kpis else None
    if a is None:
        return Md("*Attribution: none stated, so this change is not separated from other "
                  "causes.*\n")
    parts = [fmt("*Attribution: {}", text(a.method.replace("-", " ")))]
    if a.confounders:
        parts.append(fmt("Confounders: {}", join((text(c) for c in a.confounders), Md(" · "))))
    if a.assumptions:
        parts.append(fmt("Assumptions: {}", join((text(x) for x in a.assumptions), Md(" · "))))
    return fmt("{}.*\n", join(parts, Md(". ")))


def _research(view: ProgramView, kpi: Kpi) -> list[Md]:
    """Where the KPI's effect stands against research; nothing for a KPI of no criterion."""
    placed = view.figures.benchmarks.get(kpi.id)
    line = research_line(placed) if placed is not None else None
    return [line] if line is not None else []


def measurement(view: ProgramView, site: SiteData) -> Md:
    """Measurement page."""
    p = view.bundle.program
    assert p is not None
    out = [heading(1, f"{p.title}: measurement"),
           fmt("Status as of {}. Each KPI is judged against a straight trajectory from "
               "its baseline to its target.\n", site.today)]
    k = view.bundle.kpis
    out.append(kpi_table(view))
    out.append(downloads.links(view))
    if k is None:
        return lines(out)
    out.append(attribution(view))
    out += [heading(2, "Attributable effects"), effects_table(view), research_section(view)]
    out.append(heading(2, "KPI dashboard"))
    for kpi in k.kpis:
        f = view.figures.kpis[kpi.id]
        out.append(heading(3, kpi.name))
        out.append(fmt("{} {} KPI · owner: {}\n", _status_chips(f.status, f.stale),
                       text(kpi.kind), words(ROLE_TITLES[kpi.owner] if kpi.owner else "none")))
        if kpi.description:
            out.append(fmt("{}\n", paragraphs(kpi.description)))
        if kpi.id in view.figures.effects:
            out.append(effect_line(kpi, view.figures.effects[kpi.id]))
            out.extend(_research(view, kpi))
        out.append(kpi_chart(view, kpi, site.today))
        out.append(_spec(view, kpi))
    if view.figures.behaviour:
        out.append(heading(2, "Behaviour change"))
        for kpi in k.kpis:
            effect = view.figures.behaviour.get(kpi.id)
            if effect is not None:
                out.append(behaviour_section(view, kpi, effect, attribution_line(view)))
                out.extend(_research(view, kpi))
    out.append(heading(2, "Fairness of AI tools"))
    out.append(fairness_section(view))
    return lines(out)
