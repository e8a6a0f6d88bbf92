"""Status that does not flip on noise, and survey waves judged only once measured."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
from scipy import stats as scipy_stats
from test_trajectory import make_kpi

from playbook.figures import status
from playbook.figures.kpi import kpi_figures
from playbook.figures.noise import change_noise
from playbook.figures.nps import nps_figures
from playbook.figures.status import NOT_SINCE_BASELINE, Z, classify
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


def test_the_noise_is_the_spread_of_earlier_changes_over_root_two() -> None:
    values = [1.0, 3.0, 2.0, 6.0, 5.0, 4.0, 7.0]
    steps = np.diff(values)
    noise = change_noise(values)
    assert noise is not None
    assert np.isclose(noise[0], np.std(steps, ddof=1) / np.sqrt(2)) and noise[1] == 5
    assert change_noise(values[:status.MIN_NOISE_POINTS - 1]) is None  # unknown: the cap
    long = list(range(30))
    assert change_noise([float(v * v) for v in long]) == change_noise(
        [float(v * v) for v in long[-status.NOISE_WINDOW:]])
    assert classify(0.2, 0.1) == KpiStatus.AT_RISK and classify(0.2, 0.0) == KpiStatus.OFF_TRACK


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


def _series(kpi: Kpi, days: list[date], seed: int, sd: float) -> list[Observation]:
    rng = np.random.default_rng(seed)
    return [Observation(d, expected_value(kpi, d) + float(rng.normal(0, sd))) for d in days]


def _on_its_line(seed: int, sd: float, cadence: str = "weekly"
                 ) -> tuple[Kpi, list[Observation], list[date]]:
    """A KPI sitting exactly on its line for a year, with noise of ``sd`` (planned: 0.5)."""
    kpi = make_kpi(cadence=cadence, baseline={"value": 3.5, "date": START},
                   target={"value": 4.0, "by": START + timedelta(weeks=52)})
    days = {"weekly": [START + timedelta(weeks=w, days=4) for w in range(53)],
            "monthly": [date(2026, m, 27) for m in range(1, 13)],
            "quarterly": [date(2026, m, 28) for m in (3, 6, 9, 12)]}[cadence]
    return kpi, _series(kpi, days, seed, sd), days


BUILDS = [START + timedelta(weeks=w, days=6) for w in range(53)]
"""A year of weekly builds."""


def _statuses(kpi: Kpi, series: list[Observation]) -> list[KpiStatus]:
    found = [kpi_figures(kpi, series, start=START, today=d, min_group_size=5,
                         person_level=False).status for d in BUILDS]
    return [s for s in found if s != KpiStatus.NO_DATA]


def _changes(statuses: list[KpiStatus]) -> int:
    return sum(a != b for a, b in itertools.pairwise(statuses))


def test_a_kpi_on_its_line_changes_status_less_than_once_a_year() -> None:
    # noise of 10% and 20% of the year's planned change a period (the band under its
    # cap), every weekly build from the first: fewer than one change a year on average,
    # and never more than one excursion (two changes) in a year
    for cadence, sd in (("weekly", 0.05), ("weekly", 0.1), ("monthly", 0.1),
                        ("quarterly", 0.05)):
        changes = [_changes(_statuses(*_on_its_line(seed, sd, cadence)[:2]))
                   for seed in range(24)]
        assert np.mean(changes) < 0.5 and max(changes) <= 2, (cadence, sd, changes)


def test_without_hysteresis_the_same_replay_would_flip() -> None:
    flips = []
    for seed in range(12):
        kpi, series, weeks = _on_its_line(seed, 0.05)
        raw = [status.judge_aggregate(kpi, [p for p in kpi_figures(
            kpi, series, start=START, today=d, min_group_size=5, person_level=False).points
            if (p.last or p.period) <= d]).status for d in weeks]
        flips.append(_changes(raw))
    assert np.mean(flips) > 1  # the rule is what keeps the status still, not quiet seeds


def test_a_collapse_to_zero_leaves_on_track_within_two_periods() -> None:
    # the case that stayed on track: a KPI ahead of a 0 → 55 plan drops to 0, and
    # plainer ones; whatever the cadence, the second period at 0 is off track
    for cadence, base, target, noise in itertools.product(
            ("weekly", "monthly", "quarterly"), (0.0, 50.0), (55.0, 60.0), (0.5, 3.0)):
        kpi = make_kpi(cadence=cadence, baseline={"value": base, "date": START},
                       target={"value": target, "by": START + timedelta(weeks=52)})
        days = {"weekly": [START + timedelta(weeks=w, days=4) for w in range(40)],
                "monthly": [date(2026, m, 27) for m in range(1, 13)],
                "quarterly": [date(2026, m, 28) for m in (3, 6, 9, 12)]}[cadence]
        rng = np.random.default_rng(3)
        values = [55.0 + float(rng.normal(0, noise)) for _ in days]
        values[-2:] = [0.0, 0.0]
        series = [Observation(d, v) for d, v in zip(days, values, strict=True)]
        before, first, second = (kpi_figures(
            kpi, series, start=START, today=d, min_group_size=5, person_level=False).status
            for d in days[-3:])
        assert second == KpiStatus.OFF_TRACK, (cadence, base, target, noise, before, first)


def test_a_sustained_shortfall_beyond_the_band_leaves_on_track_promptly() -> None:
    # on its line for a year, then behind it by twice band and margin
    # (the band the noise calls for): off the line within the smoothing window and
    # the confirming values, or soon after, never later than twice that
    for cadence, before in (("weekly", 52), ("monthly", 12)):
        kpi = make_kpi(cadence=cadence, baseline={"value": 3.5, "date": START},
                       target={"value": 4.0, "by": START + timedelta(weeks=104)})
        k = status.SMOOTH_PERIODS[cadence]
        days = ([START + timedelta(weeks=w, days=4) for w in range(104)]
                if cadence == "weekly" else [date(2026 + m // 12, m % 12 + 1, 27)
                                             for m in range(24)])
        band = scipy_stats.t.ppf(0.975, status.NOISE_WINDOW - 2) * 0.05 / np.sqrt(k) / 0.5
        gap = 2 * (band + status.margin(band)) * 0.5
        wait = k + status.CONFIRM_PERIODS
        found = []
        for seed in range(10):
            series = _series(kpi, days, seed, 0.05)
            assert kpi_figures(kpi, series[:before], start=START, today=days[before - 1],
                               min_group_size=5, person_level=False).status == (
                KpiStatus.ON_TRACK)
            shifted = series[:before] + [Observation(o.date, o.value - gap)
                                         for o in series[before:]]
            found.append(next(j for j in range(1, 2 * wait + 1) if kpi_figures(
                kpi, shifted, start=START, today=days[before - 1 + j], min_group_size=5,
                person_level=False).status != KpiStatus.ON_TRACK))
        assert np.median(found) <= wait and max(found) <= 2 * wait, (cadence, found)


def test_the_band_is_the_t_quantile_of_the_earlier_points_noise_capped() -> None:
    kpi, series, weeks = _on_its_line(7, 0.05)
    figs = kpi_figures(kpi, series[:20], start=START, today=weeks[19], min_group_size=5,
                       person_level=False)
    values = np.array([p.value for p in figs.points])
    k = status.SMOOTH_PERIODS["weekly"]
    earlier = values[:-max(k, status.CONFIRM_PERIODS)][-status.NOISE_WINDOW:]
    noise = np.std(np.diff(earlier), ddof=1) / np.sqrt(2)
    half = scipy_stats.t.ppf(0.975, len(earlier) - 2) * noise / np.sqrt(k)
    assert figs.band is not None
    (d0, low0, high0), (d1, low1, high1) = figs.band
    assert (d0, d1) == (kpi.baseline.date, kpi.target.by)
    assert np.isclose(high0 - 3.5, half) and np.isclose(3.5 - low0, half)
    assert np.isclose(high1 - 4.0, half) and np.isclose(4.0 - low1, half)
    # the latest points do not widen their own band: a collapse leaves it as it was
    fallen = series[:16] + [Observation(o.date, 0.0) for o in series[16:20]]
    same = kpi_figures(kpi, fallen, start=START, today=weeks[19], min_group_size=5,
                       person_level=False)
    assert same.band == figs.band and same.status == KpiStatus.OFF_TRACK
    # a series far noisier than its planned change: the band stops at the cap
    noisy = [Observation(o.date, o.value + (3.0 if i % 2 else -3.0))
             for i, o in enumerate(series[:20])]
    wide = kpi_figures(kpi, noisy, start=START, today=weeks[19], min_group_size=5,
                       person_level=False)
    assert wide.band is not None
    assert np.isclose(wide.band[0][2] - 3.5, status.BAND_CAP * 0.5)
    # too few earlier points to estimate the noise: the band is its cap too
    young = kpi_figures(kpi, series[:5], start=START, today=weeks[4], min_group_size=5,
                        person_level=False)
    assert young.band is not None and np.isclose(young.band[0][2] - 3.5, status.BAND_CAP * 0.5)


def test_an_nps_gets_the_band_of_its_answers() -> None:
    kpi = make_kpi(measure="nps", cadence="quarterly", unit="points",
                   baseline={"value": -100, "date": START},
                   target={"value": 100, "by": date(2026, 12, 31)},
                   source={"file": "a.csv", "subject": "person", "value": "answer"})
    answers = [10, 10, 9, 9, 8, 7, 6, 3]  # 8 answers: 4 promoters, 2 detractors
    series = [Observation(date(2026, 6, 1) + timedelta(days=i), float(a), None, f"p{i}")
              for i, a in enumerate(answers)]
    figs, _ = nps_figures(kpi, series, start=START, today=date(2026, 7, 1), min_group_size=5)
    p9, p06, n = 4 / 8, 2 / 8, 8
    se = np.sqrt((p9 + p06 - (p9 - p06) ** 2) / n) * 100  # 29 points
    half = scipy_stats.norm.ppf(0.975) * se
    assert half < status.BAND_CAP * 200  # under its cap: the answers' own band
    assert figs.band is not None and np.isclose(figs.band[0][2] + 100, half, atol=1e-3)
    # 25 points against an expected ~-2: within noise of the line, said so
    assert figs.status == KpiStatus.ON_TRACK and figs.within_noise
    assert "on track (within noise of the line)" in kpi_sentence(kpi, figs, date(2026, 7, 1))


def _kinds(behind: float, kind: str = "business") -> dict[str, KpiStatus]:
    """The status of one value ``behind`` shares of the planned change, in every form:
    an aggregate series' first point, a survey wave, an NPS score."""
    kpi = make_kpi(kind=kind, cadence="quarterly", baseline={"value": 0.0, "date": START},
                   target={"value": 100.0, "by": START + timedelta(days=182)})
    on = START + timedelta(days=91)
    value = expected_value(kpi, on) - 100 * behind
    aggregate = kpi_figures(kpi, [Observation(on, value)], start=START, today=on,
                            min_group_size=5, person_level=False)
    people = [Observation(on, value + d, None, f"s{i}", "post")
              for i, d in enumerate((-1.0, 1.0, -1.0, 1.0, 0.0, 0.0))]
    wave = kpi_figures(kpi, people, start=START, today=on, min_group_size=5,
                       person_level=True)
    nps_kpi = make_kpi(kind=kind, measure="nps", cadence="quarterly",
                       baseline={"value": -100.0, "date": START},
                       target={"value": 100.0, "by": START + timedelta(days=182)},
                       source={"file": "a.csv", "subject": "person", "value": "answer"})
    # 400 answers: promoters p, detractors 1 − p, so the score is 200p − 100
    score = expected_value(nps_kpi, on) - 200 * behind
    promoters = max(0, min(400, round((score + 100) / 200 * 400)))
    answers = [Observation(on - timedelta(days=i % 5), 10.0 if i < promoters else 0.0, None,
                           f"p{i}") for i in range(400)]
    nps, _ = nps_figures(nps_kpi, answers, start=START, today=on, min_group_size=5)
    return {"aggregate": aggregate.status, "wave": wave.status, "nps": nps.status}


