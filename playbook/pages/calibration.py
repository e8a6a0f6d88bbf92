"""Portfolio page section: forecasts against actuals across programs (calibration).

Words and draws what :func:`playbook.figures.calibration.calibration` computed:
one point per reached checkpoint of every program with a forecast, forecast
against actual on the unit-free scale (shares of each KPI's planned change), the
identity line where a perfect forecast would sit, each actual's 95% interval,
and a summary that gives an interval or a share only when there are enough
programs and forecasts to carry one. The numbers table under the chart is its
accessible equivalent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from playbook.checks.forecasts import MAX_ROI_PCT, MIN_ROI_PCT
from playbook.figures.calibration import (
    LEVEL,
    MIN_INTERVALS,
    MIN_PROGRAMS,
    Calibration,
    CalibrationPoint,
    calibration,
)
from playbook.figures.site import SiteData
from playbook.model.parts import REVIEW_DAYS
from playbook.pages import charts
from playbook.pages.mdtext import (
    Md,
    code,
    fmt,
    heading,
    lines,
    number,
    percent,
    raw_block,
    text,
    words,
)

DAY_COLOURS: Final = ("#1f77b4", "#ff7f0e", "#2ca02c")
"""Marker colour of the day-90, day-180 and day-365 checkpoints (markers differ too)."""
DAY_SYMBOLS: Final = ("circle", "square", "diamond")
"""Marker shape of each checkpoint, so the days differ without colour."""
MAX_BARS: Final = 60
"""Most points drawn with their interval: beyond, the bars would hide the points (a
portfolio of hundreds of programs), and the intervals are in the numbers table."""


def _share(x: float | None) -> str:
    """A share of the planned change for the numbers table (plain text: embed escapes it)."""
    return str(number(x, 2))


def _trace(day: int, index: int, points: Sequence[CalibrationPoint],
           names: dict[tuple[str, str], str], bars: bool) -> dict[str, Any]:
    trace = {
        "type": "scatter", "mode": "markers", "name": f"Day {day}",
        "x": [_r(p.forecast) for p in points], "y": [_r(p.actual) for p in points],
        "text": [names.get((p.program_id, p.kpi_id), p.kpi_id) for p in points],
        "hovertemplate": "%{text}<br>forecast %{x:.2f}, actual %{y:.2f}<extra></extra>",
        "marker": {"color": DAY_COLOURS[index], "symbol": DAY_SYMBOLS[index],
                   "size": 8 if bars else 6, "opacity": 0.8 if bars else 0.5},
    }
    if bars:
        trace["error_y"] = {
            "type": "data", "symmetric": False, "thickness": 1, "width": 0,
            "array": [None if p.actual_high is None else _r(p.actual_high - p.actual)
                      for p in points],
            "arrayminus": [None if p.actual_low is None else _r(p.actual - p.actual_low)
                           for p in points]}
    return trace


def _r(x: float | None) -> float | None:
    """A share to three decimals: the plot cannot show more, and a page of 200 programs'
    points stays small."""
    return None if x is None else round(x, 3)


def _span(values: list[float]) -> list[float]:
    """An axis range holding ``values``, 0 and 1 (no change and the whole plan), padded."""
    low, high = min([0.0, *values]), max([1.0, *values])
    pad = (high - low) * 0.06
    return [low - pad, high + pad]


def _figure(c: Calibration, names: dict[tuple[str, str], str]) -> dict[str, Any]:
    bars = len(c.points) <= MAX_BARS
    x = _span([p.forecast for p in c.points])
    y = _span([v for p in c.points for v in (p.actual, *((p.actual_low, p.actual_high)
                                                          if bars else ())) if v is not None])
    # the identity line spans both axes; each axis keeps its own range, so a wide
    # interval does not squeeze the forecasts into a corner
    low, high = min(x[0], y[0]), max(x[1], y[1])
    # numbers, not charts.line's date strings: the axes are linear
    traces: list[dict[str, Any]] = [{
        "type": "scatter", "mode": "lines", "name": "Forecast = actual",
        "x": [_r(low), _r(high)], "y": [_r(low), _r(high)], "hoverinfo": "skip",
        "line": {"color": "#8c8c8c", "dash": "dash", "width": 1.5}}]
    for i, day in enumerate(REVIEW_DAYS):
        at = [p for p in c.points if p.day == day]
        if at:
            traces.append(_trace(day, i, at, names, bars))
    return {"data": traces, "layout": charts.layout(
        "Forecast against actual, every reached checkpoint", x_type="linear",
        y_title="Actual (share of the planned change)", height=440,
        xaxis={"type": "linear", "automargin": True, "zeroline": True, "range": x,
               "title": {"text": "Forecast (share of the planned change)"}},
        yaxis={"automargin": True, "zeroline": True, "range": y,
               "title": {"text": "Actual (share of the planned change)"}})}


def _summary(c: Calibration) -> Md:
    """What the points say, no more than their number can carry."""
    n = len(c.points)
    where = (f"{n} checkpoint(s) of {c.programs} program(s)")
    if c.mean_error is None:
        return Md("")
    error = fmt("Mean error (actual less forecast, each program weighing once; above 0 is "
                "better than promised): {} of the planned change", number(c.mean_error, 2))
    if c.error_low is not None and c.error_high is not None:
        error = fmt("{}, {} interval {} to {} over programs", error, words(f"{LEVEL:.0%}"),
                    number(c.error_low, 2), number(c.error_high, 2))
    else:
        error = fmt("{}; with fewer than {} programs no interval is given, and the mean is "
                    "an example, not a track record", error, MIN_PROGRAMS)
    inside = fmt("{} of {} forecasts lie inside their actual's 95% interval", c.covered,
                 c.with_interval)
    if not c.with_interval:
        inside = Md("No actual has an interval yet (too few values to estimate its noise)")
    elif c.coverage is not None:
        inside = fmt("{} ({})", inside, percent(c.coverage * 100))
    elif c.with_interval:
        inside = fmt("{} (no share below {} such forecasts from {} programs)", inside,
                     MIN_INTERVALS, MIN_PROGRAMS)
    late = (fmt(" {} checkpoint(s) of forecasts made after their program's start are left "
                "out.", c.late) if c.late else Md(""))
    return fmt("{}. {}. {}.{}\n", text(where), error, inside, late)


def calibration_section(site: SiteData) -> Md:
    """The calibration plot, its summary and its numbers, for the portfolio page."""
    c = calibration([(v.id, v.figures.forecast) for v in site.programs])
    out = [heading(2, "Forecasts against actuals")]
    if not c.points:
        if c.late:
            out.append(fmt("Every forecast that reached a checkpoint ({}) was made after its "
                           "program's start, and is left out.\n", c.late))
        elif any(v.figures.forecast is not None for v in site.programs):
            out.append(Md("No forecast has reached a checkpoint with data yet.\n"))
        else:
            out.append(fmt("No program states a forecast yet: {} in {} records one.\n",
                           code("forecast:"), code("program.yml")))
        return lines(out)
    out.append(Md("Each point is one KPI at one checkpoint: the change its program forecast "
                  "before the start against the change measured, both as shares of the KPI's "
                  "planned change in its better direction (1 is the whole planned "
                  "improvement), with the actual's 95% interval. Points above the dashed line "
                  "did better than forecast.\n"))
    out.append(_summary(c))
    names = {(v.id, k.id): f"{v.bundle.program.title if v.bundle.program else v.id} · {k.name}"
             for v in site.programs for k in (v.bundle.kpis.kpis if v.bundle.kpis else [])}
    rows = [[names.get((p.program_id, p.kpi_id), p.kpi_id), f"Day {p.day}", _share(p.forecast),
             _share(p.actual),
             "—" if p.actual_low is None else f"{_share(p.actual_low)} to {_share(p.actual_high)}",
             "unknown" if p.covered is None else "yes" if p.covered else "no"]
            for p in c.points]
    summary = (f"Forecast against actual at {len(c.points)} reached checkpoint(s) of "
               f"{c.programs} program(s), as shares of each KPI's planned change"
               + ("." if len(c.points) <= MAX_BARS else
                  f"; with more than {MAX_BARS} points the intervals are in the numbers "
                  "table, not drawn."))
    out.append(raw_block(charts.embed(
        "chart-portfolio-calibration", _figure(c, names), summary,
        ["Program · KPI", "Checkpoint", "Forecast", "Actual", "Actual 95% interval",
         "Forecast inside"], rows)))
    return lines(out)


def rules() -> list[list[str]]:
    """Rows of the methodology's rules table for forecasts, from the engine's constants."""
    return [
        ["Forecast against actual", "at each checkpoint, the value known on its day less the "
                                    "declared baseline, with a 95% interval from that value's "
                                    "own noise (not capped); none before the day or without "
                                    "a measurement since the start"],
        ["Forecast findings", "made after the program's start (forecast-late); a change "
                              "taking a KPI outside its unit's plausible range, or a "
                              f"first-year ROI below {MIN_ROI_PCT:g}% or above "
                              f"{MAX_ROI_PCT:,.0f}% (implausible)"],
        ["Calibration", "forecast and actual as shares of the planned change, the better "
                        "way; each program weighs once; a "
                        f"{LEVEL:.0%} interval of the mean error from {MIN_PROGRAMS} programs, "
                        f"a coverage share from {MIN_INTERVALS} forecasts of {MIN_PROGRAMS} "
                        "programs; forecasts made after the start left out"],
    ]
