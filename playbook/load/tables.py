"""The tables a program's sources read: data files and query results, each read once.

A CSV is read by :mod:`playbook.load.csv_table`; Parquet and JSON Lines files
and SQL queries go through DuckDB (:mod:`playbook.load.sql`); a warehouse
query is read from the snapshot ``playbook pull`` wrote. Whatever the origin,
the result is a :class:`~playbook.load.csv_table.Table`, and a file or query
read by several KPIs is read, and its problems reported, once.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import replace
from pathlib import Path
from typing import Final

from playbook.load import empty_exports, person_files, sql
from playbook.load import yaml_source as yamlsrc
from playbook.load.bundle import Bundle
from playbook.load.csv_table import Table, read_table
from playbook.load.safefiles import Refusal, folder_refusal, locate, locate_data
from playbook.load.yaml_source import Where
from playbook.model.chars import unsafe_character
from playbook.model.measure import Reading, Source
from playbook.model.problems import Problem, display_path

DUCKDB_SUFFIXES: Final = {".parquet": "read_parquet", ".jsonl": "read_json",
                          ".ndjson": "read_json", ".json": "read_json"}
"""File types read through DuckDB, and the reader each one uses."""

SNAPSHOTS: Final = "snapshots"
"""Folder under ``data/<id>/`` where ``playbook pull`` keeps warehouse results."""


def data_folder(bundle: Bundle) -> Path | None:
    """The program's data folder when it may be listed (not a symlink out of the playbook)."""
    folder = bundle.root / "data" / bundle.id
    if folder_refusal(folder, bundle.root, "") is not None or not folder.is_dir():
        return None
    return folder


def csv_files(folder: Path | None) -> list[Path]:
    """The CSV files directly in ``folder``."""
    return sorted(folder.glob("*.csv")) if folder is not None else []


EXPORT_SUFFIXES: Final = (*sql.FILE_SUFFIXES, ".xlsx", ".xls", ".sql")
"""Files in a data folder that some source should read: exports and query files (a
contract lock, a README or a folder is none of them)."""


def export_files(folder: Path | None) -> list[Path]:
    """The exports and query files directly in ``folder``, by name."""
    if folder is None:
        return []
    return sorted(p for p in folder.iterdir() if p.name.lower().endswith(EXPORT_SUFFIXES)
                  and not p.name.startswith(".") and not p.is_dir())


def snapshot_path(bundle: Bundle, kpi_id: str) -> str:
    """Where the warehouse result of KPI ``kpi_id`` is kept, relative to the root."""
    return f"data/{bundle.id}/{SNAPSHOTS}/{kpi_id}.csv"