def test_every_kind_of_kpi_is_judged_by_the_same_rule() -> None:
    # a single value with an unknown noise (an aggregate's first point) gets the cap;
    # a wave of six people and an NPS of 400 answers far less: each is on track inside
    # its band, at risk or off track past it by the margin, whatever the KPI's kind
    for kind in ("business", "behavior", "engagement", "leading", "reaction"):
        assert set(_kinds(0.0, kind).values()) == {KpiStatus.ON_TRACK}, kind
        assert set(_kinds(2.0, kind).values()) == {KpiStatus.OFF_TRACK}, kind
        assert _kinds(0.2, kind) == {"aggregate": KpiStatus.ON_TRACK,
                                     "wave": KpiStatus.OFF_TRACK,
                                     "nps": KpiStatus.AT_RISK}, kind


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
    # too few values for a noise: inside the cap, said as the widest band, not as noise
    young = kpi_figures(kpi, series[:3], start=START, today=weeks[2], min_group_size=5,
                        person_level=False)
    assert young.within_noise and not young.noise_known
    assert ("on track (within the widest band: too few values yet to estimate the noise)"
            in kpi_sentence(kpi, young, weeks[2]))
    assert figs.noise_known
    # held on track by the margin: behind the band, by less than the margin, and said so
    assert figs.band is not None
    width = figs.band[0][2] - 3.5
    nudged = [*series[:-1], Observation(series[-1].date, series[-1].value - 5.4 * width)]
    held = kpi_figures(kpi, nudged, start=START, today=weeks[19], min_group_size=5,
                       person_level=False)
    assert held.status == KpiStatus.ON_TRACK and held.held and not held.within_noise
    assert ("on track (behind the noise band, by less than the margin that confirms a "
            "change)") in kpi_sentence(kpi, held, weeks[19])
    behind = [Observation(o.date, o.value - 0.3) for o in series]
    off = kpi_figures(kpi, behind, start=START, today=weeks[19], min_group_size=5,
                      person_level=False)
    assert off.status != KpiStatus.ON_TRACK and not off.within_noise
    assert "within noise" not in kpi_sentence(kpi, off, weeks[19])


def test_the_methodology_states_the_band_and_hysteresis_from_the_constants() -> None:
    rules = str(measurement_rules())
    assert f"±{Z:g} standard errors" in rules
    assert f"at most {status.BAND_CAP:.0%} of the planned change" in rules
    assert f"t quantile at {status.BAND_LEVEL:.1%}" in rules
    assert f"fewer than {status.MIN_NOISE_POINTS} earlier points" in rules
    assert (f"past its threshold by {status.EXIT_MARGIN:.0%} of the band" in rules
            and f"the latest {status.CONFIRM_PERIODS} single values" in rules)
    assert "within noise of the line" in rules
