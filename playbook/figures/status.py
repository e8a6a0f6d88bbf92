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
* **NPS series** are judged like aggregate series, but each period score's
  standard error comes from its answers (:mod:`playbook.figures.nps`); the
  standard error of the mean of k scores is ``√(Σ se²)/k``.
* The **band** around the trajectory is symmetric: :data:`Z` standard errors of
  the judged value either side of the line, at most :data:`BAND_CAP` of the
  planned change (a noisy series cannot excuse any shortfall). An estimated
  noise spans Student's t quantile at :data:`BAND_LEVEL` instead of ``Z``; a
  standard error that cannot be estimated (fewer than three values, a score
  whose answers all fall in one category) gives no band and no hysteresis: the
  value is judged as it is. Inside the band the KPI is on track and *within
  noise of the line*. With ``band`` and ``behind`` as shares of the planned
  change: on track when ``behind ≤ ON_TRACK + band``, at risk when
  ``behind ≤ AT_RISK + band``, off track beyond.
* **Hysteresis** (:func:`settle`): the status is replayed over every point known
  so far, and changes only when :data:`CONFIRM_PERIODS` judged points in a row
  call for the change; a worse status is called only when the shortfall is past
  its threshold by :data:`EXIT_MARGIN` band half-widths, a better one as soon as
  the shortfall is back within its threshold. A KPI sitting on its line does not
  flip with every noisy point.
* A value measured on or before the baseline date, or a survey's pre wave, is
  **not judged**: nothing has been measured since the baseline, and the
  checkpoint says so.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
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
"""Standard errors either side of the line the band spans (one-sided 95%), when the
standard error rests on many values (an NPS score's answers)."""
BAND_LEVEL: Final = 0.95
"""One-sided level of the band: an estimated noise spans Student's t quantile at this
level with the estimate's degrees of freedom (wider when it rests on few values)."""
SMOOTH_PERIODS: Final = MappingProxyType({Cadence.WEEKLY: 4, Cadence.MONTHLY: 3,
                                          Cadence.QUARTERLY: 1})
"""Latest points averaged for the status of an aggregate series, per cadence."""
NOISE_WINDOW: Final = 12
"""Latest points from which an aggregate series' noise is estimated."""
BAND_CAP: Final = 1 / 3
"""Widest half-width of the noise band, as a share of the planned change."""
EXIT_MARGIN: Final = 1.5
"""Band half-widths a shortfall must pass a threshold by before the status changes."""
CONFIRM_PERIODS: Final = 2
"""Judged points in a row that must call for a new status before it changes."""
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
    band: float
    """Half-width of the noise band, as a share of the planned change."""
    note: str | None = None
    width: float = 0.0
    """Half-width of the noise band, in the KPI's unit."""
    estimated: bool = False
    """Whether the band rests on an estimated standard error (else it is the widest)."""

    @property
    def within_noise(self) -> bool:
        """Whether the judged value lies inside the band around the trajectory."""
        return self.behind is not None and abs(self.behind) <= self.band


_RANK: Final = MappingProxyType({KpiStatus.ON_TRACK: 0, KpiStatus.AT_RISK: 1,
                                 KpiStatus.OFF_TRACK: 2})


def classify(behind: float, band: float) -> KpiStatus:
    """The status of a shortfall, given the band (both shares of the planned change)."""
    if behind <= ON_TRACK + band:
        return KpiStatus.ON_TRACK
    return KpiStatus.AT_RISK if behind <= AT_RISK + band else KpiStatus.OFF_TRACK


def _called(held: KpiStatus, behind: float, band: float) -> KpiStatus:
    """The status a shortfall calls for: a worse one only past its threshold by the margin.

    A better one needs no margin: a value back inside the band is on track again.
    """
    worse = classify(behind - EXIT_MARGIN * band, band)
    if _RANK[worse] > _RANK[held]:
        return worse
    better = classify(behind, band)
    return better if _RANK[better] < _RANK[held] else held


