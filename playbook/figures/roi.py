"""Budget, KPI effects → ROI by finance conventions (Phillips), actual apart from forecast.

Sits after :mod:`playbook.figures.effects` and before the pages; the benefit
rules are in :mod:`.benefits`, the cash-flow arithmetic in :mod:`.cashflow`,
the range in :mod:`.montecarlo`. Rules:

* **Costs** are fully loaded, per category and program year; the TCO is their
  sum over years 1..``horizon_years``. Checklist categories missing from the
  budget (:data:`playbook.model.money.LOADED_COSTS`) are listed and warned about.
* **Actual** ROI (to date): benefits realised from measured effects only,
  against the costs incurred from the start to the build date. Declared
  benefits are estimates and never enter it; actual and forecast are never added.
* **Forecast**, year by year: each monetised KPI at its measured run rate,
  less ``benefit_decay`` a year after the first, plus the declared benefits
  (``amount × isolation × confidence``) in their year. Never the target.
* **Cases**: the *first-year* case counts year-1 benefits against year-1
  costs; the *multi-year* case counts the whole horizon against the TCO. The
  headline is the first-year case for a short program (a pilot of at most
  :data:`SHORT_PROGRAM_DAYS` days), the multi-year case otherwise; the other is
  a sensitivity; when the two ROIs fall on different sides of zero the
  headline shows both. Each has BCR, ROI % at the point estimates, NPV at the
  discount rate, lasting payback and a Monte Carlo range whose median is the
  headline ROI (:mod:`.montecarlo`).
* **Break-even** per KPI: the improvement at which the headline ROI is 0,
  every other benefit held. **Cost per participant**: the TCO over the
  declared ``participants``, else year-1 costs over the pilot cohort.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Final

from playbook.figures import cashflow, montecarlo
from playbook.figures.benefits import IsolationBasis, KpiBenefit, decayed, kpi_benefit
from playbook.figures.effects import KpiEffect
from playbook.figures.montecarlo import RoiRange
from playbook.figures.trajectory import KpiFigures
from playbook.model.choices import NpvTiming
from playbook.model.measure import Kpi, Kpis
from playbook.model.money import DEFAULT_DISCOUNT_RATE, Benefit, Budget, missing_loaded_costs

SHORT_PROGRAM_DAYS: Final = 365
"""A pilot of at most this many days is a short program: its headline is the first year."""
NOTE_BEYOND: Final = "Costs or benefits after the horizon are left out of the figures."
NOTE_CURRENCY: Final = "A monetised KPI valued in another currency than the budget is left out."
NOTE_NO_EFFECT: Final = ("A monetised KPI with no measured change since the start counts "
                         "nothing yet.")
NOTE_ESTIMATE: Final = ("Isolation shares set by hand (declared benefits, and KPIs whose "
                        "change the data cannot credibly attribute) are estimates, labelled "
                        "so.")


class RoiCaseKind(StrEnum):
    """Which benefits an ROI case counts."""

    FIRST_YEAR = "first-year"
    """Year-1 benefits against year-1 costs (Phillips, short programs)."""
    MULTI_YEAR = "multi-year"
    """Every year of the horizon against the total cost of ownership."""


@dataclass(frozen=True)
class BenefitLine:
    """One forecast year of one benefit, before and after the Phillips discounts."""

    name: str
    """The declared benefit's name, or the monetised KPI's."""
    year: int
    """Program year the line falls in (1 to the horizon)."""
    gross: float
    """Value before isolation and confidence, in the budget's currency: the declared amount, or the
    KPI's observed change times its value per unit, decayed."""
    isolation: float
    """Share of the value attributed to the program (0–1)."""
    confidence: float
    """Confidence share counted (0–1), the Phillips discount."""
    net: float
    """Benefit counted, in the budget's currency: gross × isolation × confidence (for a credible KPI
    effect, the effect's value × confidence), decayed."""
    source: str
    """``explicit`` for a benefit declared in ``budget.yml``, ``kpi:<id>`` for a monetised KPI."""
    basis: IsolationBasis
    """Whether the isolation share comes from data or is an estimate."""


