"""Budget and KPI figures → Phillips ROI: TCO, benefit–cost ratio, ROI %, payback.

Sits after :mod:`playbook.figures.trajectory` (it reads each KPI's latest value) and
before the pages. Rules:

* **Costs** are fully loaded, per category and program year; the TCO is their
  sum over years 1..``horizon_years`` (later years are left out, with a note).
* **Explicit benefits** count ``amount × isolation × confidence`` in their year.
* **KPI benefits**: for each monetised KPI, an improvement over the baseline
  (in the KPI's better direction, 0 when there is none or it is worse) ×
  ``value_per_unit`` × isolation × confidence, per program year. With the
  program's start known, a year that has begun counts the *mean* improvement
  of the pilot points measured in it (a year is only credited with what was
  realised in it, not with where it ended), and a year still ahead counts the
  latest improvement held flat. Without it, every year counts the latest
  improvement. Either way nothing is extrapolated to the target. A KPI valued
  in another currency than the budget is left out, with a note.
* **BCR** = benefits / costs; **ROI %** = (benefits − costs) / costs × 100;
  both None when there are no costs.
* **Payback month**: costs and net benefits are spread evenly over the twelve
  months of their year; the first month (1-based) in which cumulative
  benefits reach cumulative costs, None if that never happens within the
  horizon (or there are no costs).
* **Scenarios**: ``low`` and ``high`` move every isolation and confidence by
  −/+ ``SENSITIVITY`` (clipped to 0..1); ``expected`` uses them as given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from playbook.figures.trajectory import KpiFigures
from playbook.model.measure import Kpi, Kpis
from playbook.model.money import Budget

SENSITIVITY = 0.2
"""How far the low and high scenarios move every isolation and confidence."""
NOTE_MEASURED = ("KPI benefits use the improvement measured, not the target: a year is "
                 "credited with the mean improvement realised in it, later years with the "
                 "latest one; all are discounted by isolation and confidence.")
NOTE_BEYOND = "Costs or benefits after the horizon are left out of the figures."
NOTE_CURRENCY = "A monetised KPI valued in another currency than the budget is left out."


@dataclass(frozen=True)
class BenefitLine:
    """One year of one benefit, before and after the Phillips discounts."""

    name: str
    year: int
    gross: float
    isolation: float
    confidence: float
    net: float
    source: str  # "explicit" or "kpi:<id>"


@dataclass(frozen=True)
class RoiScenario:
    """Headline ROI figures at one setting of isolation and confidence."""

    label: str  # "low" | "expected" | "high"
    benefits: float
    costs: float
    bcr: float | None
    roi_pct: float | None
    payback_month: int | None


@dataclass(frozen=True)
class RoiFigures:
    """The program's money figures."""

    currency: str
    horizon_years: int
    costs_by_category: dict[str, dict[int, float]]
    costs_by_year: dict[int, float]
    tco: float
    benefit_lines: list[BenefitLine]
    benefits: float
    bcr: float | None
    roi_pct: float | None
    payback_month: int | None
    scenarios: list[RoiScenario]
    intangibles: list[str]
    notes: list[str]
    benefits_by_year: dict[int, float] | None = None
    """Net benefits per year 1..horizon (expected scenario)."""
    costs_total_by_category: dict[str, float] = field(default_factory=dict)
    """Each cost category summed over the horizon (the budget table's last column)."""


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def payback_month(costs_by_year: dict[int, float], benefits_by_year: dict[int, float],
                  horizon: int) -> int | None:
    """Return the first month whose cumulative benefits reach cumulative costs.

    Each year's amounts are spread evenly over its twelve months.

    Args:
        costs_by_year: Costs per program year.
        benefits_by_year: Net benefits per program year.
        horizon: Number of years to look through.

    Returns:
        The 1-based month, or None if never within the horizon or without costs.
    """
    if sum(costs_by_year.get(y, 0.0) for y in range(1, horizon + 1)) <= 0:
        return None
    done_c = done_b = 0.0  # twelve times the cumulative sums of whole years
    for year in range(1, horizon + 1):
        c, b = costs_by_year.get(year, 0.0), benefits_by_year.get(year, 0.0)
        for month in range(1, 13):
            cum_c, cum_b = done_c + month * c, done_b + month * b
            if cum_b >= cum_c - 1e-9 * max(1.0, abs(cum_c)):
                return (year - 1) * 12 + month
        done_c, done_b = done_c + 12 * c, done_b + 12 * b
    return None


def improvement(kpi: Kpi, latest: float | None) -> float:
    """Return the measured improvement of a KPI over its baseline (0 if none or worse)."""
    if latest is None:
        return 0.0
    sign = 1.0 if kpi.direction == "increase" else -1.0
    return max(0.0, sign * (latest - kpi.baseline.value))


