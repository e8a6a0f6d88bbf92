"""A program's forecast against its own definition: known KPIs, once each, in time.

Runs with the other cross-file checks. The forecast (``forecast:`` in
``program.yml``, :mod:`playbook.model.forecast`) must name KPIs of ``kpis.yml``,
each once (errors: a checkpoint cannot be compared with a KPI that does not
exist). It is a finding when it was made after the program's start (a forecast
written once data is in is not a forecast), when an expected change takes a KPI
outside the plausible range of its unit (:func:`playbook.checks.plausible.value_range`),
and when the first-year ROI is below :data:`MIN_ROI_PCT` (benefits below zero) or
above :data:`MAX_ROI_PCT`.
"""

from __future__ import annotations

from typing import Final

from playbook.checks.plausible import MAX_COMPUTABLE, value_range
from playbook.load.reporter import Reporter
from playbook.model.findings import FindingCode
from playbook.model.forecast import Forecast
from playbook.model.measure import Kpi

MIN_ROI_PCT: Final = -100.0
"""Lowest plausible ROI in percent: below it the benefits would be negative."""
MAX_ROI_PCT: Final = 10_000.0
"""Highest plausible first-year ROI in percent: a hundred times the cost back in a year."""


def _kpis(report: Reporter, forecast: Forecast) -> None:
    plan = report.bundle.kpis
    defs: dict[str, Kpi] = {k.id: k for k in plan.kpis} if plan else {}
    seen: set[str] = set()
    for i, entry in enumerate(forecast.kpis):
        loc = ("forecast", "kpis", i, "kpi")
        if entry.kpi in seen:
            report.add("program", loc, f"the forecast names KPI '{entry.kpi}' twice",
                       "give each KPI's checkpoints in one entry")
        seen.add(entry.kpi)
        kpi = defs.get(entry.kpi)
        if kpi is None:
            report.unknown("program", loc, "KPI", entry.kpi, defs)
            continue
        low, high = value_range(kpi)
        for day, expected in entry.by_day().items():
            for name in ("change", "low", "high"):
                x = getattr(expected, name)
                if x is None or abs(x) > MAX_COMPUTABLE:
                    continue  # too large to compute with: plausible.py's error says so
                reached = kpi.baseline.value + x
                if not low <= reached <= high:
                    report.add("program", ("forecast", "kpis", i, f"day_{day}", name),
                               f"a change of {x:g} {kpi.unit} from the baseline "
                               f"{kpi.baseline.value:g} reaches {reached:g}, outside "
                               f"{low:g} to {high:g} {kpi.unit}",
                               "give the change from the baseline, not the value reached",
                               code=FindingCode.IMPLAUSIBLE)


def _roi(report: Reporter, forecast: Forecast) -> None:
    roi = forecast.roi
    if roi is None:
        return
    for name in ("first_year_pct", "low_pct", "high_pct"):
        x = getattr(roi, name)
        if x is None or abs(x) > MAX_COMPUTABLE:
            continue
        if not MIN_ROI_PCT <= x <= MAX_ROI_PCT:
            why = ("benefits below zero" if x < MIN_ROI_PCT
                   else f"more than {MAX_ROI_PCT / 100:g} times the cost back in a year")
            report.add("program", ("forecast", "roi", name),
                       f"a first-year ROI of {x:g}% means {why}",
                       "give the ROI in percent: (benefits − costs) ÷ costs × 100",
                       code=FindingCode.IMPLAUSIBLE)


def check(report: Reporter) -> None:
    """Report forecast KPIs that do not exist (errors), a late forecast and implausible
    numbers (findings)."""
    program = report.bundle.program
    if program is None or program.forecast is None:
        return
    forecast = program.forecast
    if forecast.made > program.start:
        report.add("program", ("forecast", "made"),
                   f"the forecast was made on {forecast.made}, after the program's start on "
                   f"{program.start}: a forecast made once data is in is not a forecast",
                   "keep the forecast made before the start; record a revised one in a "
                   "review instead", code=FindingCode.FORECAST_LATE)
    _kpis(report, forecast)
    _roi(report, forecast)
