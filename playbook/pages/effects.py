"""The attributable-effects table: how much of each KPI's change the program caused.

Reads :class:`~playbook.figures.effects.KpiEffect` objects; computes nothing.
An effect is always shown with how it was estimated and what that method
cannot rule out, so a before/after change is never read as the program's.
"""

from __future__ import annotations

from typing import Final

from playbook.figures.effects import EffectMethod, KpiEffect, TrendCheck
from playbook.figures.site import ProgramView
from playbook.model.measure import Kpi
from playbook.pages.mdtext import (
    Md,
    cell,
    fmt,
    join,
    labels,
    lines,
    number,
    percent,
    table,
    text,
    words,
)

METHOD_WORDS: Final = {
    EffectMethod.DID: "Difference-in-differences (HAC interval)",
    EffectMethod.ITS: "Interrupted time series (HAC interval)",
    EffectMethod.BEFORE_AFTER: "Before/after, unattributed",
    EffectMethod.NOT_ESTIMATED: "Not estimated",
}
"""How each method is named on the page."""

TREND_WORDS: Final = {
    TrendCheck.PARALLEL: "parallel before the start",
    TrendCheck.DIVERGING: "not parallel before the start",
    TrendCheck.CANNOT_ASSESS: "cannot be assessed",
}
"""The parallel-trends check, in words."""


def _signed(value: float | None, digits: int = 2) -> Md:
    if value is None:
        return cell(None)
    return fmt("{}{}", Md("+") if value > 0 else Md(""), number(value, digits))


def _interval(e: KpiEffect) -> Md:
    if e.ci_low is None or e.ci_high is None:
        return cell(None)
    return fmt("{} to {}", number(e.ci_low, 2), number(e.ci_high, 2))


def _row(kpi: Kpi, e: KpiEffect) -> list[Md]:
    share = percent(e.isolation * 100) if e.isolation is not None else cell(None)
    effect = (fmt("{} {}", _signed(e.estimate), text(kpi.unit)) if e.estimate is not None
              else cell(None))
    if e.ci_low is not None:
        effect = fmt("{} ({})", effect, _interval(e))
    return [cell(kpi.name), words(METHOD_WORDS[e.method]), effect, _signed(e.observed),
            share, words(TREND_WORDS[e.trend]) if e.trend else cell(None)]


def effects_table(view: ProgramView) -> Md:
    """Every aggregate KPI's attributable effect, with method, interval and caveats."""
    k = view.bundle.kpis
    found = [(kpi, view.figures.effects[kpi.id]) for kpi in (k.kpis if k else [])
             if kpi.id in view.figures.effects]
    if not found:
        return Md("No aggregate KPI has data yet, so no effect can be estimated.\n")
    rows = [_row(kpi, e) for kpi, e in found]
    out = [fmt("{}\n", table(labels("KPI", "Method", "Effect (95% interval)",
                                     "Observed change", "Attributable share", "Pre-trends"),
                             rows, ["l", "l", "r", "r", "r", "l"]))]
    notes = [fmt("{}: {} ({} periods before the start, {} after).", cell(kpi.name),
                 text(e.note), e.pre_periods, e.post_periods) for kpi, e in found]
    out.append(fmt("{}\n", join(notes, Md("\n\n"))))
    return lines(out)


def effect_line(kpi: Kpi, e: KpiEffect) -> Md:
    """One line beside a KPI's status: its attributable effect and how it was estimated."""
    if e.estimate is None:
        return fmt("*Attributable effect: not estimated ({}).*\n", text(e.note))
    interval = (fmt(" (95% interval {})", _interval(e)) if e.ci_low is not None else Md(""))
    caveat = (Md("; the groups were not parallel before the start")
              if e.trend == TrendCheck.DIVERGING else Md(""))
    return fmt("*Attributable effect: {} {}{}; {}{}.*\n", _signed(e.estimate),
               text(kpi.unit), interval, words(METHOD_WORDS[e.method]), caveat)
