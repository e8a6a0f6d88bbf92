"""Model of a source's ``measure:``: an export's rows aggregated without SQL.

A measure says what analytics tools declare (dbt's semantic layer, Cube): which
rows count (``where``), how they add up (``aggregate``), per which period
(``grain``, dated by ``dated``) and per which group (a column, or a ``lookup``
file). The loader compiles it to one DuckDB query (:mod:`playbook.load.measure_sql`)
that ``playbook explain`` prints; ``query:`` stays the escape hatch.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Final

from pydantic import Field, model_validator

from playbook.model.base import Choice, StrictModel, Text
from playbook.model.choices import Cadence


class Aggregate(StrEnum):
    """How a period's rows become one value."""

    SUM = "sum"
    """The total of the ``value`` column."""
    MEAN = "mean"
    """The mean of the ``value`` column."""
    COUNT = "count"
    """The number of rows (the ``value`` column is not read)."""
    COUNT_DISTINCT = "count_distinct"
    """The number of distinct non-empty cells of the ``value`` column (learners, sessions)."""
    RATIO = "ratio"
    """The total of the ``value`` column over the total of the ``over`` column, pooled per
    period and group (not a mean of the rows' ratios)."""


class Grain(StrEnum):
    """The period a measure adds up."""

    DAY = "day"
    """One calendar day."""
    WEEK = "week"
    """An ISO week, Monday to Sunday."""
    MONTH = "month"
    """A calendar month."""
    QUARTER = "quarter"
    """A calendar quarter (January–March, …)."""


CADENCE_GRAINS: Final = MappingProxyType({Cadence.WEEKLY: Grain.WEEK,
                                          Cadence.MONTHLY: Grain.MONTH,
                                          Cadence.QUARTERLY: Grain.QUARTER})
"""A measure's grain when it declares none: its KPI's cadence period."""


class Dated(StrEnum):
    """Which day of its period a period's value is dated."""

    END = "end"
    """The period's last day: a month's total is known when the month is over."""
    START = "start"
    """The period's first day, as ``date_trunc`` gives it."""


class Filter(StrictModel):
    """One condition a row must meet to count: a column and exactly one test.

    Text tests (``equals``, ``one_of``, ``none_of``) compare the cell as written, without
    spaces around it; number tests (``above``, ``at_least``, ``below``, ``at_most``) read
    the cell by the source's ``read:`` rules (currency, accounting negatives, separators).
    """

    column: Text
    """The export's column tested."""
    equals: Text | int | None = None
    """Keep rows whose cell is this text (``equals: Approved``)."""
    one_of: list[Text | int] | None = Field(default=None, min_length=1)
    """Keep rows whose cell is one of these (``one_of: ["6100", "6110"]``)."""
    none_of: list[Text | int] | None = Field(default=None, min_length=1)
    """Keep rows whose cell is none of these (``none_of: [Self]``)."""
    above: float | None = None
    """Keep rows whose number is greater than this."""
    at_least: float | None = None
    """Keep rows whose number is this or greater."""
    below: float | None = None
    """Keep rows whose number is less than this."""
    at_most: float | None = None
    """Keep rows whose number is this or less."""

    @model_validator(mode="after")
    def _one_test(self) -> Filter:
        given = [k for k in TESTS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a filter needs exactly one of " + ", ".join(f"`{k}`" for k in TESTS)
                             + (f", got {' and '.join(given)}" if given else ""))
        return self

    @property
    def test(self) -> tuple[str, object]:
        """The filter's one test: its name and its value."""
        name = next(k for k in TESTS if getattr(self, k) is not None)
        return name, getattr(self, name)


TESTS = ("equals", "one_of", "none_of", "above", "at_least", "below", "at_most")
"""A filter's tests, in the order an error lists them."""


class Lookup(StrictModel):
    """A file that gives each row's group from one of its cells (unit → arm)."""

    file: Text
    """Path of the lookup CSV, relative to the playbook root, in the program's data folder
    (``data/<id>/unit-arms.csv``; a regular file, not a link, no name starting with a dot)."""
    key: Text | None = None
    """Column of the lookup holding the export's cell (default: the source's ``group``
    column name). Each key is listed once; a key listed twice with two groups is an error."""
    group: Text = "group"
    """Column of the lookup holding the group (``pilot``/``comparison``, or labels that
    ``read.values.group`` translates). A row whose cell is not in the lookup is an error."""


class SourceMeasure(StrictModel):
    """How an export's rows add up to the KPI's values, without SQL (``measure:``).

    The source's ``date``, ``value`` and ``group`` name the export's columns; ``read:``
    parses each cell (currency, ``(1,234.00)`` negatives, decimal commas, date formats)
    before the rows are filtered and added up.
    """

    aggregate: Choice[Aggregate]
    """``sum``, ``mean``, ``count``, ``count_distinct`` or ``ratio``."""
    grain: Choice[Grain] | None = None
    """The period added up: ``day``, ``week`` (ISO, Monday to Sunday), ``month`` or
    ``quarter`` (default: the KPI's cadence, so each point is one period's total); dates
    are read in UTC (a ``Z`` timestamp at 23:30 on Sunday is Sunday). A KPI's point is the
    mean of the values dated in its cadence period: a finer grain averages its totals."""
    dated: Choice[Dated] = Dated.END
    """Which day a period's value is dated: its last day (``end``, the default: a month's
    total is known when the month is over) or its first (``start``)."""
    over: Text | None = None
    """For ``ratio``: the column whose total divides the ``value`` column's total (the
    headcount under the leavers, the suggestions under the accepted ones)."""
    where: list[Filter] = Field(default_factory=list)
    """Conditions every counted row meets (all of them): ``[{column: Account, one_of:
    ["6100"]}, {column: Amount, above: 0}]``. The values are passed to DuckDB as
    parameters, never written into the query's text."""
    lookup: Lookup | None = None
    """A file giving each row's group from its ``group`` cell (unit → arm)."""
    people: Text | None = None
    """Column with a pseudonymous person id: each value keeps how many distinct people it
    stands for, and a period under ``privacy.min_group_size`` people is not published.
    Needed when the export holds one row per person."""

    def period(self, cadence: Cadence) -> Grain:
        """The grain added up: the declared one, else the KPI's ``cadence``."""
        return self.grain or CADENCE_GRAINS[cadence]

    @model_validator(mode="after")
    def _ratio_has_over(self) -> SourceMeasure:
        if (self.aggregate is Aggregate.RATIO) != (self.over is not None):
            raise ValueError("`over` names the denominator of a `ratio`, and only of one"
                             if self.over is not None else
                             "a `ratio` divides the value column's total by another's: "
                             "name it in `over`")
        return self
