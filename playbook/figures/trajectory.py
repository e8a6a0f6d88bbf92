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
  Their windows still open on the build day never reach here
  (:func:`playbook.figures.privacy.windows`), and their means are rounded to
  :data:`PUBLISHED_DIGITS` decimals.
  Each person weighs once: the value is the mean of the subjects' means.
  Series of already-aggregated values are never suppressed (``n`` counts rows).
* **Checkpoints** (days 90/180/365 from ``start``) read the value as known on
  the checkpoint date: the latest non-suppressed point of the status group,
  aggregated from observations dated on or before that date, so a month
  reported on its last day is not used before that day. ``None`` after ``today``.
* **Partial periods.** The period holding the start counts as after it when at
  least ``AFTER_SHARE`` of its days are on or after the start, else as before
  (:func:`first_after`); effects, checkpoints, gates and the full-period rule
  of the ROI all use it.
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

from playbook.figures.rounding import half_away
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.model.measure import Kpi
from playbook.model.parts import REVIEW_DAYS

ON_TRACK = 0.0
"""Largest shortfall (share of the planned change) that is still on track."""
AT_RISK = 0.15
"""Largest shortfall that is at risk; anything further behind is off track."""
GRACE_DAYS: Final = MappingProxyType({Cadence.WEEKLY: 3, Cadence.MONTHLY: 14,
                                      Cadence.QUARTERLY: 30})
"""Days of grace after one cadence before a KPI counts as stale."""
CHECKPOINT_DAYS: Final = REVIEW_DAYS
"""Review days counted from the program's start (the roadmap's review days, written once)."""
AFTER_SHARE: Final = 0.5
"""Share of a period's days on or after the start from which the period counts as after
the start (the period that holds the start goes where most of its days are)."""
PUBLISHED_DIGITS = 2
"""Decimals of a published figure of person-level data (the site's precision)."""
_MONTHS: Final = MappingProxyType({Cadence.WEEKLY: 0, Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3})
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
    BASELINE_ONLY = "baseline-only"
    """Measured only at (or before) the baseline: nothing to judge progress on yet."""


@dataclass(frozen=True)
class Point:
    """One period's aggregate of one group."""

    group: str
    """``pilot``, ``comparison``, or ``all`` for a series without groups."""
    period: date
    """First day of the cadence period; for a survey wave, the median day of its answers."""
    value: float | None
    """Mean of the period's values in the KPI's unit (person-level: the mean of each person's mean,
    rounded to 2 decimals); None when suppressed or fielding."""
    n: int
    """Rows averaged; distinct people for a person-level series; people counted for a source with a
    count column; 0 while fielding."""
    suppressed: bool
    """Fewer people than ``min_group_size`` are behind it, so its value is withheld."""
    last: date | None = None
    """Date of the last observation in the point: from then on, the point is known."""
    wave: str | None = None
    """The survey wave (``pre``/``post``) a person-level point aggregates, if any."""
    fielding: bool = False
    """Its window (a wave, or a period of person-level rows) was still open on the build
    day: nothing about it is published until it closes (``period`` is its last day)."""


@dataclass(frozen=True)
class Checkpoint:
    """The KPI at a 90/180/365-day review."""

    day: int
    """Days from the program's start: 90, 180 or 365."""
    date: date
    """The checkpoint's date (the start plus ``day``)."""
    expected: float
    """The trajectory's value on ``date``, in the KPI's unit."""
    actual: float | None
    """The status group's latest published value known on ``date``, in the KPI's unit; None after
    ``today`` or with nothing known yet."""
    status: KpiStatus | None
    """The status judged on ``date``; None without a value, or when the value cannot show the effect
    (see ``note``)."""
    period: _Date | None = None
    """Period of the point the actual comes from."""
    note: str | None = None
    """Why there is no status, when there is none though a value is known."""
    spread: float | None = None
    """Half-width of the 95% interval of ``actual`` from its own noise (a series' noise,
    a wave's sampling error), in the KPI's unit; None while that error is unknown."""


@dataclass(frozen=True)
class KpiFigures:
    """Everything the dashboard shows about one KPI."""

    kpi_id: str
    """Id of the KPI in ``kpis.yml``."""
    status: KpiStatus
    """Where the KPI stands against its trajectory, judged on its latest published value."""
    latest: float | None
    """The status group's latest published value, in the KPI's unit; None without data."""
    latest_date: date | None
    """Date of the last observation behind ``latest``; None without data."""
    expected: float | None
    """The trajectory's value ``latest`` is compared with, in the KPI's unit; None when nothing is
    judged."""
    shortfall: float | None
    """How far ``latest`` is behind the trajectory, as a share of the planned change
    ``|target − baseline|`` (positive = behind); None when nothing is judged."""
    stale: bool
    """Whether ``today`` is later than ``stale_after``: no new data for one cadence plus the grace
    days."""
    stale_after: date | None
    """Last day the data count as fresh: the latest observation (without data, the start) plus one
    cadence plus the grace days."""
    points: list[Point]
    """Every period's aggregate per group (suppressed and fielding ones too), by group then
    period."""
    checkpoints: list[Checkpoint]
    """The KPI at the day-90, 180 and 365 reviews."""
    trajectory: list[tuple[date, float]]
    """The planned line's ends: (baseline date, baseline value), then (target date, target value)
    unless the dates are equal."""
    group: str | None = None
    """Group the status is judged on ("pilot" or "all"); None without data."""
    band: list[tuple[date, float, float]] | None = None
    """The noise band around the trajectory: (date, low, high) at each trajectory point;
    None when nothing is judged yet."""
    within_noise: bool = False
    """Whether the judged value lies inside the band (on track, within noise of the line)."""
    held: bool = False
    """On track only by the exit margin: behind the band by less than the margin."""
    noise_known: bool = False
    """Whether the band rests on an estimated noise (else it is the cap: too few values)."""


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamped to the month's end."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


