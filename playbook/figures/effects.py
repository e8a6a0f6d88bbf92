"""Attributable effects on aggregate KPIs: how much of a change the program caused.

Rules, in order of strength (each needs the periods it names, at the KPI's cadence):

* **Difference-in-differences over time**, when a comparison series exists:
  the pilot − comparison gap per period is regressed on an after-start
  indicator (OLS); the coefficient is the effect, with an interval from the
  larger of the Newey–West (HAC) and the classic OLS standard errors
  (:mod:`.timefit`: HAC alone is anti-conservative on a dozen points).
  A pre-period trend check regresses the gap on time before the start: a
  significant slope says the groups were already drifting apart (parallel
  trends do not hold; an ordinary t-test, since HAC errors on a handful of
  points are too small); fewer than :data:`MIN_TREND_PERIODS` pre-periods say it
  cannot be assessed, and the smallest drift it could have detected is kept.
* **Interrupted time series**, without a comparison but with at least
  :data:`MIN_ITS_PRE` pre-periods: segmented regression of the series on time,
  an after-start level change and an after-start slope change, the same
  conservative error. Time follows the calendar (days since the first period),
  so missing months keep their length. The effect is the modelled departure
  from the pre-trend averaged over the periods since the start: like the
  observed change it is compared with, a mean over those periods.
* **Before/after**, otherwise: the mean after the start minus the mean
  before (or minus the baseline), labelled *unattributed*.

The **data-derived share** is the effect over the pilot's observed before/after
change (above 1 when the comparison group worsened, below 0 when the effect runs
against the change). It is *credible* (:mod:`.attribution`) only when the
effect's interval excludes zero and, for a difference-in-differences, the
pre-trends were parallel on a test with the power to see a drift as large as
the effect; only then does it replace the hand-set ``isolation`` in the ROI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np

from playbook.figures import distributions, timefit
from playbook.figures.attribution import Credibility, EffectMethod, TrendCheck, credibility
from playbook.figures.timefit import SeMethod
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


@dataclass(frozen=True)
class KpiEffect:
    """The program's attributable effect on one KPI, in the KPI's unit."""

    kpi_id: str
    """Id of the aggregate KPI."""
    method: EffectMethod
    """How the effect was estimated: the strongest method the data allow."""
    estimate: float | None
    """Attributable change (after − before), in the KPI's unit."""
    ci_low: float | None
    """Lower bound of the 95 % interval of ``estimate``; None for before/after, or when not
    estimable."""
    ci_high: float | None
    """Upper bound of the 95 % interval of ``estimate``; None in the same cases."""
    p_value: float | None
    """Two-sided t-test p of ``estimate``, never 0; None for before/after, or when not estimable."""
    pre_periods: int
    """Periods before the start the estimate uses."""
    post_periods: int
    """Periods counted as after the start the estimate uses."""
    trend: TrendCheck | None
    """The parallel-trends check (difference-in-differences only)."""
    observed: float | None
    """The pilot's own before/after change, of which ``estimate`` is the attributable part."""
    isolation: float | None
    """Data-derived share: ``estimate / observed``, None when nothing changed."""
    note: str
    """What the estimate rests on and how far to trust it, in plain words."""
    se: float | None = None
    """Standard error of ``estimate`` (the larger of HAC and OLS); None when degenerate."""
    dof: int | None = None
    """Degrees of freedom of the interval (periods − coefficients)."""
    se_method: SeMethod | None = None
    """Which standard error was the larger, and so used."""
    observed_se: float | None = None
    """Standard error of ``observed`` from the series' own noise (:func:`timefit.change_noise`)."""
    observed_dof: int | None = None
    """Degrees of freedom of ``observed_se``."""
    trend_detectable: float | None = None
    """Smallest pre-start drift the trend check could detect, as bias on the effect."""
    credibility: Credibility = Credibility.UNATTRIBUTED
    """Whether the data-derived share is credible enough to replace the declared one."""


def _series(points: list[Point], group: str) -> dict[date, float]:
    return {p.period: p.value for p in points if p.group == group and p.value is not None}


def _interval(c: timefit.Contrast) -> tuple[float | None, float | None, float | None]:
    """The contrast's interval at :data:`LEVEL` and two-sided p; Nones when degenerate."""
    if c.se is None:
        return None, None, None
    crit = distributions.t_quantile(0.5 + LEVEL / 2, c.dof)
    p = max(distributions.t_two_sided_p(c.estimate / c.se, c.dof), math.ulp(0.0))
    return c.estimate - crit * c.se, c.estimate + crit * c.se, p


def _isolation(estimate: float, observed: float | None) -> float | None:
    if observed is None or observed == 0:
        return None
    return estimate / observed


def _noise(before: list[float], after: list[float]) -> tuple[float | None, int | None]:
    found = timefit.change_noise(before, after)
    return found if found is not None else (None, None)


def _before_after(kpi_id: str, pilot: dict[date, float], start: date,
                  baseline: float, note: str) -> KpiEffect:
    before = [v for d, v in pilot.items() if d < start]
    after = [v for d, v in pilot.items() if d >= start]
    if not after:
        return KpiEffect(kpi_id=kpi_id, method=EffectMethod.NOT_ESTIMATED, estimate=None,
                         ci_low=None, ci_high=None, p_value=None, pre_periods=len(before),
                         post_periods=0, trend=None, observed=None, isolation=None,
                         note="no measurement since the start")
    reference = float(np.mean(before)) if before else baseline
    change = float(np.mean(after)) - reference
    se, dof = _noise(before, after)
    return KpiEffect(kpi_id=kpi_id, method=EffectMethod.BEFORE_AFTER, estimate=change, ci_low=None,
                     ci_high=None, p_value=None, pre_periods=len(before), post_periods=len(after),
                     trend=None, observed=change, isolation=None, note=note, observed_se=se,
                     observed_dof=dof)


