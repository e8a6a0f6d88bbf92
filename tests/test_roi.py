"""Phillips ROI: TCO, benefits from KPIs and estimates, BCR, ROI %, payback, scenarios."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from playbook.figures.roi import (
    NOTE_BEYOND,
    NOTE_CURRENCY,
    NOTE_MEASURED,
    payback_month,
    roi_figures,
)
from playbook.figures.trajectory import KpiFigures
from playbook.model.measure import Kpis
from playbook.model.money import Budget


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def figs(kpi_id: str, latest: float | None) -> KpiFigures:
    return KpiFigures(kpi_id, "on-track" if latest is not None else "no-data", latest, None,
                      None, None, False, None, [], [], [])


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
                  {"category": "coaching", "year": 1, "amount": 60000},
                  {"category": "platform", "year": 2, "amount": 60000}],
        "benefits": [{"name": "Faster launches", "year": 2, "amount": 400000,
                      "isolation": 0.5, "confidence": 0.5}],
        "intangibles": ["Trust"],
    }
    data.update(over)
    return Budget.model_validate(data)


def test_hand_worked_roi() -> None:
    # Costs: year 1 180 000, year 2 60 000, year 3 0 → TCO 240 000.
    # KPI: latency 40 → 35 = 5 days × 10 000 × 0.5 × 0.8 = 20 000 a year, 3 years = 60 000.
    # Explicit: 400 000 × 0.5 × 0.5 = 100 000 in year 2. Benefits 160 000.
    # BCR 160/240 = 0.6667; ROI (160 − 240)/240 = −33.33 %.
    r = roi_figures(budget(), plan(), {"latency": figs("latency", 35.0)})
    assert r.costs_by_year == {1: 180000, 2: 60000, 3: 0}
    assert r.costs_by_category == {"platform": {1: 120000, 2: 60000, 3: 0},
                                   "coaching": {1: 60000, 2: 0, 3: 0}}
    assert r.tco == 240000
    assert close(r.benefits, 160000)
    assert close(r.bcr, 2 / 3) and close(r.roi_pct, -100 / 3)
    kpi_lines = [x for x in r.benefit_lines if x.source == "kpi:latency"]
    assert [x.year for x in kpi_lines] == [1, 2, 3]
    assert all(close(x.gross, 50000) and close(x.net, 20000) for x in kpi_lines)
    # Payback: year 1 costs 15 000/month vs 1 667; year 2 5 000 vs 10 000 closes 5 000 of
    # the 160 000 gap a month; year 3 0 vs 1 667 closes the remaining 100 000 in 60
    # months → never within 36.
    assert r.payback_month is None
    assert r.intangibles == ["Trust"] and r.notes == [NOTE_MEASURED]
    assert r.benefits_by_year is not None and close(r.benefits_by_year[2], 120000)


def test_scenarios_move_isolation_and_confidence_by_point_two() -> None:
    r = roi_figures(budget(), plan(), {"latency": figs("latency", 35.0)})
    low, mid, high = r.scenarios
    assert (low.label, mid.label, high.label) == ("low", "expected", "high")
    # low: KPI 50 000 × 0.3 × 0.6 × 3 = 27 000; explicit 400 000 × 0.3 × 0.3 = 36 000.
    assert close(low.benefits, 63000) and close(low.roi_pct, (63000 - 240000) / 2400)
    # high: KPI 50 000 × 0.7 × 1.0 (clipped) × 3 = 105 000; explicit × 0.49 = 196 000.
    assert close(high.benefits, 301000) and close(high.bcr, 301000 / 240000)
    assert mid.benefits == r.benefits and mid.costs == low.costs == high.costs == r.tco


def test_payback_month_spreads_each_year_evenly() -> None:
    # Year 1: costs 10 000/month, benefits 5 000 → 60 000 behind at month 12.
    # Year 2: costs 0, benefits 10 000/month → caught up at month 6 of year 2 = month 18.
    assert payback_month({1: 120000, 2: 0}, {1: 60000, 2: 120000}, 3) == 18
    assert payback_month({1: 120000}, {1: 120000}, 3) == 1  # equal from the first month
    assert payback_month({1: 0}, {1: 100}, 3) is None  # no costs, nothing to pay back


def test_worse_or_missing_kpi_counts_zero() -> None:
    worse = roi_figures(budget(benefits=[]), plan(), {"latency": figs("latency", 45.0)})
    assert worse.benefits == 0 and all(x.gross == 0 for x in worse.benefit_lines)
    missing = roi_figures(budget(benefits=[]), plan(), {})
    assert missing.benefits == 0 and missing.roi_pct == -100 and missing.bcr == 0
    up = roi_figures(budget(benefits=[]), plan("increase"), {"latency": figs("latency", 42)})
    assert close(up.benefits, 3 * 2 * 10000 * 0.4)


def test_horizon_currency_and_no_costs() -> None:
    b = budget(costs=[{"category": "platform", "year": 4, "amount": 5}],
               benefits=[{"name": "Later", "year": 5, "amount": 9}])
    r = roi_figures(b, plan(currency="EUR"), {"latency": figs("latency", 35.0)})
    assert r.tco == 0 and r.benefits == 0 and r.bcr is None and r.roi_pct is None
    assert r.payback_month is None and r.benefit_lines == []
    assert r.notes == [NOTE_BEYOND, NOTE_CURRENCY]
    r5 = roi_figures(budget(horizon_years=5, benefits=[]), None, {})
    assert list(r5.costs_by_year) == [1, 2, 3, 4, 5]


@given(st.floats(0, 1e7), st.floats(0, 1e7), st.floats(1, 1e7), st.integers(1, 3),
       st.floats(0, 1), st.floats(0, 1))
def test_roi_increases_with_benefits(base: float, extra: float, cost: float, year: int,
                                     iso: float, conf: float) -> None:
    def run(amount: float) -> tuple[float, float, int | None]:
        b = budget(costs=[{"category": "platform", "year": 1, "amount": cost}],
                   benefits=[{"name": "B", "year": year, "amount": amount,
                              "isolation": iso, "confidence": conf}])
        r = roi_figures(b, None, {})
        assert r.roi_pct is not None and r.bcr is not None
        return r.roi_pct, r.bcr, r.payback_month

    small, large = run(base), run(base + extra)
    assert large[0] >= small[0] and large[1] >= small[1]
    if small[2] is not None:  # paying back never gets later with more benefit
        assert large[2] is not None and large[2] <= small[2]
    r = roi_figures(budget(benefits=[{"name": "B", "year": year, "amount": base,
                                      "isolation": iso, "confidence": conf}]), None, {})
    low, mid, high = (s.benefits for s in r.scenarios)
    assert low <= mid <= high


def test_each_year_is_credited_with_the_improvement_realised_in_it() -> None:
    from playbook.figures.trajectory import Point

    start = date(2026, 1, 1)
    # pilot monthly medians in year 1: 40, 38, 36, 34 → improvements 0, 2, 4, 6 → mean 3 days
    points = [Point("pilot", date(2026, m, 1), v, 10, False)
              for m, v in ((1, 40.0), (4, 38.0), (7, 36.0), (10, 34.0))]
    points.append(Point("comparison", date(2026, 10, 1), 30.0, 10, False))  # not the pilot
    fig = KpiFigures("latency", "on-track", 34.0, date(2026, 10, 31), None, None, False, None,
                     points, [], [], "pilot")
    r = roi_figures(budget(benefits=[]), plan(), {"latency": fig}, start)
    lines = [(x.year, x.gross, x.net) for x in r.benefit_lines]
    # year 1: 3 days × 10 000 = 30 000 gross, × 0.5 × 0.8 = 12 000 counted;
    # years 2 and 3 lie ahead: the latest improvement, 6 days, held flat (no extrapolation)
    assert lines == [(1, 30000.0, 12000.0), (2, 60000.0, 24000.0), (3, 60000.0, 24000.0)]
    # without the start, every year counts the latest improvement (the older, simpler rule)
    flat = roi_figures(budget(benefits=[]), plan(), {"latency": fig})
    assert [x.gross for x in flat.benefit_lines] == [60000.0, 60000.0, 60000.0]
