"""A program's forecast against its checkpoints: what was promised, what happened.

Sits after :mod:`playbook.figures.kpi` (the checkpoints) and
:mod:`playbook.figures.roi` (the first-year case). Rules:

* **Actual change** at a checkpoint (day 90/180/365 from the start) is the
  checkpoint's value, read by the checkpoint rule of :mod:`.trajectory` (the
  latest published point known on that day that could show the program's
  effect), less the KPI's declared baseline. Its 95% interval is that value's
  own noise (:attr:`.trajectory.Checkpoint.spread`: the series' noise, or a
  wave's sampling error), uncapped; the baseline is taken as declared, so its
  own error is not in the interval. A checkpoint after the build day is *not
  reached*; one reached with nothing measured since the start has *no data*.
  Neither shows an actual.
* **Covered** says whether the actual's interval holds the forecast change;
  unknown while the actual has no interval.
* **The unit-free scale** divides both changes by the KPI's planned change
  ``|target − baseline|`` (:func:`.status.planned_change`) and turns them the
  KPI's better way: 1 is the whole planned improvement, 0 no change, below 0 a
  change the wrong way. Forecasts of KPIs in days, points and percent can then
  be read on one plot (:mod:`.calibration`).
* **First-year ROI**: the forecast is compared with the ROI page's first-year
  case (the median of its draws, with its 10th–90th percentile range). Before
  day 365 that case is itself a projection of the run rates measured so far,
  and the comparison says so (``complete`` is False).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from playbook.figures.roi import RoiCaseKind, RoiFigures
from playbook.figures.status import planned_change
from playbook.figures.trajectory import Checkpoint, KpiFigures
from playbook.model.choices import Direction
from playbook.model.forecast import Expected, Forecast
from playbook.model.measure import Kpi

FIRST_YEAR_DAYS = 365
"""Days after which the first-year ROI is complete rather than projected."""


class ForecastState(StrEnum):
    """Where a forecast checkpoint stands on the build day."""

    COMPARED = "compared"
    """The checkpoint has come and a value measured since the start was known on it."""
    NOT_REACHED = "not-reached"
    """The checkpoint's day is after the build day."""
    NO_DATA = "no-data"
    """The checkpoint has come, but nothing measured since the start was known on it."""


@dataclass(frozen=True)
class ForecastCheck:
    """One KPI's forecast change at one checkpoint against the actual change."""

    kpi_id: str
    """The KPI forecast."""
    day: int
    """The checkpoint: 90, 180 or 365 days from the start."""
    date: date
    """The checkpoint's day."""
    state: ForecastState
    """Compared, not reached yet, or reached without data."""
    forecast: float
    """Forecast change from the baseline, in the KPI's unit."""
    forecast_low: float | None
    """Lowest change the forecast expected; None when it gave no range."""
    forecast_high: float | None
    """Highest change the forecast expected."""
    actual: float | None
    """Actual change from the baseline at the checkpoint, in the KPI's unit."""
    actual_low: float | None
    """Lower end of the actual change's 95% interval; None without one."""
    actual_high: float | None
    """Upper end of the actual change's 95% interval."""
    error: float | None
    """Actual less forecast, in the KPI's unit."""
    covered: bool | None
    """Whether the actual's interval holds the forecast; None without an interval."""
    planned: float
    """The KPI's planned change, the unit of the scale below."""
    forecast_share: float
    """Forecast as a share of the planned change, in the KPI's better direction."""
    actual_share: float | None
    """Actual as a share of the planned change, in the KPI's better direction."""
    actual_share_low: float | None
    """Lower end of the actual's interval on the same scale."""
    actual_share_high: float | None
    """Upper end of the actual's interval on the same scale."""
    note: str | None = None
    """Why there is no actual, when the checkpoint has come."""


@dataclass(frozen=True)
class RoiForecastCheck:
    """The forecast first-year ROI against the first-year case as estimated now."""

    forecast_pct: float
    """The first-year ROI forecast, in percent."""
    forecast_low_pct: float | None
    """Lowest first-year ROI the forecast expected; None without a range."""
    forecast_high_pct: float | None
    """Highest first-year ROI the forecast expected."""
    estimate_pct: float | None
    """The first-year case's ROI (median of the draws); None without costs."""
    estimate_low_pct: float | None
    """Its 10th percentile; None without a range."""
    estimate_high_pct: float | None
    """Its 90th percentile."""
    error_pct: float | None
    """Estimate less forecast, in percentage points."""
    covered: bool | None
    """Whether the estimate's range holds the forecast; None without a range."""
    complete: bool
    """Whether the first year is over (else the estimate projects run rates)."""


