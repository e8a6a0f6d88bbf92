"""Queries run where the data lives: a warehouse reached through SQLAlchemy.

Only the query's result comes back, and only ``playbook pull`` runs it: the
result is kept as a snapshot file that the site is built from, so a build
needs no credentials and the same commit always builds the same site. The
URL comes from an environment variable; it is never read from, or written
to, the repository, and it never appears in a message (it holds a password).

The query comes from a pull request, so the warehouse is kept read-only in
fact: the text must be one read-only ``SELECT`` (:mod:`playbook.load.statement`),
and in PostgreSQL the session is read-only with a statement timeout, the role
may not be able to write, and one statement is sent (:mod:`playbook.load.postgres`;
other warehouses rely on the role their URL names). The result is bounded like
DuckDB's, and the snapshot keeps only the columns the KPI reads.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.load import postgres
from playbook.load.csv_table import Table
from playbook.load.results import QueryError, collect, locate_error, machine_paths, scrub
from playbook.load.safewrite import write_files
from playbook.model.measure import Source


@dataclass(frozen=True)
class Unreachable:
    """Why the warehouse was not reached: its host, database or login (no query ran)."""

    message: str


@dataclass(frozen=True)
class RoleRefusal:
    """Why the connection's role may not run a query: it can do more than read."""

    message: str


def run(url: str, query: str, shown: str,
        timeout: float) -> Table | QueryError | RoleRefusal | Unreachable:
    """Run ``query`` in the warehouse at ``url`` and return its result as a table.

    The query is refused unless it is one read-only ``SELECT``; in PostgreSQL
    (through psycopg) it runs in a read-only session with ``timeout``, as a role
    that cannot write, and is rolled back.

    Args:
        url: The SQLAlchemy URL (``postgresql+psycopg://…``).
        query: The SQL text, in the warehouse's dialect.
        shown: How to name the result in problems about its cells.
        timeout: Seconds the query may run (PostgreSQL's ``statement_timeout``; the
            connection's ``timeout``).
    """
    # imported here: a build or a check never reaches a warehouse, and SQLAlchemy and
    # sqlglot take 0.5 s to import (every command's start-up would pay for them)
    import sqlalchemy

    from playbook.load import statement

    try:
        parsed = sqlalchemy.engine.make_url(url)
        dialect, driver = parsed.get_backend_name(), parsed.get_driver_name()
    except (sqlalchemy.exc.ArgumentError, ValueError) as exc:
        return _unusable(exc)
    refused = statement.refusal(query, dialect)  # before any connection is made
    if refused is not None:
        return refused
    if dialect == "postgresql" and driver != "psycopg":
        return QueryError(f"a PostgreSQL warehouse is reached through psycopg (the URL names "
                          f"'{driver}'): write the URL as postgresql+psycopg://…")
    engine = _engine(parsed, timeout)
    if isinstance(engine, QueryError):
        return engine
    conn = _connected(engine)
    if isinstance(conn, Unreachable):
        return conn
    try:
        with conn:
            if dialect != "postgresql":
                return _run_elsewhere(conn, query, shown)
            raw: Any = conn.connection.driver_connection
            raw.rollback()  # SQLAlchemy's first look at the server left a transaction open
            raw.read_only = True  # BEGIN READ ONLY, beside the session's default
            refusal = postgres.role_refusal(raw)
            if refusal is not None:
                return RoleRefusal(refusal)
            return postgres.run(raw, query, shown)
    except sqlalchemy.exc.DBAPIError as exc:
        return _error(exc.orig, query, timeout)
    except engine.dialect.loaded_dbapi.Error as exc:
        return _error(exc, query, timeout)
    except sqlalchemy.exc.SQLAlchemyError as exc:
        return locate_error(f"{type(exc).__name__}: {exc}".split("\n(Background")[0],
                            query=query)
    finally:
        engine.dispose()


def _engine(parsed: Any, timeout: float) -> Any:
    """An engine for the URL, PostgreSQL's sessions given ``timeout`` (or why not)."""
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        options = postgres.session_options(str(parsed.query.get("options", "")), timeout)
        args["connect_args"] = {"options": options}
    try:
        return sqlalchemy.create_engine(parsed, poolclass=NullPool, **args)
    except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.NoSuchModuleError, ValueError) as exc:
        return _unusable(exc)


def _connected(engine: Any) -> Any:
    """A connection to the warehouse, or why there is none: its host, database or login,
    never the query (none has run), said as the driver says it."""
    import sqlalchemy

    try:
        return engine.connect()
    except sqlalchemy.exc.DBAPIError as exc:
        engine.dispose()
        said = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
        return Unreachable(f"cannot connect: {scrub(said) or type(exc.orig).__name__}")


def _unusable(exc: Exception) -> QueryError:
    return QueryError(f"the connection URL cannot be used: {type(exc).__name__}; check its "
                      "form (dialect+driver://user@host/database) and that the dialect's "
                      "package is installed")


def _run_elsewhere(conn: Any, query: str, shown: str) -> Table | QueryError:
    """A warehouse other than PostgreSQL: its rows streamed where the driver can."""
    result = conn.execution_options(stream_results=True).exec_driver_sql(query)
    try:
        return collect(list(result.keys()), result.partitions(100), shown, machine_paths())
    finally:
        result.close()  # rows left unread when a limit stopped the result
        conn.rollback()


def _error(exc: BaseException | None, query: str, timeout: float) -> QueryError:
    """A database's error as a message: a timeout said plainly, any other as it comes."""
    if getattr(exc, "sqlstate", None) == "57014":  # PostgreSQL's query_canceled
        return QueryError(f"the query ran longer than {timeout:g} seconds (the connection's "
                          "timeout) and was stopped")
    return locate_error(str(exc).strip(), query=query)


def kept_columns(table: Table, source: Source) -> Table:
    """``table`` with only the columns ``source`` reads: the rest is never committed.

    The mapped columns (``date``, ``value``, ``group``, ``subject``, ``wave``,
    ``count``) and those of the row filter (``read.where``), in the result's order.
    """
    names = [source.date, source.value, source.group, source.subject, source.wave,
             source.count, *source.read.where]
    keep = sorted({table.column(n) for n in names if n is not None} - {-1})
    return Table(table.path, [table.header[i] for i in keep],
                 [(n, [cells[i] for i in keep]) for n, cells in table.rows],
                 decimal_comma=False)


def url_from(env: str) -> str | None:
    """The URL in environment variable ``env``, when set."""
    return os.environ.get(env, "").strip() or None


def snapshot_text(table: Table) -> str:
    """A result as the CSV a snapshot holds: its header, then its rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(cells for _, cells in table.rows)
    return out.getvalue()


def write_snapshots(root: Path, files: Sequence[tuple[Path, str]]) -> None:
    """Write every snapshot (paths under ``root``), each whole or not at all.

    Through :func:`~playbook.load.safewrite.write_files`: a committed link at
    ``snapshots/`` or at a snapshot's name is refused, never written through.
    """
    write_files(root, [(os.path.relpath(path, root), text.encode("utf-8"))
                       for path, text in files])
