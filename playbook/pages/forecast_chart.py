"""The forecast on a KPI's chart: the value promised at each checkpoint, with its range.

A KPI chart (:func:`playbook.pages.measure.kpi_chart`) shows the pilot's series,
the baseline and the target trajectory; with a forecast it also shows, at each
checkpoint's day, the value the forecast promised (the baseline plus the
forecast change) with its low–high range, so the series can be read against the
business case as well as against the plan. The same values are rows of the
chart's numbers table.
"""

from __future__ import annotations

from typing import Any, Final

from playbook.figures.site import ProgramView
from playbook.model.measure import Kpi
from playbook.pages.mdtext import number

COLOUR: Final = "#d62728"
"""Colour of the forecast markers (the series, baseline and target have theirs)."""
GROUP: Final = "Forecast"
"""The forecast's name in the legend and in the numbers table's group column."""


def forecast_trace(view: ProgramView, kpi: Kpi) -> tuple[list[dict[str, Any]],
                                                          list[list[str]]]:
    """The forecast's trace for ``kpi``'s chart and its numbers-table rows (none without
    a forecast of the KPI)."""
    f = view.figures.forecast
    checks = [c for c in f.checks if c.kpi_id == kpi.id] if f is not None else []
    if not checks or f is None:
        return [], []
    base = kpi.baseline.value
    values = [base + c.forecast for c in checks]
    trace = {
        "type": "scatter", "mode": "markers",
        "name": f"{GROUP} (made {f.made}{', after the start' if f.late else ''})",
        "x": [str(c.date) for c in checks], "y": values,
        "marker": {"color": COLOUR, "symbol": "x", "size": 10},
        "error_y": {"type": "data", "symmetric": False, "thickness": 1.5, "width": 6,
                    "color": COLOUR,
                    "array": [None if c.forecast_high is None else c.forecast_high - c.forecast
                              for c in checks],
                    "arrayminus": [None if c.forecast_low is None
                                   else c.forecast - c.forecast_low for c in checks]},
    }
    rows = [[str(c.date), f"{GROUP}, day {c.day}", str(number(v, 2)), ""]
            for c, v in zip(checks, values, strict=True)]
    return [trace], rows
