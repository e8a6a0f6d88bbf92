"""Attributable effects on aggregate KPIs: how much of a change the program caused.

Rules, in order of strength (each needs the periods it names, at the KPI's cadence):

* **Difference-in-differences over time**, when a comparison series exists:
  the pilot − comparison gap per period is regressed on an after-start
  indicator (OLS); the coefficient is the effect, with an interval from
  Newey–West (HAC) standard errors, because monthly gaps are autocorrelated.
  A pre-period trend check regresses the gap on time before the start: a
  significant slope says the groups were already drifting apart (parallel
  trends do not hold; an ordinary t-test, since HAC errors on a handful of
  points are too small); fewer than :data:`MIN_TREND_PERIODS` pre-periods say it
  cannot be assessed.
* **Interrupted time series**, without a comparison but with at least
  :data:`MIN_ITS_PRE` pre-periods: segmented regression of the series on time,
  an after-start level change and an after-start slope change, HAC errors;
  the effect is the modelled departure from the pre-trend at the latest period.
* **Before/after**, otherwise: the mean after the start minus the mean
  before (or minus the baseline), labelled *unattributed*.

The **isolation share** is the effect over the pilot's observed before/after
change, clipped to 0–1, when both point the same way; it replaces a hand-set
``isolation`` in the ROI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

import numpy as np

from playbook.figures import distributions
from playbook.figures.trajectory import Point

LEVEL: Final = 0.95
"""Confidence level of every effect interval."""
MIN_PRE: Final = 3
"""Fewest periods before the start (and after it) for a difference-in-differences."""
MIN_TREND_PERIODS: Final = 4
"""Fewest pre-periods on which parallel pre-trends can be assessed."""
MIN_ITS_PRE: Final = 6
"""Fewest pre-periods for an interrupted time series (a trend needs a history)."""
TREND_ALPHA: Final = 0.05
"""A pre-period gap slope significant at this level fails the parallel-trends check."""
MAX_MAGNITUDE: Final = 1e12
"""Values beyond this are not estimated: no KPI is that large, and sums would overflow."""


class EffectMethod(StrEnum):
    """How an effect was estimated, strongest first."""

    DID = "difference-in-differences"
    """Pilot − comparison gap regressed on an after-start indicator, HAC interval."""
    ITS = "interrupted-time-series"
    """Segmented regression: departure from the pre-start trend, HAC interval."""
    BEFORE_AFTER = "before-after"
    """Mean after minus mean before (or the baseline): unattributed, no interval."""
    NOT_ESTIMATED = "not-estimated"
    """Nothing measured since the start, or values too large to estimate."""


class TrendCheck(StrEnum):
    """Whether pilot and comparison moved in parallel before the start."""

    PARALLEL = "parallel"
    """No significant slope in the gap before the start."""
    DIVERGING = "diverging"
    """The gap already had a significant slope: the effect is not attributable."""
    CANNOT_ASSESS = "cannot-assess"
    """Too few periods before the start to fit a trend."""


@dataclass(frozen=True)
class KpiEffect:
    """The program's attributable effect on one KPI, in the KPI's unit."""

    kpi_id: str
    method: EffectMethod
    estimate: float | None
    """Attributable change (after − before), in the KPI's unit."""
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    pre_periods: int
    post_periods: int
    trend: TrendCheck | None
    """The parallel-trends check (difference-in-differences only)."""
    observed: float | None
    """The pilot's own before/after change, of which ``estimate`` is the attributable part."""
    isolation: float | None
    """Share of the observed change attributable to the program (0–1), when estimable."""
    note: str


def _series(points: list[Point], group: str) -> dict[date, float]:
    return {p.period: p.value for p in points if p.group == group and p.value is not None}


