"""Status that does not flip on noise, and survey waves judged only once measured."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
from scipy import stats as scipy_stats
from test_trajectory import make_kpi

from playbook.figures import status
from playbook.figures.kpi import kpi_figures
from playbook.figures.nps import nps_figures
from playbook.figures.status import NOT_SINCE_BASELINE, Z, aggregate_noise, classify
from playbook.figures.trajectory import KpiStatus, expected_value
from playbook.load.observations import Observation
from playbook.model.measure import Kpi
from playbook.pages.macros import measurement_rules
from playbook.pages.measure import kpi_sentence

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
    assert np.isclose(aggregate_noise(values) or 0, np.std(steps, ddof=1) / np.sqrt(2))
    assert aggregate_noise([1.0, 2.0]) is None  # unknown: no band, judged as it is
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


def _on_its_line(seed: int, sd: float) -> tuple[Kpi, list[Observation], list[date]]:
    """A weekly KPI sitting exactly on its line for a year, with noise of ``sd``."""
    kpi = make_kpi(cadence="weekly", baseline={"value": 3.5, "date": START},
                   target={"value": 4.0, "by": START + timedelta(weeks=52)})
    rng = np.random.default_rng(seed)
    weeks = [START + timedelta(weeks=w, days=4) for w in range(53)]
    return kpi, [Observation(d, expected_value(kpi, d) + float(rng.normal(0, sd)))
                 for d in weeks], weeks


def test_a_kpi_on_its_line_changes_status_at_most_once_in_a_year_of_weekly_builds() -> None:
    # noise of 10% of the year's planned change a week (the band stays under its cap);
    # every build from the third week, when the noise has a first estimate
    for seed in range(12):
        kpi, series, weeks = _on_its_line(seed, 0.05)
        statuses = [kpi_figures(kpi, series, start=START, today=d, min_group_size=5,
                                person_level=False).status for d in weeks[2:]]
        changes = sum(a != b for a, b in itertools.pairwise(statuses))
        assert changes <= 1, (seed, statuses)


def test_without_hysteresis_the_same_replay_would_flip() -> None:
    kpi, series, weeks = _on_its_line(4, 0.05)
    raw = [status.judge_aggregate(kpi, [p for p in kpi_figures(
        kpi, series, start=START, today=d, min_group_size=5, person_level=False).points
        if (p.last or p.period) <= d]) for d in weeks[2:]]
    flips = sum(a.status != b.status for a, b in itertools.pairwise(raw))
    assert flips >= 2  # the rule is what keeps the status still, not a quiet seed


def test_the_band_is_the_t_quantile_of_the_series_noise_capped() -> None:
    kpi, series, weeks = _on_its_line(7, 0.05)
    figs = kpi_figures(kpi, series[:20], start=START, today=weeks[19], min_group_size=5,
                       person_level=False)
    values = np.array([p.value for p in figs.points])
    window = values[-status.NOISE_WINDOW:]
    noise = np.std(np.diff(window), ddof=1) / np.sqrt(2)
    k = status.SMOOTH_PERIODS["weekly"]
    half = scipy_stats.t.ppf(status.BAND_LEVEL, len(window) - 2) * noise / np.sqrt(k)
    assert figs.band is not None
    (d0, low0, high0), (d1, low1, high1) = figs.band
    assert (d0, d1) == (kpi.baseline.date, kpi.target.by)
    assert np.isclose(high0 - 3.5, half) and np.isclose(3.5 - low0, half)
    assert np.isclose(high1 - 4.0, half) and np.isclose(4.0 - low1, half)
    # a series far noisier than its planned change: the band stops at the cap
    noisy = [Observation(o.date, o.value + (3.0 if i % 2 else -3.0))
             for i, o in enumerate(series[:20])]
    wide = kpi_figures(kpi, noisy, start=START, today=weeks[19], min_group_size=5,
                       person_level=False)
    assert wide.band is not None
    assert np.isclose(wide.band[0][2] - 3.5, status.BAND_CAP * 0.5)


def test_an_nps_gets_the_band_of_its_answers() -> None:
    kpi = make_kpi(measure="nps", cadence="quarterly", unit="points",
                   baseline={"value": 10, "date": START},
                   target={"value": 40, "by": date(2026, 12, 31)},
                   source={"file": "a.csv", "subject": "person", "value": "answer"})
    answers = [10, 10, 9, 9, 8, 7, 6, 3]  # 8 answers: 4 promoters, 2 detractors
    series = [Observation(date(2026, 6, 1) + timedelta(days=i), float(a), None, f"p{i}")
              for i, a in enumerate(answers)]
    figs, _ = nps_figures(kpi, series, start=START, today=date(2026, 7, 1), min_group_size=5)
    p9, p06, n = 4 / 8, 2 / 8, 8
    se = np.sqrt((p9 + p06 - (p9 - p06) ** 2) / n) * 100
    half = min(Z * se, status.BAND_CAP * 30)
    assert figs.band is not None and np.isclose(figs.band[0][2] - 10, half)
    # 25 points against an expected ~25: within noise of the line, said so
    assert figs.status == KpiStatus.ON_TRACK and figs.within_noise
    assert "on track (within noise of the line)" in kpi_sentence(kpi, figs, date(2026, 7, 1))


def test_the_sentence_says_within_noise_only_inside_the_band() -> None:
    kpi, _, weeks = _on_its_line(7, 0.05)
    series = [Observation(d, round(expected_value(kpi, d) + (0.02 if i % 2 else -0.02), 2))
              for i, d in enumerate(weeks[:20])]
    figs = kpi_figures(kpi, series, start=START, today=weeks[19], min_group_size=5,
                       person_level=False)
    assert figs.within_noise
    assert kpi_sentence(kpi, figs, weeks[19]) == (
        "K rose from 3.5 points to 3.7 points; on track (within noise of the line) for 4 "
        "points by 2027-01-04.")
    ahead = [Observation(o.date, o.value + 0.3) for o in series]
    far = kpi_figures(kpi, ahead, start=START, today=weeks[19], min_group_size=5,
                      person_level=False)
    assert far.status == KpiStatus.ON_TRACK and not far.within_noise
    assert "within noise" not in kpi_sentence(kpi, far, weeks[19])


def test_the_methodology_states_the_band_and_hysteresis_from_the_constants() -> None:
    rules = str(measurement_rules())
    assert f"±{Z:g} standard errors" in rules
    assert f"at most {status.BAND_CAP:.0%} of the planned change" in rules
    assert f"t quantile at {status.BAND_LEVEL:.0%}" in rules
    assert (f"{status.CONFIRM_PERIODS} judged points in a row" in rules
            and f"by {status.EXIT_MARGIN:g} band half-widths" in rules)
    assert "within noise of the line" in rules
