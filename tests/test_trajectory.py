"""KPI trajectory, status, freshness, checkpoints and privacy of aggregates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook.figures.kpi import kpi_figures
from playbook.figures.status import BAND_CAP
from playbook.figures.trajectory import (
    AT_RISK,
    Point,
    aggregate,
    expected_value,
    period_start,
)
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.model.measure import Kpi

D0 = date(2026, 1, 1)


def make_kpi(**over: Any) -> Kpi:
    data: dict[str, Any] = {
        "id": "k", "name": "K", "kind": "business", "unit": "points",
        "direction": "increase",
        "baseline": {"value": 10, "date": D0},
        "target": {"value": 110, "by": D0 + timedelta(days=100)},
        "cadence": "monthly",
    }
    data.update(over)
    return Kpi.model_validate(data)


def test_period_start_by_cadence() -> None:
    assert period_start(date(2026, 1, 18), Cadence.WEEKLY) == date(2026, 1, 12)  # Sunday → Monday
    assert period_start(date(2026, 1, 12), Cadence.WEEKLY) == date(2026, 1, 12)
    assert period_start(date(2026, 2, 28), Cadence.MONTHLY) == date(2026, 2, 1)
    assert period_start(date(2026, 5, 15), Cadence.QUARTERLY) == date(2026, 4, 1)
    assert period_start(date(2026, 12, 31), Cadence.QUARTERLY) == date(2026, 10, 1)


def test_period_start_on_every_day_of_six_years() -> None:
    day = date(2023, 1, 1)
    while day.year < 2029:
        week = period_start(day, Cadence.WEEKLY)
        assert week.isoweekday() == 1 and 0 <= (day - week).days < 7
        assert period_start(day, Cadence.MONTHLY) == date(day.year, day.month, 1)
        quarter = period_start(day, Cadence.QUARTERLY)
        assert quarter.day == 1 and quarter.month in (1, 4, 7, 10)
        assert quarter.year == day.year and 0 <= day.month - quarter.month < 3
        day += timedelta(days=1)


def test_aggregate_means_per_group_and_period() -> None:
    series = [
        Observation(date(2026, 1, 5), 2.0, "pilot"),
        Observation(date(2026, 1, 20), 4.0, "pilot"),       # mean (2+4)/2 = 3
        Observation(date(2026, 1, 31), 10.0, "comparison"),
        Observation(date(2026, 2, 1), 7.0),                 # no group → "all"
    ]
    points = aggregate(series, Cadence.MONTHLY, person_level=False, min_group_size=5)
    assert points == [
        Point("all", date(2026, 2, 1), 7.0, 1, False, date(2026, 2, 1)),
        Point("comparison", date(2026, 1, 1), 10.0, 1, False, date(2026, 1, 31)),
        Point("pilot", date(2026, 1, 1), 3.0, 2, False, date(2026, 1, 20)),
    ]


def test_person_level_counts_subjects_once_and_suppresses_small_groups() -> None:
    # Five pilot subjects; s1 answered twice (1 and 3 → 2). Subject means 2,2,3,4,5 → 16/5.
    pilot = [Observation(date(2026, 1, 5), v, "pilot", s, "pre")
             for s, v in [("s1", 1), ("s1", 3), ("s2", 2), ("s3", 3), ("s4", 4), ("s5", 5)]]
    comparison = [Observation(date(2026, 1, 5), 9.0, "comparison", f"c{i}", "pre")
                  for i in range(4)]
    points = aggregate(pilot + comparison, Cadence.QUARTERLY, person_level=True, min_group_size=5)
    # a survey wave is one point, dated on its median day, whatever the cadence
    day = date(2026, 1, 5)
    assert points == [Point("comparison", day, None, 4, True, day, "pre"),
                      Point("pilot", day, 16 / 5, 5, False, day, "pre")]


def test_expected_value_is_linear_and_flat_outside() -> None:
    kpi = make_kpi(direction="decrease", baseline={"value": 40, "date": D0},
                   target={"value": 30, "by": D0 + timedelta(days=100)})
    assert expected_value(kpi, D0 - timedelta(days=5)) == 40
    assert expected_value(kpi, D0 + timedelta(days=50)) == 35       # 40 − 50/100 × 10
    assert expected_value(kpi, D0 + timedelta(days=25)) == 37.5
    assert expected_value(kpi, D0 + timedelta(days=400)) == 30


@pytest.mark.parametrize(("actual", "status", "shortfall"), [
    # a lone value has no noise estimate: its band is the cap, BAND_CAP of the change
    (60.0, "on-track", 0.0),     # on the line: expected 10 + 50/100 × 100 = 60
    (70.0, "on-track", -0.1),    # ahead by 10 of a planned 100
    (55.0, "on-track", 0.05),    # within noise of the line
    (27.0, "on-track", 0.33),    # inside the band
    (50.0 - 100 * BAND_CAP, "at-risk", 0.1 + BAND_CAP),
    (45.0 - 100 * BAND_CAP, "at-risk", AT_RISK + BAND_CAP),  # AT_RISK is inclusive
    (44.0 - 100 * BAND_CAP, "off-track", 0.16 + BAND_CAP),
])
def test_status_thresholds_increase(actual: float, status: str, shortfall: float) -> None:
    day = D0 + timedelta(days=50)
    figs = kpi_figures(make_kpi(), [Observation(day, actual)], start=D0, today=day,
                       min_group_size=5, person_level=False)
    assert figs.status == status
    assert figs.expected == 60
    assert figs.shortfall == pytest.approx(shortfall, rel=1e-9, abs=1e-12)
    assert figs.latest == actual and figs.latest_date == day
    assert figs.band is not None and figs.band[0][2] - 10 == pytest.approx(100 * BAND_CAP)


def test_status_decrease_direction() -> None:
    kpi = make_kpi(direction="decrease", baseline={"value": 40, "date": D0},
                   target={"value": 30, "by": D0 + timedelta(days=100)})
    day = D0 + timedelta(days=50)  # expected 35
    behind = kpi_figures(kpi, [Observation(day, 39.0, "pilot")], start=D0, today=day,
                         min_group_size=5, person_level=False)
    assert behind.status == "at-risk"  # past the lone value's band, BAND_CAP
    assert behind.shortfall == pytest.approx(0.4, rel=1e-9)  # (39 − 35) / |30 − 40|
    ahead = kpi_figures(kpi, [Observation(day, 34.0, "pilot"),
                              Observation(day, 50.0, "comparison")],
                        start=D0, today=day, min_group_size=5, person_level=False)
    assert ahead.status == "on-track" and ahead.group == "pilot"
    assert ahead.shortfall == pytest.approx(-0.1, rel=1e-9)


def test_freshness_one_cadence_plus_grace() -> None:
    last = date(2026, 1, 31)
    # Monthly: last point + 1 month (2026-02-28) + 14 days grace = 2026-03-14.
    fresh = kpi_figures(make_kpi(), [Observation(last, 20.0)], start=D0,
                        today=date(2026, 3, 14), min_group_size=5, person_level=False)
    assert fresh.stale_after == date(2026, 3, 14) and not fresh.stale
    stale = kpi_figures(make_kpi(), [Observation(last, 20.0)], start=D0,
                        today=date(2026, 3, 15), min_group_size=5, person_level=False)
    assert stale.stale
    # Weekly: 7 days + 3 days grace.
    weekly = kpi_figures(make_kpi(cadence="weekly"), [Observation(last, 20.0)], start=D0,
                         today=date(2026, 2, 10), min_group_size=5, person_level=False)
    assert weekly.stale_after == date(2026, 2, 10) and not weekly.stale


def test_no_data_is_stale_once_the_first_point_is_overdue() -> None:
    figs = kpi_figures(make_kpi(cadence="quarterly"), [], start=D0, today=date(2026, 5, 1),
                       min_group_size=5, person_level=False)
    assert figs.status == "no-data" and figs.latest is None and figs.points == []
    assert figs.stale_after == date(2026, 5, 1)  # 2026-04-01 + 30 days
    assert not figs.stale


def test_observations_after_today_are_ignored() -> None:
    series = [Observation(date(2026, 1, 20), 30.0), Observation(date(2026, 3, 20), 99.0)]
    figs = kpi_figures(make_kpi(), series, start=D0, today=date(2026, 2, 1),
                       min_group_size=5, person_level=False)
    assert figs.latest == 30.0 and len(figs.points) == 1


def test_checkpoints_read_what_was_known_on_the_day() -> None:
    start = date(2026, 1, 12)
    kpi = make_kpi(baseline={"value": 10, "date": start},
                   target={"value": 100, "by": start + timedelta(days=180)})
    series = [Observation(date(2026, 3, 31), 20.0), Observation(date(2026, 4, 30), 30.0)]
    figs = kpi_figures(kpi, series, start=start, today=date(2026, 12, 1), min_group_size=5,
                       person_level=False)
    day90, day180, day365 = figs.checkpoints
    # Day 90 is 2026-04-12: April's value is dated 2026-04-30, not known yet → March's.
    assert (day90.day, day90.date, day90.actual) == (90, date(2026, 4, 12), 20.0)
    assert day90.period == date(2026, 3, 1)
    assert day90.expected == 55.0  # 10 + 90/180 × 90
    assert day90.status == "at-risk"  # (55 − 20) / 90 = 0.39: past the cap, not AT_RISK more
    assert (day180.actual, day180.expected, day180.status) == (30.0, 100.0, "off-track")
    assert day365.date == date(2027, 1, 12) and day365.actual is None
    assert day365.status is None


def test_trajectory_endpoints() -> None:
    kpi = make_kpi()
    figs = kpi_figures(kpi, [], start=D0, today=D0, min_group_size=5, person_level=False)
    assert figs.trajectory == [(D0, 10.0), (D0 + timedelta(days=100), 110.0)]


@given(
    baseline=st.floats(-1000, 1000),
    change=st.floats(0.5, 1000),
    increase=st.booleans(),
    elapsed=st.integers(1, 200),
    offset=st.floats(0.001, 0.5),
)
def test_status_changes_when_actual_crosses_the_trajectory(
        baseline: float, change: float, increase: bool, elapsed: int, offset: float) -> None:
    sign = 1 if increase else -1
    kpi = make_kpi(direction="increase" if increase else "decrease",
                   baseline={"value": baseline, "date": D0},
                   target={"value": baseline + sign * change, "by": D0 + timedelta(days=100)})
    day = D0 + timedelta(days=elapsed)
    line = expected_value(kpi, day)

    def status(actual: float) -> str:
        return kpi_figures(kpi, [Observation(day, actual)], start=D0, today=day,
                           min_group_size=5, person_level=False).status

    # a lone value's band is the cap: behind by more than it leaves on track
    better, worse = line + sign * offset * change, line - sign * offset * change
    assert status(better) == "on-track"
    if abs(offset - BAND_CAP) > 1e-6 and abs(offset - BAND_CAP - AT_RISK) > 1e-6:
        assert status(worse) == ("on-track" if offset < BAND_CAP else "at-risk"
                                 if offset < BAND_CAP + AT_RISK else "off-track")


@given(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 9), st.sampled_from(
    ["pilot", "comparison"]), st.floats(1, 5)), max_size=60), st.integers(2, 8))
def test_no_person_level_aggregate_below_min_group_size(
        rows: list[tuple[int, int, str, float]], min_size: int) -> None:
    series = [Observation(D0 + timedelta(days=d), v, g, f"s{s}", "pre") for d, s, g, v in rows]
    for p in aggregate(series, Cadence.MONTHLY, person_level=True, min_group_size=min_size):
        assert (p.value is None) == p.suppressed == (p.n < min_size)
