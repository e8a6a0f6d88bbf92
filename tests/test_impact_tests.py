"""One group against the reference: every number against scipy/statsmodels, verdict rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import fisher_exact
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from playbook.figures.impact_tests import (
    ALPHA,
    FLIP_MARGIN,
    THRESHOLD,
    FairnessVerdict,
    compare,
    katz_interval,
)

TOL = 1e-9


def _generated(seed: int, count: int) -> list[tuple[int, int, int, int]]:
    """(selected, n, reference selected, reference n) with the reference rate highest."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        n, ref_n = (int(x) for x in rng.integers(5, 3000, size=2))
        ref_rate = rng.uniform(0.05, 0.95)
        ref_selected = max(1, int(rng.binomial(ref_n, ref_rate)))
        selected = int(rng.binomial(n, ref_rate * rng.uniform(0.5, 1.05)))
        if selected * ref_n <= ref_selected * n and 0 < selected < n:
            out.append((selected, n, ref_selected, ref_n))
    return out


def _brute_flips(selected: int, n: int, ref_selected: int, ref_n: int) -> int:
    """Count selections one at a time until the four-fifths flag changes (5·a·N vs 4·c·n)."""
    def below(a: int) -> bool:
        return 5 * a * ref_n < 4 * ref_selected * n
    step = 1 if below(selected) else -1
    k = 0
    while below(selected + k * step) == below(selected):
        k += 1
    return k


@pytest.mark.parametrize("case", _generated(2026, 300))
def test_every_number_matches_scipy_and_statsmodels(case: tuple[int, int, int, int]) -> None:
    a, n, c, m = case
    t = compare(a, n, c, m)
    assert t.ratio == pytest.approx((a / n) / (c / m), rel=TOL, abs=TOL)
    assert t.fisher_p == pytest.approx(fisher_exact([[a, n - a], [c, m - c]]).pvalue,
                                       rel=TOL, abs=TOL)
    z, p = proportions_ztest([a, c], [n, m])
    assert (t.z, t.z_p) == (pytest.approx(z, rel=TOL, abs=TOL), pytest.approx(p, rel=TOL,
                                                                             abs=TOL))
    low, high = confint_proportions_2indep(a, n, c, m, method="log", compare="ratio")
    assert (t.ratio_low, t.ratio_high) == (pytest.approx(low, rel=TOL, abs=TOL),
                                           pytest.approx(high, rel=TOL, abs=TOL))
    assert t.flips == _brute_flips(a, n, c, m)
    assert t.below_threshold == (5 * a * m < 4 * c * n)
    assert t.significant == (t.fisher_p < ALPHA and a * m < c * n)
    assert t.robust == (t.flips > FLIP_MARGIN)


def test_2000_per_group_at_50_and_42_percent_is_a_significant_shortfall() -> None:
    t = compare(840, 2000, 1000, 2000)
    assert t.ratio == pytest.approx(0.84, abs=1e-12) and not t.below_threshold
    assert t.z == pytest.approx(-5.075913250845875, rel=TOL)
    assert t.significant and t.verdict is FairnessVerdict.SIGNIFICANT_ABOVE_THRESHOLD
    assert t.flips == 41  # 41 fewer selections (799 of 2000) would fall below 0.8


def test_one_more_selection_clears_the_flag_so_it_is_not_practically_robust() -> None:
    # 7/20 against 10/20 is 0.70; 8/20 would be exactly 0.80, which passes
    small = compare(7, 20, 10, 20)
    assert (small.below_threshold, small.flips, small.robust, small.significant) == (
        True, 1, False, False)
    assert small.verdict is FairnessVerdict.FLAGGED_NOT_SIGNIFICANT
    # 799/2000 against 1000/2000 is significant, yet one selection clears the ratio flag
    large = compare(799, 2000, 1000, 2000)
    assert (large.below_threshold, large.flips, large.robust, large.significant) == (
        True, 1, False, True)
    assert large.verdict is FairnessVerdict.FLAGGED


def test_a_robust_flag_without_significance_is_still_flagged() -> None:
    # 3/12 against 6/10: ratio 0.42, Fisher p ≈ 0.19, 3 more selections to reach 0.8
    t = compare(3, 12, 6, 10)
    assert not t.significant and t.flips == FLIP_MARGIN + 1 and t.robust
    assert t.verdict is FairnessVerdict.FLAGGED


def test_ratio_at_exactly_four_fifths_passes_in_exact_arithmetic() -> None:
    t = compare(4, 10, 5, 10)
    assert not t.below_threshold and t.verdict is FairnessVerdict.NO_ADVERSE_IMPACT
    assert THRESHOLD == 0.8
    # one selection fewer (3/10 = 0.6 of the reference) raises the flag
    assert t.flips == 1


def test_a_group_with_no_selection_has_no_interval_but_a_test() -> None:
    t = compare(0, 30, 15, 30)
    assert (t.ratio, t.ratio_low, t.ratio_high) == (0.0, None, None)
    assert t.fisher_p == pytest.approx(fisher_exact([[0, 30], [15, 15]]).pvalue, rel=TOL)
    assert t.verdict is FairnessVerdict.FLAGGED and t.flips == 12
    assert katz_interval(3, 10, 0, 10) == (None, None)


def test_both_groups_all_selected_give_no_z_statistic() -> None:
    t = compare(8, 8, 6, 6)
    assert (t.z, t.z_p, t.fisher_p, t.ratio) == (None, None, 1.0, 1.0)
    assert t.verdict is FairnessVerdict.NO_ADVERSE_IMPACT


@pytest.mark.parametrize("scale", [10**6, 5 * 10**6])
def test_huge_counts_stay_finite_and_match(scale: int) -> None:
    a, n, c, m = int(0.4999 * scale), scale, scale // 2, scale
    t = compare(a, n, c, m)
    assert t.fisher_p == pytest.approx(fisher_exact([[a, n - a], [c, m - c]]).pvalue,
                                       rel=TOL, abs=TOL)
    z, p = proportions_ztest([a, c], [n, m])
    assert t.z == pytest.approx(z, rel=TOL) and t.z_p == pytest.approx(p, rel=TOL, abs=TOL)
    low, high = confint_proportions_2indep(a, n, c, m, method="log", compare="ratio")
    assert t.ratio_low == pytest.approx(low, rel=TOL)
    assert t.ratio_high == pytest.approx(high, rel=TOL)
    assert all(math.isfinite(x) for x in (t.ratio, t.fisher_p, t.ratio_low, t.ratio_high))
    assert t.verdict is FairnessVerdict.NO_ADVERSE_IMPACT
    # far below at the same scale: p underflows to 0 but nothing breaks
    far = compare(int(0.3 * scale), n, c, m)
    assert far.verdict is FairnessVerdict.FLAGGED and far.robust and far.z is not None
