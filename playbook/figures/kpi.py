"""One KPI's figures as of a day: points, status, freshness and checkpoints.

Combines the primitives of :mod:`playbook.figures.trajectory` (periods,
trajectory, published points) with the noise-aware judgement of
:mod:`playbook.figures.status`. Checkpoints read the published point that was
complete on their day and judge it by the same rule as the latest value, when
it could show the program's effect (:func:`trajectory.shows_effect`: not a
baseline wave, not a period before the start); else they say there is no
measurement since the start (the baseline, for a baseline wave). Both statuses
are settled over the history known on their day (:func:`status.settle`), so a
build on any day gives the same answer for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from playbook.figures.rounding import half_away
from playbook.figures.status import (
    LOOKBACK,
    NOT_SINCE_BASELINE,
    NOT_SINCE_START,
    Judgement,
    judge_aggregate,
    judge_wave,
    settle,
)
from playbook.figures.trajectory import (
    CHECKPOINT_DAYS,
    GRACE_DAYS,
    PUBLISHED_DIGITS,
    Checkpoint,
    KpiFigures,
    KpiStatus,
    Point,
    aggregate,
    expected_value,
    one_cadence_later,
    period_start,
    shows_effect,
    status_group,
)
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.model.measure import Kpi

_Rows = tuple[bool, Mapping[tuple[str, date | str], list[Observation]]]
"""A person-level series' observations by the point they make up, (group, wave or
period), after whether the series is measured in waves."""


def _by_point(series: list[Observation], cadence: Cadence) -> _Rows:
    """Index person-level rows by point once, so a replay never rescans the series."""
    waves = any(o.wave for o in series)
    rows: defaultdict[tuple[str, date | str], list[Observation]] = defaultdict(list)
    for o in series:
        rows[(o.group or "all", (o.wave or "") if waves else period_start(o.date, cadence))
             ].append(o)
    return waves, rows


def _judge(kpi: Kpi, known: list[Point], rows: _Rows | None, on: date | None = None,
           point_se: Mapping[tuple[str, date], float | None] | None = None) -> Judgement:
    """Judge the latest of ``known`` (a group's published points, in time order).

    ``rows`` is the person-level index (:func:`_by_point`), None for an aggregate series.
    """
    if rows is None:
        return judge_aggregate(kpi, known, on, point_se)
    latest = known[-1]
    waves, index = rows
    key = (latest.group, (latest.wave or "") if waves else latest.period)
    return judge_wave(kpi, latest, index.get(key, []), on)


def _settled(history: list[Judgement], verdict: Judgement) -> Judgement:
    """``verdict`` with its status settled over ``history`` (every earlier point's)."""
    status = settle([*history, verdict])
    return replace(verdict, status=status) if verdict.status is not None else verdict


def _known(points: list[Point], group: str | None, day: date) -> list[Point]:
    """The group's published points complete on ``day``, in the order they became known."""
    found = [p for p in points if p.group == group and p.value is not None
             and (p.last or p.period) <= day]
    return sorted(found, key=lambda p: (p.last or p.period, p.period))


def _checkpoints(kpi: Kpi, points: list[Point], rows: _Rows | None, group: str | None,
                 start: date, today: date,
                 point_se: Mapping[tuple[str, date], float | None] | None,
                 history: list[Judgement]) -> list[Checkpoint]:
    """Each checkpoint's value and status; ``history`` judges each prefix of the points
    known today, and the points known on a checkpoint's day are one of those prefixes."""
    out = []
    for day in CHECKPOINT_DAYS:
        when = start + timedelta(days=day)
        expected = expected_value(kpi, when)
        known = _known(points, group, when) if when <= today else []
        if not known:
            out.append(Checkpoint(day, when, expected, None, None))
            continue
        # a point known on the day holds only rows dated on or before it; one from
        # before the start (a baseline wave, a before period) cannot show the effect
        verdict = (_settled(history[:len(known) - 1], _judge(kpi, known, rows, when, point_se))
                   if shows_effect(known[-1], start, kpi.cadence)
                   else Judgement(None, None, None, 0.0, NOT_SINCE_BASELINE
                                  if known[-1].wave == "pre" else NOT_SINCE_START))
        spread = verdict.spread
        if rows is not None and spread is not None:
            # people's rows: their spread is published at the precision of their mean
            spread = half_away(spread, PUBLISHED_DIGITS)
        out.append(Checkpoint(day, when, expected, known[-1].value, verdict.status,
                              known[-1].period, verdict.note, spread))
    return out


def kpi_figures(kpi: Kpi, series: list[Observation], *, start: date, today: date,
                min_group_size: int, person_level: bool,
                point_se: Mapping[tuple[str, date], float | None] | None = None) -> KpiFigures:
    """Compute status, freshness, points and checkpoints of one KPI as of ``today``.

    Args:
        kpi: The KPI definition.
        series: Its observations (those after ``today`` are ignored).
        start: Day 0 of the program.
        today: The day the figures are computed for.
        min_group_size: Privacy threshold for person-level aggregates.
        person_level: Whether the series holds one row per person.
        point_se: Each point's own standard error by (group, period), when its
            sampling error is known (an NPS score's).

    Returns:
        The KPI's figures.
    """
    series = [o for o in series if o.date <= today]
    points = aggregate(series, kpi.cadence, person_level=person_level,
                       min_group_size=min_group_size)
    group = status_group(points)
    trajectory = [(kpi.baseline.date, kpi.baseline.value)]
    if kpi.target.by != kpi.baseline.date:
        trajectory.append((kpi.target.by, kpi.target.value))
    rows = _by_point(series, kpi.cadence) if person_level else None
    shown = _known(points, group, today)
    # judged once per point known today: the status and each checkpoint replay these;
    # a judgement reads no more than the latest LOOKBACK points, so each gets those
    history = [_judge(kpi, shown[max(0, i - LOOKBACK):i], rows, None, point_se)
               for i in range(1, len(shown) + 1)]
    checkpoints = _checkpoints(kpi, points, rows, group, start, today, point_se, history)
    if not shown:
        stale_after = one_cadence_later(start, kpi.cadence) + timedelta(
            days=GRACE_DAYS[kpi.cadence])
        return KpiFigures(kpi_id=kpi.id, status=KpiStatus.NO_DATA, latest=None,
                          latest_date=None, expected=None, shortfall=None,
                          stale=today > stale_after, stale_after=stale_after, points=points,
                          checkpoints=checkpoints, trajectory=trajectory, group=None)
    last = shown[-1]
    latest_date = last.last or last.period
    verdict = _settled(history[:-1], history[-1])
    stale_after = one_cadence_later(latest_date, kpi.cadence) + timedelta(
        days=GRACE_DAYS[kpi.cadence])
    status = verdict.status or KpiStatus.BASELINE_ONLY
    band = ([(d, v - verdict.width, v + verdict.width) for d, v in trajectory]
            if verdict.status is not None else None)
    return KpiFigures(kpi_id=kpi.id, status=status, latest=last.value, latest_date=latest_date,
                      expected=verdict.expected, shortfall=verdict.behind,
                      stale=today > stale_after, stale_after=stale_after, points=points,
                      checkpoints=checkpoints, trajectory=trajectory, group=group, band=band,
                      within_noise=verdict.within_noise, held=verdict.held,
                      noise_known=verdict.estimated)