class Tables:
    """The data files and queries of one program, each read once, with their problems."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.problems: list[Problem] = []
        self.tables: dict[tuple[Path, str | None, int, int],
                          tuple[Table | None, list[Problem]]] = {}
        self.results: dict[tuple[str, bool], Table | None] = {}
        self.people: dict[str, str] = {}  # data file → its person-id column, or ""
        self.missing: list[str] = []  # source paths that did not resolve
        self.queried: list[str] = []  # query texts: the files they name count as used
        self.seen: set[tuple[str, int, int, str]] = set()
        self.scanned: set[Path] = set()  # files read column-wise (playbook.load.columnar)

    def report(self, found: list[Problem]) -> None:
        """Add a source's problems; a cell read by several KPIs is reported once."""
        for p in found:
            key = (p.path, p.line, p.column, p.message)
            if key not in self.seen:
                self.seen.add(key)
                self.problems.append(p)

    def refuse(self, rel: str, where: Where, message: str, hint: str) -> None:
        """Report a source path that is not read; nothing is opened."""
        self.missing.append(rel)
        self.problems.append(where.problem(message, hint))

    def locate(self, rel: str, where: Where) -> Path | None:
        """The real path of a file a source names, or ``None`` after reporting why not."""
        root, pid = self.bundle.root, self.bundle.id
        found = unsafe_character(rel)
        if found is not None and found[1]:
            self.missing.append(rel)  # the YAML reader reported it; such a name is never opened
            return None
        real = locate_data(rel, root, pid)
        if isinstance(real, Refusal):
            self.refuse(rel, where, real.message, real.hint)
            return None
        if real is None:
            present = {p.name: p.relative_to(root).as_posix()
                       for p in csv_files(data_folder(self.bundle))}
            names = difflib.get_close_matches(Path(rel).name, list(present), n=1, cutoff=0.7)
            self.refuse(rel, where, f"data file '{rel}' does not exist",
                        f"did you mean '{present[names[0]]}'?" if names else
                        f"add it under data/{pid}/ or fix the path")
            return None
        return real

    def get(self, rel: str, where: Where, how: Reading | None = None) -> Table | None:
        """The table a file names, or ``None`` after reporting why it is not read."""
        real = self.locate(rel, where)
        if real is None:
            return None
        how = how or Reading()
        key = (real, how.delimiter, how.header_row, how.skip_footer)
        if key not in self.tables:
            shown = display_path(real, self.bundle.root)
            reader = DUCKDB_SUFFIXES.get(real.suffix.lower())
            if reader is None:
                self.tables[key] = read_table(real, shown, how.delimiter, how.header_row,
                                              how.skip_footer)
            else:
                found: list[Problem] = []
                self.tables[key] = (self._through_duckdb(rel, reader, shown, where, found),
                                    found)
            self.problems.extend(self.tables[key][1])
        return self.tables[key][0]

    @property
    def used(self) -> set[Path]:
        """Real paths of the files read so far."""
        return {real for real, *_ in self.tables} | self.scanned

    def _through_duckdb(self, rel: str, reader: str, shown: str, where: Where,
                        found: list[Problem]) -> Table | None:
        rel = os.path.normpath(rel)
        pattern = next((c for c in rel if c in sql.PATTERN_CHARACTERS), None)
        if pattern is not None:  # read as a pattern, it may name other files, or none
            found.append(where.problem(f"{shown} cannot be read: DuckDB takes '{pattern}' in a "
                                       "file name as a pattern for other files' names",
                                       "rename the file without any of * ? [ ] { }"))
            return None
        quoted = rel.replace("'", "''")
        result = sql.run(f"SELECT * FROM {reader}('{quoted}')", self.bundle.root, [rel], shown)
        if isinstance(result, sql.QueryError):
            found.append(where.problem(f"{shown} cannot be read: {result.message}",
                                       "check that the file is valid " + Path(rel).suffix[1:]))
            return None
        return result

    def source(self, kpi_id: str, src: Source, where: Where) -> Table | None:
        """The table behind a KPI source: its file, its query's result or its snapshot."""
        if src.file is not None:
            return self.get(src.file, where.at("file"), src.read)
        if src.connection is not None:
            return self._snapshot(kpi_id, src, where.at("connection"))
        text, at = self.query_text(src, where)
        if text is None:
            return None
        self.queried.append(text)
        key = (text, src.subject is not None)
        if key not in self.results:
            root = self.bundle.root
            folder = root / "data" / self.bundle.id
            allowed = sql.readable_files(root, folder) if data_folder(self.bundle) else []
            # without `subject` the result is an aggregate: it may not read people's rows
            private = self._person_files(allowed) if src.subject is None else {}
            shown = f"{where.doc.path} query"
            result = sql.run(text, root, [a for a in allowed if a not in private], shown)
            if (isinstance(result, sql.QueryError) and private
                    and isinstance(sql.run(text, root, allowed, shown), Table)):
                self.problems.append(where.problem(
                    person_files.refusal(private, text, result.message),
                    "return one row per person with their id, named in 'subject:' (no "
                    "'count'): the site aggregates them and withholds small groups"))
            elif isinstance(result, sql.QueryError):
                problem = self.query_problem(result, src, at)
                empty = empty_exports.empty_named(result.message, text, root, allowed)
                if empty:  # DuckDB's "candidate column0" means a file has no header
                    problem = replace(problem, message=f"{empty_exports.reason(empty)}, so "
                                      f"the query cannot find its columns: {problem.message}",
                                      hint=empty_exports.HINT)
                self.problems.append(problem)
            self.results[key] = result if isinstance(result, Table) else None
        return self.results[key]

    def _person_files(self, allowed: list[str]) -> dict[str, str]:
        """The files of ``allowed`` holding person ids (each file's header read once)."""
        missing = [rel for rel in allowed if rel not in self.people]
        self.people.update({rel: "" for rel in missing})
        self.people.update(person_files.person_files(self.bundle.root, missing))
        return {rel: self.people[rel] for rel in allowed if self.people[rel]}

    def query_text(self, src: Source, where: Where) -> tuple[str | None, Where]:
        if src.query is not None:
            return src.query, where.at("query")
        assert src.query_file is not None
        at = where.at("query_file")
        real = self.locate(src.query_file, at)
        if real is None:
            return None, at
        try:
            return real.read_text(encoding="utf-8-sig"), at
        except (OSError, UnicodeDecodeError):
            self.refuse(src.query_file, at, f"'{src.query_file}' is not UTF-8 text",
                        "save the query as UTF-8")
            return None, at

    def query_problem(self, error: sql.QueryError, src: Source, where: Where) -> Problem:
        """A query's error at its place: the ``.sql`` file's line, or the YAML's."""
        field = yamlsrc.format_loc(where.loc[:-1])
        hint = (f"fix the query; it runs in the warehouse of connection '{src.connection}'"
                if src.connection else
                "fix the query; it runs in DuckDB over the program's data files")
        if src.query_file is not None:
            return Problem(src.query_file, error.line or 1, error.column or 1, field,
                           f"query error: {error.message}", hint)
        if error.line is None:
            return where.problem(f"query error: {error.message}", hint)
        line, col = inner_position(where, error.line, error.column)
        return Problem(where.doc.path, line, col, where.field, f"query error: {error.message}",
                       hint)

    def _snapshot(self, kpi_id: str, src: Source, where: Where) -> Table | None:
        """The snapshot of a warehouse source (``where``: its ``connection``)."""
        rel = snapshot_path(self.bundle, kpi_id)
        if locate(self.bundle.root / rel, self.bundle.root, rel) is None:
            self.problems.append(where.problem(
                f"no snapshot of the warehouse query yet ('{rel}')",
                f"run 'playbook pull {self.bundle.id}' where the connection's environment "
                "variable is set, and commit the snapshot"))
            return None
        return self.get(rel, where)