@dataclass(frozen=True)
class RoiCase:
    """The forecast ROI over the first ``years`` program years."""

    kind: RoiCaseKind
    """Which benefits the case counts: ``first-year`` or ``multi-year``."""
    years: int
    """Program years counted: 1 for the first-year case, the horizon for the multi-year one."""
    benefits: float
    """Forecast benefits counted over those years, in the budget's currency."""
    costs: float
    """Costs over those years, in the budget's currency."""
    bcr: float | None
    """Benefit-cost ratio, ``benefits / costs``; None without costs."""
    roi_pct: float | None
    """ROI at the point estimates (every input at its value)."""
    npv: float
    """Net present value of the case's yearly net cash flows at the discount rate."""
    payback_month: int | None
    """Month from which cumulative net cash flow stays non-negative; None if never."""
    range: RoiRange | None
    """The ROI's Monte Carlo spread; its median is the headline ROI. None without costs."""

    @property
    def central_pct(self) -> float | None:
        """The ROI a reader is told: the median of the draws, else the point ROI."""
        return self.range.p50 if self.range is not None else self.roi_pct


@dataclass(frozen=True)
class ActualRoi:
    """ROI realised to date: measured benefits against costs incurred so far."""

    as_of: date
    """The day the figures are for (``today``)."""
    benefits: float
    """Benefits realised to date from measured effects only, in the budget's currency."""
    costs: float
    """Costs incurred from the start to ``as_of``, in the budget's currency."""
    roi_pct: float | None
    """``(benefits − costs) / costs × 100``; None while nothing is spent."""


@dataclass(frozen=True)
class RoiFigures:
    """The program's money figures."""

    currency: str
    """ISO 4217 code of every amount, from ``budget.yml``."""
    horizon_years: int
    """Program years the total cost of ownership covers."""
    costs_by_category: dict[str, dict[int, float]]
    """Fully loaded costs per category, then per program year (1 to ``horizon_years``), in
    ``currency``."""
    costs_by_year: dict[int, float]
    """Costs per program year over every category, in ``currency``."""
    costs_total_by_category: dict[str, float]
    """Each category's costs over the horizon, in ``currency``."""
    tco: float
    """Total cost of ownership: every cost of years 1 to ``horizon_years``, in ``currency``."""
    missing_costs: list[str]
    """Checklist categories with no cost line: the costs are not fully loaded."""
    kpi_benefits: list[KpiBenefit]
    """What each monetised KPI valued in ``currency`` is worth, in the plan's order."""
    benefit_lines: list[BenefitLine]
    """The forecast's benefits per year (KPI run rates with decay, declared estimates)."""
    benefits_by_year: dict[int, float]
    """Forecast benefits counted per program year (the ``net`` of ``benefit_lines``), in
    ``currency``."""
    actual: ActualRoi | None
    """None before the program starts."""
    headline: RoiCase
    """The case the site leads with: first-year for a pilot of at most 365 days, else multi-year."""
    sensitivity: RoiCase
    """The other case, shown beside the headline."""
    discount_rate: float
    """Yearly rate the NPV discounts at, as a share (0.08 = 8 %): as declared, else the default."""
    rate_declared: bool
    """Whether ``budget.yml`` declares ``discount_rate`` (else the default is used)."""
    npv_timing: NpvTiming
    """When in each program year the NPV counts its net cash flow."""
    benefit_decay: float
    """Share of a KPI benefit lost each year after the first (0 holds it flat)."""
    cost_per_participant: float | None
    """TCO per declared participant, else year-1 costs per leader of the pilot cohort, in
    ``currency``; None without either count."""
    participants: int | None
    """Declared participants, else the pilot's cohort size; None without either."""
    participants_declared: bool
    """Whether ``participants`` is declared in ``budget.yml`` (else it is the cohort size)."""
    intangibles: list[str]
    """Benefits reported but not monetised, as ``budget.yml`` lists them."""
    notes: list[str]
    """Fixed notes on what the figures leave out or estimate, in a fixed order."""
    signs_differ: bool = False
    """The first-year and multi-year ROI fall on different sides of zero: the headline
    then shows both, since either alone would mislead."""


