"""Behaviour change: paired effects, difference in differences and the MDE.

Each figure is checked against an independent reference (scipy.stats,
statsmodels) and against a hand-worked example, to a relative error of 1e-9.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from playbook.figures.stats import (
    MDE_WARNING,
    behaviour_effect,
    did_effect,
    mde_paired,
    paired_effect,
)
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


def test_paired_effect_without_spread() -> None:
    same = paired_effect("pilot", [1.0, 2.0, 3.0], [2.0, 3.0, 4.0])  # every change is +1
    assert same.sd_change == 0 and same.ci.low == same.ci.high == 1.0
    assert same.d_z == math.inf and same.p_value == 0.0
    flat = paired_effect("pilot", [1.0, 2.0], [1.0, 2.0])
    assert math.isnan(flat.d_z) and math.isnan(flat.p_value)


def test_paired_effect_needs_two_pairs() -> None:
    with pytest.raises(ValueError):
        paired_effect("pilot", [1.0], [2.0])
    with pytest.raises(ValueError):
        paired_effect("pilot", [1.0, 2.0], [2.0])


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


def test_mde_hand_worked_and_power_via_scipy_nct() -> None:
    m = mde_paired(30, 0.3, 0.4)
    # G*Power (one-sample t, two-tailed, α .05, power .80, n 30): d = 0.5292.
    assert m.d == pytest.approx(0.5292, abs=5e-5)
    # Independent power check with scipy's non-central t: exactly 0.80.
    df, nc = 29, m.d * math.sqrt(30)
    crit = sps.t.ppf(0.975, df)
    power = sps.nct.sf(crit, df, nc) + sps.nct.cdf(-crit, df, nc)
    assert close(power, 0.8)
    assert m.raw is not None and close(m.raw, 0.3 * m.d)
    assert m.detectable and m.warning is None and m.targeted == 0.4


def test_mde_warns_when_pilot_cannot_detect_the_target() -> None:
    m = mde_paired(20, 1.0, 0.2)  # d ≈ 0.66 → 0.66 raw > 0.2 targeted
    assert not m.detectable and m.warning == MDE_WARNING
    unknown = mde_paired(20, None, 0.2)
    assert unknown.raw is None and not unknown.detectable


@settings(max_examples=25, deadline=None)
@given(st.integers(4, 400))
def test_mde_power_is_exact_for_any_size(n: int) -> None:
    m = mde_paired(n, 1.0, 1.0)
    crit = sps.t.ppf(0.975, n - 1)
    nc = m.d * math.sqrt(n)
    assert close(sps.nct.sf(crit, n - 1, nc) + sps.nct.cdf(-crit, n - 1, nc), 0.8)


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
    assert e.comparison is None and e.did is None
    assert e.pilot == paired_effect("pilot", [a for a, _ in pilot], [b for _, b in pilot])
    assert e.mde is not None and e.mde.n == 30 and close(e.mde.targeted, 0.4)
    assert e.mde.raw is not None and close(e.mde.raw, e.mde.d * e.pilot.sd_change)


def test_behaviour_effect_did_with_comparison() -> None:
    pilot = [(3.0, 3.5), (3.2, 3.6), (3.4, 4.0), (3.6, 3.9), (3.1, 3.8)]
    comparison = [(3.0, 3.1), (3.5, 3.4), (3.2, 3.3), (3.3, 3.5), (3.1, 3.1)]
    e = behaviour_effect(kpi_360(), waves("pilot", pilot, "p") + waves("comparison",
                                                                        comparison, "c"),
                         cohort_size=5, min_group_size=5)
    assert e is not None and e.did is not None and e.comparison is not None
    assert e.did == did_effect([b - a for a, b in pilot], [b - a for a, b in comparison])
    assert close(e.did.estimate, 0.44)  # pilot changes .5+.4+.6+.3+.7 → .5; comparison .06


def test_behaviour_effect_none_without_waves() -> None:
    kpi = kpi_360(source={"file": "x.csv", "date": "d", "value": "v"})
    assert behaviour_effect(kpi, [], cohort_size=30, min_group_size=5) is None
