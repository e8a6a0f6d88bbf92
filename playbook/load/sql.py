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

import datetime as dt
import math
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import duckdb

from playbook.load.csv_table import Table
from playbook.load.safefiles import folder_refusal, locate_data

MAX_ROWS: Final = 1_000_000
"""Most rows a query may return: the aggregation belongs in the query."""

MAX_TEXT: Final = 50 * 1024 * 1024
"""Most characters a result may hold, like the largest CSV read: a few wide rows of long
text would otherwise fill memory under the row limit."""

TIMEOUT_SECONDS: Final = 120.0
"""A query still running after this long is interrupted (a runaway join)."""

MEMORY_LIMIT: Final = "4GB"
"""DuckDB's working memory; larger intermediate results spill to a temporary folder."""

PARALLEL_BYTES: Final = 64 * 1024 * 1024
"""Readable data from which a query scans on several threads: below it, starting and
joining threads costs more CPU than it saves (20 programs load in 0.43 s of CPU on one
thread, 0.49 s on two)."""

FILE_SUFFIXES: Final = (".csv", ".tsv", ".txt", ".parquet", ".json", ".jsonl", ".ndjson")
"""Files of the data folder a query may read."""

PATTERN_CHARACTERS: Final = "*?[]{}"
"""Characters DuckDB's readers take as a file pattern in a path, not as the name's own."""


@dataclass(frozen=True)
class QueryError:
    """Why a query did not run: DuckDB's message and where in the query it points."""

    message: str
    line: int | None = None
    """1-based line of the query the error points at, when DuckDB says."""
    column: int | None = None
    """1-based column on that line, when DuckDB's caret shows it."""


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


def share_cores(processes: int) -> None:
    """Give each of ``processes`` loading at once its share of the cores for DuckDB.

    Two worker processes each running DuckDB on two threads on a 2-core machine
    spend their time switching (``playbook check`` at 200 programs: 4.1 s → 3.7 s).
    """
    global _threads
    _threads = max(1, (os.cpu_count() or 1) // max(1, processes))


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
                "SET enable_external_access = false;"
                "SET lock_configuration = true;")  # one call: each costs a round trip
    return con


def _literal(text: str) -> str:
    """``text`` as a SQL string literal (a quote doubled; paths hold no control character)."""
    return "'" + text.replace("'", "''") + "'"


_LINE: Final = re.compile(r"^LINE (\d+): ?(.*)$", re.MULTILINE)


def locate_error(message: str) -> QueryError:
    """Split DuckDB's message into its first paragraph and the position it marks.

    DuckDB marks a position as ``LINE n: <the line>`` followed by a caret
    under the offending character; a line shortened with ``...`` has no
    trustworthy column.
    """
    found = _LINE.search(message)
    text = message.split("\n\n")[0].split("\nLINE ")[0].strip().replace("\n", "; ")
    if found is None:
        return QueryError(text)
    line = int(found.group(1))
    rest = message[found.end():].lstrip("\n").splitlines()
    caret = rest[0] if rest else ""
    column = None
    if caret.strip() == "^" and not found.group(2).startswith("..."):
        column = caret.index("^") - len(f"LINE {line}: ") + 1
    hints = [r.strip() for r in rest[1:] if r.startswith(("HINT:", "DETAIL:"))]
    text = "; ".join([text, *hints])
    return QueryError(text, line, column if column and column > 0 else None)


def cell_text(value: Any) -> str:
    """One result value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value)


def _rows(result: duckdb.DuckDBPyConnection) -> Iterator[tuple[Any, ...]]:
    while chunk := result.fetchmany(10_000):
        yield from chunk


def collect(header: list[str], rows: Iterable[Sequence[Any]], shown: str) -> Table | QueryError:
    """A result's rows as a table of text cells, or why it is too large to hold.

    Used for DuckDB's results and the warehouse's alike, so both stop at the same limits.
    """
    out: list[tuple[int, list[str]]] = []
    size = 0
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(v) for v in row]
        size += sum(len(c) for c in cells)
        if number > MAX_ROWS or size > MAX_TEXT:
            return too_large(number > MAX_ROWS)
        out.append((number, cells))
    return Table(shown, header, out, decimal_comma=False)


def run(query: str, root: Path, allowed: Sequence[str], shown: str,
        timeout: float = TIMEOUT_SECONDS) -> Table | QueryError:
    """Run one ``SELECT`` over ``allowed`` files and return its result as a table.

    Args:
        query: The SQL text, as the program file or ``.sql`` file holds it.
        root: The playbook folder; relative paths in the query resolve against it.
        allowed: Files (relative to ``root``) the query may read.
        shown: How to name the result in problems about its cells.
        timeout: Seconds before the query is interrupted.
    """
    with tempfile.TemporaryDirectory(prefix="playbook-duckdb-") as scratch, _inside(root):
        con = _connect(root, allowed, scratch)
        try:
            return _run(con, query, shown, timeout, str(root))
        finally:
            con.close()


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
         root: str) -> Table | QueryError:
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        return locate_error(_plain(str(exc), root))
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        kinds = ", ".join(s.type.name for s in statements) or "nothing"
        return QueryError(f"a source query must be one SELECT statement; found {kinds}")
    timer = threading.Timer(timeout, con.interrupt)
    timer.start()
    try:
        result = con.execute(query)
        return collect([d[0] for d in result.description or []], _rows(result), shown)
    except duckdb.InterruptException:
        return QueryError(f"the query ran longer than {timeout:.0f} seconds and was stopped")
    except duckdb.Error as exc:
        return locate_error(_plain(str(exc), root))
    finally:
        timer.cancel()


def too_large(by_rows: bool) -> QueryError:
    """Why a result is refused: too many rows, or too much text in them."""
    what = f"more than {MAX_ROWS:,} rows" if by_rows else (
        f"more than {MAX_TEXT // (1024 * 1024)} MiB of text")
    return QueryError(f"the query returned {what}; aggregate in the query (GROUP BY date "
                      "and group) and return only the columns the source maps")


_FILE_NAMED: Final = re.compile(r'file "([^"]*)"')
"""The file DuckDB names in a refusal to open it."""


def _plain(message: str, root: str) -> str:
    """DuckDB's message with the playbook's absolute path left out and access explained."""
    message = message.replace(root.rstrip("/") + "/", "")
    if "file system operations are disabled by configuration" in message:
        name = _FILE_NAMED.search(message)
        what = f"'{name.group(1)}'" if name else "that file"
        return (f"the query may read only the files of its program's data folder; {what} "
                "is not one of them")
    return message
