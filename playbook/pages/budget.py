"""Budget and ROI page: costs, actual ROI to date, the forecast cases and their range.

Reads :class:`playbook.figures.roi.RoiFigures` only; every number is computed
there. Actual and forecast stay in separate sections and are never summed.
"""

from __future__ import annotations

from typing import Final

from playbook.checks.costs import LABELS
from playbook.figures import effects, montecarlo
from playbook.figures.benefits import IsolationBasis, KpiBenefit
from playbook.figures.montecarlo import NotEstimable, RoiRange
from playbook.figures.roi import RoiCase, RoiCaseKind, RoiFigures
from playbook.figures.site import ProgramView, SiteData
from playbook.model.choices import NpvTiming
from playbook.pages import charts
from playbook.pages.effects import CREDIBILITY_WORDS
from playbook.pages.forecast import roi_forecast
from playbook.pages.mdtext import (
    Md,
    cell,
    code,
    fmt,
    heading,
    join,
    labels,
    lines,
    money,
    not_defined,
    number,
    percent,
    raw_block,
    table,
    text,
    words,
)

CASE_LABELS = {RoiCaseKind.FIRST_YEAR: "First year", RoiCaseKind.MULTI_YEAR: "Multi-year"}

NOT_ESTIMABLE_WORDS: Final = {
    NotEstimable.NOTHING_VARIES: "not estimable: nothing uncertain varies",
    NotEstimable.SHORT_DATA: "not estimable: a monetised KPI has less than one full period "
                             "of data after the start, or too few values to measure its noise",
}
"""Why P(ROI > 0) is not shown, in words."""
TIMING_WORDS: Final = {
    NpvTiming.END: "as if it fell at the end of the year (npv_timing: end, the usual "
                   "convention)",
    NpvTiming.MID: "as if it fell in the middle of the year (npv_timing: mid)",
}
"""When in a year the NPV counts its flow, in words."""


def chance(r: RoiRange | None) -> Md:
    """P(ROI > 0) as a reader should see it: never 0% or 100%."""
    if r is None:
        return words("—")
    if r.p_positive is None:
        return words(NOT_ESTIMABLE_WORDS[r.not_estimable or NotEstimable.NOTHING_VARIES])
    low = montecarlo.P_SHOWN
    if r.p_positive < low:
        return fmt("< {}", percent(low * 100))
    if r.p_positive > 1 - low:
        return fmt("> {}", percent((1 - low) * 100))
    return percent(r.p_positive * 100)


def _costs(view: ProgramView, roi: RoiFigures) -> list[Md]:
    cur, years = roi.currency, list(range(1, roi.horizon_years + 1))
    rows = [[text(c.replace("_", " ")), *[money(by.get(y, 0), cur) for y in years],
             money(roi.costs_total_by_category[c], cur)]
            for c, by in roi.costs_by_category.items()]
    rows.append([Md("**Total**"), *[fmt("**{}**", money(roi.costs_by_year.get(y, 0), cur))
                                    for y in years], fmt("**{}**", money(roi.tco, cur))])
    out = [heading(2, "Costs by category and year"),
           fmt("{}\n", table(labels("Category", *[f"Year {y}" for y in years], "Total"),
                             rows, ["l", *["r"] * (len(years) + 1)])),
           fmt("**{}-year total cost of ownership: {}.**\n", roi.horizon_years,
               money(roi.tco, cur))]
    noted = [c for c in (view.bundle.budget.costs if view.bundle.budget else []) if c.note]
    if noted:
        # the category totals hide each line's estimate: a CFO checks how each was made
        out.append(fmt("**How the costs were estimated**\n\n{}\n", table(
            labels("Category", "Year", "Amount", "Estimate"),
            [[text(c.category.replace("_", " ")), text(c.year), money(c.amount, cur),
              cell(c.note)] for c in noted], ["l", "r", "r", "l"])))
    if roi.missing_costs:
        out.append(fmt('!!! warning "Costs are not fully loaded"\n    The budget has no cost '
                       "for {}, so every ROI below is overstated. Add the missing "
                       "categories to {}.\n", join((words(LABELS[c]) for c in roi.missing_costs),
                                                   Md(", ")), code("budget.yml")))
    if roi.cost_per_participant is not None:
        out.append(fmt("**Cost per participant: {}** ({}).\n",
                       money(roi.cost_per_participant, cur), words(
                           f"total cost of ownership over {roi.participants} participants"
                           if roi.participants_declared else
                           f"year-1 costs over the pilot cohort of {roi.participants} only; "
                           "a budget that covers more leaders than the pilot costs less per "
                           "leader: declare participants in budget.yml")))
    traces = [{"type": "bar", "name": c.replace("_", " "), "x": [f"Year {y}" for y in years],
               "y": [by.get(y, 0) for y in years]} for c, by in roi.costs_by_category.items()]
    figure = {"data": traces, "layout": charts.layout(
        "Costs by category and year", x_type="category", y_title=cur, barmode="stack")}
    out.append(raw_block(charts.embed(
        f"chart-{view.id}-costs", figure,
        f"Total cost of ownership over {roi.horizon_years} years is {money(roi.tco, cur)}.",
        ["Category", *[f"Year {y}" for y in years]],
        [[c, *[money(by.get(y, 0), cur) for y in years]]
         for c, by in roi.costs_by_category.items()])))
    return out


