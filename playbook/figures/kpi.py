"""One KPI's figures as of a day: points, status, freshness and checkpoints.

Combines the primitives of :mod:`playbook.figures.trajectory` (periods,
trajectory, published points) with the noise-aware judgement of
:mod:`playbook.figures.status`. Checkpoints read the published point that was
complete on their day and judge it by the same rule as the latest value.
"""

from __future__ import annotations

from datetime import date, timedelta

from playbook.figures.status import Judgement, judge_aggregate, judge_wave
from playbook.figures.trajectory import (
    CHECKPOINT_DAYS,
    GRACE_DAYS,
    Checkpoint,
    KpiFigures,
    KpiStatus,
    Point,
    aggregate,
    expected_value,
    one_cadence_later,
    status_group,
)
from playbook.load.observations import Observation
from playbook.model.measure import Kpi


def _judge(kpi: Kpi, known: list[Point], series: list[Observation],
           person_level: bool, on: date | None = None) -> Judgement:
    """Judge the latest of ``known`` (a group's published points, in time order)."""
    if not person_level:
        return judge_aggregate(kpi, known, on)
    latest = known[-1]
    people = [o for o in series if (o.group or "all") == latest.group
              and (o.wave == latest.wave if latest.wave else
                   (o.date <= (latest.last or latest.period) and o.date >= latest.period))]
    return judge_wave(kpi, latest, people, on)


def _known(points: list[Point], group: str | None, day: date) -> list[Point]:
    """The group's published points complete on ``day``, in the order they became known."""
    found = [p for p in points if p.group == group and p.value is not None
             and (p.last or p.period) <= day]
    return sorted(found, key=lambda p: (p.last or p.period, p.period))


def _checkpoints(kpi: Kpi, points: list[Point], series: list[Observation], group: str | None,
                 start: date, today: date, person_level: bool) -> list[Checkpoint]:
    out = []
    for day in CHECKPOINT_DAYS:
        when = start + timedelta(days=day)
        expected = expected_value(kpi, when)
        known = _known(points, group, when) if when <= today else []
        if not known:
            out.append(Checkpoint(day, when, expected, None, None))
            continue
        # only a person-level verdict reads the rows (an aggregate one reads the points):
        # copying two million rows for nothing, three times, was a second of a build
        rows = [o for o in series if o.date <= when] if person_level else []
        verdict = _judge(kpi, known, rows, person_level, on=when)
        out.append(Checkpoint(day, when, expected, known[-1].value, verdict.status,
                              known[-1].period, verdict.note))
    return out


def kpi_figures(kpi: Kpi, series: list[Observation], *, start: date, today: date,
                min_group_size: int, person_level: bool) -> KpiFigures:
    """Compute status, freshness, points and checkpoints of one KPI as of ``today``.

    Args:
        kpi: The KPI definition.
        series: Its observations (those after ``today`` are ignored).
        start: Day 0 of the program.
        today: The day the figures are computed for.
        min_group_size: Privacy threshold for person-level aggregates.
        person_level: Whether the series holds one row per person.

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
    checkpoints = _checkpoints(kpi, points, series, group, start, today, person_level)
    shown = _known(points, group, today)
    if not shown:
        stale_after = one_cadence_later(start, kpi.cadence) + timedelta(
            days=GRACE_DAYS[kpi.cadence])
        return KpiFigures(kpi.id, KpiStatus.NO_DATA, None, None, None, None, today > stale_after,
                          stale_after, points, checkpoints, trajectory, None)
    last = shown[-1]
    latest_date = last.last or last.period
    verdict = _judge(kpi, shown, series, person_level)
    stale_after = one_cadence_later(latest_date, kpi.cadence) + timedelta(
        days=GRACE_DAYS[kpi.cadence])
    status = verdict.status or KpiStatus.BASELINE_ONLY
    return KpiFigures(kpi.id, status, last.value, latest_date, verdict.expected,
                      verdict.behind, today > stale_after, stale_after, points, checkpoints,
                      trajectory, group)
