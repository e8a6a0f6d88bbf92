"""Numbers no real program has: beyond computing (an error) or implausible (a finding).

Runs with the other cross-file checks. Every number of a program's files and of
its KPIs' data meets two rules, each a module constant the methodology quotes:

* **Not finite when computed** (an error): a number of a program file larger in
  size than :data:`MAX_COMPUTABLE`, or a cost above zero but below
  :data:`MIN_COMPUTABLE`.
  Squared in a variance, multiplied into a benefit, summed over years or
  divided into an ROI, such a number leaves floating point and every figure
  built on it would read ``inf`` or ``nan``. Every float field of every file is
  checked, by walking the models, so a new field is covered without a rule.
* **Days** (a pilot's ``duration_days``, a milestone's ``day``, a phase's
  ``days``): more than :data:`MAX_DAYS` is implausible (a finding), more than
  :data:`MAX_CALENDAR_DAYS` an error, since dates reckoned from it leave the
  calendar.
* **Implausible for its unit** (a finding): an amount of money (a cost, a
  declared benefit or its range, a KPI's value per unit) above
  :data:`MAX_MONEY` or a cost above zero but below :data:`MIN_MONEY`; a KPI
  value (baseline, target, a data value) outside :data:`UNIT_RANGES` for its
  unit, or above :data:`MAX_VALUE` in size for any other unit. The figures are
  computed, but a reader should not trust them until the number is confirmed.
  Data values are findings, never errors: the figures state what they cannot
  estimate from them (a survey's ``values-unusable``, an effect "not estimated").
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType
from typing import Final

from pydantic import BaseModel

from playbook.load.reporter import Reporter
from playbook.load.yaml_source import Path_
from playbook.model.findings import FindingCode
from playbook.model.measure import Kpi

MAX_COMPUTABLE: Final = 1e100
"""Largest size of a number the figures compute with: its square, or its product
with another such number, stays finite."""
MIN_COMPUTABLE: Final = 1e-100
"""Smallest cost above zero the figures divide by: below it an ROI overflows."""
MAX_MONEY: Final = 1e12
"""Largest plausible amount of one cost or benefit line, in the budget's currency."""
MIN_MONEY: Final = 0.01
"""Smallest plausible cost above zero: less than a cent is a unit error."""
MAX_DAYS: Final = 36_525
"""Largest plausible count of days (a pilot's length, a milestone's day): a century."""
MAX_CALENDAR_DAYS: Final = 2_000_000
"""Largest count of days the figures can add to a date: beyond it they pass year 9999."""
MAX_VALUE: Final = 1e12
"""Largest plausible size of a KPI value in a unit without a range of its own."""
UNIT_RANGES: Final = MappingProxyType({
    "percent": (-1_000.0, 1_000.0), "%": (-1_000.0, 1_000.0), "pct": (-1_000.0, 1_000.0),
    "percentage": (-1_000.0, 1_000.0), "days": (-36_525.0, 36_525.0),
    "day": (-36_525.0, 36_525.0), "hours": (-876_600.0, 876_600.0),
    "hour": (-876_600.0, 876_600.0), "weeks": (-5_218.0, 5_218.0),
    "months": (-1_200.0, 1_200.0), "years": (-100.0, 100.0)})
"""Plausible range of a KPI value by unit (time: a century either way; a percentage:
ten times the whole)."""
_STEMS: Final = ("program", "competencies", "roadmap", "vendors", "kpis", "budget",
                 "reviews", "ai")


