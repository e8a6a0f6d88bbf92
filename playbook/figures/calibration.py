"""Forecasts across the portfolio: how far a program's business case can be trusted.

Sits after :mod:`playbook.figures.forecast` (each program's checkpoints against
its forecast) and before the portfolio page. Rules, each a module constant the
methodology quotes:

* **One scale.** Each reached checkpoint with an actual is a point on the
  unit-free scale of :mod:`.forecast`: forecast and actual change as shares of
  the KPI's planned change, turned its better way (1 = the whole planned
  improvement). A ratio actual ÷ forecast was not chosen: it has no value when the
  forecast is no change, and it swings without bound near one.
* **Only forecasts.** A forecast made after its program's start
  (``forecast-late``) is left out and counted: it was written with the data in.
* **Error** is actual less forecast on that scale (positive: the program did
  better than promised). Checkpoints of one program share its team, its data and
  its business case, so they are not independent: each program's errors are
  averaged first, and the portfolio's mean error is the mean of those program
  means, with a Student's t interval over programs only from
  :data:`MIN_PROGRAMS` programs (fewer cannot carry an interval).
* **Coverage** counts the forecasts that lie inside their actual's 95%
  interval, among those whose actual has one; its share is given only from
  :data:`MIN_INTERVALS` such forecasts of :data:`MIN_PROGRAMS` programs (fewer
  are a count, not a rate).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import fmean, stdev
from typing import Final

from playbook.figures import distributions
from playbook.figures.forecast import ForecastFigures, ForecastState

MIN_PROGRAMS: Final = 5
"""Fewest programs with compared checkpoints for an interval around the mean error."""
MIN_INTERVALS: Final = 10
"""Fewest forecasts with an actual interval for a coverage share (else a count)."""
LEVEL: Final = 0.95
"""Confidence level of the mean error's interval."""


@dataclass(frozen=True)
class CalibrationPoint:
    """One program's forecast and actual at one checkpoint, as shares of the planned change."""

    program_id: str
    """The program whose forecast this is."""
    kpi_id: str
    """The KPI forecast."""
    day: int
    """The checkpoint: 90, 180 or 365 days after the start."""
    forecast: float
    """The forecast change as a share of the KPI's planned change."""
    actual: float
    """The actual change as a share of the KPI's planned change."""
    actual_low: float | None
    """Lower end of the actual share's 95% interval; None without one."""
    actual_high: float | None
    """Upper end of the actual share's 95% interval; None without one."""
    covered: bool | None
    """Whether the actual's interval holds the forecast; None without an interval."""

    @property
    def error(self) -> float:
        """Actual less forecast (positive: better than promised)."""
        return self.actual - self.forecast


@dataclass(frozen=True)
class Calibration:
    """Forecast against actual at every reached checkpoint of every program."""

    points: list[CalibrationPoint] = field(default_factory=list)
    """Every compared checkpoint, program by program."""
    programs: int = 0
    """Programs with at least one compared checkpoint."""
    late: int = 0
    """Checkpoints left out because their forecast was made after the start."""
    mean_error: float | None = None
    """Mean over programs of each program's mean error; None without points."""
    error_low: float | None = None
    """Lower end of the mean error's interval (from :data:`MIN_PROGRAMS` programs)."""
    error_high: float | None = None
    """Upper end of the mean error's interval (from :data:`MIN_PROGRAMS` programs)."""
    with_interval: int = 0
    """Forecasts whose actual has an interval."""
    covered: int = 0
    """Forecasts inside their actual's interval."""
    coverage: float | None = None
    """``covered / with_interval`` from :data:`MIN_INTERVALS` such forecasts of
    :data:`MIN_PROGRAMS` programs; None below."""


def _points(pid: str, f: ForecastFigures) -> list[CalibrationPoint]:
    return [CalibrationPoint(pid, c.kpi_id, c.day, c.forecast_share, c.actual_share,
                             c.actual_share_low, c.actual_share_high, c.covered)
            for c in f.checks
            if c.state is ForecastState.COMPARED and c.actual_share is not None]


def _interval(means: list[float]) -> tuple[float | None, float | None]:
    """Student's t interval of the mean of ``means`` (None below :data:`MIN_PROGRAMS`)."""
    if len(means) < MIN_PROGRAMS:
        return None, None
    centre, se = fmean(means), stdev(means) / math.sqrt(len(means))
    half = distributions.t_quantile(0.5 + LEVEL / 2, len(means) - 1) * se
    return centre - half, centre + half


def calibration(programs: Sequence[tuple[str, ForecastFigures | None]]) -> Calibration:
    """Collect every compared checkpoint of every program and summarise the errors.

    Args:
        programs: Each program's id and forecast figures (None: no forecast).
    """
    points: list[CalibrationPoint] = []
    late = 0
    for pid, f in programs:
        if f is None:
            continue
        found = _points(pid, f)
        if f.late:
            late += len(found)
            continue
        points += found
    by_program: dict[str, list[float]] = {}
    for p in points:
        by_program.setdefault(p.program_id, []).append(p.error)
    means = [fmean(errors) for errors in by_program.values()]
    low, high = _interval(means)
    judged = [p for p in points if p.covered is not None]
    inside = sum(1 for p in judged if p.covered)
    return Calibration(points=points, programs=len(by_program), late=late,
                       mean_error=fmean(means) if means else None, error_low=low,
                       error_high=high, with_interval=len(judged), covered=inside,
                       coverage=(inside / len(judged) if len(judged) >= MIN_INTERVALS
                                 and len(by_program) >= MIN_PROGRAMS else None))
