"""Model of ``program.yml``'s ``forecast:``: what the team promised at design time.

A forecast states, before the program starts, the change each KPI is expected to
show by the day-90, day-180 and day-365 reviews (in the KPI's unit, from its
baseline) and the first-year ROI. It is part of the signed definition, so a
changed forecast makes the sign-offs stale, and one made after the start is a
finding (``forecast-late``): a forecast written once the data is in is not a
forecast. The figures compare each checkpoint's actual change with it
(:mod:`playbook.figures.forecast`), and the portfolio page shows how well the
forecasts of every program were calibrated.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from playbook.model.base import Id, IsoDate, StrictModel


class Expected(StrictModel):
    """The change a KPI is expected to show from its baseline by one checkpoint."""

    change: float
    """Expected change from the KPI's baseline, in the KPI's unit, signed (``-5`` for five
    days fewer, ``12`` for twelve points more)."""
    low: float | None = None
    """Lowest change the forecast expects (with ``high``: the range the team would not be
    surprised by); at most ``change``."""
    high: float | None = None
    """Highest change the forecast expects; at least ``change``."""

    @model_validator(mode="after")
    def _range(self) -> Expected:
        if (self.low is None) != (self.high is None):
            raise ValueError("a forecast's range needs both `low` and `high`, or neither")
        if self.low is not None and self.high is not None \
                and not self.low <= self.change <= self.high:
            raise ValueError(f"the range {self.low:g} to {self.high:g} must hold the "
                             f"expected change {self.change:g} (low ≤ change ≤ high)")
        return self


class KpiForecast(StrictModel):
    """One KPI's expected change at the day-90, day-180 and day-365 reviews."""

    kpi: Id
    """Id of the KPI in ``kpis.yml``."""
    day_90: Expected | None = None
    """Expected change by the day-90 review."""
    day_180: Expected | None = None
    """Expected change by the day-180 review."""
    day_365: Expected | None = None
    """Expected change by the day-365 review."""

    @model_validator(mode="after")
    def _some_day(self) -> KpiForecast:
        if self.day_90 is None and self.day_180 is None and self.day_365 is None:
            raise ValueError("a KPI's forecast needs at least one of `day_90`, `day_180` "
                             "and `day_365`")
        return self

    def by_day(self) -> dict[int, Expected]:
        """Checkpoint day → the expected change, for the days forecast."""
        found = {90: self.day_90, 180: self.day_180, 365: self.day_365}
        return {d: e for d, e in found.items() if e is not None}


class RoiForecast(StrictModel):
    """The first-year ROI the business case promised."""

    first_year_pct: float
    """Expected ROI of the first program year, in percent: (benefits − costs) ÷ costs ×
    100 over year 1, as the ROI page's first-year case counts it."""
    low_pct: float | None = None
    """Lowest first-year ROI the business case expects, in percent."""
    high_pct: float | None = None
    """Highest first-year ROI the business case expects, in percent."""

    @model_validator(mode="after")
    def _range(self) -> RoiForecast:
        if (self.low_pct is None) != (self.high_pct is None):
            raise ValueError("an ROI forecast's range needs both `low_pct` and `high_pct`, "
                             "or neither")
        if self.low_pct is not None and self.high_pct is not None \
                and not self.low_pct <= self.first_year_pct <= self.high_pct:
            raise ValueError(f"the range {self.low_pct:g}% to {self.high_pct:g}% must hold "
                             f"the expected ROI {self.first_year_pct:g}%")
        return self


class Forecast(StrictModel):
    """What the program is expected to achieve, stated before it starts (``forecast:``)."""

    made: IsoDate
    """Day the forecast was stated; on or before the program's ``start``, or it is a
    finding (``forecast-late``): a forecast made once data is in is not a forecast."""
    kpis: list[KpiForecast] = Field(default_factory=list)
    """Expected change per KPI at the day-90/180/365 reviews (each KPI once)."""
    roi: RoiForecast | None = None
    """Expected first-year ROI."""