def realised(kpi: Kpi, fig: KpiFigures | None, year: int, start: date | None) -> float:
    """The improvement credited to program ``year`` (see the module docstring)."""
    if fig is None:
        return 0.0
    if start is None:
        return improvement(kpi, fig.latest)
    first = start + timedelta(days=365 * (year - 1))
    last = first + timedelta(days=365)
    values = [p.value for p in fig.points if p.group == fig.group and p.value is not None
              and first <= p.period < last]
    if values:
        return sum(improvement(kpi, v) for v in values) / len(values)
    return improvement(kpi, fig.latest) if fig.latest_date and fig.latest_date < first else 0.0


def _lines(budget: Budget, kpis: Kpis | None, kpi_figs: dict[str, KpiFigures],
           shift: float, notes: set[str], start: date | None) -> list[BenefitLine]:
    horizon = budget.horizon_years
    lines = []
    for b in budget.benefits:
        if b.year > horizon:
            notes.add(NOTE_BEYOND)
            continue
        iso, conf = _clip(b.isolation + shift), _clip(b.confidence + shift)
        lines.append(BenefitLine(b.name, b.year, b.amount, iso, conf, b.amount * iso * conf,
                                 "explicit"))
    for kpi in kpis.kpis if kpis else []:
        m = kpi.monetization
        if m is None:
            continue
        if m.currency != budget.currency:
            notes.add(NOTE_CURRENCY)
            continue
        fig = kpi_figs.get(kpi.id)
        iso, conf = _clip(m.isolation + shift), _clip(m.confidence + shift)
        for year in range(1, horizon + 1):
            gross = realised(kpi, fig, year, start) * m.value_per_unit
            lines.append(BenefitLine(kpi.name, year, gross, iso, conf, gross * iso * conf,
                                     f"kpi:{kpi.id}"))
    return lines


def _scenario(label: str, lines: list[BenefitLine], costs_by_year: dict[int, float],
              horizon: int) -> tuple[RoiScenario, dict[int, float]]:
    by_year = {y: sum(x.net for x in lines if x.year == y) for y in range(1, horizon + 1)}
    benefits, costs = sum(by_year.values()), sum(costs_by_year.values())
    bcr = benefits / costs if costs > 0 else None
    roi = (benefits - costs) / costs * 100 if costs > 0 else None
    return (RoiScenario(label, benefits, costs, bcr, roi,
                        payback_month(costs_by_year, by_year, horizon)), by_year)


def roi_figures(budget: Budget, kpis: Kpis | None, kpi_figs: dict[str, KpiFigures],
                start: date | None = None) -> RoiFigures:
    """Compute TCO, benefits, BCR, ROI %, payback and the low/high scenarios.

    Args:
        budget: Costs, explicit benefits and intangibles.
        kpis: The measurement plan (for monetised KPIs), if any.
        kpi_figs: Figures per KPI id, for the improvement measured to date.
        start: Day 0 of the program; with it, each year is credited with the
            improvement realised in it.

    Returns:
        The money figures; see the module docstring for the rules.
    """
    horizon = budget.horizon_years
    notes: set[str] = set()
    by_category: dict[str, dict[int, float]] = defaultdict(
        lambda: dict.fromkeys(range(1, horizon + 1), 0.0))
    for c in budget.costs:
        if c.year > horizon:
            notes.add(NOTE_BEYOND)
            continue
        by_category[c.category][c.year] += c.amount
    by_year = {y: sum(cat[y] for cat in by_category.values()) for y in range(1, horizon + 1)}
    scenarios = []
    expected_lines: list[BenefitLine] = []
    benefits_by_year: dict[int, float] = {}
    for label, shift in (("low", -SENSITIVITY), ("expected", 0.0), ("high", SENSITIVITY)):
        lines = _lines(budget, kpis, kpi_figs, shift, notes, start)
        scenario, per_year = _scenario(label, lines, by_year, horizon)
        scenarios.append(scenario)
        if label == "expected":
            expected_lines, benefits_by_year = lines, per_year
    if any(x.source.startswith("kpi:") for x in expected_lines):
        notes.add(NOTE_MEASURED)
    mid = scenarios[1]
    order = (NOTE_MEASURED, NOTE_BEYOND, NOTE_CURRENCY)
    return RoiFigures(budget.currency, horizon, dict(by_category), by_year, mid.costs,
                      expected_lines, mid.benefits, mid.bcr, mid.roi_pct, mid.payback_month,
                      scenarios, list(budget.intangibles), [n for n in order if n in notes],
                      benefits_by_year,
                      {c: sum(by.values()) for c, by in by_category.items()})
