"""Status a reader can trust: behind the trajectory by more than the noise, or not.

A single month's value moves with noise; a survey mean has sampling error. So
status compares the trajectory with a value whose uncertainty is known, and
only the part of the shortfall beyond that uncertainty counts:

* **Aggregate series** are judged on the mean of the last
  ``SMOOTH_PERIODS[cadence]`` published points against the mean of the
  trajectory on their dates. Their noise is estimated from the last
  :data:`NOISE_WINDOW` points as the standard deviation of period-to-period
  differences over √2 (a trend does not inflate it); the standard error of
  the smoothed value is that over √k.
* **Person-level series** (survey waves) are judged on the latest measured
  wave; its standard error is the standard deviation of the people's values
  over √n.
* The **tolerance** is :data:`Z` standard errors, as a share of the planned
  change. With ``behind`` the shortfall as a share of the planned change:
  on track when ``behind ≤ ON_TRACK + tolerance``, at risk when
  ``behind ≤ AT_RISK + tolerance``, off track beyond.
* A value measured on or before the baseline date, or a survey's pre wave, is
  **not judged**: nothing has been measured since the baseline, and the
  checkpoint says so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean, stdev
from types import MappingProxyType
from typing import Final

from playbook.figures.trajectory import (
    AT_RISK,
    ON_TRACK,
    KpiStatus,
    Point,
    expected_value,
    shortfall,
)
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.model.measure import Kpi

Z: Final = 1.645
"""Standard errors of slack before a shortfall counts (one-sided 95%)."""
SMOOTH_PERIODS: Final = MappingProxyType({Cadence.WEEKLY: 4, Cadence.MONTHLY: 3,
                                          Cadence.QUARTERLY: 1})
"""Latest points averaged for the status of an aggregate series, per cadence."""
NOISE_WINDOW: Final = 12
"""Latest points from which an aggregate series' noise is estimated."""
NOT_SINCE_BASELINE: Final = "no measurement since the baseline"
"""What a checkpoint says when the only value known is the baseline's own."""


@dataclass(frozen=True)
class Judgement:
    """A status with what it rests on."""

    status: KpiStatus | None
    """``None`` when there is nothing to judge (see ``note``)."""
    behind: float | None
    """Shortfall as a share of the planned change (positive = behind)."""
    expected: float | None
    """The trajectory's value the judged value is compared with."""
    tolerance: float
    """Noise slack, as a share of the planned change."""
    note: str | None = None


def classify(behind: float, tolerance: float) -> KpiStatus:
    """The status of a shortfall, given the noise slack (both shares of the planned change)."""
    if behind <= ON_TRACK + tolerance:
        return KpiStatus.ON_TRACK
    return KpiStatus.AT_RISK if behind <= AT_RISK + tolerance else KpiStatus.OFF_TRACK


def _planned(kpi: Kpi) -> float:
    return abs(kpi.target.value - kpi.baseline.value) or abs(kpi.baseline.value) or 1.0


def aggregate_noise(values: Sequence[float]) -> float:
    """Noise of one period's value: SD of first differences over √2 (0 with < 3 values)."""
    window = list(values)[-NOISE_WINDOW:]
    if len(window) < 3:
        return 0.0
    steps = [b - a for a, b in itertools.pairwise(window)]
    return stdev(steps) / math.sqrt(2)


def judge_aggregate(kpi: Kpi, points: Sequence[Point], on: date | None = None) -> Judgement:
    """Judge an aggregate series on its latest published points (in time order).

    Args:
        kpi: The KPI.
        points: The status group's published points known so far.
        on: Judge the latest value against the trajectory on this day (a checkpoint)
            instead of the smoothed latest values against the trajectory on their dates.
    """
    shown = [p for p in points if p.value is not None]
    if not shown:
        return Judgement(None, None, None, 0.0)
    recent = shown[-1:] if on is not None else shown[-SMOOTH_PERIODS[kpi.cadence]:]
    if all(_when(p) <= kpi.baseline.date for p in recent):
        return Judgement(None, None, None, 0.0, NOT_SINCE_BASELINE)
    value = fmean(p.value for p in recent if p.value is not None)
    expected = (expected_value(kpi, on) if on is not None else
                fmean(expected_value(kpi, _when(p)) for p in recent))
    se = aggregate_noise([p.value for p in shown if p.value is not None]) / math.sqrt(
        len(recent))
    tolerance = Z * se / _planned(kpi)
    behind = shortfall(kpi, value, expected)
    return Judgement(classify(behind, tolerance), behind, expected, tolerance)


def judge_wave(kpi: Kpi, point: Point, people: Sequence[Observation],
               on: date | None = None) -> Judgement:
    """Judge a person-level KPI on one measured wave (``people``: its observations).

    Args:
        kpi: The KPI.
        point: The wave's published point.
        people: The observations the point aggregates (for its standard error).
        on: Compare with the trajectory on this day (a checkpoint), else on the wave's.
    """
    if point.wave == "pre" or _when(point) <= kpi.baseline.date or point.value is None:
        return Judgement(None, None, None, 0.0, NOT_SINCE_BASELINE)  # the pre wave IS the baseline
    by_subject: dict[str, list[float]] = {}
    for o in people:
        by_subject.setdefault(o.subject or "", []).append(o.value)
    means = [fmean(v) for v in by_subject.values()]
    se = stdev(means) / math.sqrt(len(means)) if len(means) > 1 else 0.0
    expected = expected_value(kpi, on or _when(point))
    tolerance = Z * se / _planned(kpi)
    behind = shortfall(kpi, point.value, expected)
    return Judgement(classify(behind, tolerance), behind, expected, tolerance)


def _when(point: Point) -> date:
    """The day a point was measured: its last observation, else its period."""
    return point.last or point.period
