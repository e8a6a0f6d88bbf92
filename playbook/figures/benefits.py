"""Monetised benefits of the ROI: measured KPI effects and declared estimates.

Sits between :mod:`playbook.figures.effects` (the attributable effect per KPI)
and :mod:`playbook.figures.roi`. Rules (stated on the methodology page):

* A monetised KPI's **measured improvement** is the pilot's own before/after
  change (``observed``), signed in the KPI's better direction: a change the
  wrong way counts as a loss, and nothing is floored month by month, so a
  series that zig-zags around its baseline earns about nothing.
* **Isolation from data, when earned**: with a difference-in-differences or
  interrupted time series effect judged *credible*
  (:class:`playbook.figures.attribution.Credibility`: its interval excludes zero,
  and for a difference-in-differences the pre-trends were parallel on a test
  that could see a drift the effect's size), the improvement counted is the
  effect itself and the share shown is the data-derived ``effect / observed``;
  nothing caps it at the change observed. Otherwise the declared
  ``monetization.isolation`` is used and labelled an *estimate*; both shares and
  the reason are kept, for the page and ``playbook report``.
* **Counted per year** = improvement × confidence × ``value_per_unit``, where
  the improvement is the credible effect, or the observed change × the declared
  isolation:
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

from playbook.figures.attribution import Credibility, EffectMethod
from playbook.figures.cashflow import YEAR_DAYS
from playbook.figures.effects import KpiEffect
from playbook.figures.trajectory import KpiFigures, first_after, one_cadence_later
from playbook.model.measure import Kpi


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
    """Id of the monetised KPI."""
    name: str
    """The KPI's name."""
    unit: str
    """The KPI's unit: that of ``observed``, ``effect`` and ``break_even``."""
    method: EffectMethod | None
    """How the effect was estimated; None when the KPI has no effect yet."""
    observed: float | None
    """The pilot's before/after change, in the better direction (KPI unit)."""
    effect: float | None
    """The attributable effect, in the better direction (KPI unit)."""
    effect_se: float | None
    """Standard error of ``effect`` when the benefit rests on it (else None)."""
    effect_dof: int | None
    """Degrees of freedom of ``effect_se``: effects are drawn from a t distribution."""
    observed_se: float | None
    """Standard error of ``observed`` from the series' own noise; None when unknown."""
    observed_dof: int | None
    """Degrees of freedom of ``observed_se``."""
    isolation: float
    """The share used: the data-derived one when credible, else the declared one."""
    basis: IsolationBasis
    """Whether ``isolation`` comes from the data or is the declared estimate."""
    declared_isolation: float
    """The hand-set ``monetization.isolation``."""
    data_isolation: float | None
    """The data-derived share ``effect / observed``, used only when credible."""
    credibility: Credibility
    """Why the data-derived share is used, or why not."""
    full_period: bool
    """Whether the data cover at least one full cadence period after the start."""
    confidence: float
    """Declared ``monetization.confidence`` (0–1), the Phillips discount."""
    value_per_unit: float
    """Declared value of one unit of improvement per year, in the budget's currency."""
    per_year: float
    """Counted benefit per year at the measured run rate (the forecast's year 1)."""
    measured_years: float
    """Years from the start to the latest measurement (0 without data since the start)."""
    realised: float
    """Benefit realised to date: ``per_year × measured_years``."""
    break_even: float | None = None
    """Improvement (KPI unit, better direction) at which the headline ROI is 0, others held;
    at or below 0 the other benefits already cover the costs (pages say so, never a
    negative improvement)."""


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
    sign = kpi.sign
    method = effect.method if effect else None
    observed = sign * effect.observed if effect and effect.observed is not None else None
    estimate = sign * effect.estimate if effect and effect.estimate is not None else None
    rule = effect.credibility if effect else Credibility.UNATTRIBUTED
    share = effect.isolation if effect else None
    se = dof = None
    if rule is Credibility.CREDIBLE and estimate is not None and share is not None:
        # the effect is the attributable improvement: no cap at the change observed
        basis, isolation, improvement = IsolationBasis.DATA, share, estimate
        se, dof = effect.se if effect else None, effect.dof if effect else None
    else:
        basis, isolation = IsolationBasis.ESTIMATE, m.isolation
        improvement = (observed or 0.0) * m.isolation
    per_year = improvement * m.confidence * m.value_per_unit
    measured = 0.0
    if observed is not None and fig is not None and fig.latest_date is not None:
        days = (min(fig.latest_date, today) - start).days
        measured = min(float(horizon), max(0.0, days / YEAR_DAYS))
    return KpiBenefit(kpi_id=kpi.id, name=kpi.name, unit=kpi.unit, method=method, observed=observed,
                      effect=estimate, effect_se=se, effect_dof=dof,
                      observed_se=effect.observed_se if effect else None,
                      observed_dof=effect.observed_dof if effect else None, isolation=isolation,
                      basis=basis, declared_isolation=m.isolation, data_isolation=share,
                      credibility=rule, full_period=_full_period(kpi, fig, start, today),
                      confidence=m.confidence, value_per_unit=m.value_per_unit, per_year=per_year,
                      measured_years=measured, realised=per_year * measured)


def _full_period(kpi: Kpi, fig: KpiFigures | None, start: date, today: date) -> bool:
    """Whether a period that counts as after the start has ended by ``today``."""
    after = first_after(start, kpi.cadence)
    return fig is not None and any(
        p.period >= after and one_cadence_later(p.period, kpi.cadence) <= today
        for p in fig.points if p.value is not None)


def decayed(per_year: float, decay: float, year: int) -> float:
    """The benefit of program ``year`` when a share ``decay`` is lost each later year."""
    return per_year * (1.0 - decay) ** (year - 1)