def _numbers(value: object, loc: Path_) -> Iterator[tuple[Path_, float]]:
    """Every number in a model, with its location."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _numbers(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _numbers(item, (*loc, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, (*loc, str(key)))


def _is_days(loc: Path_) -> bool:
    """Whether a number counts days: its field, or the list holding it, names days."""
    return any(isinstance(part, str) and "day" in part for part in loc[-2:])


def _days(report: Reporter, stem: str, loc: Path_, x: float) -> None:
    if abs(x) > MAX_CALENDAR_DAYS:
        report.add(stem, loc, f"{x:,.0f} days is beyond the calendar: dates reckoned from "
                   "it pass the year 9999", "give the number of days")
    else:
        _implausible(report, loc, stem, f"{x:,.0f} days is more than a century",
                     "give the number of days")


def _computable(report: Reporter) -> None:
    for stem in _STEMS:
        for loc, x in _numbers(getattr(report.bundle, stem), ()):
            if _is_days(loc) and MAX_DAYS < abs(x) <= MAX_COMPUTABLE:
                _days(report, stem, loc, x)
            if abs(x) > MAX_COMPUTABLE:
                # a whole number may be beyond any float: its digits say its size
                shown = (f"{x:.3g}" if isinstance(x, float)
                         else f"a {len(str(abs(x)))}-digit number")
                report.add(stem, loc, f"{shown} is too large to compute with (above "
                           f"{MAX_COMPUTABLE:.0e} in size): every figure built on it would "
                           "be infinite or not a number", "check the unit and the value")
    budget = report.bundle.budget
    for i, c in enumerate(budget.costs if budget else []):
        if 0 < c.amount < MIN_COMPUTABLE:
            report.add("budget", ("costs", i, "amount"), f"{c.amount:.3g} is too small to "
                       f"divide by (below {MIN_COMPUTABLE:.0e}): the ROI would be infinite",
                       "give the amount in whole currency units, or 0")


def _implausible(report: Reporter, loc: Path_, stem: str, message: str, hint: str) -> None:
    report.add(stem, loc, message, hint, code=FindingCode.IMPLAUSIBLE)


def _money(report: Reporter) -> None:
    budget = report.bundle.budget
    amounts: list[tuple[str, Path_, float]] = []
    if budget is not None:
        amounts += [("budget", ("costs", i, "amount"), c.amount)
                    for i, c in enumerate(budget.costs)]
        for i, b in enumerate(budget.benefits):
            amounts += [("budget", ("benefits", i, name), v) for name, v in
                        (("amount", b.amount), ("amount_low", b.amount_low),
                         ("amount_high", b.amount_high)) if v is not None]
    plan = report.bundle.kpis
    amounts += [("kpis", ("kpis", i, "monetization", "value_per_unit"),
                 k.monetization.value_per_unit)
                for i, k in enumerate(plan.kpis if plan else []) if k.monetization]
    for stem, loc, x in amounts:
        if abs(x) > MAX_MONEY and abs(x) <= MAX_COMPUTABLE:
            _implausible(report, loc, stem, f"{x:.3g} is more than {MAX_MONEY:.0e} for one "
                         "line", "check whether the unit is cents or thousands, and the value")
        elif loc[0] == "costs" and 0 < x < MIN_MONEY and x >= MIN_COMPUTABLE:
            _implausible(report, loc, stem, f"{x:.3g} is less than {MIN_MONEY:g} for a "
                         "cost", "give the amount in whole currency units, or 0")


def value_range(kpi: Kpi) -> tuple[float, float]:
    """The plausible range of a value of ``kpi``, by its unit."""
    return UNIT_RANGES.get(kpi.unit.strip().lower(), (-MAX_VALUE, MAX_VALUE))


def _kpi_values(report: Reporter) -> None:
    plan = report.bundle.kpis
    for i, kpi in enumerate(plan.kpis if plan else []):
        low, high = value_range(kpi)
        declared = (("baseline", kpi.baseline.value), ("target", kpi.target.value))
        for name, x in declared:
            if not low <= x <= high and abs(x) <= MAX_COMPUTABLE:
                _implausible(report, ("kpis", i, name, "value"), "kpis",
                             f"{x:.3g} {kpi.unit} is outside {low:g} to {high:g}",
                             "check the unit and the value")
        if kpi.source is not None and kpi.source.wave is not None:
            continue  # survey waves: `values-unusable` names what their effects cannot use
        bad = [o for o in report.bundle.series.get(kpi.id, []) if not low <= o.value <= high]
        if bad:
            where = ", ".join(str(o.line) for o in bad[:3] if o.line)
            at = f" (data line {where})" if where else ""
            _implausible(report, ("kpis", i, "source"), "kpis",
                         f"{len(bad)} data value(s) outside {low:g} to {high:g} "
                         f"{kpi.unit}{at}", "check the unit and the export of the value "
                         "column")


def check(report: Reporter) -> None:
    """Report numbers too large to compute with (errors) and implausible ones (findings)."""
    _computable(report)
    _money(report)
    _kpi_values(report)