def settle(history: Sequence[Judgement]) -> KpiStatus | None:
    """The status after replaying ``history`` (judgements in time order) with hysteresis.

    Until the noise can be estimated each judgement's own status stands (without a
    band), and so does the first with an estimated band. After it, a status
    changes only when :data:`CONFIRM_PERIODS` judged points in a row call for a
    change in the same direction (:func:`_called`). Judgements without a status
    (nothing measured since the baseline) are skipped.
    """
    held: KpiStatus | None = None
    calls: list[KpiStatus] = []
    settled = False  # whether the held status rests on an estimated band
    for verdict in history:
        if verdict.status is None or verdict.behind is None:
            continue
        if held is None or not (settled and verdict.estimated):
            held, settled = verdict.status, verdict.estimated
            continue
        now: KpiStatus = held
        call = _called(now, verdict.behind, verdict.band)
        calls = [*calls, call][-CONFIRM_PERIODS:] if call != now else []
        if len(calls) == CONFIRM_PERIODS and len({_RANK[c] > _RANK[now] for c in calls}) == 1:
            held, calls = call, []  # the latest call: the one the data stands on now
    return held


def _planned(kpi: Kpi) -> float:
    return abs(kpi.target.value - kpi.baseline.value) or abs(kpi.baseline.value) or 1.0


@functools.cache
def multiplier(dof: int | None) -> float:
    """Standard errors the band spans: :data:`Z`, or the t quantile with ``dof`` ≥ 1."""
    if dof is None:
        return Z
    from playbook.figures import distributions  # lazy: `playbook check` never loads scipy

    return distributions.t_quantile(BAND_LEVEL, dof)


def _judgement(kpi: Kpi, behind: float, expected: float, se: float | None,
               dof: int | None) -> Judgement:
    """Classify ``behind`` within the band of ``se`` (unknown, or ``dof`` < 1: no band)."""
    estimated = se is not None and (dof is None or dof >= 1)
    band = (min(multiplier(dof) * se / _planned(kpi), BAND_CAP)
            if se is not None and estimated else 0.0)
    return Judgement(classify(behind, band), behind, expected, band,
                     width=band * _planned(kpi), estimated=estimated)


def aggregate_noise(values: Sequence[float]) -> float | None:
    """Noise of one period's value: SD of first differences over √2 (None with < 3 values)."""
    window = list(values)[-NOISE_WINDOW:]
    if len(window) < 3:
        return None
    steps = [b - a for a, b in itertools.pairwise(window)]
    # floats, not statistics.stdev's exact fractions: the replay calls this once a point
    mean = math.fsum(steps) / len(steps)
    return math.sqrt(math.fsum((x - mean) ** 2 for x in steps) / (len(steps) - 1) / 2)


def judge_aggregate(kpi: Kpi, points: Sequence[Point], on: date | None = None,
                    point_se: Mapping[tuple[str, date], float | None] | None = None) -> Judgement:
    """Judge an aggregate series on its latest published points (in time order).

    Args:
        kpi: The KPI.
        points: The status group's published points known so far.
        on: Judge the latest value against the trajectory on this day (a checkpoint)
            instead of the smoothed latest values against the trajectory on their dates.
        point_se: Each point's own standard error by (group, period), when its
            sampling error is known (an NPS score's; None when it cannot be
            estimated); without it the series' noise is used.
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
    dof: int | None = None
    se: float | None = None
    if point_se is not None:  # sampling errors: unknown when one of them is
        own = [point_se.get((p.group, p.period)) for p in recent]
        if all(e is not None for e in own):
            se = math.sqrt(sum(e * e for e in own if e is not None)) / len(recent)
    else:
        values = [p.value for p in shown if p.value is not None]
        noise = aggregate_noise(values)
        se = None if noise is None else noise / math.sqrt(len(recent))
        dof = min(len(values), NOISE_WINDOW) - 2  # differences, less their mean
    return _judgement(kpi, shortfall(kpi, value, expected), expected, se, dof)


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
    se = stdev(means) / math.sqrt(len(means)) if len(means) > 1 else None
    expected = expected_value(kpi, on or _when(point))
    return _judgement(kpi, shortfall(kpi, point.value, expected), expected, se,
                      len(means) - 1)


def _when(point: Point) -> date:
    """The day a point was measured: its last observation, else its period."""
    return point.last or point.period
