"""Attributable effects on aggregate KPIs, checked against an independent Newey–West.

The reference below computes OLS and the Bartlett-kernel HAC covariance with
numpy from the textbook formula, the classic OLS covariance with statsmodels,
and the t quantiles with scipy; the engine uses the larger of the two errors,
and its figures must agree to 1e-9.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from playbook.figures.attribution import Credibility, EffectMethod, TrendCheck
from playbook.figures.effects import LEVEL, MIN_ITS_PRE, TREND_ALPHA, kpi_effect
from playbook.figures.timefit import TREND_POWER, SeMethod, change_noise
from playbook.figures.trajectory import Point

START = date(2026, 1, 1)


def _months(n: int, first: date = date(2025, 7, 1)) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(n)]


def _points(group: str, days: list[date], values: np.ndarray) -> list[Point]:
    return [Point(group, d, float(v), 1, False) for d, v in zip(days, values, strict=True)]


def newey_west(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS and its HAC covariance, from the formula (Bartlett weights 1 − l/(L+1))."""
    lags = max(1, math.floor(4 * (len(y) / 100) ** (2 / 9)))
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    scores = x * (y - x @ beta)[:, None]
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        cross = scores[lag:].T @ scores[:-lag]
        meat += (1 - lag / (lags + 1)) * (cross + cross.T)
    return beta, xtx_inv @ meat @ xtx_inv


def _t_interval(estimate: float, se: float, dof: int) -> tuple[float, float, float]:
    crit = stats.t.ppf(0.5 + LEVEL / 2, dof)
    return estimate - crit * se, estimate + crit * se, 2 * stats.t.sf(abs(estimate / se), dof)


def conservative(y: np.ndarray, x: np.ndarray, w: np.ndarray
                 ) -> tuple[float, float, float, float, SeMethod]:
    """Estimate, interval and p with the larger of the HAC and the statsmodels OLS error."""
    beta, hac = newey_west(y, x)
    ols = sm.OLS(y, x).fit().cov_params()
    se_hac, se_ols = math.sqrt(w @ hac @ w), math.sqrt(w @ ols @ w)
    se = max(se_hac, se_ols)
    low, high, p = _t_interval(w @ beta, se, len(y) - x.shape[1])
    return w @ beta, low, high, p, SeMethod.HAC if se_hac >= se_ols else SeMethod.OLS


def test_difference_in_differences_matches_newey_west() -> None:
    rng = np.random.default_rng(11)
    days = _months(16)
    after = np.array([d >= START for d in days], dtype=float)
    comparison = 40 + rng.normal(0, 1.2, len(days))
    pilot = comparison + 1.0 - 5.0 * after + rng.normal(0, 0.8, len(days))
    effect = kpi_effect("k", _points("pilot", days, pilot) + _points("comparison", days,
                                                                     comparison), START, 40)
    gap = pilot - comparison
    estimate, low, high, p, method = conservative(
        gap, np.column_stack([np.ones(len(days)), after]), np.array([0.0, 1.0]))
    assert effect.method is EffectMethod.DID and effect.se_method is method
    assert effect.estimate == pytest.approx(estimate, abs=1e-9)
    assert (effect.ci_low, effect.ci_high, effect.p_value) == pytest.approx((low, high, p),
                                                                            abs=1e-9)
    observed = pilot[after > 0].mean() - pilot[after == 0].mean()
    assert effect.observed == pytest.approx(observed, abs=1e-9)
    assert effect.isolation == pytest.approx(estimate / observed, abs=1e-9)
    assert (effect.pre_periods, effect.post_periods) == (6, 10)
    assert effect.trend is TrendCheck.PARALLEL


def test_groups_drifting_apart_before_the_start_fail_the_trend_check() -> None:
    days = _months(16)
    t = np.arange(len(days), dtype=float)
    comparison = np.full(len(days), 40.0) + np.sin(t)
    pilot = comparison - 1.5 * t + 0.01 * np.cos(3 * t)
    effect = kpi_effect("k", _points("pilot", days, pilot) + _points("comparison", days,
                                                                     comparison), START, 40)
    assert effect.trend is TrendCheck.DIVERGING
    assert effect.note == ("the groups were already drifting apart before the start: the "
                           "effect is not attributable with confidence")


