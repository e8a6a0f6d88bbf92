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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from playbook.load import integrity, reading
from playbook.load.csv_table import Table, date_hint, identifier_columns
from playbook.load.identifiers import is_direct, is_person_id
from playbook.load.validate import no_such_day
from playbook.load.yaml_source import Path_, format_loc
from playbook.load.yaml_source import Source as YamlSource
from playbook.model.measure import Reading, Source
from playbook.model.problems import Problem

GROUPS = ("pilot", "comparison")
WAVES = ("pre", "post")


@dataclass(frozen=True, slots=True)  # a build holds every row at once: no dict per row
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


@dataclass(frozen=True)
class Outcome:
    """One AI-tool outcome: a person's group and whether they were selected."""

    group: str | None
    selected: bool


def columns(table: Table, mapping: dict[str, str | None], yaml: YamlSource, loc: Path_,
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


def read_series(table: Table, source: Source, yaml: YamlSource,
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
    out: list[Observation] = []
    how = source.read
    failed: dict[str, list[Problem]] = defaultdict(list)  # by column key, summarised below
    kept = _row_filter(table, how, yaml, loc, problems)
    if kept is None:
        return [], problems
    for line, cells in table.rows[how.skip_rows:]:
        if any(cells[i] not in values for i, values in kept):
            continue  # filtered out: another KPI's rows (another account, another verb)
        bad = False

        def fail(key: str, message: str, hint: str = "", *, _line: int = line) -> None:
            nonlocal bad
            bad = True
            failed[key].append(Problem(table.path, _line, cols[key] + 1, f"{field}.{key}",
                                       message, hint))

        raw_value = cells[cols["value"]]
        value = reading.value(raw_value, how, table.decimal_comma)
        if value is reading.MISSING:
            continue  # declared "not measured": not an observation
        raw_date = cells[cols["date"]]
        day = reading.day(raw_date, how)
        if day is None:
            fail("date", f"'{raw_date}' in column '{source.date}' is not a date YYYY-MM-DD"
                 if raw_date else f"empty date in column '{source.date}'",
                 _date_fix(raw_date, how) if raw_date else "fill it in or delete the row")
        if not isinstance(value, float):
            fail("value", f"'{raw_value}' in column '{source.value}' is not a number"
                 if raw_value else f"empty value in column '{source.value}'",
                 _value_fix(raw_value) if raw_value else
                 "fill it in, delete the row, or declare it: read: {missing: [\"\"]}")
            value = None
        extra = _labels(cells, cols, mapping, how, fail)
        if not bad and day is not None and value is not None:
            people = extra.get("count")
            out.append(Observation(day, value, extra.get("group"), extra.get("subject"),
                                   extra.get("wave"), line,
                                   int(people) if people is not None else None))
    for key in failed:
        problems.append(_summary(failed[key], mapping[key] or key))
    if unnamed:  # rows per person, not duplicates: naming the subject is the one fix
        return out, problems
    out, found = integrity.check(out, table.path, field, cols)
    return out, problems + found


def _row_filter(table: Table, how: Reading, yaml: YamlSource, loc: Path_,
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


def _labels(cells: list[str], cols: dict[str, int], mapping: dict[str, str | None],
            how: Reading, fail: Callable[..., None]) -> dict[str, str | None]:
    """The row's group, wave and subject, translated and checked."""
    extra: dict[str, str | None] = {}
    for key, allowed in (("group", GROUPS), ("wave", WAVES)):
        if key in cols:
            cell = reading.label(key, cells[cols[key]], how)
            if cell not in allowed:
                fail(key, f"'{cells[cols[key]]}' in column '{mapping[key]}' is not one of "
                     + ", ".join(allowed),
                     f"translate it: read: {{values: {{{key}: {{'{cells[cols[key]]}': "
                     f"{allowed[-1]}}}}}}}")
            extra[key] = cell
    if "count" in cols:
        raw = cells[cols["count"]]
        if not raw.isdigit():
            fail("count", f"'{raw}' in column '{mapping['count']}' is not a whole number of "
                 "people", "the count column holds how many people each value stands for")
        extra["count"] = raw if raw.isdigit() else None
    if "subject" in cols:
        subject = cells[cols["subject"]]
        if not subject:
            fail("subject", f"empty subject id in column '{mapping['subject']}'")
        extra["subject"] = subject
    return extra


def _summary(found: list[Problem], column: str) -> Problem:
    """One problem per column: a file of 336 bad dates needs one fix, not 336 lines."""
    first = found[0]
    if len(found) == 1:
        return first
    shown = integrity.lines_shown([p.line for p in found])
    return replace(first, message=f"{len(found)} values in column '{column}' cannot be read "
                   f"(lines {shown}); the first: {first.message}")


def _date_fix(cell: str, how: Reading) -> str:
    """How to read a date the source's formats do not."""
    if how.date_format:
        return "check the source's read.date_format against this cell"
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cell.strip()):
        return no_such_day(cell.strip()) or "no such day: check the day and the month"
    hint = date_hint(cell)
    if hint.startswith("write"):
        return hint
    example = "%d/%m/%Y" if "/" in cell else "%d.%m.%Y" if "." in cell else "%b-%y"
    return f"{hint}, or declare the format: read: {{date_format: '{example}'}}"


def _value_fix(cell: str) -> str:
    """How to read a value that is not a plain number."""
    if reading.looks_like_thousands(cell):
        return "declare the separator: read: {thousands: ','}"
    if any(c in cell for c in "€$£¥") or cell.strip().startswith("("):
        return "declare the symbol: read: {currency: ['€']} (parentheses read as negative)"
    quoted = "'" + cell.replace("'", "''") + "'"  # YAML's single-quoted form, any cell
    return f"declare it as missing if it means 'not measured': read: {{missing: [{quoted}]}}"


def _unnamed_subject(table: Table, source: Source, yaml: YamlSource,
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
