"""The pieces of a measure's query: quoting, cell parsing, periods and aggregates.

:mod:`playbook.load.measure_sql` assembles them into one query. Every value the
editor wrote is bound through :meth:`Compiled.bind <playbook.load.measure_sql.Compiled.bind>`
as a parameter; every column name is quoted by :func:`ident`; the only text
written into the query is this module's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from playbook.model.measure import Source
from playbook.model.measures import Aggregate, Dated, Grain, SourceMeasure

CELL: Final = "playbook-cell"
"""First part of the error a cell that cannot be read raises inside the query; the parts
(kind, row, cell) are separated by :data:`SEPARATOR`."""

SEPARATOR: Final = "\x1f"
"""Between the parts of a :data:`CELL` error (a unit separator: no export cell holds one)."""

ISO_DAY: Final = r"\d{4}-\d{2}-\d{2}"
"""A cell that is an ISO day (``regexp_full_match``); a time after it is read in UTC."""

ISO_TIME: Final = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?"
"""An ISO timestamp: with ``Z`` or an offset it is converted to its UTC day."""


@dataclass
class Compiled:
    """A measure's query and its parameters, in the order of ``$1``, ``$2``, …"""

    sql: str = ""
    """The query's text."""
    params: list[str | float] = field(default_factory=list)
    """The values the query binds: filter values, currency symbols, date formats."""

    def bind(self, value: str | float) -> str:
        """The placeholder of ``value``, added to the parameters."""
        self.params.append(value)
        return f"${len(self.params)}"

    def shown(self) -> str:
        """The query with its parameters listed after it, as ``playbook explain`` prints it."""
        lines = [self.sql.rstrip(), ""]
        lines += [f"-- ${i} = {_shown(v)}" for i, v in enumerate(self.params, 1)]
        return "\n".join(lines).rstrip() + "\n"


def _shown(value: str | float) -> str:
    """A parameter as a SQL literal in a comment (no line break can end the comment)."""
    if isinstance(value, float):
        return repr(value)
    return literal(value).replace("\n", "\\n").replace("\r", "\\r")


def literal(text: str) -> str:
    """``text`` as a SQL string literal (for paths the loader located; never a cell value)."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """``name`` as a quoted identifier: a double quote in it is doubled."""
    return '"' + name.replace('"', '""') + '"'


def cell(column: str) -> str:
    """The text of ``column`` in the current row: trimmed, an empty cell as ``''``."""
    return f"trim(coalesce(CAST(cells.{ident(column)} AS VARCHAR), ''))"


def fail(kind: str, text: str, row: str = "CAST(row_number AS VARCHAR)") -> str:
    """An expression that stops the query: the ``row``'s ``kind`` of cell ``text`` is
    unreadable (``kind`` is this module's own word, never the editor's)."""
    return f"error(concat_ws(chr({ord(SEPARATOR)}), '{CELL}', '{kind}', {row}, {text}))"


PERIOD_START: Final = {
    Grain.DAY: "day",
    Grain.WEEK: "CAST(date_trunc('week', day) AS DATE)",
    Grain.MONTH: "CAST(date_trunc('month', day) AS DATE)",
    Grain.QUARTER: "CAST(date_trunc('quarter', day) AS DATE)",
}
"""A row's period, by its first day (ISO weeks start on Monday)."""

PERIOD_END: Final = {
    Grain.DAY: "day",
    Grain.WEEK: "CAST(date_trunc('week', day) AS DATE) + 6",
    Grain.MONTH: "last_day(day)",
    Grain.QUARTER: "CAST(date_trunc('quarter', day) + INTERVAL 3 MONTH AS DATE) - 1",
}
"""A row's period, by its last day (Sunday of an ISO week)."""


