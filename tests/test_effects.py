"""Attributable effects on aggregate KPIs, checked against an independent Newey–West.

The reference below computes OLS and the Bartlett-kernel HAC covariance with
numpy from the textbook formula, not through statsmodels, and the t quantiles
with scipy; the engine's figures must agree to 1e-9.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from scipy import stats

from playbook.figures.effects import (
    LEVEL,
    MIN_ITS_PRE,
    EffectMethod,
    TrendCheck,
    kpi_effect,
)
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


def test_difference_in_differences_matches_newey_west() -> None:
    rng = np.random.default_rng(11)
    days = _months(16)
    after = np.array([d >= START for d in days], dtype=float)
    comparison = 40 + rng.normal(0, 1.2, len(days))
    pilot = comparison + 1.0 - 5.0 * after + rng.normal(0, 0.8, len(days))
    effect = kpi_effect("k", _points("pilot", days, pilot) + _points("comparison", days,
                                                                     comparison), START, 40)
    gap = pilot - comparison
    beta, cov = newey_west(gap, np.column_stack([np.ones(len(days)), after]))
    low, high, p = _t_interval(beta[1], math.sqrt(cov[1, 1]), len(days) - 2)
    assert effect.method is EffectMethod.DID
    assert effect.estimate == pytest.approx(beta[1], abs=1e-9)
    assert (effect.ci_low, effect.ci_high, effect.p_value) == pytest.approx((low, high, p),
                                                                            abs=1e-9)
    observed = pilot[after > 0].mean() - pilot[after == 0].mean()
    assert effect.observed == pytest.approx(observed, abs=1e-9)
    assert effect.isolation == pytest.approx(min(1.0, beta[1] / observed), abs=1e-9)
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
    assert effect.note == "fewer than 4 periods before the start: parallel trends cannot be " \
                          "assessed"


def test_interrupted_time_series_matches_newey_west() -> None:
    rng = np.random.default_rng(5)
    days = _months(20, date(2025, 5, 1))
    t = np.arange(20, dtype=float)
    pre = sum(d < START for d in days)
    after = (t >= pre).astype(float)
    since = np.where(after > 0, t - pre, 0.0)
    y = 50 + 0.4 * t + 3 * after + 0.8 * since + rng.normal(0, 1, 20)
    effect = kpi_effect("k", _points("all", days, y), START, 50)
    beta, cov = newey_west(y, np.column_stack([np.ones(20), t, after, since]))
    w = np.array([0, 0, 1, since[-1]])
    low, high, p = _t_interval(w @ beta, math.sqrt(w @ cov @ w), 20 - 4)
    assert effect.method is EffectMethod.ITS and pre >= MIN_ITS_PRE
    assert effect.estimate == pytest.approx(w @ beta, abs=1e-9)
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
    assert effect.isolation == 0.0
