"""ROI by finance conventions: actual apart from forecast, cases, NPV, lasting payback."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from playbook.figures.attribution import Credibility, EffectMethod, TrendCheck
from playbook.figures.benefits import IsolationBasis
from playbook.figures.effects import KpiEffect
from playbook.figures.montecarlo import NotEstimable, RoiRange
from playbook.figures.roi import (
    NOTE_BEYOND,
    NOTE_CURRENCY,
    NOTE_ESTIMATE,
    NOTE_NO_EFFECT,
    RoiCaseKind,
    roi_figures,
)
from playbook.figures.trajectory import KpiFigures, Point
from playbook.model.measure import Kpis
from playbook.model.money import Budget
from playbook.pages.budget import chance, share_rule

START, TODAY = date(2026, 1, 1), date(2026, 7, 2)  # 182 days: half a program year


def close(a: float | None, b: float, tol: float = 1e-9) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def figs(kpi_id: str = "latency", latest: date | None = date(2026, 7, 2)) -> KpiFigures:
    # one monthly point after the start, whose month has ended by TODAY: a full period
    points = [Point("pilot", date(2026, 1, 1), 35.0, 10, False)]
    return KpiFigures(kpi_id, "on-track", 35.0, latest, None, None, False, None, points, [],
                      [])


def effect(estimate: float, observed: float, method: EffectMethod = EffectMethod.DID,
           ci: tuple[float, float] | None = None,
           trend: TrendCheck | None = TrendCheck.PARALLEL,
           credibility: Credibility | None = None, dof: int = 8,
           observed_se: float | None = 1.0) -> KpiEffect:
    """An effect as kpi_effect makes it; credible unless said (or diverging, or unattributed)."""
    low, high = ci if ci else (None, None)
    se = (high - low) / (2 * stats.t.ppf(0.975, dof)) if low is not None and high is not None \
        else None
    if credibility is None:
        attributed = method in (EffectMethod.DID, EffectMethod.ITS)
        credibility = (Credibility.UNATTRIBUTED if not attributed else Credibility.DIVERGING
                       if trend is TrendCheck.DIVERGING else Credibility.CREDIBLE)
    return KpiEffect("latency", method, estimate, low, high, None, 4, 6, trend, observed,
                     estimate / observed if observed else None, "", se, dof, None,
                     observed_se, 8, None, credibility)


def plan(direction: str = "decrease", currency: str = "USD") -> Kpis:
    return Kpis.model_validate({"kpis": [{
        "id": "latency", "name": "Decision latency", "kind": "business", "unit": "days",
        "direction": direction, "cadence": "monthly",
        "baseline": {"value": 40, "date": date(2025, 12, 31)},
        "target": {"value": 30 if direction == "decrease" else 50, "by": date(2027, 1, 1)},
        "monetization": {"value_per_unit": 10000, "currency": currency,
                         "isolation": 0.5, "confidence": 0.8},
    }]})


def budget(**over: Any) -> Budget:
    data: dict[str, Any] = {
        "currency": "USD",
        "costs": [{"category": "platform", "year": 1, "amount": 120000},
                  {"category": "participant_time", "year": 1, "amount": 60000},
                  {"category": "platform", "year": 2, "amount": 60000}],
        "benefits": [{"name": "Faster launches", "year": 2, "amount": 400000,
                      "isolation": 0.5, "confidence": 0.5}],
        "intangibles": ["Trust"],
    }
    data.update(over)
    return Budget.model_validate(data)


def run(b: Budget, eff: KpiEffect | None, **kw: Any):  # type: ignore[no-untyped-def]
    return roi_figures(b, kw.pop("kpis", plan()), {"latency": figs()},
                       {"latency": eff} if eff else {}, start=START,
                       today=kw.pop("today", TODAY), **kw)


def test_hand_worked_cases_from_a_measured_effect() -> None:
    # Latency fell 5 days (observed −5); the difference-in-differences attributes 4 of them:
    # isolation 0.8 from data, not the hand-set 0.5. Counted per year: 4 × 10 000 × 0.8
    # (confidence) = 32 000. Costs: year 1 180 000, year 2 60 000, year 3 0.
    r = run(budget(), effect(-4.0, -5.0))
    (b,) = r.kpi_benefits
    assert (b.basis, b.observed, b.effect) == (IsolationBasis.DATA, 5.0, 4.0)
    assert close(b.isolation, 0.8) and close(b.per_year, 32000)
    first, multi = r.headline, r.sensitivity  # a 90-day pilot is short: first year heads
    assert first.kind is RoiCaseKind.FIRST_YEAR and multi.kind is RoiCaseKind.MULTI_YEAR
    assert close(first.benefits, 32000) and first.costs == 180000
    assert close(first.roi_pct, (32000 - 180000) / 1800)
    # multi-year: 3 × 32 000 + 400 000 × 0.25 = 196 000 against 240 000
    assert close(multi.benefits, 196000) and multi.costs == 240000
    assert close(multi.bcr, 196000 / 240000)
    assert r.notes == [NOTE_ESTIMATE]  # the declared benefit's shares are hand-set
    long = run(budget(), effect(-4.0, -5.0), pilot_days=400)
    assert long.headline.kind is RoiCaseKind.MULTI_YEAR


def test_npv_matches_discounting_by_hand() -> None:
    r = run(budget(discount_rate=0.1), effect(-4.0, -5.0))
    nets = [32000 - 180000, 32000 + 100000 - 60000, 32000 - 0]
    by_hand = 0.0
    factor = 1.0
    for net in nets:  # end-of-year flows: divide once more by 1.1 for each year
        factor *= 1.1
        by_hand += net / factor
    assert close(r.sensitivity.npv, by_hand)
    assert close(r.headline.npv, (32000 - 180000) / 1.1)
    assert r.rate_declared and r.discount_rate == 0.1
    default = run(budget(), effect(-4.0, -5.0))
    assert not default.rate_declared and default.discount_rate == 0.08


def test_actual_is_realised_to_date_and_apart_from_the_forecast() -> None:
    r = run(budget(), effect(-4.0, -5.0))
    assert r.actual is not None
    years = 182 / 365  # the latest measurement is on the build date
    assert close(r.actual.benefits, 32000 * years)
    assert close(r.actual.costs, 180000 * years)  # declared benefits never enter it
    assert close(r.actual.roi_pct, (32000 - 180000) / 1800)
    before = run(budget(), effect(-4.0, -5.0), today=date(2025, 12, 1))
    assert before.actual is None


def test_zig_zag_around_the_baseline_earns_about_nothing() -> None:
    # The case: monthly values 45, 35, 45, 35 … around a baseline of 40. Floored
    # month by month and averaged this earned 5 days a year; the signed mean change is 0.
    from playbook.figures.effects import kpi_effect
    from playbook.figures.trajectory import Point

    values = [40.0] * 6 + [45.0 if m % 2 else 35.0 for m in range(12)]
    days = [date(2025, 7 + m, 1) if m < 6 else date(2026, m - 5, 1) for m in range(18)]
    points = [Point("pilot", d, v, 10, False) for d, v in zip(days, values, strict=True)]
    eff = kpi_effect("latency", points, START, 40.0)
    r = run(budget(benefits=[]), eff)
    assert abs(r.kpi_benefits[0].per_year) < 1e-6 and abs(r.headline.benefits) < 1e-6


def test_payback_is_lasting_not_a_first_touch() -> None:
    from playbook.figures.cashflow import payback_month

    # Year 1 breaks even in month 1, then year 2's costs push the total below zero for good.
    assert payback_month({1: 12000, 2: 120000}, {1: 24000, 2: 0}, 2) is None
    # ... and when year 3 recovers it (−108 000 at the end of year 2, +20 000 a month),
    # payback is the month it turns for good: 24 + 6.
    assert payback_month({1: 12000, 2: 120000, 3: 0}, {1: 24000, 2: 0, 3: 240000}, 3) == 30
    # Year 1: costs 10 000/month, benefits 5 000 → 60 000 behind; year 2 catches up by 18.
    assert payback_month({1: 120000, 2: 0}, {1: 60000, 2: 120000}, 3) == 18
    assert payback_month({1: 120000}, {1: 120000}, 3) == 1  # equal from the first month
    assert payback_month({1: 0}, {1: 100}, 3) is None  # no costs, nothing to pay back


def test_a_wrong_way_or_missing_effect_counts_a_loss_or_nothing() -> None:
    worse = run(budget(benefits=[]), effect(3.0, 3.0, EffectMethod.BEFORE_AFTER, trend=None))
    (b,) = worse.kpi_benefits
    # unattributed: the hand-set isolation 0.5, labelled an estimate; latency rose 3 days
    assert b.basis is IsolationBasis.ESTIMATE and close(b.per_year, -3 * 0.5 * 0.8 * 10000)
    missing = run(budget(benefits=[]), None)
    assert missing.headline.benefits == 0 and missing.headline.roi_pct == -100
    assert missing.notes == [NOTE_NO_EFFECT]
    # diverging pre-trends: the data cannot attribute, the hand-set share stands
    drift = run(budget(benefits=[]), effect(-4.0, -5.0, trend=TrendCheck.DIVERGING))
    assert drift.kpi_benefits[0].basis is IsolationBasis.ESTIMATE
    assert close(drift.kpi_benefits[0].per_year, 5 * 0.5 * 0.8 * 10000)


def test_decay_break_even_and_cost_per_participant() -> None:
    r = run(budget(benefits=[], benefit_decay=0.5), effect(-4.0, -5.0), cohort_size=30)
    assert [round(x.net) for x in r.benefit_lines] == [32000, 16000, 8000]
    # headline first year: break-even when e × 10 000 × 0.8 = 180 000 → 22.5 days
    assert close(r.kpi_benefits[0].break_even, 22.5)
    assert close(r.cost_per_participant, 180000 / 30) and not r.participants_declared
    declared = run(budget(participants=60), effect(-4.0, -5.0), cohort_size=30)
    assert close(declared.cost_per_participant, 240000 / 60)


def test_monte_carlo_is_reproducible_and_centred_on_the_point_case() -> None:
    narrow = effect(-4.0, -5.0, ci=(-4.02, -3.98))
    a, b = run(budget(), narrow), run(budget(), narrow)
    assert a.headline.range == b.headline.range and a.headline.range is not None
    assert a.headline.range.varied[:2] == ["effect on Decision latency (t, 8 degrees of "
                                           "freedom)", "confidence in Decision latency"]
    # confidence 0.8 ± 0.2 is symmetric, so the median stays at the point case
    assert abs(a.headline.range.p50 - (a.headline.roi_pct or 0)) < 0.5
    wide = run(budget(), effect(-4.0, -5.0, ci=(-8.0, 0.0)))
    spread = wide.headline.range
    assert spread is not None and spread.p10 < spread.p50 < spread.p90
    assert spread.p_positive is not None and 0 <= spread.p_positive <= 1
    # a declared range on an estimate varies too (triangular around the amount)
    ranged = run(budget(benefits=[{"name": "Launches", "year": 1, "amount": 100000,
                                   "amount_low": 50000, "amount_high": 200000}]), None)
    assert ranged.headline.range is not None and ranged.headline.range.p10 < \
        ranged.headline.range.p90


def test_missing_participant_time_is_listed_not_silent() -> None:
    full = run(budget(), effect(-4.0, -5.0))
    assert full.missing_costs == ["measurement", "operations"]
    cut = budget(costs=[c for c in budget().model_dump()["costs"]
                        if c["category"] != "participant_time"])
    cheaper = run(cut, effect(-4.0, -5.0))
    assert (cheaper.headline.roi_pct or 0) > (full.headline.roi_pct or 0)
    assert cheaper.missing_costs == ["participant_time", "measurement", "operations"]


def test_horizon_currency_and_no_costs() -> None:
    b = budget(costs=[{"category": "platform", "year": 4, "amount": 5}],
               benefits=[{"name": "Later", "year": 5, "amount": 9}])
    r = run(b, effect(-4.0, -5.0), kpis=plan(currency="EUR"))
    assert r.tco == 0 and r.headline.benefits == 0 and r.headline.bcr is None
    assert r.headline.roi_pct is None and r.headline.range is None
    assert r.headline.payback_month is None and r.benefit_lines == []
    assert r.notes == [NOTE_BEYOND, NOTE_CURRENCY]


@given(st.floats(0, 1e7), st.floats(0, 1e7), st.floats(1, 1e7), st.integers(1, 3),
       st.floats(0, 1), st.floats(0, 1))
def test_roi_increases_with_benefits(base: float, extra: float, cost: float, year: int,
                                     iso: float, conf: float) -> None:
    def case(amount: float) -> tuple[float, int | None]:
        b = budget(costs=[{"category": "platform", "year": 1, "amount": cost}],
                   benefits=[{"name": "B", "year": year, "amount": amount,
                              "isolation": iso, "confidence": conf}])
        r = roi_figures(b, None, {}, {}, start=START, today=TODAY)
        assert r.sensitivity.roi_pct is not None
        return r.sensitivity.roi_pct, r.sensitivity.payback_month

    small, large = case(base), case(base + extra)
    assert large[0] >= small[0]
    if small[1] is not None:  # paying back never gets later with more benefit
        assert large[1] is not None and large[1] <= small[1]


def test_a_declared_range_must_hold_the_amount() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="must lie between `amount_low` 50000"):
        budget(benefits=[{"name": "B", "year": 1, "amount": 10, "amount_low": 50000,
                          "amount_high": 60000}])
    with pytest.raises(ValidationError, match="give both `amount_low` and `amount_high`"):
        budget(benefits=[{"name": "B", "year": 1, "amount": 10, "amount_low": 5}])


def _reference_roi(n: int = 400_000) -> tuple[np.ndarray, np.ndarray]:
    """First-year and multi-year ROI % by an independent simulation of the stated rules.

    Written from the methodology, not from the engine: a t-distributed effect (8 degrees
    of freedom) with no cap at the change observed, confidence and isolation shares
    uniform ± 0.2 and clipped to 0–1, a triangular declared amount, the yearly decay
    ± 0.2 clipped to 0–1, another seed and forty times the draws.
    """
    rng = np.random.default_rng(7)
    se = 6.0 / (2 * stats.t.ppf(0.975, 8))
    better = 4.0 + se * rng.standard_t(8, n)
    conf = np.clip(0.8 + rng.uniform(-0.2, 0.2, n), 0, 1)
    kpi = better * conf * 10000
    gross = rng.triangular(200000, 400000, 500000, n)
    declared = (gross * np.clip(0.5 + rng.uniform(-0.2, 0.2, n), 0, 1)
                * np.clip(0.5 + rng.uniform(-0.2, 0.2, n), 0, 1))
    kept = 1 - np.clip(0.1 + rng.uniform(-0.2, 0.2, n), 0, 1)
    years = [kpi, kpi * kept + declared, kpi * kept**2]
    return (years[0] - 180000) / 1800, (sum(years) - 240000) / 2400


def test_range_and_chance_match_an_independent_simulation() -> None:
    b = budget(benefit_decay=0.1, benefits=[{
        "name": "Faster launches", "year": 2, "amount": 400000, "amount_low": 200000,
        "amount_high": 500000, "isolation": 0.5, "confidence": 0.5}])
    r = run(b, effect(-4.0, -5.0, ci=(-7.0, -1.0)))
    first_ref, multi_ref = _reference_roi()
    for case, ref in ((r.headline, first_ref), (r.sensitivity, multi_ref)):
        got = case.range
        assert got is not None and got.p_positive is not None
        want = np.percentile(ref, [10, 50, 90])
        tolerance = 0.03 * (want[2] - want[0])  # sampling error of 10 000 draws
        assert abs(got.p10 - want[0]) < tolerance, (case.kind, got, want)
        assert abs(got.p50 - want[1]) < tolerance, (case.kind, got, want)
        assert abs(got.p90 - want[2]) < tolerance, (case.kind, got, want)
        assert abs(got.p_positive - float(np.mean(ref > 0))) < 0.015
    # the multi-year chance is neither 0 nor 1 here: the range is a real interval
    assert r.sensitivity.range is not None and 0.05 < (r.sensitivity.range.p_positive or 0) < 0.95


def test_no_cap_at_the_change_observed() -> None:
    # the comparison group worsened: the credible effect (6) is larger than the change (5)
    r = run(budget(benefits=[]), effect(-6.0, -5.0, ci=(-9.0, -3.0)))
    (b,) = r.kpi_benefits
    assert b.basis is IsolationBasis.DATA and close(b.isolation, 1.2)
    assert close(b.per_year, 6 * 0.8 * 10000)  # the effect, not the 5 observed
    spread = r.headline.range
    assert spread is not None and spread.p90 > (r.headline.roi_pct or 0) > spread.p10


def test_chance_is_not_estimable_on_short_data_or_nothing_uncertain() -> None:
    # 20 days after the start: the first month after it has not ended
    early = roi_figures(budget(), plan(), {"latency": figs()},
                        {"latency": effect(-4.0, -5.0, ci=(-7.0, -1.0))}, start=START,
                        today=date(2026, 1, 21))
    assert early.headline.range is not None and early.headline.range.p_positive is None
    assert early.headline.range.not_estimable is NotEstimable.SHORT_DATA
    # a before/after change of one value has no noise to draw from
    lone = run(budget(), effect(-4.0, -5.0, EffectMethod.BEFORE_AFTER, trend=None,
                                observed_se=None))
    assert lone.headline.range is not None
    assert lone.headline.range.not_estimable is NotEstimable.SHORT_DATA
    # no benefit at all: every draw is −100%
    nothing = run(budget(benefits=[]), None)
    assert nothing.headline.range is not None
    assert nothing.headline.range.not_estimable is NotEstimable.NOTHING_VARIES
    assert chance(nothing.headline.range) == "not estimable: nothing uncertain varies"


@pytest.mark.parametrize(("p", "shown"), [
    (0.0, "< 1%"), (1e-9, "< 1%"), (0.0099, "< 1%"), (0.01, "1%"), (0.4, "40%"),
    (0.99, "99%"), (0.9901, "> 99%"), (0.99999, "> 99%"), (1.0, "> 99%")])
def test_chance_is_never_printed_as_certain(p: float, shown: str) -> None:
    r = RoiRange(0.0, 0.0, 0.0, p, None, 1, 1, ["x"])
    assert chance(r) == shown


def test_a_non_credible_share_falls_back_to_the_declared_one() -> None:
    # the data say 0.9 of the change, but the interval includes zero: the declared 0.5 stands
    weak = effect(-4.5, -5.0, ci=(-9.5, 0.5), credibility=Credibility.INTERVAL_INCLUDES_ZERO)
    r = run(budget(benefits=[]), weak)
    (b,) = r.kpi_benefits
    assert (b.basis, b.isolation, b.declared_isolation) == (IsolationBasis.ESTIMATE, 0.5, 0.5)
    assert close(b.data_isolation, 0.9) and b.credibility is Credibility.INTERVAL_INCLUDES_ZERO
    assert close(b.per_year, 5 * 0.5 * 0.8 * 10000) and b.effect_se is None
    assert str(share_rule(b)) == ("- Decision latency: the declared share 50% is used, not "
                                   "the data-derived 90% (the effect's 95% interval includes "
                                   "zero).")


def test_an_unattributed_change_varies_with_its_series_noise_and_its_shares() -> None:
    # before/after: 5 days better, standard error 1.5 from the series (8 degrees of
    # freedom), the declared isolation 0.5 and confidence 0.8 each ± 0.2
    r = run(budget(benefits=[]), effect(-4.0, -5.0, EffectMethod.BEFORE_AFTER, trend=None,
                                        observed_se=1.5))
    assert r.kpi_benefits[0].basis is IsolationBasis.ESTIMATE
    rng = np.random.default_rng(3)
    n = 400_000
    better = 5.0 + 1.5 * rng.standard_t(8, n)
    per_year = (better * np.clip(rng.uniform(0.3, 0.7, n), 0, 1)
                * np.clip(rng.uniform(0.6, 1.0, n), 0, 1) * 10000)
    ref = (per_year - 180000) / 1800
    got = r.headline.range
    assert got is not None and got.p_positive is not None
    want = np.percentile(ref, [10, 50, 90])
    tolerance = 0.03 * (want[2] - want[0])
    assert np.allclose([got.p10, got.p50, got.p90], want, atol=tolerance), (got, want)
    assert abs(got.p_positive - float(np.mean(ref > 0))) < 0.015
    assert got.varied == ["change in Decision latency (its series' noise)",
                          "isolation of Decision latency", "confidence in Decision latency",
                          "yearly benefit decay"]


def test_npv_timing_is_a_setting_end_of_year_by_default() -> None:
    nets = np.array([32000 - 180000, 32000 + 100000 - 60000, 32000 - 0], dtype=float)
    years = np.arange(1, 4)
    end = run(budget(discount_rate=0.1), effect(-4.0, -5.0))
    assert end.npv_timing == "end"
    assert close(end.sensitivity.npv, float(np.sum(nets / 1.1 ** years)))
    mid = run(budget(discount_rate=0.1, npv_timing="mid"), effect(-4.0, -5.0))
    assert close(mid.sensitivity.npv, float(np.sum(nets / 1.1 ** (years - 0.5))))
    # mid-year scales every term alike: neither timing is "more conservative" in general
    assert close(mid.sensitivity.npv, end.sensitivity.npv * math.sqrt(1.1))
    with pytest.raises(ValueError, match="npv_timing"):
        budget(npv_timing="start")


def test_cases_of_different_sign_are_both_headlined() -> None:
    # year 1 loses (32 000 against 180 000); the three years gain with a big year-2 benefit
    r = run(budget(benefits=[{"name": "Launches", "year": 2, "amount": 900000}]),
            effect(-4.0, -5.0))
    head, other = r.headline.central_pct, r.sensitivity.central_pct
    assert head is not None and other is not None and head < 0 < other
    assert r.signs_differ
    assert not run(budget(), effect(-4.0, -5.0)).signs_differ