class Parts:
    """The pieces of one measure's query, each value the editor wrote bound as a parameter."""

    def __init__(self, source: Source, measure: SourceMeasure, out: Compiled,
                 decimal_comma: bool, grain: Grain) -> None:
        self.source, self.measure, self.out, self.grain = source, measure, out, grain
        self.comma = decimal_comma if source.read.decimal is None else source.read.decimal == ","
        numeric = [m for m in (Aggregate.SUM, Aggregate.MEAN, Aggregate.RATIO)
                   if m is measure.aggregate]
        self.numbers = ["value"] * bool(numeric) + ["over"] * (measure.over is not None) + [
            f"where_{i}" for i, f in enumerate(measure.where) if f.test[0] in COMPARISON]
        """The text columns of ``kept`` read as numbers."""

    def kept(self, skip_rows: int) -> str:
        """The rows the text filters keep, each used cell as trimmed text."""
        source, measure = self.source, self.measure
        texts: list[tuple[str, str | None]] = [("date_text", source.date)]
        if measure.aggregate is not Aggregate.COUNT:
            texts.append(("value_text", source.value))
        texts += [("over_text", measure.over), ("group_text", source.group),
                  ("person", measure.people)]
        texts += [(f"where_{i}_text", f.column) for i, f in enumerate(measure.where)
                  if f.test[0] in COMPARISON]
        conditions = [f"row_number > {skip_rows}"] if skip_rows else []
        for test in measure.where:
            name, value = test.test
            if isinstance(value, list):
                listed = ", ".join(self.out.bind(str(v)) for v in value)
                negated = "NOT " if name == "none_of" else ""
                conditions.append(f"{cell(test.column)} {negated}IN ({listed})")
            elif name == "equals":
                conditions.append(f"{cell(test.column)} = {self.out.bind(str(value))}")
        columns = ["row_number", *(f"{cell(column)} AS {alias}" for alias, column in texts
                                   if column is not None)]
        where = ("\n  WHERE " + "\n    AND ".join(conditions)) if conditions else ""
        return ("kept AS (\n  SELECT " + ",\n         ".join(columns) + "\n  FROM numbered"
                + where + "\n)")

    def cleaned(self) -> str:
        """Number cells without parentheses, currency, spaces or thousands separators
        (``bare``), then with a decimal point and no ``%`` (``cleaned``)."""
        how, bare, clean = self.source.read, ["*"], ["*"]
        for name in self.numbers:
            text = f"regexp_replace({name}_text, '^\\((.*)\\)$', '\\1')"
            for symbol in sorted(how.currency, key=len, reverse=True):
                text = f"replace({text}, {self.out.bind(symbol)}, '')"
            text = f"replace(replace({text}, chr(160), ''), ' ', '')"
            if how.thousands is not None:
                text = f"replace({text}, {self.out.bind(how.thousands)}, '')"
            bare.append(f"{text} AS {name}_bare")
            point = f"{name}_bare"
            if self.comma:  # as the row reader: a comma present, dots group thousands
                point = (f"CASE WHEN contains({point}, ',') THEN replace(replace({point}, "
                         f"'.', ''), ',', '.') ELSE {point} END")
            clean.append(f"regexp_replace({point}, '%$', '') AS {name}_clean")
        return ("bare AS (\n  SELECT " + ",\n         ".join(bare) + "\n  FROM kept\n),\n"
                "cleaned AS (\n  SELECT " + ",\n         ".join(clean) + "\n  FROM bare\n)")

    def number(self, name: str) -> str:
        """The number of text column ``name`` (``NULL`` when declared missing); a cell
        that is not a number stops the query."""
        parsed = f"TRY_CAST({name}_clean AS DOUBLE)"
        missing = ""
        if self.source.read.missing:
            listed = ", ".join(self.out.bind(m.strip()) for m in self.source.read.missing)
            missing = f"WHEN {name}_text IN ({listed}) THEN NULL "
        negative = f"{name}_text LIKE '(%)'"
        return (f"CASE {missing}WHEN NOT coalesce(isfinite({parsed}), false) "
                f"OR ({negative} AND starts_with({name}_clean, '-')) "
                f"THEN {fail(name, name + '_text')} "
                f"WHEN {negative} THEN -{parsed} ELSE {parsed} END")

    def day(self) -> str:
        """The row's date: an ISO day, an ISO timestamp's UTC day, or a declared format."""
        formats = self.source.read.date_format
        listed = [formats] if isinstance(formats, str) else formats or []
        declared = ""
        if listed:
            bound = "[" + ", ".join(self.out.bind(f) for f in listed) + "]"
            declared = (f"WHEN try_strptime(date_text, {bound}) IS NOT NULL "
                        f"THEN CAST(try_strptime(date_text, {bound}) AS DATE)\n"
                        "              ")
        return ("CASE WHEN regexp_full_match(date_text, '" + ISO_DAY + "') "
                "AND TRY_CAST(date_text AS DATE) IS NOT NULL THEN CAST(date_text AS DATE)\n"
                "              WHEN regexp_full_match(date_text, '" + ISO_TIME + "') "
                "AND TRY_CAST(date_text AS TIMESTAMPTZ) IS NOT NULL\n"
                "              THEN CAST(CAST(date_text AS TIMESTAMPTZ) AS DATE)\n"
                f"              {declared}ELSE {fail('date', 'date_text')} END")

    def measured(self, looked_up: bool) -> str:
        """Each kept row's day, numbers and group, after the number filters."""
        measure, columns = self.measure, ["row_number", f"{self.day()} AS day"]
        if measure.aggregate is Aggregate.COUNT_DISTINCT:
            columns.append(self._distinct())
        columns += [f"{self.number(name)} AS {name}" for name in self.numbers
                    if not name.startswith("where")]
        if looked_up:
            columns.append(f"CASE WHEN lookup.key IS NULL THEN {fail('lookup', 'group_text')} "
                           f"WHEN lookup.groups > 1 THEN {fail('lookup-twice', 'group_text')} "
                           "ELSE lookup.grp END AS grp")
        elif self.source.group is not None:
            columns.append("group_text AS grp")
        if measure.people is not None:
            columns.append("nullif(person, '') AS person")
        conditions = [f"({self.number(f'where_{i}')}) {COMPARISON[f.test[0]]} "
                      f"{self.out.bind(float(f.test[1]))}"  # type: ignore[arg-type]
                      for i, f in enumerate(measure.where) if f.test[0] in COMPARISON]
        join = "\n  LEFT JOIN lookup ON lookup.key = group_text" if looked_up else ""
        where = ("\n  WHERE " + "\n    AND ".join(conditions)) if conditions else ""
        return ("measured AS (\n  SELECT " + ",\n         ".join(columns)
                + f"\n  FROM {'cleaned' if self.numbers else 'kept'}" + join + where + "\n)")

    def _distinct(self) -> str:
        """The value cell counted by ``count_distinct`` (an empty or missing cell is not)."""
        missing = self.source.read.missing
        if not missing:
            return "nullif(value_text, '') AS value"
        listed = ", ".join(self.out.bind(m.strip()) for m in missing)
        return (f"CASE WHEN value_text IN ({listed}) THEN NULL ELSE nullif(value_text, '') END "
                "AS value")

    def select(self, grouped: bool) -> str:
        """The final ``SELECT``: one row per period (and group)."""
        measure = self.measure
        dated = (PERIOD_END if measure.dated is Dated.END else PERIOD_START)[self.grain]
        columns = [f"{dated} AS date", f"{AGGREGATES[measure.aggregate]} AS value"]
        if grouped:
            columns.append('grp AS "group"')
        if measure.people is not None:
            columns.append("count(DISTINCT person) AS people")
        having = "" if measure.aggregate in (Aggregate.COUNT, Aggregate.COUNT_DISTINCT) \
            else "\nHAVING count(value) > 0"
        order = 'date, "group"' if grouped else "date"
        return ("SELECT " + ",\n       ".join(columns) + "\nFROM measured\nGROUP BY ALL"
                + having + f"\nORDER BY {order}\n")


COMPARISON: Final = {"above": ">", "at_least": ">=", "below": "<", "at_most": "<="}
"""A number filter's test as SQL."""

_RATIO: Final = ("CASE WHEN sum(over) FILTER (WHERE value IS NOT NULL) = 0 "
                 f"THEN {fail('zero', 'CAST(min(day) AS VARCHAR)', '0')} "
                 "ELSE sum(value) FILTER (WHERE over IS NOT NULL) "
                 "/ sum(over) FILTER (WHERE value IS NOT NULL) END")
"""A ratio pools its period's totals; a period whose denominator totals 0 stops the query."""

AGGREGATES: Final = {
    Aggregate.SUM: "sum(value)",
    Aggregate.MEAN: "avg(value)",
    Aggregate.COUNT: "count(*)",
    Aggregate.COUNT_DISTINCT: "count(DISTINCT value)",
    Aggregate.RATIO: _RATIO,
}
"""Each aggregate over a period's rows (a ratio pools the period's totals)."""