def hac_ols(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and their Newey–West covariance (Bartlett kernel).

    The lag is ``floor(4 (T/100)^(2/9))`` (Newey and West 1994), at least 1;
    small-sample scaling as statsmodels' default (no ``T/(T−k)`` correction).
    """
    lags = max(1, math.floor(4 * (len(y) / 100) ** (2 / 9)))
    return distributions.hac_ols(y, x, lags)


def _interval(estimate: float, se: float, dof: int) -> tuple[float, float, float]:
    if not math.isfinite(se) or se <= 0:
        return math.nan, math.nan, math.nan
    crit = distributions.t_quantile(0.5 + LEVEL / 2, dof)
    p = distributions.t_two_sided_p(estimate / se, dof)
    return estimate - crit * se, estimate + crit * se, p


def _isolation(estimate: float, observed: float | None) -> float | None:
    if observed is None or observed == 0 or estimate * observed < 0:
        return None if observed in (None, 0) else 0.0
    return min(1.0, estimate / observed)


def _before_after(kpi_id: str, pilot: dict[date, float], start: date,
                  baseline: float, note: str) -> KpiEffect:
    before = [v for d, v in pilot.items() if d < start]
    after = [v for d, v in pilot.items() if d >= start]
    if not after:
        return KpiEffect(kpi_id, EffectMethod.NOT_ESTIMATED, None, None, None, None,
                         len(before), 0, None, None, None, "no measurement since the start")
    reference = float(np.mean(before)) if before else baseline
    change = float(np.mean(after)) - reference
    return KpiEffect(kpi_id, EffectMethod.BEFORE_AFTER, change, None, None, None, len(before),
                     len(after), None, change, None, note)


def _did(kpi_id: str, pilot: dict[date, float], comparison: dict[date, float],
         start: date) -> KpiEffect | None:
    days = sorted(set(pilot) & set(comparison))
    pre = [d for d in days if d < start]
    post = [d for d in days if d >= start]
    if len(pre) < MIN_PRE or len(post) < MIN_PRE:
        return None
    gap = np.array([pilot[d] - comparison[d] for d in days])
    after = np.array([1.0 if d >= start else 0.0 for d in days])
    params, cov = hac_ols(gap, np.column_stack([np.ones_like(gap), after]))
    estimate = float(params[1])
    low, high, p = _interval(estimate, math.sqrt(max(cov[1, 1], 0.0)), len(days) - 2)
    observed = float(np.mean([pilot[d] for d in post]) - np.mean([pilot[d] for d in pre]))
    trend = TrendCheck.CANNOT_ASSESS
    if len(pre) >= MIN_TREND_PERIODS:
        trend = _trend(gap[: len(pre)])
    note = {TrendCheck.PARALLEL: "pilot and comparison moved in parallel before the start",
            TrendCheck.DIVERGING: "the groups were already drifting apart before the start: "
                                  "the effect is not attributable with confidence",
            TrendCheck.CANNOT_ASSESS: f"fewer than {MIN_TREND_PERIODS} periods before the "
                                      "start: parallel trends cannot be assessed"}[trend]
    return KpiEffect(kpi_id, EffectMethod.DID, estimate, _finite(low), _finite(high),
                     _finite(p), len(pre), len(post), trend, observed,
                     _isolation(estimate, observed), note)


def _trend(gap: np.ndarray) -> TrendCheck:
    """Whether the pre-start gap has a slope (classic OLS t-test on its time trend).

    Pre-periods are few, and HAC errors on a handful of points understate the
    uncertainty and would fail parallel trends on noise; the plain OLS error is used.
    """
    slope, stderr, p = distributions.slope_test(np.arange(len(gap), dtype=float), gap)
    if not math.isfinite(p) or stderr == 0:
        return TrendCheck.PARALLEL if slope == 0 else TrendCheck.DIVERGING
    return TrendCheck.DIVERGING if p < TREND_ALPHA else TrendCheck.PARALLEL


def _its(kpi_id: str, series: dict[date, float], start: date) -> KpiEffect | None:
    days = sorted(series)
    pre = [d for d in days if d < start]
    post = [d for d in days if d >= start]
    if len(pre) < MIN_ITS_PRE or len(post) < MIN_PRE:
        return None
    y = np.array([series[d] for d in days])
    t = np.arange(len(days), dtype=float)
    after = (t >= len(pre)).astype(float)
    since = np.where(after > 0, t - len(pre), 0.0)
    params, cov = hac_ols(y, np.column_stack([np.ones_like(t), t, after, since]))
    weights = np.array([0.0, 0.0, 1.0, since[-1]])  # departure at the latest period
    estimate = float(weights @ params)
    low, high, p = _interval(estimate, math.sqrt(max(float(weights @ cov @ weights), 0.0)),
                             len(days) - 4)
    observed = float(np.mean(y[after > 0]) - np.mean(y[after == 0]))
    return KpiEffect(kpi_id, EffectMethod.ITS, estimate, _finite(low), _finite(high),
                     _finite(p), len(pre), len(post), None, observed,
                     _isolation(estimate, observed),
                     "departure from the pre-start trend at the latest period; "
                     "no comparison group, so other changes at the start are not ruled out")


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def kpi_effect(kpi_id: str, points: list[Point], start: date, baseline: float) -> KpiEffect:
    """Estimate the attributable effect on one aggregate KPI from its points.

    Args:
        kpi_id: The KPI.
        points: Its published points per group and period.
        start: Day 0 of the program; periods starting on or after it are "after".
        baseline: The KPI's baseline, the reference when nothing was measured before.
    """
    pilot = _series(points, "pilot") or _series(points, "all")
    comparison = _series(points, "comparison")
    values = [*pilot.values(), *comparison.values()]
    if any(not math.isfinite(v) or abs(v) > MAX_MAGNITUDE for v in values):
        return KpiEffect(kpi_id, EffectMethod.NOT_ESTIMATED, None, None, None, None, 0, 0,
                         None, None, None, "values too large to estimate an effect")
    if comparison:
        found = _did(kpi_id, pilot, comparison, start)
        if found is not None:
            return found
        why = f"fewer than {MIN_PRE} periods with both groups before and after the start"
    else:
        found = _its(kpi_id, pilot, start)
        if found is not None:
            return found
        why = (f"no comparison group and fewer than {MIN_ITS_PRE} periods before the start "
               "for a trend")
    return _before_after(kpi_id, pilot, start, baseline,
                         f"unattributed: {why}; the change may have other causes")
