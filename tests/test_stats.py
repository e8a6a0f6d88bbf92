"""Behaviour change: paired effects, difference in differences, and degenerate data.

Each figure is checked against an independent reference (scipy.stats,
statsmodels) and against a hand-worked example, to a relative error of 1e-9;
data that cannot carry an estimate gives a stated reason, never p = 0, a
zero-width interval or an exception. The MDE is in ``test_power.py``, attrition
in ``test_attrition.py``.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from playbook.figures.paired import (
    MAX_MAGNITUDE,
    NoEstimate,
    did_effect,
    p_two_sided,
    paired_effect,
)
from playbook.figures.power import Design
from playbook.figures.stats import behaviour_effect
from playbook.load.observations import Observation
from playbook.model.measure import Kpi

REL = 1e-9


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


def test_paired_effect_hand_worked() -> None:
    # changes 1,2,0,2,2: mean 1.4; squared deviations .16+.36+1.96+.36+.36 = 3.2,
    # variance 3.2/4 = 0.8; se = √(0.8/5) = 0.4; t = 3.5 on 4 df;
    # t(0.975, 4) = 2.7764451051977934 → CI 1.4 ± 1.1105780420791174;
    # d_z = 1.4/√0.8 = 1.5652475842498528.
    e = paired_effect("pilot", [1, 2, 3, 4, 5], [2, 4, 3, 6, 7])
    assert (e.group, e.n, e.mean_pre, e.mean_post) == ("pilot", 5, 3.0, 4.4)
    assert close(e.mean_change, 1.4) and close(e.sd_change, math.sqrt(0.8))
    assert close(e.ci.low, 1.4 - 0.4 * 2.7764451051977934)
    assert close(e.ci.high, 1.4 + 0.4 * 2.7764451051977934)
    assert close(e.d_z, 1.5652475842498528)
    assert e.ci.level == 0.95


def test_paired_effect_matches_scipy_and_statsmodels() -> None:
    rng = np.random.default_rng(7)
    pre = rng.normal(3.4, 0.5, 30)
    post = pre + rng.normal(0.4, 0.3, 30)
    e = paired_effect("pilot", list(pre), list(post))
    ref = sps.ttest_rel(post, pre)
    ci = ref.confidence_interval(0.95)
    assert close(e.p_value, ref.pvalue)
    assert close(e.ci.low, ci.low) and close(e.ci.high, ci.high)
    low, high = DescrStatsW(post - pre).tconfint_mean(alpha=0.05)
    assert close(e.ci.low, low) and close(e.ci.high, high)
    assert close(e.d_z, float(np.mean(post - pre) / np.std(post - pre, ddof=1)))


def test_paired_effect_without_spread_states_it_and_gives_no_p() -> None:
    same = paired_effect("pilot", [1.0, 2.0, 3.0], [2.0, 3.0, 4.0])  # every change is +1
    assert same.reason == NoEstimate.NO_SPREAD and same.sd_change == 0
    assert same.mean_change == 1.0 and (same.mean_pre, same.mean_post) == (2.0, 3.0)
    assert same.ci is None and same.d_z is None and same.p_value is None
    flat = paired_effect("pilot", [3.0, 3.0, 3.0, 3.0], [3.0, 3.0, 3.0, 3.0])  # identical
    assert flat.reason == NoEstimate.NO_SPREAD and flat.p_value is None and flat.ci is None
    # 3.52 − 3.12 and the like differ in the last bits only: rounding, not spread
    rounding = paired_effect("pilot", [3.12, 2.12, 1.12], [3.52, 2.52, 1.52])
    assert rounding.reason == NoEstimate.NO_SPREAD


@pytest.mark.parametrize("n", [0, 1, 2])
def test_paired_effect_under_three_pairs_cannot_be_estimated(n: int) -> None:
    e = paired_effect("pilot", [1.0, 2.0][:n], [2.0, 4.0][:n])
    assert (e.n, e.reason) == (n, NoEstimate.TOO_FEW)
    assert (e.mean_change, e.ci, e.d_z, e.p_value) == (None, None, None, None)
    with pytest.raises(ValueError):
        paired_effect("pilot", [1.0, 2.0], [2.0])  # a caller's mistake, not the data's


@pytest.mark.parametrize("value, reason", [
    (1e300, NoEstimate.TOO_LARGE), (-1e300, NoEstimate.TOO_LARGE),
    (MAX_MAGNITUDE * 1.01, NoEstimate.TOO_LARGE), (math.inf, NoEstimate.NOT_FINITE),
    (math.nan, NoEstimate.NOT_FINITE)])
def test_extreme_or_non_finite_values_are_not_estimated(value: float,
                                                        reason: NoEstimate) -> None:
    pre, post = [3.0, 3.2, 3.4, 3.1], [3.5, 3.6, 3.9, value]
    e = paired_effect("pilot", pre, post)
    assert e.reason == reason and e.mean_pre is None and e.ci is None and e.p_value is None
    d = did_effect([0.5, 0.4, 0.6, value], [0.1, 0.0, 0.2])
    assert d.reason == reason and d.estimate is None and d.ci is None and d.p_value is None


def test_values_up_to_the_bound_are_estimated_without_overflow() -> None:
    rng = np.random.default_rng(3)
    pre = rng.normal(0.5, 0.1, 20) * MAX_MAGNITUDE
    post = pre + rng.normal(0.05, 0.02, 20) * MAX_MAGNITUDE
    post = np.minimum(post, MAX_MAGNITUDE)
    e = paired_effect("pilot", list(pre), list(post))
    assert e.reason is None and e.p_value is not None
    assert close(e.p_value, sps.ttest_rel(post, pre).pvalue)
    p, c = rng.normal(1, 0.3, 9) * 1e11, rng.normal(0, 0.3, 7) * 1e11
    d = did_effect(list(p), list(c))
    ref = sps.ttest_ind(p, c, equal_var=False)
    assert d.p_value is not None and close(d.p_value, ref.pvalue) and close(d.df or 0, ref.df)


def test_tiny_values_keep_their_spread() -> None:
    # squares of 1e-200 underflow to 0; Welch's se and df must not
    p, c = [x * 1e-200 for x in (1, 2, 3, 4)], [x * 1e-200 for x in (0, 0, 1, 1)]
    d = did_effect(p, c)
    ref = sps.ttest_ind([1, 2, 3, 4], [0, 0, 1, 1], equal_var=False)
    assert d.reason is None and d.p_value is not None and close(d.p_value, ref.pvalue)
    assert d.df is not None and close(d.df, ref.df)


def test_p_is_never_zero() -> None:
    assert 0 < p_two_sided(1e9, 40) <= 5e-324
    e = paired_effect("pilot", [0.0, 1.0, 2.0, 3.0], [1e6, 1e6 + 1.5, 1e6 + 2, 1e6 + 3.4])
    assert e.p_value is not None and e.p_value > 0


def test_did_hand_worked() -> None:
    # pilot changes 1,2,3: mean 2, var 1; comparison 0,0,1,1: mean 0.5, var 1/3.
    # se² = 1/3 + 1/12 = 5/12; df = (5/12)² / ((1/3)²/2 + (1/12)²/3) = 3 exactly.
    d = did_effect([1, 2, 3], [0, 0, 1, 1])
    assert close(d.estimate, 1.5) and close(d.se, math.sqrt(5 / 12)) and close(d.df, 3.0)
    half = 3.1824463052837078 * math.sqrt(5 / 12)  # t(0.975, 3)
    assert close(d.ci.low, 1.5 - half) and close(d.ci.high, 1.5 + half)
    assert (d.n_pilot, d.n_comparison) == (3, 4)


def test_did_matches_welch_in_scipy_and_statsmodels() -> None:
    rng = np.random.default_rng(11)
    p, c = rng.normal(0.45, 0.3, 30), rng.normal(0.1, 0.25, 26)
    d = did_effect(list(p), list(c))
    ref = sps.ttest_ind(p, c, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert close(d.ci.low, ci.low) and close(d.ci.high, ci.high)
    assert close(d.p_value, ref.pvalue) and close(d.df, ref.df)
    low, high = CompareMeans.from_data(p, c).tconfint_diff(alpha=0.05, usevar="unequal")
    assert close(d.ci.low, low) and close(d.ci.high, high)
    # OLS of the change on a pilot dummy: with HC2 errors its standard error is
    # exactly Welch's √(s₁²/n₁ + s₂²/n₂), and its coefficient the difference.
    y = np.concatenate([p, c])
    x = sm.add_constant(np.concatenate([np.ones(len(p)), np.zeros(len(c))]))
    fit = sm.OLS(y, x).fit(cov_type="HC2")
    assert close(d.estimate, fit.params[1]) and close(d.se, fit.bse[1])


@pytest.mark.parametrize(("pilot", "comparison"), [
    ([0.5, 0.5, 0.5], [0.1, 0.3, -0.2, 0.0]),   # the case: three people, no spread
    ([0.2, 0.9, 0.4, 0.7], [0.0, 0.0, 0.0]),
    ([0.3, 0.3, 0.3 + 1e-15], [0.1, 0.4, 0.2]),  # equal up to rounding
])
def test_did_with_a_group_without_spread_is_not_estimable(pilot: list[float],
                                                          comparison: list[float]) -> None:
    # Welch would give the spreadless group no variance and report a p as if it were exact
    d = did_effect(pilot, comparison)
    assert d.reason is NoEstimate.NO_SPREAD
    assert (d.ci, d.p_value, d.df, d.se) == (None, None, None, None)
    assert close(d.estimate, sum(pilot) / len(pilot) - sum(comparison) / len(comparison))


def kpi_360(**over: Any) -> Kpi:
    data: dict[str, Any] = {
        "id": "leader-360", "name": "360", "kind": "behavior", "unit": "score",
        "direction": "increase", "cadence": "quarterly",
        "baseline": {"value": 3.4, "date": date(2026, 1, 9)},
        "target": {"value": 3.8, "by": date(2026, 7, 12)},
        "source": {"file": "x.csv", "date": "d", "value": "v", "subject": "s",
                   "wave": "w", "group": "g"},
    }
    data.update(over)
    return Kpi.model_validate(data)


def waves(group: str, pairs: list[tuple[float, float]], prefix: str) -> list[Observation]:
    pre, post = date(2026, 1, 5), date(2026, 6, 29)
    out = []
    for i, (a, b) in enumerate(pairs):
        out.append(Observation(pre + timedelta(days=i % 3), a, group, f"{prefix}{i}", "pre"))
        out.append(Observation(post, b, group, f"{prefix}{i}", "post"))
    return out


def test_behaviour_effect_pairs_by_subject_and_suppresses_small_groups() -> None:
    pilot = [(3.0, 3.5), (3.2, 3.6), (3.4, 4.0), (3.6, 3.9), (3.1, 3.8), (3.3, 3.4)]
    comparison = [(3.0, 3.1), (3.5, 3.4), (3.2, 3.3), (3.3, 3.5)]  # 4 < 5: suppressed
    series = waves("pilot", pilot, "p") + waves("comparison", comparison, "c")
    series.append(Observation(date(2026, 1, 5), 3.0, "pilot", "gone", "pre"))  # no post
    e = behaviour_effect(kpi_360(), series, cohort_size=30, min_group_size=5)
    assert e is not None
    assert e.unmatched == 1 and e.suppressed_groups == ["comparison"]
    assert e.comparison is None and e.did is None and e.mde_did is None
    # one pre-only answer beside six pairs: the change over the six would reveal it
    assert e.pilot is None and e.withheld_groups == ["pilot"]
    e = behaviour_effect(kpi_360(), series[:-1], cohort_size=30, min_group_size=5)
    assert e is not None and e.unmatched == 0 and e.withheld_groups == []
    assert e.pilot == paired_effect("pilot", [a for a, _ in pilot], [b for _, b in pilot])
    # the MDE is for the 6 people measured twice, not the planned cohort of 30
    assert e.mde is not None and e.mde.n == 6 and close(e.mde.targeted, 0.4)
    assert e.mde.design == Design.PAIRED and e.mde.d is not None
    assert e.pilot.sd_change is not None and e.mde.sd == e.pilot.sd_change
    assert e.mde.raw is not None and close(e.mde.raw, e.mde.d * e.pilot.sd_change)
    assert e.attrition is not None and e.attrition.planned == 30


def test_behaviour_effect_did_with_comparison() -> None:
    pilot = [(3.0, 3.5), (3.2, 3.6), (3.4, 4.0), (3.6, 3.9), (3.1, 3.8)]
    comparison = [(3.0, 3.1), (3.5, 3.4), (3.2, 3.3), (3.3, 3.5), (3.1, 3.1)]
    e = behaviour_effect(kpi_360(), waves("pilot", pilot, "p") + waves("comparison",
                                                                        comparison, "c"),
                         cohort_size=5, min_group_size=5)
    assert e is not None and e.did is not None and e.comparison is not None
    assert e.did == did_effect([b - a for a, b in pilot], [b - a for a, b in comparison])
    assert e.did.estimate is not None
    assert close(e.did.estimate, 0.44)  # pilot changes .5+.4+.6+.3+.7 → .5; comparison .06
    assert e.mde_did is not None and e.mde_did.design == Design.DID
    assert (e.mde_did.n, e.mde_did.n_comparison) == (5, 5)


def test_behaviour_effect_none_without_waves() -> None:
    kpi = kpi_360(source={"file": "x.csv", "date": "d", "value": "v"})
    assert behaviour_effect(kpi, [], cohort_size=30, min_group_size=5) is None


def test_behaviour_effect_with_huge_scores_states_it_for_every_figure() -> None:
    pilot = [(3e300, 3.5e300), (3.2e300, 3.6e300), (3.4e300, 4e300)]
    comparison = [(3e300, 3.1e300), (3.5e300, 3.4e300), (3.2e300, 3.3e300)]
    e = behaviour_effect(kpi_360(), waves("pilot", pilot, "p") + waves("comparison",
                                                                        comparison, "c"),
                         cohort_size=3, min_group_size=2)
    assert e is not None and e.pilot is not None and e.comparison is not None
    assert e.pilot.reason == e.comparison.reason == NoEstimate.TOO_LARGE
    assert e.did is not None and e.did.reason == NoEstimate.TOO_LARGE
    assert e.did.estimate is None and e.mde is None and e.mde_did is None


def test_behaviour_effect_with_one_wave_only() -> None:
    pre_only = [o for o in waves("pilot", [(3.0, 3.5)] * 6, "p") if o.wave == "pre"]
    e = behaviour_effect(kpi_360(), pre_only, cohort_size=30, min_group_size=5)
    assert e is not None and e.pilot is None and e.did is None and e.mde is None
    assert e.unmatched == 6 and e.attrition is not None
    assert not e.attrition.post_started and not e.attrition.flagged
    assert [(g.group, g.pre, g.post, g.both, g.dropouts, g.share)
            for g in e.attrition.groups] == [("pilot", 6, 0, 0, 0, None)]
