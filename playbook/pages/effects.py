"""The attributable-effects table: how much of each KPI's change the program caused.

Reads :class:`~playbook.figures.effects.KpiEffect` objects; computes nothing.
An effect is always shown with how it was estimated and what that method
cannot rule out, so a before/after change is never read as the program's.
"""

from __future__ import annotations

from typing import Final

from playbook.figures import effects, timefit
from playbook.figures.attribution import Credibility, EffectMethod, TrendCheck
from playbook.figures.effects import KpiEffect
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
    EffectMethod.DID: "Difference-in-differences",
    EffectMethod.ITS: "Interrupted time series",
    EffectMethod.BEFORE_AFTER: "Before/after, unattributed",
    EffectMethod.NOT_ESTIMATED: "Not estimated",
}
"""How each method is named on the page."""

TREND_WORDS: Final = {
    TrendCheck.PARALLEL: "parallel before the start",
    TrendCheck.DIVERGING: "not parallel before the start",
    TrendCheck.CANNOT_ASSESS: "too few periods to test",
}
"""The parallel-trends check, in words."""


CREDIBILITY_WORDS: Final = {
    Credibility.CREDIBLE: f"credible: its {effects.LEVEL:.0%} interval excludes zero and "
                          "nothing in the pre-period argues against it",
    Credibility.UNATTRIBUTED: "no comparison group or trend attributes the change",
    Credibility.NOT_ESTIMABLE: "the effect has no interval (not estimable)",
    Credibility.INTERVAL_INCLUDES_ZERO: f"the effect's {effects.LEVEL:.0%} interval "
                                        "includes zero",
    Credibility.DIVERGING: "the groups were already drifting apart before the start",
    Credibility.UNTESTED: f"fewer than {effects.MIN_TREND_PERIODS} periods before the start "
                          "to test parallel trends",
    Credibility.UNDERPOWERED: "the pre-trend test could only have detected a drift larger "
                              f"than the effect, at {timefit.TREND_POWER:.0%} power",
}
"""Why a data-derived share is used or not, in words."""


def _signed(value: float | None, digits: int = 2) -> Md:
    if value is None:
        return cell(None)
    return fmt("{}{}", Md("+") if value > 0 else Md(""), number(value, digits))


def _interval(e: KpiEffect) -> Md:
    if e.ci_low is None or e.ci_high is None:
        return cell(None)
    return fmt("{} to {}", number(e.ci_low, 2), number(e.ci_high, 2))


def _row(kpi: Kpi, e: KpiEffect) -> list[Md]:
    share = cell(None)
    if e.isolation is not None:
        share = fmt("{} ({})", percent(e.isolation * 100),
                    words("credible" if e.credibility is Credibility.CREDIBLE else "not used: "
                          + CREDIBILITY_WORDS[e.credibility]))
    effect = (fmt("{} {}", _signed(e.estimate), text(kpi.unit)) if e.estimate is not None
              else cell(None))
    if e.ci_low is not None:
        effect = fmt("{} ({})", effect, _interval(e))
    return [cell(kpi.name), words(METHOD_WORDS[e.method]), effect, _signed(e.observed),
            share, _trend(e)]


def _trend(e: KpiEffect) -> Md:
    if e.trend is None:
        return cell(None)
    if e.credibility is Credibility.UNDERPOWERED:
        return words("no drift detected, on a test too weak to see one the effect's size")
    return words(TREND_WORDS[e.trend])


def _detail(e: KpiEffect) -> Md:
    """Which standard error the interval uses, and what the pre-trend test could see."""
    out = Md("")
    if e.se_method is not None:
        out = fmt("; {} standard errors (the larger of Newey–West and OLS)",
                  words("Newey–West" if e.se_method is timefit.SeMethod.HAC else "OLS"))
    if e.trend_detectable is not None:
        out = fmt("{}; the pre-trend test could detect a drift of {} or more", out,
                  number(abs(e.trend_detectable), 2))
    return out


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
    notes = [fmt("{}: {} ({} periods before the start, {} after){}.", cell(kpi.name),
                 text(e.note), e.pre_periods, e.post_periods, _detail(e)) for kpi, e in found]
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
