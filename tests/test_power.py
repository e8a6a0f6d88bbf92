"""Minimum detectable effects of the paired and DiD designs, for the matched n.

The power at each MDE is recomputed with scipy's non-central t to 1e-9 and the
MDE compared with statsmodels' own ``solve_power``; degenerate inputs give a
stated reason, never "detectable".
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.power import TTestIndPower, TTestPower
from test_stats import kpi_360, waves

from playbook.figures.paired import NoEstimate
from playbook.figures.power import (
    ALPHA,
    MDE_WARNING,
    POWER,
    Design,
    did_power,
    mde_did,
    mde_paired,
    pooled_sd,
)
from playbook.figures.stats import behaviour_effect

REL = 1e-9


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


def nct_power_paired(d: float, n: int) -> float:
    crit = sps.t.ppf(1 - ALPHA / 2, n - 1)
    nc = d * math.sqrt(n)
    return float(sps.nct.sf(crit, n - 1, nc) + sps.nct.cdf(-crit, n - 1, nc))


def nct_power_two_sample(d: float, n1: int, n2: int) -> float:
    df = n1 + n2 - 2
    crit = sps.t.ppf(1 - ALPHA / 2, df)
    nc = d * math.sqrt(n1 * n2 / (n1 + n2))
    return float(sps.nct.sf(crit, df, nc) + sps.nct.cdf(-crit, df, nc))


def test_paired_mde_hand_worked_and_against_scipy_and_statsmodels() -> None:
    m = mde_paired(30, 0.3, 0.4)
    assert (m.design, m.n, m.n_comparison, m.alpha, m.power) == (Design.PAIRED, 30, None,
                                                                   ALPHA, POWER)
    # G*Power (one-sample t, two-tailed, α .05, power .80, n 30): d = 0.5292.
    assert m.d is not None and m.d == pytest.approx(0.5292, abs=5e-5)
    assert close(nct_power_paired(m.d, 30), POWER)
    solved = TTestPower().solve_power(nobs=30, alpha=ALPHA, power=POWER)
    assert m.d == pytest.approx(float(solved), rel=1e-6)  # solve_power stops near 1e-7
    assert m.raw is not None and close(m.raw, 0.3 * m.d) and m.sd == 0.3
    assert m.detectable and m.warning is None and m.targeted == 0.4 and m.reason is None


def test_did_mde_against_scipy_and_statsmodels() -> None:
    rng = np.random.default_rng(5)
    p, c = rng.normal(0.4, 0.3, 30), rng.normal(0.1, 0.25, 26)
    sd = pooled_sd(float(np.std(p, ddof=1)), 30, float(np.std(c, ddof=1)), 26)
    pooled = math.sqrt((29 * np.var(p, ddof=1) + 25 * np.var(c, ddof=1)) / 54)
    assert close(sd, pooled)
    m = mde_did(30, 26, sd, 0.4)
    assert (m.design, m.n, m.n_comparison) == (Design.DID, 30, 26) and m.d is not None
    assert close(nct_power_two_sample(m.d, 30, 26), POWER)
    assert close(did_power(m.d, 30, 26), POWER)
    solved = TTestIndPower().solve_power(nobs1=30, ratio=26 / 30, alpha=ALPHA, power=POWER)
    assert m.d == pytest.approx(float(solved), rel=1e-6)
    assert m.raw is not None and close(m.raw, m.d * pooled)
    assert m.detectable == (m.raw <= 0.4)


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 400))
def test_paired_mde_power_is_exact_for_any_size(n: int) -> None:
    m = mde_paired(n, 1.0, 1.0)
    assert m.d is not None and close(nct_power_paired(m.d, n), POWER)


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 200), st.integers(3, 200))
def test_did_mde_power_is_exact_for_any_sizes(n1: int, n2: int) -> None:
    m = mde_did(n1, n2, 1.0, 1.0)
    assert m.d is not None and close(nct_power_two_sample(m.d, n1, n2), POWER)


def test_detectable_only_when_the_target_is_at_least_the_mde() -> None:
    m = mde_paired(20, 1.0, 0.2)  # d ≈ 0.66 → 0.66 raw > 0.2 targeted
    assert not m.detectable and m.warning == MDE_WARNING
    assert m.raw is not None
    exact = mde_paired(20, 1.0, m.raw)  # target equal to the MDE: just detectable
    assert exact.detectable and exact.warning is None
    unknown = mde_paired(20, None, 0.2)
    assert unknown.raw is None and not unknown.detectable and unknown.warning is None


@pytest.mark.parametrize("n", [0, 1, 2])
def test_mde_under_three_cannot_be_estimated(n: int) -> None:
    m = mde_paired(n, 0.3, 0.4)
    assert m.reason == NoEstimate.TOO_FEW and m.d is None and m.raw is None
    assert not m.detectable and m.warning is None
    d = mde_did(30, n, 0.3, 0.4)
    assert d.reason == NoEstimate.TOO_FEW and d.d is None and not d.detectable


def test_mde_without_spread_is_not_detectable() -> None:
    # identical changes would give an MDE of 0 in the KPI's unit: "detectable" by nothing
    m = mde_paired(30, 0.0, 0.4)
    assert m.reason == NoEstimate.NO_SPREAD and m.raw is None and not m.detectable
    assert m.d is not None  # the standardised MDE depends on n only
    assert mde_did(30, 28, 0.0, 0.4).reason == NoEstimate.NO_SPREAD


def test_mde_uses_the_matched_n_not_the_planned_cohort() -> None:
    # the case: a planned cohort of 200, of whom 30 were measured twice
    rng = np.random.default_rng(17)
    pre = rng.normal(3.4, 0.4, 30)
    post = pre + rng.normal(0.3, 0.3, 30)
    series = waves("pilot", list(zip(pre, post, strict=True)), "p")
    e = behaviour_effect(kpi_360(), series, cohort_size=200, min_group_size=5)
    assert e is not None and e.mde is not None and e.pilot is not None
    assert e.mde.n == 30 and e.attrition is not None and e.attrition.planned == 200
    assert e.mde.d is not None and close(nct_power_paired(e.mde.d, 30), POWER)
    assert e.pilot.sd_change is not None
    assert e.mde.raw is not None and close(e.mde.raw, e.mde.d * e.pilot.sd_change)