def _did(kpi_id: str, pilot: dict[date, float], comparison: dict[date, float],
         start: date) -> KpiEffect | None:
    days = sorted(set(pilot) & set(comparison))
    pre = [d for d in days if d < start]
    post = [d for d in days if d >= start]
    if len(pre) < MIN_PRE or len(post) < MIN_PRE:
        return None
    gap = np.array([pilot[d] - comparison[d] for d in days])
    after = np.array([1.0 if d >= start else 0.0 for d in days])
    fit = timefit.contrast(gap, np.column_stack([np.ones_like(gap), after]),
                           np.array([0.0, 1.0]))
    low, high, p = _interval(fit)
    before_values, after_values = [pilot[d] for d in pre], [pilot[d] for d in post]
    observed = float(np.mean(after_values) - np.mean(before_values))
    trend, detectable = TrendCheck.CANNOT_ASSESS, None
    if len(pre) >= MIN_TREND_PERIODS:
        trend = _trend(gap[: len(pre)])
        index = np.arange(len(days))
        detectable = timefit.detectable_drift(gap[: len(pre)], index[: len(pre)],
                                              index[len(pre):], TREND_ALPHA)
    note = {TrendCheck.PARALLEL: "pilot and comparison moved in parallel before the start",
            TrendCheck.DIVERGING: "the groups were already drifting apart before the start: "
                                  "the effect is not attributable with confidence",
            TrendCheck.CANNOT_ASSESS: f"fewer than {MIN_TREND_PERIODS} periods before the "
                                      "start: too few periods to test parallel trends"}[trend]
    if trend is TrendCheck.PARALLEL and detectable is not None and detectable > abs(
            fit.estimate):
        note = (f"no drift was detected before the start, but on {len(pre)} periods the test "
                "could only have seen one larger than the effect")
    if fit.se is None:
        note += "; the gap has no spread, so the effect has no interval (not estimable)"
    se, dof = _noise(before_values, after_values)
    return KpiEffect(kpi_id=kpi_id, method=EffectMethod.DID, estimate=fit.estimate, ci_low=low,
                     ci_high=high, p_value=p, pre_periods=len(pre), post_periods=len(post),
                     trend=trend, observed=observed, isolation=_isolation(fit.estimate, observed),
                     note=note, se=fit.se, dof=fit.dof, se_method=fit.method, observed_se=se,
                     observed_dof=dof, trend_detectable=detectable,
                     credibility=credibility(EffectMethod.DID, (low, high), trend, detectable,
                                             fit.estimate))


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
    # time follows the calendar (days), so a gap of missing months keeps its length
    t = np.array([(d - days[0]).days for d in days], dtype=float)
    after = np.array([d >= start for d in days], dtype=float)
    since = np.where(after > 0, t - t[len(pre)], 0.0)
    # the mean departure from the pre-start trend over the periods since the start: the
    # same kind of quantity as the observed change (a mean after minus a mean before)
    weights = np.array([0.0, 0.0, 1.0, float(np.mean(since[after > 0]))])
    fit = timefit.contrast(y, np.column_stack([np.ones_like(t), t, after, since]), weights)
    low, high, p = _interval(fit)
    observed = float(np.mean(y[after > 0]) - np.mean(y[after == 0]))
    se, dof = _noise([series[d] for d in pre], [series[d] for d in post])
    return KpiEffect(kpi_id=kpi_id, method=EffectMethod.ITS, estimate=fit.estimate, ci_low=low,
                     ci_high=high, p_value=p, pre_periods=len(pre), post_periods=len(post),
                     trend=None, observed=observed, isolation=_isolation(fit.estimate, observed),
                     note="mean departure from the pre-start trend over the periods since the "
                     "start; no comparison group, so other changes at the start are not "
                     "ruled out",
                     se=fit.se, dof=fit.dof, se_method=fit.method, observed_se=se, observed_dof=dof,
                     trend_detectable=None,
                     credibility=credibility(EffectMethod.ITS, (low, high), None, None,
                                             fit.estimate))


def kpi_effect(kpi_id: str, points: list[Point], start: date, baseline: float) -> KpiEffect:
    """Estimate the attributable effect on one aggregate KPI from its points.

    Args:
        kpi_id: The KPI.
        points: Its published points per group and period.
        start: The first day of the first period after the program's start
            (:func:`playbook.figures.trajectory.first_after`); periods from it are "after".
        baseline: The KPI's baseline, the reference when nothing was measured before.
    """
    pilot = _series(points, "pilot") or _series(points, "all")
    comparison = _series(points, "comparison")
    values = [*pilot.values(), *comparison.values()]
    if any(not math.isfinite(v) or abs(v) > MAX_MAGNITUDE for v in values):
        return KpiEffect(kpi_id=kpi_id, method=EffectMethod.NOT_ESTIMATED, estimate=None,
                         ci_low=None, ci_high=None, p_value=None, pre_periods=0, post_periods=0,
                         trend=None, observed=None, isolation=None,
                         note="values too large to estimate an effect")
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