def _case(kind: RoiCaseKind, by_year: dict[int, float], costs_by_year: dict[int, float],
          rate: float, timing: NpvTiming, draws: montecarlo.Draws) -> RoiCase:
    years = 1 if kind is RoiCaseKind.FIRST_YEAR else len(costs_by_year)
    benefits = sum(by_year.get(y, 0.0) for y in range(1, years + 1))
    costs = sum(costs_by_year.get(y, 0.0) for y in range(1, years + 1))
    net = {y: by_year.get(y, 0.0) - costs_by_year.get(y, 0.0) for y in range(1, years + 1)}
    return RoiCase(kind, years, benefits, costs, benefits / costs if costs > 0 else None,
                   (benefits - costs) / costs * 100 if costs > 0 else None,
                   cashflow.npv(net, rate, timing),
                   cashflow.payback_month(costs_by_year, by_year, years),
                   montecarlo.roi_range(draws, costs_by_year, years))


def _break_even(b: KpiBenefit, case: RoiCase, decay: float) -> float | None:
    """Improvement at which ``case`` breaks even, every other benefit held at its value."""
    share = 1.0 if b.basis is IsolationBasis.DATA else b.isolation
    years = sum(decayed(1.0, decay, y) for y in range(1, case.years + 1))
    per_unit = share * b.confidence * b.value_per_unit * years
    if per_unit <= 0 or case.costs <= 0:
        return None
    others = case.benefits - b.per_year * years
    needed = (case.costs - others) / per_unit
    return needed if math.isfinite(needed) else None  # a denormal share overflows


def roi_figures(budget: Budget, kpis: Kpis | None, kpi_figs: dict[str, KpiFigures],
                effects: dict[str, KpiEffect], *, start: date, today: date,
                pilot_days: int = 90, cohort_size: int | None = None) -> RoiFigures:
    """Compute the costs, the actual and forecast ROI, the cases and their ranges.

    Args:
        budget: Costs, declared benefits, intangibles and finance settings.
        kpis: The measurement plan (for monetised KPIs), if any.
        kpi_figs: Figures per KPI id, for the date of the latest measurement.
        effects: Attributable effect per KPI id.
        start: Day 0 of the program.
        today: The day the figures are for.
        pilot_days: Length of the pilot; it decides whether the program is short.
        cohort_size: Leaders in the pilot, for the cost per participant.

    Returns:
        The money figures; see the module docstring for the rules.
    """
    horizon = budget.horizon_years
    notes: set[str] = set()
    by_category = _costs(budget, notes)
    costs_by_year = {y: sum(cat[y] for cat in by_category.values())
                     for y in range(1, horizon + 1)}
    tco = sum(costs_by_year.values())
    explicit = [x for x in budget.benefits if x.year <= horizon]
    if len(explicit) < len(budget.benefits):
        notes.add(NOTE_BEYOND)
    valued = [kpi_benefit(kpi, effects.get(kpi.id), kpi_figs.get(kpi.id), start, today,
                          horizon) for kpi in _monetised(budget, kpis, notes)]
    decay = budget.benefit_decay
    lines = _lines(valued, explicit, decay, horizon)
    _basis_notes(explicit, valued, notes)
    by_year = {y: sum(x.net for x in lines if x.year == y) for y in range(1, horizon + 1)}
    rate = DEFAULT_DISCOUNT_RATE if budget.discount_rate is None else budget.discount_rate
    draws = montecarlo.benefit_draws(valued, explicit, decay, horizon)
    first, multi = (_case(kind, by_year, costs_by_year, rate, budget.npv_timing, draws)
                    for kind in (RoiCaseKind.FIRST_YEAR, RoiCaseKind.MULTI_YEAR))
    headline, other = (first, multi) if pilot_days <= SHORT_PROGRAM_DAYS else (multi, first)
    valued = [replace(b, break_even=_break_even(b, headline, decay)) for b in valued]
    actual = None
    if today >= start:  # before the start nothing is spent or realised yet
        spent = cashflow.costs_to_date(costs_by_year, start, today, horizon)
        realised = sum(b.realised for b in valued)
        actual = ActualRoi(today, realised, spent,
                           (realised - spent) / spent * 100 if spent > 0 else None)
    people = budget.participants or cohort_size
    order = (NOTE_BEYOND, NOTE_CURRENCY, NOTE_NO_EFFECT, NOTE_ESTIMATE)
    return RoiFigures(
        currency=budget.currency, horizon_years=horizon, costs_by_category=by_category,
        costs_by_year=costs_by_year,
        costs_total_by_category={c: sum(by.values()) for c, by in by_category.items()},
        tco=tco, missing_costs=missing_loaded_costs(budget), kpi_benefits=valued,
        benefit_lines=lines, benefits_by_year=by_year, actual=actual, headline=headline,
        sensitivity=other, discount_rate=rate, rate_declared=budget.discount_rate is not None,
        npv_timing=budget.npv_timing,
        benefit_decay=decay,
        cost_per_participant=_per_person(budget, tco, costs_by_year, people),
        participants=people, participants_declared=budget.participants is not None,
        intangibles=list(budget.intangibles), notes=[n for n in order if n in notes],
        signs_differ=_signs_differ(headline, other))