def _case_row(case: RoiCase, role: str, cur: str) -> list[Md]:
    r = case.range
    spread = (fmt("{} to {}", percent(r.p10), percent(r.p90)) if r else words("—"))
    return [fmt("{} ({})", words(CASE_LABELS[case.kind]), words(role)),
            money(case.benefits, cur), money(case.costs, cur), number(case.bcr, 2),
            percent(r.p50) if r else words("—"), spread, chance(r), percent(case.roi_pct),
            money(case.npv, cur),
            text(case.payback_month) if case.payback_month else
            words("no costs" if case.costs <= 0 else "not within year 1" if case.years == 1
                  else f"not within {case.years} years")]


def _forecast(roi: RoiFigures) -> list[Md]:
    cur, head = roi.currency, roi.headline
    out = [heading(2, "Forecast return on investment"),
           fmt("{}\n", table(labels("Case", "Benefits", "Costs", "Benefit–cost ratio",
                                    "ROI (median)", "ROI range (P10 to P90)", "P(ROI > 0)",
                                    "ROI at the point estimates", "NPV", "Payback month"),
                             [_case_row(head, "headline", cur),
                              _case_row(roi.sensitivity, "sensitivity", cur)],
                             ["l", *["r"] * 9]))]
    out.append(fmt("The headline counts {}. NPV discounts each year's net cash flow at {}% a "
                   "year, {}; KPI benefits {}. Payback is the month from which cumulative net "
                   "cash flow stays at or above zero.\n",
                   words("year-1 benefits against year-1 costs, as for a short program"
                         if head.kind is RoiCaseKind.FIRST_YEAR
                         else "every year of the horizon against the total cost of ownership"),
                   number(roi.discount_rate * 100, 2), words(TIMING_WORDS[roi.npv_timing]),
                   words("are held flat after year 1" if roi.benefit_decay == 0 else
                         f"lose {roi.benefit_decay:.0%} a year after year 1")))
    if roi.signs_differ:
        out.append(Md('!!! warning "The first-year and multi-year cases disagree in sign"\n'
                      "    One case shows a return and the other a loss: the headline alone "
                      "would mislead, so both are shown, here and on the overview.\n"))
    if not roi.rate_declared:
        out.append(fmt("{} declares no {}, so the default rate is used.\n",
                       code("budget.yml"), code("discount_rate")))
    r = head.range
    if r is not None:
        drawn = (fmt("over {}", join((text(v) for v in r.varied), Md("; "))) if r.varied
                 else words("with nothing uncertain to draw, so the range is a point"))
        out.append(fmt("The ROI is the median of {} Monte Carlo draws (seed {}) {}; shares "
                       "vary by ±{} points, clipped to 0–100%; costs are held at their value. "
                       "Benefits, costs, the benefit–cost ratio, NPV and payback are at the "
                       "point estimates.\n", number(r.draws), r.seed, drawn,
                       number(montecarlo.SHARE_SPREAD * 100)))
    return out


def _kpi_row(b: KpiBenefit, cur: str) -> list[Md]:
    basis = (words("data") if b.basis is IsolationBasis.DATA else words("estimate (hand-set)"))
    data = percent(b.data_isolation * 100) if b.data_isolation is not None else words("—")
    return [cell(b.name), words(b.method or "no data"), _change(b.observed, b.unit),
            _change(b.effect, b.unit), fmt("{} ({})", percent(b.isolation * 100), basis),
            fmt("{} / {}", percent(b.declared_isolation * 100), data),
            percent(b.confidence * 100), money(b.per_year, cur), money(b.realised, cur),
            _break_even(b)]


def _break_even(b: KpiBenefit) -> Md:
    """The break-even improvement; at or below zero the other benefits already cover the
    costs, which a negative number would hide."""
    if b.break_even is not None and b.break_even <= 0:
        return words("none needed: the other benefits already cover the costs")
    return _change(b.break_even, b.unit)


