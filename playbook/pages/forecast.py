"""Reviews page section: the forecast made at design time against each checkpoint.

Words what :mod:`playbook.figures.forecast` computed: per KPI and checkpoint the
forecast change and the actual change with its 95% interval, whether the
interval holds the forecast, and the first-year ROI promised against the
first-year case as estimated now. A checkpoint not reached says so; one without
data shows no actual.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from playbook.figures.forecast import ForecastCheck, ForecastState, RoiForecastCheck
from playbook.figures.site import ProgramView
from playbook.model.measure import Kpi
from playbook.pages.mdtext import (
    Md,
    cell,
    chip,
    code,
    fmt,
    heading,
    labels,
    lines,
    number,
    percent,
    table,
    text,
    words,
)
from playbook.pages.measure import PERCENT_UNITS, unit_value

VERDICTS: Final = MappingProxyType({
    "inside": ("on-track", "Forecast inside the actual's interval"),
    "ahead": ("on-track", "Better than forecast"),
    "behind": ("off-track", "Short of the forecast"),
})
"""The chip state and words of each comparison's outcome."""


def _change(kpi: Kpi, value: float) -> str:
    """A signed change with its unit (``+3 days``; a percentage's in points, ``−6.5 pp``)."""
    shown = (f"{number(abs(value))} pp" if kpi.unit.strip().lower() in PERCENT_UNITS
             else unit_value(kpi, abs(value)))
    return f"−{shown}" if value < 0 else f"+{shown}" if value > 0 else shown


def _forecast(kpi: Kpi, c: ForecastCheck) -> Md:
    if c.forecast_low is None or c.forecast_high is None:
        return text(_change(kpi, c.forecast))
    return text(f"{_change(kpi, c.forecast)} ({_change(kpi, c.forecast_low)} to "
                f"{_change(kpi, c.forecast_high)})")


def _actual(kpi: Kpi, c: ForecastCheck) -> Md:
    if c.state is ForecastState.NOT_REACHED:
        return text(f"not reached yet (day {c.day} is {c.date})")
    if c.actual is None:
        return text(c.note or "no data")
    if c.actual_low is None or c.actual_high is None:
        return text(f"{_change(kpi, c.actual)} (no interval: too few values to estimate "
                    "its noise)")
    return text(f"{_change(kpi, c.actual)} ({_change(kpi, c.actual_low)} to "
                f"{_change(kpi, c.actual_high)})")


def _verdict(c: ForecastCheck) -> Md:
    if c.actual_share is None:
        return cell(None)
    if c.covered:
        state, words_ = VERDICTS["inside"]
    else:
        state, words_ = VERDICTS["ahead" if c.actual_share > c.forecast_share else "behind"]
        if c.covered is None:
            words_ += " (noise unknown)"
    return chip(state, words_)


def roi_forecast(r: RoiForecastCheck, case: str = "the ROI page's first-year case") -> Md:
    """The first-year ROI promised against ``case`` (our words: where the case is shown)."""
    promised = (fmt("{} ({} to {})", percent(r.forecast_pct), percent(r.forecast_low_pct),
                    percent(r.forecast_high_pct))
                if r.forecast_low_pct is not None else percent(r.forecast_pct))
    if r.estimate_pct is None:
        return fmt("**First-year ROI.** Forecast {}; no first-year ROI is estimated yet "
                   "(no costs in `budget.yml`).\n", promised)
    ranged = (fmt(" (10th to 90th percentile {} to {})", percent(r.estimate_low_pct),
                  percent(r.estimate_high_pct)) if r.estimate_low_pct is not None else Md(""))
    verdict = ("inside that range" if r.covered else
               "not compared with a range (none is estimated)" if r.covered is None else
               "above that range: the business case promised more" if r.error_pct is not None
               and r.error_pct < 0 else "below that range: the business case promised less")
    when = ("The first year is over." if r.complete else
            "The first year is not over: the estimate projects the run rates measured "
            "so far, and will move.")
    return fmt("**First-year ROI.** Forecast {}; {} now estimates {}{}: the forecast is "
               "{}. {}\n", promised, words(case), percent(r.estimate_pct), ranged,
               text(verdict), text(when))


def forecast_section(view: ProgramView) -> Md:
    """The forecast against the actual at each checkpoint, and the first-year ROI."""
    p, f = view.bundle.program, view.figures.forecast
    assert p is not None
    out = [heading(2, "Forecast against actual")]
    if f is None:
        out.append(fmt("No forecast is stated: add {} to {} before the start to hold the "
                       "business case to account at each checkpoint.\n",
                       code("forecast:"), code("program.yml")))
        return lines(out)
    if f.late:
        out.append(fmt('!!! warning "Made after the start"\n    This forecast is dated {}, '
                       "after the program's start on {}: made with data in, it is not a "
                       "forecast, and the portfolio's calibration leaves it out.\n",
                       f.made, p.start))
    else:
        out.append(fmt("Forecast made on {}, before the start on {}, and signed with the "
                       "definition. Each change is from the KPI's baseline; the actual's "
                       "interval is 95% from its own noise.\n", f.made, p.start))
    kpis = {k.id: k for k in view.bundle.kpis.kpis} if view.bundle.kpis else {}
    rows = [[cell(kpis[c.kpi_id].name), fmt("Day {}", c.day), _forecast(kpis[c.kpi_id], c),
             _actual(kpis[c.kpi_id], c), _verdict(c)]
            for c in f.checks if c.kpi_id in kpis]
    if rows:
        out.append(fmt("{}\n", table(labels("KPI", "Checkpoint", "Forecast change",
                                            "Actual change (95% interval)", "Against the forecast"),
                                     rows, ["l", "l", "r", "r", "l"])))
    if f.roi is not None:
        out.append(roi_forecast(f.roi))
    return lines(out)
