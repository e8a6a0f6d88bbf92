"""Status that does not flip on noise, and survey waves judged only once measured."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
from test_trajectory import make_kpi

from playbook.figures.kpi import kpi_figures
from playbook.figures.status import NOT_SINCE_BASELINE, Z, aggregate_noise, classify
from playbook.figures.trajectory import KpiStatus, expected_value
from playbook.load.observations import Observation

START = date(2026, 1, 5)


def test_a_noisy_series_on_its_trajectory_does_not_flip() -> None:
    kpi = make_kpi(cadence="weekly", baseline={"value": 50, "date": START},
                   target={"value": 60, "by": START + timedelta(weeks=20)})
    rng = np.random.default_rng(4)
    weeks = [START + timedelta(weeks=w, days=6) for w in range(44)]
    series = [Observation(d, expected_value(kpi, d) + float(rng.normal(0, 2.2)))
              for d in weeks]
    statuses = [kpi_figures(kpi, series, start=START, today=d, min_group_size=5,
                            person_level=False).status for d in weeks[3:]]
    flips = sum(a != b for a, b in itertools.pairwise(statuses))
    assert flips <= 1, statuses
    assert statuses[-1] == KpiStatus.ON_TRACK


def test_a_real_shortfall_is_still_off_track() -> None:
    kpi = make_kpi(cadence="weekly", baseline={"value": 50, "date": START},
                   target={"value": 60, "by": START + timedelta(weeks=20)})
    rng = np.random.default_rng(4)
    weeks = [START + timedelta(weeks=w, days=6) for w in range(30)]
    series = [Observation(d, 50 + float(rng.normal(0, 1.0))) for d in weeks]  # never moved
    figs = kpi_figures(kpi, series, start=START, today=weeks[-1], min_group_size=5,
                       person_level=False)
    assert figs.status == KpiStatus.OFF_TRACK


def test_the_noise_is_the_spread_of_changes_over_root_two() -> None:
    values = [1.0, 3.0, 2.0, 6.0, 5.0]
    steps = np.diff(values)
    assert aggregate_noise(values) == np.std(steps, ddof=1) / np.sqrt(2)
    assert aggregate_noise([1.0, 2.0]) == 0.0
    assert classify(0.2, 0.1) == KpiStatus.AT_RISK and classify(0.2, 0.0) == KpiStatus.OFF_TRACK
    assert Z > 1


def _wave(day: date, wave: str, values: list[float]) -> list[Observation]:
    return [Observation(day + timedelta(days=i % 3), v, "pilot", f"s{i}", wave)
            for i, v in enumerate(values)]


def test_a_survey_kpi_before_its_post_wave_is_not_judged() -> None:
    kpi = make_kpi(cadence="quarterly", baseline={"value": 3.2, "date": START},
                   target={"value": 3.6, "by": date(2026, 12, 31)})
    pre = _wave(START, "pre", [3.0, 3.2, 3.4, 3.1, 3.3, 3.2])
    figs = kpi_figures(kpi, pre, start=START, today=date(2026, 5, 1), min_group_size=5,
                       person_level=True)
    assert figs.status == KpiStatus.BASELINE_ONLY
    day90 = figs.checkpoints[0]
    assert (day90.status, day90.note) == (None, NOT_SINCE_BASELINE)


def test_a_wave_across_a_quarter_boundary_is_one_point_on_its_median_day() -> None:
    kpi = make_kpi(cadence="quarterly", baseline={"value": 3.2, "date": START},
                   target={"value": 3.6, "by": date(2026, 12, 31)})
    post = _wave(date(2026, 9, 29), "post", [3.5, 3.6, 3.7, 3.4, 3.8, 3.6])  # Sep 29 – Oct 1
    figs = kpi_figures(kpi, _wave(START, "pre", [3.2] * 6) + post, start=START,
                       today=date(2026, 11, 1), min_group_size=5, person_level=True)
    posts = [p for p in figs.points if p.wave == "post"]
    assert len(posts) == 1 and posts[0].n == 6 and posts[0].period == date(2026, 9, 30)
    assert figs.latest == round(sum(o.value for o in post) / 6, 2)
    assert figs.latest_date == date(2026, 10, 1)
