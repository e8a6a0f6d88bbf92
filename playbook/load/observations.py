"""KPI sources and AI outcome files → observations the figures are made of.

Reads each CSV through the column mapping in ``kpis.yml``/``ai.yml``. A missing
column is reported at the mapping in YAML and lists the columns the file has;
a bad cell is reported at its CSV line and column. Rows are never dropped
silently: a duplicate is left out with an error (:mod:`playbook.load.integrity`).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from datetime import date as _Day  # the parameter named date hides the type
from typing import Final

from playbook.load import integrity, reading
from playbook.load.csv_table import Table, date_hint, identifier_columns
from playbook.load.identifiers import is_direct, is_person_id
from playbook.load.validate import no_such_day
from playbook.load.yaml_source import Path_, YamlDocument, format_loc
from playbook.model.measure import Reading, Source
from playbook.model.problems import Problem

GROUPS = ("pilot", "comparison")
WAVES = ("pre", "post")


# slots: a build holds every row at once, so no dict per row. The generated __init__ of a
# frozen class sets each field through object.__setattr__ (0.9 µs an observation, 2 s of
# a build at 2 million rows); the one below sets the slots directly (0.4 µs), and
# assigning to a field afterwards still raises FrozenInstanceError.
@dataclass(frozen=True, slots=True, init=False)
class Observation:
    """One measured value of a KPI."""

    date: date
    value: float
    group: str | None = None
    subject: str | None = None
    wave: str | None = None
    line: int = field(default=0, compare=False)
    """The line of the data file it was read from (0: not read from a file)."""
    people: int | None = None
    """How many people an aggregate value stands for (a source's ``count`` column)."""

    def __init__(self, date: _Day, value: float, group: str | None = None,
                 subject: str | None = None, wave: str | None = None, line: int = 0,
                 people: int | None = None) -> None:
        _set_date(self, date)
        _set_value(self, value)
        _set_group(self, group)
        _set_subject(self, subject)
        _set_wave(self, wave)
        _set_line(self, line)
        _set_people(self, people)


_set_date, _set_value, _set_group, _set_subject, _set_wave, _set_line, _set_people = (
    vars(Observation)[name].__set__ for name in
    ("date", "value", "group", "subject", "wave", "line", "people"))


@dataclass(frozen=True)
class Outcome:
    """One AI-tool outcome: a person's group and whether they were selected."""

    group: str | None
    selected: bool


def columns(table: Table, mapping: dict[str, str | None], yaml: YamlDocument, loc: Path_,
             problems: list[Problem]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for key, column in mapping.items():
        if column is None:
            continue
        index = table.column(column)
        if index < 0:
            line, col = yaml.where((*loc, key))
            close = difflib.get_close_matches(column, table.header, n=1, cutoff=0.6)
            problems.append(Problem(
                yaml.path, line, col, format_loc((*loc, key)),
                f"column '{column}' is not in {table.path}; its columns are: "
                + ", ".join(table.header), f"did you mean '{close[0]}'?" if close else ""))
        else:
            found[key] = index
    return found if len(found) == sum(v is not None for v in mapping.values()) else None


def check_identifiers(table: Table, loc: Path_) -> list[Problem]:
    """Reject columns that look like direct identifiers (name, email, phone)."""
    problems = []
    for name in identifier_columns(table):
        problems.append(Problem(
            table.path, 1, table.header.index(name) + 1, format_loc(loc),
            f"column '{name}' looks like a direct identifier",
            "remove it; use a pseudonymous id column named in 'subject'"))
    return problems


def read_series(table: Table, source: Source, yaml: YamlDocument,
                loc: Path_) -> tuple[list[Observation], list[Problem]]:
    """Read a KPI's observations from ``table`` through ``source``'s columns."""
    problems = check_identifiers(table, loc)
    mapping = {"date": source.date, "value": source.value, "group": source.group,
               "subject": source.subject, "wave": source.wave, "count": source.count}
    cols = columns(table, mapping, yaml, loc, problems)
    if cols is None:
        return [], problems
    field = format_loc(loc)
    unnamed = _unnamed_subject(table, source, yaml, loc) if source.subject is None else []
    problems.extend(unnamed)
    kept = _row_filter(table, source.read, yaml, loc, problems)
    if kept is None:
        return [], problems
    rows = _Rows(table, source, cols, mapping, field)
    out = rows.read(kept)
    for key, found in rows.failed.items():
        problems.append(_summary(found, mapping[key] or key))
    if unnamed:  # rows per person, not duplicates: naming the subject is the one fix
        return out, problems
    out, found = integrity.check(out, table.path, field, cols)
    return out, problems + found


def _row_filter(table: Table, how: Reading, yaml: YamlDocument, loc: Path_,
                problems: list[Problem]) -> list[tuple[int, frozenset[str]]] | None:
    """The ``where`` filter as (column index, kept values); ``None`` when a column is absent."""
    kept = []
    for column, values in how.where.items():
        index = table.column(column)
        if index < 0:
            line, col = yaml.where((*loc, "read", "where", column), key=True)
            close = difflib.get_close_matches(column, table.header, n=1, cutoff=0.6)
            problems.append(Problem(
                yaml.path, line, col, format_loc((*loc, "read", "where")),
                f"column '{column}' is not in {table.path}; its columns are: "
                + ", ".join(table.header), f"did you mean '{close[0]}'?" if close else ""))
            return None
        kept.append((index, frozenset(v.strip() for v in values)))
    return kept


class _Rows:
    """Reads a table's rows into observations, collecting failed cells by column.

    An export repeats its dates, labels and often its values: each distinct
    cell text is read once (a million rows hold a few hundred dates).
    """

    def __init__(self, table: Table, source: Source, cols: dict[str, int],
                 mapping: dict[str, str | None], field: str) -> None:
        self.table, self.source, self.cols, self.field = table, source, cols, field
        self.failed: dict[str, list[Problem]] = defaultdict(list)  # summarised per column
        self.values: dict[str, float | object | None] = {}
        self.days: dict[str, date | None] = {}
        self.line, self.bad = 0, False
        self.labels = _Labels(cols, mapping, source.read)

    def fail(self, key: str, message: str, hint: str = "") -> None:
        """Record a bad cell of the current row in column ``key``."""
        self.bad = True
        self.failed[key].append(Problem(self.table.path, self.line, self.cols[key] + 1,
                                        f"{self.field}.{key}", message, hint))

    def read(self, kept: list[tuple[int, frozenset[str]]]) -> list[Observation]:
        """The observations of every row the ``where`` filter keeps."""
        how, source, table, out = self.source.read, self.source, self.table, []
        value_col, date_col = self.cols["value"], self.cols["date"]
        values, days = self.values, self.days
        for line, cells in table.rows[how.skip_rows:]:
            if kept and any(cells[i] not in allowed for i, allowed in kept):
                continue  # filtered out: another KPI's rows (another account, another verb)
            self.line, self.bad = line, False
            raw_value = cells[value_col]
            if raw_value not in values:
                values[raw_value] = reading.value(raw_value, how, table.decimal_comma)
            value = values[raw_value]
            if value is reading.MISSING:
                continue  # declared "not measured": not an observation
            raw_date = cells[date_col]
            if raw_date not in days:
                days[raw_date] = reading.day(raw_date, how)
            day = days[raw_date]
            if day is None:
                self.fail("date", f"'{raw_date}' in column '{source.date}' is not a date "
                          "YYYY-MM-DD" if raw_date else f"empty date in column '{source.date}'",
                          _date_fix(raw_date, how) if raw_date else
                          "fill it in or delete the row")
            if not isinstance(value, float):
                self.fail("value", f"'{raw_value}' in column '{source.value}' is not a number"
                          if raw_value else f"empty value in column '{source.value}'",
                          _value_fix(raw_value) if raw_value else
                          "fill it in, delete the row, or declare it: read: {missing: [\"\"]}")
                value = None
            extra = self.labels.read(cells, self.fail)
            if not self.bad and day is not None and value is not None:
                people = extra.get("count")
                out.append(Observation(day, value, extra.get("group"), extra.get("subject"),
                                       extra.get("wave"), line,
                                       int(people) if people is not None else None))
        return out


_NO_LABELS: dict[str, str | None] = {}
"""The labels of a row of a source with no label columns (never written to)."""


class _Labels:
    """A row's group, wave, count and subject, translated and checked.

    A group or wave cell is translated once per distinct text; a bad one is
    reported on every row that holds it.
    """

    def __init__(self, cols: dict[str, int], mapping: dict[str, str | None],
                 how: Reading) -> None:
        # no reference back to the rows' reader: a cycle would keep the whole table
        # alive until a full garbage collection (600 MB at 2 million rows)
        self.cols, self.mapping, self.how = cols, mapping, how
        self.keyed: list[tuple[str, int, tuple[str, ...], dict[str, str]]] = [
            (key, cols[key], allowed, {}) for key, allowed in
            (("group", GROUPS), ("wave", WAVES)) if key in cols]
        self.none = not self.keyed and "count" not in cols and "subject" not in cols

    def read(self, cells: list[str], fail: Callable[..., None]) -> dict[str, str | None]:
        """The labels of one row; ``fail`` is told about each bad cell."""
        if self.none:
            return _NO_LABELS
        extra: dict[str, str | None] = {}
        cols, mapping = self.cols, self.mapping
        for key, index, allowed, seen in self.keyed:
            raw = cells[index]
            cell = seen.get(raw)
            if cell is None:
                cell = seen[raw] = reading.label(key, raw, self.how)
            if cell not in allowed:
                fail(key, f"'{raw}' in column '{mapping[key]}' is not one of "
                     + ", ".join(allowed), _label_fix(key, raw, allowed))
            extra[key] = cell
        if "count" in cols:
            raw = cells[cols["count"]]
            if not raw.isdigit():
                fail("count", f"'{raw}' in column '{mapping['count']}' is not a whole "
                     "number of people",
                     "the count column holds how many people each value stands for")
            extra["count"] = raw if raw.isdigit() else None
        if "subject" in cols:
            subject = cells[cols["subject"]]
            if not subject:
                fail("subject", f"empty subject id in column '{mapping['subject']}'")
            extra["subject"] = subject
        return extra


def _label_fix(key: str, raw: str, allowed: Sequence[str]) -> str:
    """How to read an unknown label: a mapping to the label it is spelled like, only when
    it is spelled almost like one; otherwise the choice is the editor's, never guessed."""
    close = difflib.get_close_matches(raw.strip().lower(), allowed, n=1, cutoff=0.75)
    if close:
        return f"translate it: read: {{values: {{{key}: {{'{raw}': {close[0]}}}}}}}"
    return (f"translate it to the {key} it stands for, one of " + ", ".join(allowed)
            + f": read: {{values: {{{key}: {{'{raw}': …}}}}}}")


def _summary(found: list[Problem], column: str) -> Problem:
    """One problem per column: a file of 336 bad dates needs one fix, not 336 lines."""
    first = found[0]
    if len(found) == 1:
        return first
    shown = integrity.lines_shown([p.line for p in found])
    return replace(first, message=f"{len(found)} values in column '{column}' cannot be read "
                   f"(lines {shown}); the first: {first.message}")


_DASHED_DAY: Final = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
"""A year, month and day between dashes (``fullmatch``), the month or day maybe one digit."""


def _date_fix(cell: str, how: Reading) -> str:
    """How to read a date the source's formats do not."""
    if how.date_format:
        return "check the source's read.date_format against this cell"
    if _DASHED_DAY.fullmatch(cell.strip()):
        return no_such_day(cell.strip()) or "no such day: check the day and the month"
    hint = date_hint(cell)
    if hint.startswith("write"):
        return hint
    example = "%d/%m/%Y" if "/" in cell else "%d.%m.%Y" if "." in cell else "%b-%y"
    return f"{hint}, or declare the format: read: {{date_format: '{example}'}}"


_DECIMAL_COMMA: Final = re.compile(r"(?<![\d.])[-+]?\d++(?:\.\d{3})*+,\d++")
"""A number written with a decimal comma (``3,79``, ``1.234,56``), ``fullmatch``. Linear
even searched: no start inside a run of digits, and no run given back (possessive)."""


def _value_fix(cell: str) -> str:
    """How to read a value that is not a plain number."""
    if reading.looks_like_thousands(cell):
        return "declare the separator: read: {thousands: ','}"
    if _DECIMAL_COMMA.fullmatch(cell.strip()):
        also = ", thousands: '.'" if "." in cell else ""
        return f"the file writes decimals with a comma: declare it: read: {{decimal: ','{also}}}"
    if any(c in cell for c in "€$£¥") or cell.strip().startswith("("):
        return "declare the symbol: read: {currency: ['€']} (parentheses read as negative)"
    quoted = "'" + cell.replace("'", "''") + "'"  # YAML's single-quoted form, any cell
    return f"declare it as missing if it means 'not measured': read: {{missing: [{quoted}]}}"


def _unnamed_subject(table: Table, source: Source, yaml: YamlDocument,
                     loc: Path_) -> list[Problem]:
    """A column of person ids that the source does not name as its ``subject``."""
    ids = [h for h in table.header if is_person_id(h) and not is_direct(h)]
    if not ids:
        return []
    line, col = yaml.where(loc)
    return [Problem(yaml.path, line, col, format_loc(loc),
                    f"{table.path} has a column of person ids ('{ids[0]}') but the source "
                    "names no 'subject': single people's values would be published",
                    f"add 'subject: {ids[0]}' so groups smaller than the privacy minimum "
                    "are suppressed")]
