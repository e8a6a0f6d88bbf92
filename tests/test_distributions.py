"""The figures' distribution functions against the libraries they stand in for.

Each function is compared with ``scipy.stats`` or ``statsmodels`` over generated
inputs (hypothesis) to 1e-9, and a build's figures are computed without either
library (nor pandas) being imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import brentq
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.power import TTestIndPower, TTestPower
from statsmodels.stats.proportion import proportions_ztest

from playbook.figures import distributions as dist

TOL = 1e-9
REPO = Path(__file__).resolve().parents[1]
dfs = st.floats(1.0, 500.0)
probabilities = st.floats(0.001, 0.999)


@given(probabilities, dfs, st.floats(-40, 40))
def test_t_and_normal_match_scipy(q: float, df: float, t: float) -> None:
    assert dist.t_quantile(q, df) == pytest.approx(stats.t.ppf(q, df), rel=TOL, abs=TOL)
    assert dist.t_two_sided_p(t, df) == pytest.approx(2 * stats.t.sf(abs(t), df),
                                                      rel=TOL, abs=1e-300)
    assert dist.normal_quantile(q) == pytest.approx(stats.norm.ppf(q), rel=TOL, abs=TOL)


@given(st.floats(0.0, 3.0), st.integers(2, 400), st.floats(0.05, 4.0),
       st.sampled_from([0.01, 0.05, 0.1]))
def test_power_matches_statsmodels(d: float, n: int, ratio: float, alpha: float) -> None:
    paired = TTestPower().power(effect_size=d, nobs=n, alpha=alpha, alternative="two-sided")
    assert dist.t_power(d, n, n - 1, alpha, two_sided=True) == pytest.approx(
        float(paired), rel=TOL, abs=TOL, nan_ok=True)
    n2 = max(2, round(n * ratio))
    two = TTestIndPower().power(effect_size=d, nobs1=n, alpha=alpha, ratio=n2 / n,
                                alternative="larger")
    nobs = 1 / (1 / n + 1 / n2)
    assert dist.t_power(d, nobs, n + n2 - 2, alpha, two_sided=False) == pytest.approx(
        float(two), rel=TOL, abs=TOL, nan_ok=True)


@given(st.floats(0.01, 0.99), st.floats(0.1, 10.0))
def test_increasing_root_matches_brentq(target: float, scale: float) -> None:
    def f(x: float) -> float:
        return float(np.tanh(x / scale)) - target

    assert dist.increasing_root(f, 0.0, 100.0) == pytest.approx(
        brentq(f, 0.0, 100.0, xtol=1e-15), rel=1e-12, abs=1e-14)


@settings(max_examples=60)
@given(st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=40), st.integers(0, 2**32 - 1))
def test_slope_test_matches_linregress(y: list[float], seed: int) -> None:
    x = np.random.default_rng(seed).permutation(len(y)).astype(float)
    fit = stats.linregress(x, np.array(y))
    slope, stderr, p = dist.slope_test(x, np.array(y))
    assert (slope, stderr) == pytest.approx((fit.slope, fit.stderr), rel=TOL, abs=TOL,
                                            nan_ok=True)
    assert p == pytest.approx(fit.pvalue, rel=TOL, abs=TOL, nan_ok=True)


def test_slope_test_of_two_points_and_of_a_flat_line() -> None:
    assert dist.slope_test(np.array([0.0, 1.0]), np.array([2.0, 5.0])) == (3.0, 0.0, 0.0)
    assert dist.slope_test(np.array([0.0, 1.0]), np.array([2.0, 2.0])) == (0.0, 0.0, 1.0)
    _, _, p = dist.slope_test(np.arange(4.0), np.full(4, 7.0))
    assert np.isnan(p) and np.isnan(stats.linregress(np.arange(4.0), np.full(4, 7.0)).pvalue)


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")  # scipy, on near-ties
@given(st.lists(st.floats(-100, 100), min_size=2, max_size=30),
       st.lists(st.floats(-100, 100), min_size=2, max_size=30))
def test_welch_matches_ttest_ind(a: list[float], b: list[float]) -> None:
    if np.var(a) + np.var(b) < 1e-6:
        return  # no spread: the figures never ask (they report NO_SPREAD)
    expected = stats.ttest_ind(a, b, equal_var=False).pvalue
    assert dist.welch_p(a, b) == pytest.approx(expected, rel=TOL, abs=TOL)


@given(st.integers(5, 5000), st.integers(5, 5000), st.floats(0.01, 0.99),
       st.floats(0.01, 0.99))
def test_two_proportions_and_fisher_match(n1: int, n2: int, r1: float, r2: float) -> None:
    x1, x2 = round(n1 * r1), round(n2 * r2)
    if x1 + x2 in (0, n1 + n2):
        return  # no variance: the figures report no statistic (impact_tests._z_test)
    z, p = proportions_ztest([x1, x2], [n1, n2])
    assert dist.two_proportion_z(x1, n1, x2, n2) == pytest.approx((z, p), rel=TOL, abs=TOL)
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    assert dist.fisher_two_sided_p(x1, n1 - x1, x2, n2 - x2) == pytest.approx(
        stats.fisher_exact(table).pvalue, rel=TOL, abs=TOL)


@pytest.mark.parametrize("table", [[[0, 5], [0, 7]], [[3, 0], [4, 0]], [[5, 5], [5, 5]],
                                   [[0, 30], [15, 15]], [[30, 0], [0, 30]], [[1, 0], [0, 1]]])
def test_fisher_edges_match_scipy(table: list[list[int]]) -> None:
    (a, b), (c, d) = table
    assert dist.fisher_two_sided_p(a, b, c, d) == pytest.approx(
        stats.fisher_exact(table).pvalue, rel=TOL, abs=1e-300)


@settings(max_examples=40)
@given(st.integers(8, 120), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_hac_ols_matches_statsmodels(n: int, lags: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(n), np.arange(n, dtype=float), (np.arange(n) >= n // 2)])
    y = x @ rng.normal(size=3) + rng.normal(size=n).cumsum()
    fit = OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    params, cov = dist.hac_ols(y, x, lags)
    assert params == pytest.approx(np.asarray(fit.params), rel=TOL, abs=TOL)
    assert cov == pytest.approx(np.asarray(fit.cov_params()), rel=1e-7, abs=TOL)


def test_figures_are_computed_without_scipy_stats_statsmodels_or_pandas() -> None:
    """The import the figures skip is the reason this module exists: keep it skipped."""
    code = ("import sys; from datetime import date; from pathlib import Path\n"
            "from playbook.engine import build\n"
            f"data, problems = build(Path({str(REPO)!r}), date(2026, 11, 22))\n"
            "assert data is not None and data.programs, problems\n"
            "print(sorted(m for m in ('scipy.stats', 'statsmodels', 'pandas', 'scipy.optimize')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
