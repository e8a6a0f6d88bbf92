"""A source's ``measure:`` run: its export located and checked, its query run, its errors placed.

The loader reads the export as it reads any file (so a bad row, a link or a
file outside the data folder is refused the same way), checks that every
column the measure names is there, compiles the query
(:mod:`playbook.load.measure_sql`) and runs it in the locked-down DuckDB of
:mod:`playbook.load.sql`. The result (``date``, ``value``, ``group``,
``people``) is then read like a query's (:func:`result_source`). A cell the
query cannot read is reported at the export's line and column.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, replace
from typing import Final

from playbook.load import sql
from playbook.load import yaml_source as yamlsrc
from playbook.load.bundle import Bundle
from playbook.load.csv_table import Table
from playbook.load.identifiers import is_direct, is_person_id
from playbook.load.measure_parts import CELL, SEPARATOR, Compiled
from playbook.load.measure_sql import Export, compile_measure
from playbook.load.observations import check_identifiers
from playbook.load.reading import date_fix, value_fix
from playbook.load.tables import DUCKDB_SUFFIXES, Tables
from playbook.model.choices import Cadence
from playbook.model.measure import Reading, Source
from playbook.model.problems import Problem, Severity


@dataclass(frozen=True)
class Prepared:
    """A measure ready to run: its query, the export as read, and the files it may open."""

    compiled: Compiled
    """The measure compiled to one SELECT and the values bound to it."""
    table: Table
    """The export the measure reads, as read."""
    allowed: list[str]
    """The files the query may open, relative to the playbook (DuckDB's allowed paths)."""


def result_source(source: Source) -> Source:
    """How a source's rows are read: itself, or for a measure, its query's result columns
    (the labels of ``read.values`` still translated; every other cell already parsed)."""
    measure = source.measure
    if measure is None:
        return source
    return source.model_copy(update={
        "file": None, "query": "measure", "measure": None, "date": "date", "value": "value",
        "group": "group" if source.group is not None else None,
        "count": "people" if measure.people is not None else None,
        "read": Reading(values=source.read.values)})


def result_problems(found: list[Problem], source: Source) -> list[Problem]:
    """Problems about a measure's result rows, in the export's words: a group label that is
    neither ``pilot`` nor ``comparison`` came from the source's ``group`` column (or its
    lookup), not from a query the editor wrote."""
    if source.measure is None:
        return found
    column = source.measure.lookup.group if source.measure.lookup else source.group
    return [replace(p, message=p.message.replace("query result", "measure result")
                    .replace("in column 'group'", f"in column '{column}'")) for p in found]


def prepare(tables: Tables, source: Source, cadence: Cadence,
            where: yamlsrc.Where) -> Prepared | None:
    """The measure's query over its located export (added up per the measure's grain, else
    per the KPI's ``cadence``), or ``None`` after reporting why not; ``where`` is the
    source's place in ``kpis.yml``."""
    measure = source.measure
    assert measure is not None and source.file is not None
    table = tables.get(source.file, where.at("file"), source.read)
    if table is None:
        return None
    export = _export(tables, source.file, table, source.read, where.at("file"))
    lookup_table, lookup = None, None
    if measure.lookup is not None:
        lookup_at = where.at("measure", "lookup", "file")
        lookup_table = tables.get(measure.lookup.file, lookup_at)
        if lookup_table is None:
            return None
        lookup = _export(tables, measure.lookup.file, lookup_table, Reading(), lookup_at)
    found = (_missing_columns(table, lookup_table, source, where)
             + _people(table, source, where))
    tables.report(found)
    if export is None or (measure.lookup is not None and lookup is None) or found:
        return None
    decimal = table.decimal_comma if export.reader == "read_csv" else False
    compiled = compile_measure(source, export, lookup, decimal, measure.period(cadence),
                               source.read.skip_rows)
    return Prepared(compiled, table, [export.path] + ([lookup.path] if lookup else []))


def run(tables: Tables, source: Source, cadence: Cadence,
        where: yamlsrc.Where) -> Table | None:
    """The measure's result, or ``None`` after reporting why there is none."""
    prepared = prepare(tables, source, cadence, where)
    if prepared is None:
        return None
    if any(p.path == prepared.table.path and p.severity is Severity.ERROR
           for p in tables.problems):
        return None  # the export's own errors (a row of the wrong width) come first
    compiled = prepared.compiled
    result = sql.run(compiled.sql, tables.bundle.root, prepared.allowed,
                     f"{where.doc.path} measure", params=compiled.params)
    if isinstance(result, sql.QueryError):
        tables.report([_query_problem(result, prepared.table, source, where)])
        return None
    return result


def _export(tables: Tables, rel: str, table: Table, how: Reading,
            where: yamlsrc.Where) -> Export | None:
    """How the query opens a file the loader has read (named at ``where``); ``None``
    (reported) when it cannot."""
    real = tables.locate(rel, where)
    if real is None:
        return None
    path = os.path.relpath(real, tables.bundle.root)
    pattern = next((c for c in path if c in sql.PATTERN_CHARACTERS), None)
    if pattern is not None:
        tables.report([where.problem(
            f"{table.path} cannot be read by a measure: DuckDB takes '{pattern}' in a file "
            "name as a pattern for other files' names",
            "rename the file without any of * ? [ ] { }")])
        return None
    reader = DUCKDB_SUFFIXES.get(real.suffix.lower(), "read_csv")
    delimiter = how.delimiter or (";" if table.decimal_comma else ",")
    return Export(path, reader, delimiter, how.header_row)


def _missing_columns(table: Table, lookup: Table | None, source: Source,
                     where: yamlsrc.Where) -> list[Problem]:
    """A problem at each field (below the source at ``where``) naming a column its file
    does not have."""
    measure = source.measure
    assert measure is not None
    named: list[tuple[Table, yamlsrc.Where, str | None]] = [
        (table, where.at("date"), source.date), (table, where.at("group"), source.group),
        (table, where.at("measure", "over"), measure.over),
        (table, where.at("measure", "people"), measure.people)]
    if measure.aggregate != "count":
        named.append((table, where.at("value"), source.value))
    named += [(table, where.at("measure", "where", i, "column"), f.column)
              for i, f in enumerate(measure.where)]
    if lookup is not None and measure.lookup is not None:
        named += [(lookup, where.at("measure", "lookup", "key"),
                   measure.lookup.key or source.group),
                  (lookup, where.at("measure", "lookup", "group"), measure.lookup.group)]
    out = []
    for file, field, column in named:
        if column is None or file.column(column) >= 0:
            continue
        close = difflib.get_close_matches(column, file.header, n=1, cutoff=0.6)
        out.append(field.problem(f"column '{column}' is not in {file.path}; its columns are: "
                                 + ", ".join(file.header),
                                 f"did you mean '{close[0]}'?" if close else ""))
    return out


def _people(table: Table, source: Source, where: yamlsrc.Where) -> list[Problem]:
    """Direct identifiers, and person ids a measure does not count as ``people``."""
    found: list[Problem] = []
    check_identifiers(table, where, found)
    assert source.measure is not None
    if source.measure.people is None:
        ids = [h for h in table.header if is_person_id(h) and not is_direct(h)]
        found += [Problem(table.path, 1, table.header.index(ids[0]) + 1, where.field,
                          f"column '{ids[0]}' holds person ids: each value the measure adds "
                          "up must say how many people it stands for",
                          f"name it in the measure: people: {ids[0]}")] if ids else []
    return found


CELL_MESSAGES: Final = {
    "date": "'{raw}' in column '{column}' is not a date YYYY-MM-DD",
    "value": "'{raw}' in column '{column}' is not a number",
    "lookup": "'{raw}' in column '{column}' is not in the lookup {lookup}",
    "lookup-twice": "'{raw}' in column '{column}' has two groups in the lookup {lookup}",
}
"""What an unreadable cell of each kind means (``over``, ``where_<i>``: as a ``value``)."""


def _fix(kind: str, raw: str, how: Reading) -> str:
    """How to read the cell: the row reader's own hint for a date or a number, so a cell
    gets the same advice whichever reader met it."""
    if kind == "date":
        return date_fix(raw, how) if raw else "fill it in or leave the row out"
    if kind == "lookup":
        return "add it to the lookup with its group, or leave its rows out with measure.where"
    if kind == "lookup-twice":
        return "list each key once in the lookup"
    if not raw:
        return "fill it in, or declare it: read: {missing: [\"\"]}"
    return value_fix(raw)


def _query_problem(error: sql.QueryError, table: Table, source: Source,
                   where: yamlsrc.Where) -> Problem:
    """The measure query's error at its place: an unreadable cell at its line, else the
    measure in YAML (below the source at ``where``)."""
    measure = source.measure
    assert measure is not None
    start = error.message.find(CELL + SEPARATOR)
    if start < 0:
        return where.at("measure").problem(
            f"measure query error: {error.message}",
            "see the query with 'playbook explain'; fix the measure or the export")
    _, kind, row, raw = [*error.message[start:].split(SEPARATOR, 3), "", "", ""][:4]
    if kind == "zero":
        return where.at("measure", "over").problem(
            f"the rows of the period from {raw} total 0 in column '{measure.over}': "
            "their ratio has no value", "check the export, or filter those rows out")
    column = {"date": source.date, "lookup": source.group, "lookup-twice": source.group,
              "over": measure.over}.get(kind, source.value)
    if kind.startswith("where_"):
        column = measure.where[int(kind[6:])].column
    number = int(row) if row.isdigit() else 0
    rows = table.rows
    line = rows[number - 1][0] if 0 < number <= len(rows) else 1
    message = CELL_MESSAGES.get(kind, CELL_MESSAGES["value"])
    lookup = measure.lookup.file if measure.lookup else ""
    field = "date" if kind == "date" else "group" if kind.startswith("lookup") else "value"
    return Problem(table.path, line, table.column(column or "") + 1,
                   where.at(field).field,
                   message.format(raw=raw, column=column, lookup=lookup),
                   _fix(kind, raw, source.read))


def explain(bundle: Bundle, index: int) -> str | list[Problem]:
    """The query behind KPI number ``index`` of ``bundle``, as ``playbook explain`` prints it,
    or the problems that keep its measure from compiling.

    A measure's compiled query comes with its parameters; a ``query`` or
    ``query_file`` is printed as written; a plain file is read row by row.
    """
    assert bundle.kpis is not None
    kpi = bundle.kpis.kpis[index]
    source = kpi.source
    where = yamlsrc.Where(bundle.sources["kpis"], ("kpis", index, "source"))
    head = f"-- {bundle.id} / {kpi.id}:"
    if source is None:
        return f"{head} no source yet; the KPI shows as not yet measured\n"
    tables = Tables(bundle)
    if source.measure is not None:
        prepared = prepare(tables, source, kpi.cadence, where)
        if prepared is None:
            return tables.problems
        return (f"{head} its measure, as one DuckDB query (session time zone "
                f"{sql.TIME_ZONE}; $n are bound values, never query text)\n"
                + prepared.compiled.shown())
    if source.file is not None:
        return (f"{head} its file is read row by row, with no query; a `measure:` "
                "would add its rows up without SQL\n")
    text, _ = tables.query_text(source, where)
    if text is None:
        return tables.problems
    runs_in = f"the warehouse of connection {source.connection}" if source.connection else \
        f"DuckDB (session time zone {sql.TIME_ZONE})"
    return f"{head} its query, as written, run in {runs_in}\n{text.rstrip()}\n"
