"""Queries run where the data lives: a warehouse reached through SQLAlchemy.

Only the query's result comes back, and only ``playbook pull`` runs it: the
result is kept as a snapshot file that the site is built from, so a build
needs no credentials and the same commit always builds the same site. The
URL comes from an environment variable; it is never read from, or written
to, the repository, and it never appears in a message (it holds a password).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playbook.load.csv_table import Table
from playbook.load.safewrite import write_files
from playbook.load.sql import QueryError, collect, locate_error


def run(url: str, query: str, shown: str) -> Table | QueryError:
    """Run ``query`` in the warehouse at ``url`` and return its result as a table.

    The query runs in a transaction that is rolled back, read-only where the
    dialect supports it (PostgreSQL); give the URL a read-only role as well.

    Args:
        url: The SQLAlchemy URL (``postgresql+psycopg://…``).
        query: The SQL text, in the warehouse's dialect.
        shown: How to name the result in problems about its cells.
    """
    # imported here: a build or a check never reaches a warehouse, and SQLAlchemy is slow
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    try:
        engine = sqlalchemy.create_engine(url, poolclass=NullPool)
    except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.NoSuchModuleError, ValueError) as exc:
        return QueryError(f"the connection URL cannot be used: {type(exc).__name__}; check "
                          "its form (dialect+driver://user@host/database) and that the "
                          "dialect's package is installed")
    options: dict[str, Any] = {"postgresql_readonly": True} \
        if engine.dialect.name == "postgresql" else {}
    try:
        with engine.connect().execution_options(**options) as conn:
            try:
                result = conn.exec_driver_sql(query)
                return collect(list(result.keys()), result, shown)
            finally:
                conn.rollback()
    except sqlalchemy.exc.DBAPIError as exc:
        return locate_error(str(exc.orig).strip())
    except sqlalchemy.exc.SQLAlchemyError as exc:
        return QueryError(f"{type(exc).__name__}: {exc}".split("\n(Background")[0])
    finally:
        engine.dispose()


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
