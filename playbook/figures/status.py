"""Status a reader can trust: off the line by more than the noise, or not.

A single period's value moves with noise; a survey mean has sampling error. So
status compares the trajectory with a value whose uncertainty is known, within a
symmetric **band** around the line, by one rule for every kind of KPI:

* **The judged value.** An aggregate series is judged on the mean of its latest
  ``SMOOTH_PERIODS[cadence]`` points against the mean of the trajectory on their
  dates; a survey KPI on its latest measured wave; a checkpoint on the latest
  value known on its day.
* **Its standard error.** An aggregate series' noise is estimated only from the
  points *before* those being judged (the latest ``max(k, CONFIRM_PERIODS)``),
  so a collapse cannot widen its own band: the standard deviation of their
  period-to-period changes over √2 (:mod:`playbook.figures.noise`, the latest
  :data:`NOISE_WINDOW` before the judged ones), over √k for a mean of k points.
  A survey wave's is the people's standard deviation over √n; an NPS score's
  comes from its answers (:mod:`playbook.figures.nps`), and a mean of k scores
  has ``√(Σ se²)/k``.
* **The band** spans Student's t quantile at :data:`BAND_LEVEL` of the estimate
  (its degrees of freedom: the changes less one; a wave's people less one), or
  :data:`Z` for an NPS score's answers, standard errors either side of the
  line, at most :data:`BAND_CAP` of the planned change (a noisy series cannot
  excuse any shortfall). While the noise cannot be estimated (fewer than
  :data:`MIN_NOISE_POINTS` earlier points, a score whose answers all agree) the
  band is its cap: too few values to tell noise from a shortfall.
* **Classification.** With ``band`` and ``behind`` as shares of the planned
  change: on track when ``behind ≤ ON_TRACK + band`` (inside the band: *within
  noise of the line*), at risk when ``behind ≤ AT_RISK + band``, off track beyond.
* **Hysteresis** (:func:`settle`), replayed over every point known so far from
  an on-track start (the plan starts on its line): a better status is called as
  soon as the judged value and the latest single value are back within their
  thresholds; a worse one when the judged value is past its threshold by the
  margin, or when each of the latest :data:`CONFIRM_PERIODS` single values is
  past it by the margin of its own band (a collapse shows before the smoothed
  mean catches up). The margin is :data:`EXIT_MARGIN` of the band (never more
  than the band), cut so that band and margin together stay within
  :data:`BAND_CAP`: no noise excuses more than the cap.
* A value measured on or before the baseline date, or a survey's pre wave, is
  **not judged**: nothing has been measured since the baseline, and the
  checkpoint says so.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean, stdev
from types import MappingProxyType
from typing import Final

from playbook.figures.noise import MIN_NOISE_POINTS, NOISE_WINDOW, change_noise
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

__all__ = ["MIN_NOISE_POINTS", "NOISE_WINDOW"]  # re-exported for the pages

Z: Final = 1.96
"""Standard errors either side of the line the band spans (95% two-sided), when the
standard error rests on many values (an NPS score's answers)."""
BAND_LEVEL: Final = 0.975
"""Quantile the band spans (95% two-sided): an estimated noise spans Student's t quantile
at this level with the estimate's degrees of freedom (wider when it rests on few values)."""
SMOOTH_PERIODS: Final = MappingProxyType({Cadence.WEEKLY: 4, Cadence.MONTHLY: 3,
                                          Cadence.QUARTERLY: 1})
"""Latest points averaged for the status of an aggregate series, per cadence."""
BAND_CAP: Final = 1 / 3
"""Widest half-width of the noise band, as a share of the planned change."""
EXIT_MARGIN: Final = 0.75
"""Share of the band a value must pass a threshold by before a worse status is called
(at most 1: the margin never exceeds the band; band and margin stay within the cap)."""
CONFIRM_PERIODS: Final = 2
"""Latest single values that must each be past a threshold (by the margin) to call a
worse status the smoothed mean has not shown yet."""
LOOKBACK: Final = NOISE_WINDOW + max(*SMOOTH_PERIODS.values(), CONFIRM_PERIODS)
"""Latest points a judgement reads: the judged ones and the noise window before them."""
NOT_SINCE_BASELINE: Final = "no measurement since the baseline"
"""What a checkpoint says when the only value known is the baseline's own."""
NOT_SINCE_START: Final = "no measurement since the start"
"""What a checkpoint says when the latest value known on its day is from before the
program's start (a period before it, a baseline wave)."""
assert 0 <= EXIT_MARGIN <= 1, "the exit margin never exceeds the band"


@dataclass(frozen=True)
class Judgement:
    """A status with what it rests on."""

    status: KpiStatus | None
    """``None`` when there is nothing to judge (see ``note``)."""
    behind: float | None
    """Shortfall of the judged value as a share of the planned change (positive = behind)."""
    expected: float | None
    """The trajectory's value the judged value is compared with."""
    band: float
    """Half-width of the noise band of the judged value, as a share of the planned change."""
    note: str | None = None
    """Why there is no status, shown in its place (e.g. no measurement since the baseline)."""
    width: float = 0.0
    """Half-width of the noise band, in the KPI's unit."""
    estimated: bool = False
    """Whether the band rests on an estimated standard error (else it is the cap)."""
    latest: float | None = None
    """Shortfall of the latest single value (share of the planned change)."""
    latest_band: float = 0.0
    """Half-width of the band of one single value (share of the planned change)."""
    spread: float | None = None
    """Half-width of the 95% interval of the latest single value, in the KPI's unit and
    not capped (a checkpoint's actual against a forecast); None while its error is unknown."""

    @property
    def within_noise(self) -> bool:
        """Whether the status is on track with the judged value inside the band."""
        return (self.status is KpiStatus.ON_TRACK and self.behind is not None
                and abs(self.behind) <= self.band)

    @property
    def held(self) -> bool:
        """Whether the status is on track only by the exit margin: behind the band, by less
        than the margin a worse status waits for (a first such value is not yet confirmed)."""
        return (self.status is KpiStatus.ON_TRACK and self.behind is not None
                and self.behind > ON_TRACK + self.band)


_RANK: Final = MappingProxyType({KpiStatus.ON_TRACK: 0, KpiStatus.AT_RISK: 1,
                                 KpiStatus.OFF_TRACK: 2})


def classify(behind: float, band: float) -> KpiStatus:
    """The status of a shortfall, given the band (both shares of the planned change)."""
    if behind <= ON_TRACK + band:
        return KpiStatus.ON_TRACK
    return KpiStatus.AT_RISK if behind <= AT_RISK + band else KpiStatus.OFF_TRACK


def margin(band: float) -> float:
    """The exit margin of a band: :data:`EXIT_MARGIN` of it, so far as band and margin
    together stay within :data:`BAND_CAP` (no noise excuses more than the cap)."""
    return max(0.0, min(EXIT_MARGIN * band, BAND_CAP - band))


def _worse(behind: float, band: float) -> KpiStatus:
    """The status a shortfall calls for when leaving a better one: past by the margin."""
    return classify(behind - margin(band), band)


def settle(history: Sequence[Judgement]) -> KpiStatus | None:
    """The status after replaying ``history`` (judgements in time order) with hysteresis.

    The replay starts on track; a better status is taken as soon as the judged and the
    latest single value call for it, a worse one when the judged value is past the
    threshold by the margin or each of the latest :data:`CONFIRM_PERIODS` single
    values is (see the module docstring). Judgements without a status (nothing
    measured since the baseline) are skipped.
    """
    held: KpiStatus | None = None
    singles: list[KpiStatus] = []  # what each latest single value calls for, newest last
    for verdict in history:
        if verdict.status is None or verdict.behind is None:
            continue
        single = (_worse(verdict.latest, verdict.latest_band) if verdict.latest is not None
                  else KpiStatus.ON_TRACK)
        singles = [*singles, single][-CONFIRM_PERIODS:]
        if held is None:  # the plan starts on its line: a first value must leave it too
            held = KpiStatus.ON_TRACK
        # better only when the latest single value agrees: a lagging mean cannot undo
        # a collapse the single values have already shown
        better = max(classify(verdict.behind, verdict.band),
                     classify(verdict.latest if verdict.latest is not None else verdict.behind,
                              verdict.latest_band), key=_RANK.__getitem__)
        if _RANK[better] < _RANK[held]:
            held = better
            continue
        worse = _worse(verdict.behind, verdict.band)
        if len(singles) == CONFIRM_PERIODS:  # the mildest of the confirming values
            confirmed = min(singles, key=_RANK.__getitem__)
            worse = max(worse, confirmed, key=_RANK.__getitem__)
        if _RANK[worse] > _RANK[held]:
            held = worse
    return held


def planned_change(kpi: Kpi) -> float:
    """The size of the planned change, |target − baseline| (else |baseline|, else 1): the
    scale status shares and forecasts across KPIs are read on."""
    return abs(kpi.target.value - kpi.baseline.value) or abs(kpi.baseline.value) or 1.0


@functools.cache
def multiplier(dof: int | None) -> float:
    """Standard errors the band spans: :data:`Z`, or the t quantile with ``dof`` ≥ 1."""
    if dof is None:
        return Z
    from playbook.figures import distributions  # lazy: `playbook check` never loads scipy

    return distributions.t_quantile(BAND_LEVEL, dof)


def band_share(kpi: Kpi, se: float | None, dof: int | None) -> float | None:
    """Half-width of the band of a value with standard error ``se`` (share of the planned
    change), capped; None when the error is unknown (``se`` None or ``dof`` < 1)."""
    if se is None or (dof is not None and dof < 1):
        return None
    return min(multiplier(dof) * se / planned_change(kpi), BAND_CAP)


def _spread(se: float | None, dof: int | None) -> float | None:
    """Half-width of the 95% interval of a value with standard error ``se``, uncapped."""
    if se is None or (dof is not None and dof < 1):
        return None
    return multiplier(dof) * se


def _judgement(kpi: Kpi, value: float, expected: float, band: float | None,
               latest: tuple[float, float, float | None],
               spread: float | None = None) -> Judgement:
    """Classify ``value`` against ``expected`` in ``band`` (None: unknown, the cap);
    ``latest`` is the latest single value, the trajectory on its day and its own band,
    ``spread`` the uncapped half-width of that value's interval."""
    behind = shortfall(kpi, value, expected)
    width = BAND_CAP if band is None else band
    one, one_expected, one_band = latest
    return Judgement(classify(behind, width), behind, expected, width,
                     width=width * planned_change(kpi), estimated=band is not None,
                     latest=shortfall(kpi, one, one_expected),
                     latest_band=BAND_CAP if one_band is None else one_band, spread=spread)


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
    # lists, not generators: fmean sums a list in one fsum call (the replay judges each point)
    value = fmean([p.value for p in recent if p.value is not None])
    last = shown[-1].value
    assert last is not None
    last_expected = expected_value(kpi, on or _when(shown[-1]))
    expected = (last_expected if on is not None else
                fmean([expected_value(kpi, _when(p)) for p in recent]))
    if point_se is not None:  # sampling errors: unknown when one of them is
        own = [point_se.get((p.group, p.period)) for p in recent]
        se = (math.sqrt(sum(e * e for e in own if e is not None)) / len(recent)
              if all(e is not None for e in own) else None)
        one = point_se.get((shown[-1].group, shown[-1].period))
        return _judgement(kpi, value, expected, band_share(kpi, se, None),
                          (last, last_expected, band_share(kpi, one, None)),
                          _spread(one, None))
    judged = max(len(recent), CONFIRM_PERIODS)
    earlier = [p.value for p in shown[:-judged] if p.value is not None]
    noise = change_noise(earlier)
    if noise is None:
        return _judgement(kpi, value, expected, None, (last, last_expected, None))
    sigma, dof = noise
    return _judgement(kpi, value, expected, band_share(kpi, sigma / math.sqrt(len(recent)), dof),
                      (last, last_expected, band_share(kpi, sigma, dof)), _spread(sigma, dof))


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
    band = band_share(kpi, se, len(means) - 1)
    return _judgement(kpi, point.value, expected, band, (point.value, expected, band),
                      _spread(se, len(means) - 1))


def _when(point: Point) -> date:
    """The day a point was measured: its last observation, else its period."""
    return point.last or point.period
