"""Monetised benefits of the ROI: measured KPI effects and declared estimates.

Sits between :mod:`playbook.figures.effects` (the attributable effect per KPI)
and :mod:`playbook.figures.roi`. Rules (stated on the methodology page):

* A monetised KPI's **measured improvement** is the pilot's own before/after
  change (``observed``), signed in the KPI's better direction: a change the
  wrong way counts as a loss, and nothing is floored month by month, so a
  series that zig-zags around its baseline earns about nothing.
* **Isolation from data**: with a difference-in-differences or interrupted
  time series effect whose pre-trends are not diverging, the share of the
  change attributed to the program is the effect's data-derived share
  (``effect / observed``, 0–1). Otherwise the hand-set
  ``monetization.isolation`` is used and labelled an *estimate*.
* **Counted per year** = improvement × isolation × confidence ×
  ``value_per_unit`` (value per unit of improvement per year): the run rate a
  forecast year starts from.
* **Realised to date** = the run rate × the years from the start to the
  latest measurement (the effect is a mean over the measured periods since the
  start, so this is the benefit those periods delivered).
* Declared ``benefits`` in ``budget.yml`` are estimates, never actuals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import NormalDist

from playbook.figures.cashflow import YEAR_DAYS
from playbook.figures.effects import LEVEL, EffectMethod, KpiEffect, TrendCheck
from playbook.figures.trajectory import KpiFigures
from playbook.model.measure import Kpi

_Z = NormalDist().inv_cdf(0.5 + LEVEL / 2)
"""Normal quantile of the effects' interval level (1.96 for 95%)."""


class IsolationBasis(StrEnum):
    """Where the share of a change attributed to the program comes from."""

    DATA = "data"
    """The effect's data-derived share (comparison group or trend line)."""
    ESTIMATE = "estimate"
    """A share set by hand in ``kpis.yml`` or ``budget.yml``: an estimate."""


@dataclass(frozen=True)
class KpiBenefit:
    """What one monetised KPI is worth to the program, from its measured effect."""

    kpi_id: str
    name: str
    unit: str
    method: EffectMethod | None
    """How the effect was estimated; None when the KPI has no effect yet."""
    observed: float | None
    """The pilot's before/after change, in the better direction (KPI unit)."""
    effect: float | None
    """The attributable effect, in the better direction (KPI unit)."""
    effect_sd: float | None
    """Standard error of ``effect`` read from its interval (normal approximation)."""
    isolation: float
    basis: IsolationBasis
    confidence: float
    value_per_unit: float
    per_year: float
    """Counted benefit per year at the measured run rate (the forecast's year 1)."""
    measured_years: float
    """Years from the start to the latest measurement (0 without data since the start)."""
    realised: float
    """Benefit realised to date: ``per_year × measured_years``."""
    break_even: float | None = None
    """Improvement (KPI unit, better direction) at which the headline ROI is 0, others held."""


def counted_improvement(observed: float, effect: float) -> float:
    """The part of an observed change credited to the program: ``observed × clip(e/o, 0, 1)``.

    An effect beyond the change observed is credited only up to the change (the
    most conservative alternative); one pointing the other way counts nothing.
    """
    if observed == 0:
        return 0.0
    return observed * min(1.0, max(0.0, effect / observed))


def kpi_benefit(kpi: Kpi, effect: KpiEffect | None, fig: KpiFigures | None, start: date,
                today: date, horizon: int) -> KpiBenefit:
    """Value one monetised KPI from its effect (see the module docstring).

    Args:
        kpi: The KPI; its ``monetization`` must be set.
        effect: Its attributable effect, if it has data.
        fig: Its figures, for the date of the latest measurement.
        start: Day 0 of the program.
        today: The day the figures are for.
        horizon: Years of the budget; realised years are capped at it.
    """
    m = kpi.monetization
    assert m is not None
    sign = 1.0 if kpi.direction == "increase" else -1.0
    method = effect.method if effect else None
    observed = sign * effect.observed if effect and effect.observed is not None else None
    estimate = sign * effect.estimate if effect and effect.estimate is not None else None
    sd = None
    if effect and effect.ci_low is not None and effect.ci_high is not None:
        sd = (effect.ci_high - effect.ci_low) / (2 * _Z)
    # diverging pre-trends: the data cannot attribute, so the hand-set share stands
    diverging = effect is not None and effect.trend is TrendCheck.DIVERGING
    if (method in (EffectMethod.DID, EffectMethod.ITS) and not diverging
            and observed is not None and estimate is not None):
        basis = IsolationBasis.DATA
        isolation = counted_improvement(observed, estimate) / observed if observed else 0.0
        improvement = counted_improvement(observed, estimate)
    else:
        basis, isolation = IsolationBasis.ESTIMATE, m.isolation
        improvement = (observed or 0.0) * m.isolation
        sd = None  # the interval belongs to an effect this benefit does not rest on
    per_year = improvement * m.confidence * m.value_per_unit
    measured = 0.0
    if observed is not None and fig is not None and fig.latest_date is not None:
        days = (min(fig.latest_date, today) - start).days
        measured = min(float(horizon), max(0.0, days / YEAR_DAYS))
    return KpiBenefit(kpi.id, kpi.name, kpi.unit, method, observed, estimate, sd, isolation,
                      basis, m.confidence, m.value_per_unit, per_year, measured,
                      per_year * measured)


def decayed(per_year: float, decay: float, year: int) -> float:
    """The benefit of program ``year`` when a share ``decay`` is lost each later year."""
    return per_year * (1.0 - decay) ** (year - 1)
