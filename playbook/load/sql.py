"""SQL over the program's own data files, run by DuckDB in a locked-down connection.

A query comes from a pull request, so it is treated like code from a stranger:
the connection may read only the regular files of the program's data folder,
reached through no link and named without a leading dot (DuckDB's
``allowed_paths``, with external access off and the configuration locked
before the query runs), only
one ``SELECT`` runs (no ``COPY`` that would overwrite a source file, no
``ATTACH``, ``INSTALL`` or ``SET``), extensions are neither installed nor
loaded, and a query that runs too long is interrupted. The rows DuckDB returns
become a :class:`~playbook.load.csv_table.Table` of text cells, so a query's
result is read, checked and kept private exactly like a CSV export.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import duckdb

from playbook.load import results
from playbook.load.csv_table import Table
from playbook.load.results import QueryError as QueryError  # its callers' import, and tests'
from playbook.load.results import collect, locate_error, machine_paths, too_large
from playbook.load.safefiles import folder_refusal, locate_data

TIMEOUT_SECONDS: Final = 120.0
"""A query still running after this long is interrupted (a runaway join)."""

BUILD_SECONDS: Final = 600.0
"""Most seconds the queries of one build (or one ``playbook check``) may run in all: many
queries each under :data:`TIMEOUT_SECONDS` would otherwise hold a build for hours."""

MEMORY_LIMIT: Final = "4GB"
"""DuckDB's working memory; larger intermediate results spill to a temporary folder. It
does not bound a query's result, which DuckDB holds whole before the first row is fetched:
the result's rows and text are bounded inside the query instead (:func:`_bounded`)."""

TIME_ZONE: Final = "UTC"
"""The zone of every DuckDB session: a timestamp ending in ``Z`` is time-zone-aware, and
its date or ``date_trunc('week', …)`` would otherwise follow the zone of the machine
that builds (the same commit gave other weekly figures in Dublin than in UTC)."""

PARALLEL_BYTES: Final = 64 * 1024 * 1024
"""Readable data from which a query scans on several threads: below it, starting and
joining threads costs more CPU than it saves (20 programs load in 0.43 s of CPU on one
thread, 0.49 s on two)."""

FILE_SUFFIXES: Final = (".csv", ".tsv", ".txt", ".parquet", ".json", ".jsonl", ".ndjson")
"""Files of the data folder a query may read."""

PATTERN_CHARACTERS: Final = "*?[]{}"
"""Characters DuckDB's readers take as a file pattern in a path, not as the name's own."""


def readable_files(root: Path, folder: Path) -> list[str]:
    """Paths (relative to ``root``) of the files in ``folder`` a query may read.

    ``folder`` is a program's data folder. Only what :func:`locate_data` accepts
    qualifies: regular files reached through real folders, no name starting with
    a dot. A link (wherever it leads), a FIFO, ``.git/`` or ``.env`` is left out,
    so a query naming it is refused by DuckDB, which checks the path it opens
    against this list after following the path's links: a path through a link
    reaches only a listed file.
    """
    if folder_refusal(folder, root, "") is not None:
        return []
    found: list[str] = []

    def visit(here: str) -> None:
        try:
            entries = list(os.scandir(here))
        except OSError:  # not a folder, or unreadable: nothing in it is listed
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                visit(entry.path)
            elif entry.name.endswith(FILE_SUFFIXES):
                found.append(os.path.relpath(entry.path, root))

    visit(str(folder))
    return sorted(Path(rel).as_posix() for rel in found
                  if isinstance(locate_data(rel, root, folder.name), Path))


_threads = 2
"""DuckDB's threads per query; fewer when programs load in several processes at once."""