def share_rule(b: KpiBenefit) -> Md:
    """Which share a KPI's benefit uses, and why: both shares with the rule."""
    why = words(CREDIBILITY_WORDS[b.credibility])
    if b.basis is IsolationBasis.DATA:
        return fmt("- {}: the data-derived share {} is used ({}).", cell(b.name),
                   percent(b.isolation * 100), why)
    if b.data_isolation is None:
        return fmt("- {}: the declared share {} is used ({}).", cell(b.name),
                   percent(b.declared_isolation * 100), why)
    return fmt("- {}: the declared share {} is used, not the data-derived {} ({}).",
               cell(b.name), percent(b.declared_isolation * 100),
               percent(b.data_isolation * 100), why)


def _change(value: float | None, unit: str) -> Md:
    return fmt("{} {}", number(value, 2), text(unit)) if value is not None else words("—")


def _actual(roi: RoiFigures) -> list[Md]:
    cur, a = roi.currency, roi.actual
    out = [heading(2, "Actual return to date")]
    if a is None:
        return [*out, Md("The program has not started yet.\n")]
    out.append(fmt("Realised from measured effects up to {}: benefits {} against costs "
                   "incurred of {}; ROI to date {}. Declared estimates are not counted here, "
                   "and this figure is never added to the forecast.\n", a.as_of,
                   money(a.benefits, cur), money(a.costs, cur), percent(a.roi_pct)))
    if roi.kpi_benefits:
        out.append(fmt("{}\n", table(labels(
            "KPI", "Effect method", "Measured change", "Attributable effect", "Isolation",
            "Declared / data-derived share", "Confidence", "Counted per year",
            "Realised to date", "Break-even improvement"),
            [_kpi_row(b, cur) for b in roi.kpi_benefits], ["l", "l", *["r"] * 8])))
        out.append(Md("Changes are in each KPI's unit, positive when better. The break-even "
                      "improvement is the change at which the headline ROI is zero, every "
                      "other benefit held; none is needed when the other benefits already "
                      "cover the costs.\n"))
        out.append(fmt("A data-derived share replaces the declared one only when the effect "
                       "is credible: its {} interval excludes zero and, for a "
                       "difference-in-differences, the groups moved in parallel before the "
                       "start on a test that could detect a drift as large as the effect. "
                       "Then the effect itself is counted, never capped at the change "
                       "observed.\n\n{}\n", percent(effects.LEVEL * 100),
                       join((share_rule(b) for b in roi.kpi_benefits), Md("\n"))))
    return out


def _lines(roi: RoiFigures) -> list[Md]:
    out = [heading(2, "Forecast benefits by year (Phillips)")]
    if not roi.benefit_lines:
        return [*out, Md("No benefits are estimated yet: add `benefits` or a KPI "
                         "`monetization`.\n")]
    out.append(Md("Each benefit counts only the share attributed to the program (isolation) "
                  "and is discounted by the confidence in the estimate.\n"))
    out.append(fmt("{}\n", table(
        labels("Benefit", "Year", "Gross", "Isolation", "Confidence", "Counted"), [
            [cell(b.name), text(b.year), money(b.gross, roi.currency),
             fmt("{} ({})", percent(b.isolation * 100), words(b.basis.value)),
             percent(b.confidence * 100), money(b.net, roi.currency)]
            for b in roi.benefit_lines], ["l", "r", "r", "r", "r", "r"])))
    return out


def budget(view: ProgramView, site: SiteData) -> Md:
    """Budget and ROI page."""
    p = view.bundle.program
    assert p is not None
    out = [heading(1, f"{p.title}: budget and ROI")]
    roi = view.figures.roi
    if view.bundle.budget is None or roi is None:
        out.append(not_defined("budget.yml", "the costs, benefits and 3-year TCO."))
        return lines(out)
    out.extend(_costs(view, roi))
    out.extend(_actual(roi))
    out.extend(_forecast(roi))
    promised = view.figures.forecast.roi if view.figures.forecast else None
    if promised is not None:  # the business case's promise, read against the case above
        out.append(roi_forecast(promised, "the first-year case above"))
    out.extend(_lines(roi))
    for note in roi.notes:
        out.append(fmt("- {}", text(note)))
    if roi.intangibles:
        out.append(Md(""))
        out.append(heading(2, "Intangible benefits (not monetised)"))
        out.extend(fmt("- {}", text(i)) for i in roi.intangibles)
    return fmt("{}\n", lines(out))