def test_three_pre_periods_estimate_but_cannot_assess_trends() -> None:
    days = _months(9, date(2025, 10, 1))
    rng = np.random.default_rng(3)
    comparison = 20 + rng.normal(0, 1, 9)
    pilot = comparison + rng.normal(0, 1, 9) + 3 * np.array([d >= START for d in days])
    effect = kpi_effect("k", _points("pilot", days, pilot) + _points("comparison", days,
                                                                     comparison), START, 20)
    assert effect.method is EffectMethod.DID and effect.pre_periods == 3
    assert effect.trend is TrendCheck.CANNOT_ASSESS
    assert effect.note == "fewer than 4 periods before the start: too few periods to test " \
                          "parallel trends"


def _its_reference(days: list[date], y: np.ndarray
                   ) -> tuple[float, float, float, float, SeMethod]:
    """Segmented regression on calendar days, the mean departure over the post periods."""
    t = np.array([(d - days[0]).days for d in days], dtype=float)
    after = np.array([d >= START for d in days], dtype=float)
    since = np.where(after > 0, t - t[after > 0][0], 0.0)
    w = np.array([0, 0, 1, since[after > 0].mean()])
    return conservative(y, np.column_stack([np.ones(len(y)), t, after, since]), w)


def test_interrupted_time_series_matches_newey_west() -> None:
    rng = np.random.default_rng(5)
    days = _months(20, date(2025, 5, 1))
    t = np.arange(20, dtype=float)
    pre = sum(d < START for d in days)
    after = (t >= pre).astype(float)
    since = np.where(after > 0, t - pre, 0.0)
    y = 50 + 0.4 * t + 3 * after + 0.8 * since + rng.normal(0, 1, 20)
    effect = kpi_effect("k", _points("all", days, y), START, 50)
    estimate, low, high, p, method = _its_reference(days, y)
    assert effect.method is EffectMethod.ITS and pre >= MIN_ITS_PRE
    assert effect.estimate == pytest.approx(estimate, abs=1e-9)
    assert (effect.ci_low, effect.ci_high, effect.p_value) == pytest.approx((low, high, p),
                                                                            abs=1e-9)
    assert effect.se_method is method and effect.dof == 16
    # the share divides like by like: a mean departure by the mean change it is part of
    observed = y[after > 0].mean() - y[after == 0].mean()
    assert effect.isolation == pytest.approx(estimate / observed, abs=1e-12)


def test_the_time_series_follows_the_calendar_when_months_are_missing() -> None:
    # three months dropped from the history: a trend of 1 a month stays 1 a month, so a
    # level jump of 5 with no slope change is still found as 5 (not a steeper trend)
    days = [d for i, d in enumerate(_months(20, date(2025, 1, 1))) if i not in (3, 4, 5)]
    months = np.array([(d.year - 2025) * 12 + d.month - 1 for d in days], dtype=float)
    wiggle = np.array([0.1, -0.1, 0.05, -0.05] * 5)[: len(days)]
    y = 10 + months + 5 * np.array([d >= START for d in days]) + wiggle
    effect = kpi_effect("k", _points("all", days, y), START, 10)
    estimate, low, high, p, _ = _its_reference(days, y)
    assert effect.estimate == pytest.approx(estimate, abs=1e-9)
    assert effect.estimate == pytest.approx(5.0, abs=0.3)
    assert (effect.ci_low, effect.ci_high, effect.p_value) == pytest.approx((low, high, p),
                                                                            abs=1e-9)


def test_without_enough_history_the_change_is_unattributed() -> None:
    days = _months(8, date(2025, 11, 1))
    y = np.array([10, 11, 20, 30, 40, 50, 55, 60], dtype=float)
    effect = kpi_effect("k", _points("all", days, y), START, 10)
    assert effect.method is EffectMethod.BEFORE_AFTER
    assert effect.estimate == pytest.approx(y[2:].mean() - y[:2].mean(), abs=1e-12)
    assert effect.ci_low is None and effect.isolation is None
    assert effect.note == ("unattributed: no comparison group and fewer than 6 periods before "
                           "the start for a trend; the change may have other causes")


