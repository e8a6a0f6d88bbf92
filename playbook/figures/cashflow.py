"""Cash-flow arithmetic of the ROI: NPV, lasting payback, costs incurred to date.

Sits under :mod:`playbook.figures.roi`, which hands it yearly costs and
benefits; it knows nothing of KPIs. Conventions (stated on the methodology page):

* **Program years** are 365-day blocks from the program start, as everywhere
  in the figures; a year's costs and benefits are spread evenly over its
  twelve months.
* **NPV** discounts each year's net cash flow (benefits − costs) at the
  budget's ``npv_timing``: at the end of that year, ``Σ (B_y − C_y) / (1 +
  r)^y``, by default, because that is the usual convention of a business case
  and what a finance reviewer's spreadsheet ``NPV`` does; or mid-year,
  ``Σ (B_y − C_y) / (1 + r)^(y − ½)``, for flows spread through the year as
  the payback assumes. Neither is "more conservative" in general: the timing
  scales every year's net flow by the same ``(1 + r)^½``, so mid-year makes a
  positive NPV larger and a negative one more negative.
* **Payback** is the first month from which the cumulative net cash flow is
  at least zero *and stays so* to the end of the horizon; a month that breaks
  even before later costs push the total below zero again does not count.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from playbook.model.choices import NpvTiming

MONTHS: Final = 12
"""Months a program year is spread over for the payback."""
YEAR_DAYS: Final = 365
"""Days of a program year (year y starts ``365 × (y − 1)`` days after the start)."""
_TOLERANCE: Final = 1e-9
"""Relative slack on break-even, so rounding in a sum of equal amounts is not a loss."""


TIMING_SHIFT: Final = {NpvTiming.END: 0.0, NpvTiming.MID: 0.5}
"""Years before a program year's end at which its net cash flow is discounted."""


def npv(net_by_year: dict[int, float], rate: float,
        timing: NpvTiming = NpvTiming.END) -> float:
    """Return the net present value of yearly net cash flows.

    Args:
        net_by_year: Benefits − costs per program year (1-based).
        rate: Annual discount rate, 0.08 for 8%.
        timing: When in each year its flow falls (end by default, or mid-year).

    Returns:
        ``Σ net_y / (1 + rate)^(y − shift)`` over the years given, with the shift
        of :data:`TIMING_SHIFT`.
    """
    shift = TIMING_SHIFT[timing]
    return sum((net / (1.0 + rate) ** (year - shift)
                for year, net in sorted(net_by_year.items())), 0.0)


def monthly_cumulative(costs_by_year: dict[int, float], benefits_by_year: dict[int, float],
                       years: int) -> list[float]:
    """Return the cumulative net cash flow at the end of each month of ``years`` years."""
    out: list[float] = []
    total = 0.0
    for year in range(1, years + 1):
        step = (benefits_by_year.get(year, 0.0) - costs_by_year.get(year, 0.0)) / MONTHS
        for _ in range(MONTHS):
            total += step
            out.append(total)
    return out


def payback_month(costs_by_year: dict[int, float], benefits_by_year: dict[int, float],
                  years: int) -> int | None:
    """Return the month from which cumulative net cash flow turns and stays non-negative.

    Args:
        costs_by_year: Costs per program year.
        benefits_by_year: Benefits per program year.
        years: Number of years to look through.

    Returns:
        The 1-based month, or None when the cumulative flow is negative at the
        end of the horizon, or there are no costs to pay back.
    """
    costs = sum(costs_by_year.get(y, 0.0) for y in range(1, years + 1))
    if costs <= 0:
        return None
    slack = _TOLERANCE * costs
    found: int | None = None
    for month, total in enumerate(monthly_cumulative(costs_by_year, benefits_by_year,
                                                     years), start=1):
        if total < -slack:
            found = None  # a dip after breaking even: the earlier month does not count
        elif found is None:
            found = month
    return found


def year_fractions(start: date, until: date, years: int) -> dict[int, float]:
    """Return how much of each program year lies between ``start`` and ``until`` (0–1)."""
    out: dict[int, float] = {}
    for year in range(1, years + 1):
        first = start + timedelta(days=YEAR_DAYS * (year - 1))
        done = (min(until, first + timedelta(days=YEAR_DAYS)) - first).days
        out[year] = min(1.0, max(0.0, done / YEAR_DAYS))
    return out


def costs_to_date(costs_by_year: dict[int, float], start: date, until: date,
                  years: int) -> float:
    """Return the costs incurred from ``start`` to ``until``, each year spread evenly."""
    fractions = year_fractions(start, until, years)
    return sum(costs_by_year.get(y, 0.0) * f for y, f in fractions.items())