def inner_position(where: Where, line: int, column: int | None) -> tuple[int, int]:
    """The file position of ``(line, column)`` inside the text value at ``where``.

    A block scalar (``query: |``) starts on the line after its indicator, at its
    indentation; a one-line value starts where it stands (after its quote).
    """
    start_line, start_col = where.doc.where(where.loc)
    lines = where.doc.text.splitlines()
    first = lines[start_line - 1] if 0 < start_line <= len(lines) else ""
    mark = first[start_col - 1:start_col]
    if mark in ("|", ">"):
        head = lines[start_line] if start_line < len(lines) else ""  # sets the indentation
        return start_line + line, len(head) - len(head.lstrip(" ")) + (column or 1)
    if line == 1:
        return start_line, start_col + (mark in "'\"" and mark != "") + (column or 1) - 1
    return start_line + line - 1, column or 1


def query_rows(found: list[Problem], table: Table, where: Where) -> list[Problem]:
    """Problems about a query result's cells, moved to the source in YAML.

    A result has no file of its own: its rows are numbered from 1 and named so.
    """
    line, col = where.doc.where(where.loc)
    out = []
    for p in found:
        if p.path != table.path:
            out.append(p)
            continue
        message = p.message.replace("(lines ", "(result rows ")
        out.append(replace(p, path=where.doc.path, line=line, column=col,
                           message=f"query result row {p.line}: {message}"
                           if "(result rows " not in message else
                           f"query result: {message}"))
    return out