_BACK_TO_MONDAY = tuple(timedelta(days=n) for n in range(7))


def period_start(day: date, cadence: Cadence) -> date:
    """Return the first day of the cadence period holding ``day``."""
    # called once per distinct day of every series (a million at portfolio scale):
    # a new date and a looked-up timedelta cost a third of date.replace or timedelta()
    if cadence is Cadence.WEEKLY:
        return day - _BACK_TO_MONDAY[day.weekday()]
    if cadence is Cadence.MONTHLY:
        return date(day.year, day.month, 1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def first_after(start: date, cadence: Cadence) -> date:
    """The first day of the first period that counts as after ``start``.

    The period holding the start counts as after it when at least :data:`AFTER_SHARE`
    of its days are on or after the start, else as before it: a month whose 30 of 31
    days follow the start is an after month, one whose first day is the start too.
    Effects, checkpoints, gates and the full-period rule all split periods here.
    """
    first = period_start(start, cadence)
    end = one_cadence_later(first, cadence)
    return first if (end - start).days >= AFTER_SHARE * (end - first).days else end


def shows_effect(point: Point, start: date, cadence: Cadence) -> bool:
    """Whether ``point`` could show the program's effect: a survey wave other than the
    pre wave, or a period that counts as after the start (:func:`first_after`)."""
    if point.wave is not None:
        return point.wave != "pre"
    return point.period >= first_after(start, cadence)


def one_cadence_later(day: date, cadence: Cadence) -> date:
    """Return ``day`` plus one cadence period."""
    return day + timedelta(days=7) if cadence is Cadence.WEEKLY else add_months(day,
                                                                          _MONTHS[cadence])


def aggregate(series: list[Observation], cadence: Cadence, *, person_level: bool,
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
    cells: dict[tuple[str, date | str], list[Observation]] = defaultdict(list)
    waves = person_level and any(o.wave for o in series)
    starts: dict[date, date] = {}  # a long series repeats its days: each is placed once
    for obs in series:
        # a survey wave is one measurement, however many days or quarters its fielding spans
        when: date | str | None = (obs.wave or "") if waves else starts.get(obs.date)
        if when is None:
            when = starts[obs.date] = period_start(obs.date, cadence)
        cells[(obs.group or "all", when)].append(obs)
    points = []
    for (group, when), rows in cells.items():
        last = max(o.date for o in rows)
        period = (sorted(o.date for o in rows)[(len(rows) - 1) // 2] if isinstance(when, str)
                  else when)  # a wave is plotted on its median day
        wave = when if isinstance(when, str) and when else None
        if not person_level:
            counted = [o.people for o in rows if o.people is not None]
            if counted and sum(counted) < min_group_size:  # too few people behind it
                points.append(Point(group, period, None, sum(counted), True, last))
                continue
            n = sum(counted) if counted else len(rows)
            # a list, not a generator: fmean then sums it in one fsum call
            points.append(Point(group, period, fmean([o.value for o in rows]), n, False, last))
            continue
        by_subject: dict[str, list[float]] = defaultdict(list)
        for o in rows:
            by_subject[o.subject or ""].append(o.value)
        n = len(by_subject)
        if n < min_group_size:
            points.append(Point(group, period, None, n, True, last, wave))
        else:
            # published at the precision shown, so near-identical aggregates cannot be
            # subtracted to a person's value to more digits than the site shows
            mean = half_away(fmean(fmean(v) for v in by_subject.values()), PUBLISHED_DIGITS)
            points.append(Point(group, period, mean, n, False, last, wave))
    return sorted(points, key=lambda p: (p.group, p.period, p.last or p.period))


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
    sign = kpi.sign
    scale = abs(kpi.target.value - kpi.baseline.value) or abs(kpi.baseline.value) or 1.0
    return sign * (expected - actual) / scale


def value_as_of(series: list[Observation], cadence: Cadence, group: str, day: date, *,
                person_level: bool, min_group_size: int, start: date) -> Point | None:
    """Return the latest published point of ``group`` complete on ``day`` that could show
    the effect of a program started on ``start`` (:func:`shows_effect`).

    A point counts from the date of its last observation: a month reported on
    its last day is not known before it, and a survey wave still being fielded
    is not read half-way. The point is the published one, never a partial
    aggregate, so two figures cannot be subtracted to one person's answer.

    Args:
        series: The KPI's observations (those published).
        cadence: The KPI's cadence.
        group: ``pilot``, ``comparison`` or ``all``.
        day: The day the value is read on.
        person_level: Whether rows are people.
        min_group_size: Privacy threshold for person-level aggregates.
        start: Day 0 of the program: a baseline wave or a period before it shows nothing.

    Returns:
        The point, or None when nothing since the start was known yet.
    """
    points = aggregate(series, cadence, person_level=person_level,
                       min_group_size=min_group_size)
    found = [p for p in points if p.group == group and p.value is not None
             and (p.last or p.period) <= day and shows_effect(p, start, cadence)]
    return max(found, key=lambda p: (p.last or p.period, p.period)) if found else None


def status_group(points: list[Point]) -> str | None:
    """Return the group status is judged on: pilot, else all; None without any."""
    groups = {p.group for p in points}
    return next((g for g in ("pilot", "all") if g in groups), None)