def test_nothing_before_the_start_compares_with_the_baseline() -> None:
    days = _months(4, START)
    effect = kpi_effect("k", _points("all", days, np.array([12, 14, 15, 17.0])), START, 10)
    assert effect.estimate == pytest.approx(14.5 - 10)
    assert effect.pre_periods == 0


@pytest.mark.parametrize("value", [1e300, math.inf])
def test_huge_values_are_not_estimated(value: float) -> None:
    days = _months(12)
    y = np.full(12, 5.0)
    y[3] = value
    effect = kpi_effect("k", _points("all", days, y), START, 5)
    assert effect.method is EffectMethod.NOT_ESTIMATED
    assert effect.note == "values too large to estimate an effect"


def test_identical_series_give_no_interval_and_no_zero_p() -> None:
    days = _months(12)
    same = np.full(12, 7.0)
    effect = kpi_effect("k", _points("pilot", days, same) + _points("comparison", days, same),
                        START, 7)
    assert effect.estimate == pytest.approx(0, abs=1e-12)
    assert (effect.ci_low, effect.ci_high, effect.p_value) == (None, None, None)
    assert effect.isolation is None


def test_an_effect_against_the_observed_change_isolates_nothing() -> None:
    days = _months(12)
    after = np.array([d >= START for d in days], dtype=float)
    comparison = 30 + 8 * after + np.linspace(0, 0.5, 12)
    pilot = 30 + 2 * after + np.linspace(0, 0.4, 12)  # rose, but less than the comparison
    effect = kpi_effect("k", _points("pilot", days, pilot) + _points("comparison", days,
                                                                     comparison), START, 30)
    assert effect.estimate is not None and effect.estimate < 0 < (effect.observed or 0)
    assert effect.isolation == pytest.approx(effect.estimate / (effect.observed or 1))
    assert (effect.isolation or 0) < 0 and effect.credibility is not Credibility.CREDIBLE


def _did_effect(pilot: np.ndarray, comparison: np.ndarray, days: list[date]):  # type: ignore[no-untyped-def]
    return kpi_effect("k", _points("pilot", days, pilot) + _points("comparison", days,
                                                                   comparison), START, 0)