def share_among(processes: int) -> None:
    """Give each of ``processes`` loading at once its share of the cores for DuckDB, and of
    the build's query time (:data:`BUILD_SECONDS`).

    Two worker processes each running DuckDB on two threads on a 2-core machine
    spend their time switching (``playbook check`` at 200 programs: 4.1 s → 3.7 s).
    """
    global _threads, _share
    _threads = max(1, (os.cpu_count() or 1) // max(1, processes))
    _share = max(1, processes)
    start_build()


def threads(root: Path, allowed: Sequence[str]) -> int:
    """DuckDB's threads for a query that may read ``allowed``: one unless the data is large."""
    size = 0
    for rel in allowed:
        try:
            size += os.stat(root / rel).st_size
        except OSError:  # gone since it was listed: the query will say so
            continue
    return _threads if size >= PARALLEL_BYTES else 1


def _connect(root: Path, allowed: Sequence[str], scratch: str) -> duckdb.DuckDBPyConnection:
    """A connection that can read ``allowed`` (relative to ``root``) and nothing else."""
    con = duckdb.connect(":memory:", config={
        "autoinstall_known_extensions": False, "autoload_known_extensions": False,
        "threads": threads(root, allowed), "memory_limit": MEMORY_LIMIT})
    paths = [*allowed, *(str(root / rel) for rel in allowed)] or [str(root / ".none")]
    # literals, not parameters: DuckDB imports pandas to bind Python parameters (~150 ms)
    con.execute(f"SET allowed_paths = [{', '.join(_literal(p) for p in paths)}];"
                f"SET file_search_path = {_literal(str(root))};"
                f"SET temp_directory = {_literal(scratch)};"
                f"SET TimeZone = {_literal(TIME_ZONE)};"
                "SET enable_external_access = false;"
                "SET lock_configuration = true;")  # one call: each costs a round trip
    return con


def _literal(text: str) -> str:
    """``text`` as a SQL string literal (a quote doubled; paths hold no control character)."""
    return "'" + text.replace("'", "''") + "'"


def run(query: str, root: Path, allowed: Sequence[str], shown: str,
        timeout: float = TIMEOUT_SECONDS) -> Table | QueryError:
    """Run one ``SELECT`` over ``allowed`` files and return its result as a table.

    Args:
        query: The SQL text, as the program file or ``.sql`` file holds it.
        root: The playbook folder; relative paths in the query resolve against it.
        allowed: Files (relative to ``root``) the query may read.
        shown: How to name the result in problems about its cells.
        timeout: Seconds before the query is interrupted (less when the build's
            :data:`BUILD_SECONDS` are nearly spent).
    """
    global _left
    if _left <= 0:
        return QueryError(f"the queries of this build have run for {_spent():.0f} seconds in "
                          "all, the most a build may spend on them; this one was not run "
                          "(make the slowest queries cheaper)")
    with tempfile.TemporaryDirectory(prefix="playbook-duckdb-") as scratch, _inside(root):
        con = _connect(root, allowed, scratch)
        started = time.monotonic()
        try:
            return _run(con, query, shown, min(timeout, _left), timeout < _left,
                        (str(root), scratch))
        finally:
            con.close()
            _left -= time.monotonic() - started


_left = BUILD_SECONDS
"""Seconds the queries of this build may still run, in this process."""

_share = 1
"""How many processes share :data:`BUILD_SECONDS` (workers of ``playbook check``)."""


def start_build() -> None:
    """Give the build that starts now the whole of :data:`BUILD_SECONDS`."""
    global _left
    _left = BUILD_SECONDS / _share


def _spent() -> float:
    return BUILD_SECONDS / _share - _left


_CWD_LOCK = threading.Lock()


@contextmanager
def _inside(root: Path) -> Iterator[None]:
    """Work in ``root`` while DuckDB runs: it resolves a relative name against the working
    folder before its search path, so a same-named file where a command was started (another
    checkout) would otherwise be read instead of the playbook's own."""
    with _CWD_LOCK:  # the working folder is the process's: one query at a time moves it
        before = os.getcwd()
        os.chdir(root)
        try:
            yield
        finally:
            os.chdir(before)


def _run(con: duckdb.DuckDBPyConnection, query: str, shown: str, timeout: float,
         own: bool, folders: tuple[str, str]) -> Table | QueryError:
    """Run ``query`` on ``con``; ``own``: ``timeout`` is the query's own, not the build's rest."""
    root, scratch = folders
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        return locate_error(_plain(str(exc)), root, query)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        kinds = ", ".join(s.type.name for s in statements) or "nothing"
        return QueryError(f"a source query must be one SELECT statement; found {kinds}")
    timer = threading.Timer(timeout, con.interrupt)
    timer.start()
    try:
        result = con.execute(_bounded(query))
        header = [d[0] for d in result.description or []][1:]
        return collect(header, iter(lambda: result.fetchmany(FETCH_ROWS), []), shown,
                       machine_paths(root, scratch), skip=1)
    except duckdb.InterruptException:
        if own:
            return QueryError(f"the query ran longer than {timeout:.0f} seconds and was "
                              "stopped")
        return QueryError(f"the queries of this build ran for {BUILD_SECONDS / _share:.0f} "
                          "seconds in all, the most a build may spend on them, and this one "
                          "was stopped (make the slowest queries cheaper)")
    except duckdb.Error as exc:
        message = str(exc)
        if _ROWS in message or _TEXT in message:
            return too_large(_ROWS in message)
        return _moved_back(locate_error(_plain(message), root, query), query)
    finally:
        timer.cancel()


FETCH_ROWS: Final = 10_000
"""Rows fetched from DuckDB at a time, each chunk checked against the limits."""

_ROWS, _TEXT = "playbook: too many rows", "playbook: too much text"

_WINDOW: Final = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"

_FIRST_LINE: Final = ("SELECT * FROM (SELECT strlen(CAST(row(*COLUMNS(*)) AS VARCHAR)), * "
                      "FROM (")


_FILE_NAMED: Final = re.compile(r'file "([^"]*)"')
"""The file DuckDB names in a refusal to open it."""


def _bounded(query: str) -> str:
    """``query`` inside a query that stops as soon as its result passes a limit.

    DuckDB holds a result whole before Python fetches its first row, and its
    memory limit does not count it: a result of 10⁸ rows, or of long text, fills
    memory before any check in Python could stop it. Around the query, a
    streaming window counts the rows and the characters of each row written as
    text (the first column, skipped when the rows are read) and raises an error
    as soon as either passes ``MAX_ROWS`` or ``MAX_TEXT``
    (:mod:`playbook.load.results`), so DuckDB never
    holds more than that. The query starts on the second line, as it was written.
    """
    tokens = duckdb.tokenize(query)
    if tokens and query[tokens[-1][0]] == ";":  # a trailing ';' would end the outer query
        query = query[:tokens[-1][0]]
    return (f"{_FIRST_LINE}\n{query}\n)) WINDOW w AS ({_WINDOW}) QUALIFY CASE "
            f"WHEN count(*) OVER w > {results.MAX_ROWS} THEN error('{_ROWS}') "
            f"WHEN sum(#1) OVER w > {results.MAX_TEXT} THEN error('{_TEXT}') ELSE true END")


def _moved_back(error: QueryError, query: str) -> QueryError:
    """``error``'s line as the query was written: it ran from the second line."""
    if error.line is None:
        return error
    if 2 <= error.line <= query.count("\n") + 2:
        return QueryError(error.message, error.line - 1, error.column)
    return QueryError(error.message)


def _plain(message: str) -> str:
    """DuckDB's message, with access refused explained."""
    if "file system operations are disabled by configuration" in message:
        name = _FILE_NAMED.search(message)
        what = f"'{name.group(1)}'" if name else "that file"
        return (f"the query may read only the files of its program's data folder; {what} "
                "is not one of them")
    return message