@dataclass(frozen=True)
class ForecastFigures:
    """A program's forecast, checkpoint by checkpoint, and its first-year ROI."""

    made: date
    """Day the forecast was stated."""
    late: bool
    """Made after the program's start: not a forecast, marked wherever it is shown."""
    checks: list[ForecastCheck]
    """Each forecast KPI at each forecast checkpoint, in the forecast's order."""
    roi: RoiForecastCheck | None
    """The first-year ROI forecast against the estimate; None when none was forecast."""


def _share(kpi: Kpi, change: float) -> float:
    """A change as a share of the KPI's planned change, turned its better way."""
    sign = -1.0 if kpi.direction is Direction.DECREASE else 1.0
    return sign * change / planned_change(kpi)


def _check(kpi: Kpi, expected: Expected, cp: Checkpoint, today: date) -> ForecastCheck:
    actual = low = high = None
    state, note = ForecastState.NOT_REACHED, None
    if cp.date <= today:
        state, note = ForecastState.NO_DATA, cp.note or "no measurement known on the day"
    if cp.date <= today and cp.actual is not None and cp.status is not None:
        state, note = ForecastState.COMPARED, None
        actual = cp.actual - kpi.baseline.value
        if cp.spread is not None:
            low, high = actual - cp.spread, actual + cp.spread
    shares = sorted(_share(kpi, x) for x in (low, high) if x is not None)
    return ForecastCheck(
        kpi_id=kpi.id, day=cp.day, date=cp.date, state=state, forecast=expected.change,
        forecast_low=expected.low, forecast_high=expected.high, actual=actual,
        actual_low=low, actual_high=high,
        error=actual - expected.change if actual is not None else None,
        covered=(low <= expected.change <= high
                 if low is not None and high is not None else None),
        planned=planned_change(kpi), forecast_share=_share(kpi, expected.change),
        actual_share=_share(kpi, actual) if actual is not None else None,
        actual_share_low=shares[0] if shares else None,
        actual_share_high=shares[-1] if shares else None, note=note)


def _roi(forecast: Forecast, roi: RoiFigures | None, day: int) -> RoiForecastCheck | None:
    promised = forecast.roi
    if promised is None:
        return None
    case = None
    if roi is not None:
        case = roi.headline if roi.headline.kind is RoiCaseKind.FIRST_YEAR else roi.sensitivity
    estimate = case.central_pct if case is not None else None
    spread = case.range if case is not None else None
    low, high = (spread.p10, spread.p90) if spread is not None else (None, None)
    return RoiForecastCheck(
        forecast_pct=promised.first_year_pct, forecast_low_pct=promised.low_pct,
        forecast_high_pct=promised.high_pct, estimate_pct=estimate, estimate_low_pct=low,
        estimate_high_pct=high,
        error_pct=estimate - promised.first_year_pct if estimate is not None else None,
        covered=(low <= promised.first_year_pct <= high
                 if low is not None and high is not None else None),
        complete=day >= FIRST_YEAR_DAYS)


def forecast_figures(forecast: Forecast | None, kpis: list[Kpi],
                     figures: dict[str, KpiFigures], roi: RoiFigures | None, *,
                     start: date, today: date) -> ForecastFigures | None:
    """Compare a program's forecast with its checkpoints and first-year ROI.

    Args:
        forecast: The program's forecast (None: nothing to compare).
        kpis: The KPI definitions (a forecast of an unknown KPI is left out).
        figures: Each KPI's figures, with its checkpoints.
        roi: The ROI figures, when the program has a budget.
        start: Day 0 of the program.
        today: The build day.
    """
    if forecast is None:
        return None
    defs = {k.id: k for k in kpis}
    checks = []
    for entry in forecast.kpis:
        kpi, figs = defs.get(entry.kpi), figures.get(entry.kpi)
        if kpi is None or figs is None:
            continue
        points = {cp.day: cp for cp in figs.checkpoints}
        checks += [_check(kpi, expected, points[day], today)
                   for day, expected in entry.by_day().items() if day in points]
    return ForecastFigures(made=forecast.made, late=forecast.made > start, checks=checks,
                           roi=_roi(forecast, roi, (today - start).days))