@pytest.mark.parametrize("seed", range(8))
def test_short_series_use_the_more_conservative_error(seed: int) -> None:
    # 12 monthly points, autocorrelated gaps: HAC alone is anti-conservative here, so the
    # p-value must be the larger of statsmodels' HAC and plain OLS p-values
    rng = np.random.default_rng(seed)
    days = _months(12, date(2025, 7, 1))
    after = np.array([d >= START for d in days], dtype=float)
    noise = np.cumsum(rng.normal(0, 0.7, 12))
    comparison = 30 + rng.normal(0, 0.5, 12)
    pilot = comparison + 1.2 * after + noise
    effect = _did_effect(pilot, comparison, days)
    x = sm.add_constant(after)
    lags = max(1, math.floor(4 * (12 / 100) ** (2 / 9)))
    hac = sm.OLS(pilot - comparison, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    ols = sm.OLS(pilot - comparison, x).fit()
    p_hac = 2 * stats.t.sf(abs(hac.params[1] / hac.bse[1]), 10)
    assert effect.p_value == pytest.approx(max(p_hac, ols.pvalues[1]), rel=1e-9)
    assert effect.dof == 10


def test_pre_trend_power_matches_the_textbook_formula() -> None:
    rng = np.random.default_rng(2)
    days = _months(14, date(2025, 7, 1))
    after = np.array([d >= START for d in days], dtype=float)
    comparison = 50 + rng.normal(0, 1, 14)
    pilot = comparison + 4.0 * after + rng.normal(0, 1, 14)
    effect = _did_effect(pilot, comparison, days)
    pre = int((after == 0).sum())
    fit = stats.linregress(np.arange(pre), (pilot - comparison)[:pre])
    crit = stats.t.ppf(1 - TREND_ALPHA / 2, pre - 2) + stats.t.ppf(TREND_POWER, pre - 2)
    distance = np.arange(pre, 14).mean() - np.arange(pre).mean()
    assert effect.trend_detectable == pytest.approx(crit * fit.stderr * distance, rel=1e-9)
    assert effect.trend is TrendCheck.PARALLEL
    assert effect.credibility is Credibility.CREDIBLE  # 4 points against a drift of ~1.5


def test_a_data_derived_share_is_credible_only_when_earned() -> None:
    days = _months(14, date(2025, 7, 1))
    after = np.array([d >= START for d in days], dtype=float)
    rng = np.random.default_rng(7)
    comparison = 50 + rng.normal(0, 1, 14)
    # interval crossing zero: an effect of 0.2 in noise of 1
    weak = _did_effect(comparison + 0.2 * after + rng.normal(0, 1, 14), comparison, days)
    assert weak.ci_low is not None and weak.ci_low < 0 < (weak.ci_high or 0)
    assert weak.credibility is Credibility.INTERVAL_INCLUDES_ZERO
    # a clear effect, but three pre-periods cannot test parallel trends
    short_days = _months(9, date(2025, 10, 1))
    short_after = np.array([d >= START for d in short_days], dtype=float)
    base = 50 + rng.normal(0, 0.3, 9)
    untested = _did_effect(base + 5 * short_after + rng.normal(0, 0.3, 9), base, short_days)
    assert untested.trend is TrendCheck.CANNOT_ASSESS
    assert untested.credibility is Credibility.UNTESTED
    # a clear effect 20 periods on, judged on four pre-periods: a drift too small for the
    # slope test to see would, carried 12 periods forward, be as large as the effect
    long_days = _months(24, date(2025, 9, 1))
    long_after = np.array([d >= START for d in long_days], dtype=float)
    ref = 50 + rng.normal(0, 0.5, 24)
    under = _did_effect(ref + 3 * long_after + rng.normal(0, 0.5, 24), ref, long_days)
    assert under.trend is TrendCheck.PARALLEL and (under.ci_low or 0) > 0
    assert (under.trend_detectable or 0) > 3
    assert under.credibility is Credibility.UNDERPOWERED
    # the groups drifting apart before the start
    drift = _did_effect(comparison + 0.8 * np.arange(14) + rng.normal(0, 0.1, 14),
                        comparison, days)
    assert drift.credibility is Credibility.DIVERGING
    # before/after is never credible attribution
    alone = kpi_effect("k", _points("all", days[:8], comparison[:8] + 5 * after[:8]), START, 0)
    assert alone.method is EffectMethod.BEFORE_AFTER
    assert alone.credibility is Credibility.UNATTRIBUTED


def test_a_gap_without_spread_is_not_estimable_not_a_p_value() -> None:
    days = _months(12)
    after = np.array([d >= START for d in days], dtype=float)
    comparison = 20 + np.arange(12, dtype=float)
    effect = _did_effect(comparison + 2.0 * after, comparison, days)
    assert effect.estimate == pytest.approx(2.0)
    assert (effect.ci_low, effect.ci_high, effect.p_value, effect.se) == (None,) * 4
    assert effect.credibility is Credibility.NOT_ESTIMABLE
    assert effect.note.endswith("the gap has no spread, so the effect has no interval "
                                "(not estimable)")


def test_the_noise_of_a_change_is_the_pooled_spread_of_its_series() -> None:
    before, after = [10.0, 12.0, 11.0, 13.0], [15.0, 14.0, 17.0]
    # independent: the pooled two-sample t-test's standard error (scipy)
    t = stats.ttest_ind(after, before, equal_var=True).statistic
    se, dof = change_noise(before, after) or (0.0, 0)
    assert se == pytest.approx((np.mean(after) - np.mean(before)) / t, rel=1e-12)
    assert dof == 5
    # against a fixed baseline only the after side has noise: the one-sample error
    se1, dof1 = change_noise([], after) or (0.0, 0)
    assert se1 == pytest.approx(stats.sem(after), rel=1e-12) and dof1 == 2
    assert change_noise([], [3.0]) is None and change_noise([1.0], [2.0]) is None
