"""KPI observations → periods, the planned trajectory, status, freshness, checkpoints.

Sits between the loaded observations (:mod:`playbook.load.observations`) and the
pages: it returns plain frozen figures and never formats.

Rules, each a module constant so the site can quote them:

* **Trajectory.** The plan is a straight line from ``(baseline.date,
  baseline.value)`` to ``(target.by, target.value)``; flat at the baseline
  before it and at the target after it.
* **Status** is judged on the latest non-suppressed point of the pilot group
  (``"all"`` when the series has no groups), against the trajectory on the date
  of that point's last observation. ``shortfall`` is how far the value is
  behind the trajectory, as a share of the planned change ``|target −
  baseline|`` (positive = behind, in the KPI's better direction). On track
  when ``shortfall <= ON_TRACK`` (at or ahead of the line), at risk up to
  ``AT_RISK``, off track beyond.
* **Freshness.** A KPI is stale when ``today`` is later than its last
  observation plus one cadence plus ``GRACE_DAYS[cadence]``; with no data
  yet, when ``today`` is later than ``start`` plus one cadence plus grace.
* **Privacy.** Person-level series count distinct subjects per period and
  group; fewer than ``min_group_size`` → value ``None``, ``suppressed=True``.
  Each person weighs once: the value is the mean of the subjects' means.
  Series of already-aggregated values are never suppressed (``n`` counts rows).
* **Checkpoints** (days 90/180/365 from ``start``) read the value as known on
  the checkpoint date: the latest non-suppressed point of the status group,
  aggregated from observations dated on or before that date, so a month
  reported on its last day is not used before that day. ``None`` after ``today``.
* Observations dated after ``today`` are ignored (figures are "as of today").
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import fmean
from types import MappingProxyType
from typing import Final

from playbook.load.observations import Observation
from playbook.model.measure import Kpi

ON_TRACK = 0.0
"""Largest shortfall (share of the planned change) that is still on track."""
AT_RISK = 0.15
"""Largest shortfall that is at risk; anything further behind is off track."""
GRACE_DAYS: Final = MappingProxyType({"weekly": 3, "monthly": 14, "quarterly": 30})
"""Days of grace after one cadence before a KPI counts as stale."""
CHECKPOINT_DAYS = (90, 180, 365)
PUBLISHED_DIGITS = 2
"""Decimals of a published mean of person-level data (the site's precision)."""
"""Review days counted from the program's start."""
_MONTHS: Final = MappingProxyType({"weekly": 0, "monthly": 1, "quarterly": 3})
_Date = date  # the type, where a field named ``date`` shadows it


class KpiStatus(StrEnum):
    """Where a KPI stands against its trajectory."""

    ON_TRACK = "on-track"
    """The shortfall behind the trajectory is within :data:`ON_TRACK` of the planned change."""
    AT_RISK = "at-risk"
    """The shortfall is within :data:`AT_RISK` of the planned change."""
    OFF_TRACK = "off-track"
    """The shortfall is larger."""
    NO_DATA = "no-data"
    """No value to judge yet."""


@dataclass(frozen=True)
class Point:
    """One period's aggregate of one group."""

    group: str  # "pilot" | "comparison" | "all"
    period: date  # first day of the cadence period
    value: float | None  # mean; None when suppressed
    n: int  # observations (distinct subjects for person-level)
    suppressed: bool


@dataclass(frozen=True)
class Checkpoint:
    """The KPI at a 90/180/365-day review."""

    day: int
    date: date
    expected: float
    actual: float | None
    status: KpiStatus | None
    period: _Date | None = None
    """Period of the point the actual comes from."""


@dataclass(frozen=True)
class KpiFigures:
    """Everything the dashboard shows about one KPI."""

    kpi_id: str
    status: KpiStatus
    latest: float | None
    latest_date: date | None
    expected: float | None
    shortfall: float | None  # share of the planned change behind the trajectory
    stale: bool
    stale_after: date | None
    points: list[Point]
    checkpoints: list[Checkpoint]
    trajectory: list[tuple[date, float]]
    group: str | None = None
    """Group the status is judged on ("pilot" or "all"); None without data."""


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamped to the month's end."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_start(day: date, cadence: str) -> date:
    """Return the first day of the cadence period holding ``day``."""
    if cadence == "weekly":
        return day - timedelta(days=day.weekday())
    if cadence == "monthly":
        return day.replace(day=1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def one_cadence_later(day: date, cadence: str) -> date:
    """Return ``day`` plus one cadence period."""
    return day + timedelta(days=7) if cadence == "weekly" else add_months(day,
                                                                          _MONTHS[cadence])


def aggregate(series: list[Observation], cadence: str, *, person_level: bool,
              min_group_size: int) -> list[Point]:
    """Aggregate observations per group and cadence period.

    Args:
        series: The KPI's observations; those without a group go to ``"all"``.
        cadence: ``weekly``, ``monthly`` or ``quarterly``.
        person_level: Whether rows are people (count distinct subjects, suppress).
        min_group_size: Fewest distinct subjects a person-level aggregate may have.

    Returns:
        Points sorted by group, then period.
    """
    cells: dict[tuple[str, date], list[Observation]] = defaultdict(list)
    for obs in series:
        cells[(obs.group or "all", period_start(obs.date, cadence))].append(obs)
    points = []
    for (group, period), rows in sorted(cells.items()):
        if not person_level:
            points.append(Point(group, period, fmean(o.value for o in rows), len(rows), False))
            continue
        by_subject: dict[str, list[float]] = defaultdict(list)
        for o in rows:
            by_subject[o.subject or ""].append(o.value)
        n = len(by_subject)
        if n < min_group_size:
            points.append(Point(group, period, None, n, True))
        else:
            # published at the precision shown, so near-identical aggregates cannot be
            # subtracted to a person's value to more digits than the site shows
            mean = round(fmean(fmean(v) for v in by_subject.values()), PUBLISHED_DIGITS)
            points.append(Point(group, period, mean, n, False))
    return points


def expected_value(kpi: Kpi, day: date) -> float:
    """Return the trajectory's value on ``day`` (linear from baseline to target)."""
    start, end = kpi.baseline.date, kpi.target.by
    if day >= end:
        return kpi.target.value
    if day <= start:
        return kpi.baseline.value
    share = (day - start).days / (end - start).days
    return kpi.baseline.value + share * (kpi.target.value - kpi.baseline.value)


def shortfall(kpi: Kpi, actual: float, expected: float) -> float:
    """Return how far ``actual`` is behind ``expected``, as a share of the planned change.

    The planned change is ``|target − baseline|`` (``|baseline|``, then 1, when zero).
    """
    sign = 1.0 if kpi.direction == "increase" else -1.0
    scale = abs(kpi.target.value - kpi.baseline.value) or abs(kpi.baseline.value) or 1.0
    return sign * (expected - actual) / scale


def judge(behind: float) -> KpiStatus:
    """Return the status for a shortfall, by :data:`ON_TRACK` and :data:`AT_RISK`."""
    if behind <= ON_TRACK:
        return KpiStatus.ON_TRACK
    return KpiStatus.AT_RISK if behind <= AT_RISK else KpiStatus.OFF_TRACK


def value_as_of(series: list[Observation], cadence: str, group: str, day: date, *,
                person_level: bool, min_group_size: int) -> Point | None:
    """Return the latest non-suppressed point of ``group`` known on ``day``.

    Args:
        series: The KPI's observations.
        cadence: The KPI's cadence.
        group: ``pilot``, ``comparison`` or ``all``.
        day: Only observations dated on or before it count.
        person_level: Whether rows are people.
        min_group_size: Privacy threshold for person-level aggregates.

    Returns:
        The point, or None when nothing was known yet.
    """
    points = aggregate([o for o in series if o.date <= day], cadence,
                       person_level=person_level, min_group_size=min_group_size)
    found = [p for p in points if p.group == group and p.value is not None]
    return found[-1] if found else None


def status_group(points: list[Point]) -> str | None:
    """Return the group status is judged on: pilot, else all; None without any."""
    groups = {p.group for p in points}
    return next((g for g in ("pilot", "all") if g in groups), None)


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
    shown = [p for p in points if p.group == group and p.value is not None]
    trajectory = [(kpi.baseline.date, kpi.baseline.value)]
    if kpi.target.by != kpi.baseline.date:
        trajectory.append((kpi.target.by, kpi.target.value))
    checkpoints = []
    for day in CHECKPOINT_DAYS:
        when = start + timedelta(days=day)
        expected = expected_value(kpi, when)
        known = (value_as_of(series, kpi.cadence, group, when, person_level=person_level,
                             min_group_size=min_group_size)
                 if group and when <= today else None)
        actual = known.value if known else None
        status = judge(shortfall(kpi, actual, expected)) if actual is not None else None
        checkpoints.append(Checkpoint(day, when, expected, actual, status,
                                      known.period if known else None))
    if not shown:
        stale_after = one_cadence_later(start, kpi.cadence) + timedelta(
            days=GRACE_DAYS[kpi.cadence])
        return KpiFigures(kpi.id, KpiStatus.NO_DATA, None, None, None, None, today > stale_after,
                          stale_after, points, checkpoints, trajectory, None)
    last = shown[-1]
    latest_date = max(o.date for o in series if (o.group or "all") == group
                      and period_start(o.date, kpi.cadence) == last.period)
    assert last.value is not None
    expected = expected_value(kpi, latest_date)
    behind = shortfall(kpi, last.value, expected)
    stale_after = one_cadence_later(latest_date, kpi.cadence) + timedelta(
        days=GRACE_DAYS[kpi.cadence])
    return KpiFigures(kpi.id, judge(behind), last.value, latest_date, expected, behind,
                      today > stale_after, stale_after, points, checkpoints, trajectory, group)
