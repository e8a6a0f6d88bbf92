"""Data contracts: what a source's data may look like, declared (``expect:``) and learned.

A program's exports change under it: finance moves to five-digit account codes,
a line is exported twice, a nightly job writes only the header. A contract
catches such a change before it moves a figure. It has two parts:

- *declared* expectations on a source (``expect:`` in ``kpis.yml``, after dbt's
  source tests ``accepted_values``, ``not_null`` and ``unique``);
- a *learned* lock, ``data/<id>/contracts.lock.yml``, that ``playbook lock`` writes
  from the data as it is and that is committed and reviewed like code.

The rules that turn a difference from the lock into a finding are constants
here, so the format reference quotes the numbers the checks use.
"""

from __future__ import annotations

from typing import Final

from pydantic import Field, model_validator

from playbook.model.base import StrictModel, Text

LOCK_FILE: Final = "contracts.lock.yml"
"""The lock's name in a program's data folder (``data/<id>/contracts.lock.yml``)."""

MIN_HISTORY: Final = 4
"""Fewest accepted periods before a period's rows or value is judged against them."""

SPREAD: Final = 4.0
"""How many scaled median absolute deviations from the usual count as unusual."""

MIN_ROWS_BAND: Final = 0.25
"""A period's rows are unusual only when they differ from the median by this share too."""

MIN_NOISE: Final = 0.01
"""A series' noise is taken as at least this share of its median level (a flat series)."""

MAX_VALUES: Final = 200
"""Most distinct values a filtered, grouped or mapped column may have to be locked; a
column with more holds ids or amounts, not categories, and its values are not kept."""

MAD_SCALE: Final = 1.4826
"""Scales a median absolute deviation to a standard deviation of normal data."""


class RowsPerPeriod(StrictModel):
    """How many input rows each period of the KPI's cadence must have."""

    min: int | None = Field(default=None, ge=0)
    """Fewest rows a period may have (a period below it is a finding)."""
    max: int | None = Field(default=None, ge=0)
    """Most rows a period may have (a period above it is a finding)."""

    @model_validator(mode="after")
    def _ordered(self) -> RowsPerPeriod:
        if self.min is None and self.max is None:
            raise ValueError("give `min`, `max` or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"`min` ({self.min}) is above `max` ({self.max})")
        return self


class Expectations(StrictModel):
    """What a source's input files must hold, declared by the editor (``expect:``).

    Each expectation is checked on every input file of the source that has the
    column (the file itself, or each file a query reads); a row that breaks it is
    a finding at its line. They hold on top of the learned lock.
    """

    accepted_values: dict[Text, list[Text | int]] = Field(default_factory=dict)
    """Column → the only values it may hold (``{Account: ["6100", "6110"]}``); any other
    value is a finding at its first line."""
    rows_per_period: RowsPerPeriod | None = None
    """Rows each period of the KPI's cadence must have, counted in the input by its date
    column (``{min: 20}``)."""
    not_null: list[Text] = Field(default_factory=list)
    """Columns that may have no empty cell."""
    unique: list[Text] = Field(default_factory=list)
    """Columns whose every value must differ from the others (an id per row)."""


class InputContract(StrictModel):
    """What one input file looked like when the lock was written."""

    columns: list[str]
    """The file's columns, in the file's order."""
    rows: int = Field(ge=0)
    """Data rows (the header not counted)."""
    duplicate_lines: int = Field(default=0, ge=0)
    """Rows that repeat an earlier row exactly."""
    rows_per_period: dict[str, int] = Field(default_factory=dict)
    """Period (``2026-03``, ``2026-Q1``, a week's Monday) → rows dated in it."""
    values: dict[str, list[str]] = Field(default_factory=dict)
    """Each column a source filters, groups or maps → every value it held, sorted."""


class ContractLock(StrictModel):
    """``data/<id>/contracts.lock.yml``: the data a reviewer accepted, written by
    ``playbook lock``; a new export is checked against it."""

    inputs: dict[str, InputContract] = Field(default_factory=dict)
    """Input file (path from the playbook root) → what it looked like."""
    series: dict[str, dict[str, dict[str, float]]] = Field(default_factory=dict)
    """KPI id → group (``all`` without one) → date → the value of that date (mean of its
    rows); aggregate sources only, never person-level ones."""