def _signs_differ(a: RoiCase, b: RoiCase) -> bool:
    """Whether the two cases' ROIs fall on different sides of zero."""
    x, y = a.central_pct, b.central_pct
    return x is not None and y is not None and (x > 0) != (y > 0)


def _basis_notes(explicit: list[Benefit], valued: list[KpiBenefit], notes: set[str]) -> None:
    """Say when a KPI counts nothing yet, and when a share set by hand is used."""
    notes.update(NOTE_NO_EFFECT for b in valued if b.observed is None)
    if explicit or any(b.basis is IsolationBasis.ESTIMATE and b.observed is not None
                       for b in valued):
        notes.add(NOTE_ESTIMATE)


def _monetised(budget: Budget, kpis: Kpis | None, notes: set[str]) -> list[Kpi]:
    """The plan's monetised KPIs valued in the budget's currency (others noted)."""
    out = []
    for kpi in kpis.kpis if kpis else []:
        m = kpi.monetization
        if m is not None and m.currency != budget.currency:
            notes.add(NOTE_CURRENCY)
        elif m is not None:
            out.append(kpi)
    return out


def _per_person(budget: Budget, tco: float, costs_by_year: dict[int, float],
                people: int | None) -> float | None:
    """TCO per declared participant, else year-1 costs per pilot leader."""
    if not people:
        return None
    return (tco if budget.participants else costs_by_year.get(1, 0.0)) / people


def _costs(budget: Budget, notes: set[str]) -> dict[str, dict[int, float]]:
    """Costs per category and program year within the horizon (every year present)."""
    horizon = budget.horizon_years
    by_category: dict[str, dict[int, float]] = defaultdict(
        lambda: dict.fromkeys(range(1, horizon + 1), 0.0))
    for c in budget.costs:
        if c.year > horizon:
            notes.add(NOTE_BEYOND)
            continue
        by_category[c.category][c.year] += c.amount
    return dict(by_category)


def _lines(valued: list[KpiBenefit], explicit: list[Benefit], decay: float,
           horizon: int) -> list[BenefitLine]:
    """The forecast's benefit lines: declared estimates first, then KPI run rates."""
    out = [BenefitLine(x.name, x.year, x.amount, x.isolation, x.confidence,
                       x.amount * x.isolation * x.confidence, "explicit",
                       IsolationBasis.ESTIMATE) for x in explicit]
    for b in valued:
        gross = (b.observed or 0.0) * b.value_per_unit
        for year in range(1, horizon + 1):
            out.append(BenefitLine(b.name, year, decayed(gross, decay, year), b.isolation,
                                   b.confidence, decayed(b.per_year, decay, year),
                                   f"kpi:{b.kpi_id}", b.basis))
    return out
