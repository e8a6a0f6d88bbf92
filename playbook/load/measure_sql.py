"""A source's ``measure:`` compiled to one DuckDB query, shown by ``playbook explain``.

The query reads the export as text (every cell ``VARCHAR``), numbers its rows,
keeps those the filters keep, parses each cell by the source's ``read:`` rules
(currency, ``(1,234.00)`` negatives, separators, date formats), and adds the
rows up per period and group. Everything the editor wrote reaches DuckDB as a
parameter (``$1``, ``$2``, …) or as a quoted identifier, never as SQL text: a
column named ``x"; DROP …`` is one odd column name, and a filter value is a
value. A cell that cannot be read stops the query with an error naming its row
(:data:`~playbook.load.measure_parts.CELL`), which the loader places at the export's line.
"""

from __future__ import annotations

from dataclasses import dataclass

from playbook.load.measure_parts import Compiled, Parts, cell, literal
from playbook.model.measure import Source
from playbook.model.measures import Grain


@dataclass(frozen=True)
class Export:
    """How the compiled query opens a file (a path the loader has located and allowed)."""

    path: str
    """Path relative to the playbook root."""
    reader: str = "read_csv"
    """``read_csv``, or DuckDB's reader of the file's type (``read_parquet``, ``read_json``)."""
    delimiter: str = ","
    """Cell separator of a CSV."""
    header_row: int = 1
    """Line of a CSV's header."""

    def sql(self) -> str:
        """The table function that reads the file, every cell as text."""
        path = literal(self.path)
        if self.reader != "read_csv":
            return f"{self.reader}({path})"
        return (f"read_csv({path}, all_varchar = true, header = true, "
                f"delim = {literal(self.delimiter)}, skip = {self.header_row - 1})")


def compile_measure(source: Source, export: Export, lookup: Export | None,
                    decimal_comma: bool, grain: Grain, skip_rows: int = 0) -> Compiled:
    """The query that computes ``source``'s measure over ``export``.

    Steps, each a named part of the query: ``numbered`` (the export's rows, blank
    ones left out, numbered as the row reader numbers them), ``lookup`` (one row per
    key), ``kept`` (the rows the text filters keep, their cells as trimmed text),
    ``bare`` and ``cleaned`` (number cells without currency, spaces, separators or
    parentheses; none for a count) and ``measured`` (each row's day, numbers and
    group, after the number filters), then one row per period and group.

    Args:
        source: A source with a ``measure``.
        export: The located export file.
        lookup: The located lookup file, when the measure has one.
        decimal_comma: Whether numbers use a decimal comma (``read.decimal``, or a
            ``;``-separated file).
        grain: The period added up (the measure's, else its KPI's cadence).
        skip_rows: Rows right under the header that are not read.
    """
    assert source.measure is not None
    out = Compiled()
    parts = Parts(source, source.measure, out, decimal_comma, grain)
    # a row of empty cells is a blank line, as the row reader skips it: the numbers stay
    # those of the reader's rows, whose lines place an unreadable cell
    blank = "\n  WHERE trim(concat(*COLUMNS(*))) <> ''" if export.reader == "read_csv" else ""
    ctes = [f"numbered AS (\n  SELECT row_number() OVER () AS row_number, cells\n"
            f"  FROM {export.sql()} AS cells{blank}\n)"]
    if lookup is not None:
        ctes.append(_lookup(lookup, source))
    ctes.append(parts.kept(skip_rows))
    if parts.numbers:  # a count reads no number
        ctes.append(parts.cleaned())
    ctes.append(parts.measured(lookup is not None))
    out.sql = "WITH " + ",\n".join(ctes) + "\n" + parts.select(source.group is not None)
    return out


def _lookup(lookup: Export, source: Source) -> str:
    """The lookup as one row per key: its group, and how many groups the key was given."""
    measure = source.measure
    assert measure is not None and measure.lookup is not None and source.group is not None
    key = cell(measure.lookup.key or source.group)
    group = cell(measure.lookup.group)
    return (f"lookup AS (\n  SELECT {key} AS key, min({group}) AS grp, "
            f"count(DISTINCT {group}) AS groups\n  FROM {lookup.sql()} AS cells\n"
            "  GROUP BY ALL\n)")


