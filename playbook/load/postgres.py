"""A PostgreSQL warehouse, as ``playbook pull`` reaches it: read-only by the server's rules.

Three locks, each enough alone to keep the warehouse unchanged: the session is
opened read-only with a statement timeout (``default_transaction_read_only``
and ``statement_timeout`` set at connection start-up, so no statement runs
before them) and its one transaction is rolled back; the role must not be able
to write (checked here before the query is sent); and the query goes over the
extended protocol (psycopg's ``stream``), which runs exactly one statement, so
a ``; COMMIT; CREATE …`` after the ``SELECT`` is refused by the server itself.
The role check is PostgreSQL's: other warehouses rely on the role their URL
names, and on :mod:`playbook.load.statement`.
"""

from __future__ import annotations

import itertools
from typing import Any, Final

from playbook.load.csv_table import Table
from playbook.load.results import QueryError, collect, machine_paths

ATTRIBUTES: Final = {"rolsuper": "is a superuser", "rolcreaterole": "can create roles",
                     "rolcreatedb": "can create databases",
                     "rolreplication": "can start replication",
                     "rolbypassrls": "bypasses row-level security"}
"""Role attributes that a reading role has no use for, and what each lets it do."""

SERVER_ROLES: Final = ("pg_write_server_files", "pg_execute_server_program",
                       "pg_write_all_data", "pg_signal_backend")
"""Predefined roles that write files, run programs, write any table or stop sessions."""

_WRITABLE: Final = """
SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND n.nspname <> 'information_schema'
  AND n.nspname NOT LIKE 'pg\\_%'
  AND (CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'UPDATE')
       ELSE has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER')
            OR has_any_column_privilege(c.oid, 'INSERT, UPDATE') END)
ORDER BY 1 LIMIT 3"""

_CREATE: Final = """
SELECT format('schema %I', nspname) FROM pg_namespace
WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'
  AND has_schema_privilege(oid, 'CREATE')
UNION ALL SELECT format('database %I', current_database())
WHERE has_database_privilege(current_database(), 'CREATE')
ORDER BY 1 LIMIT 3"""


def session_options(existing: str, timeout: float) -> str:
    """libpq's ``options``: the URL's own, then read-only and the timeout (they win).

    Args:
        existing: The ``options`` the URL already gives, if any.
        timeout: Seconds a statement may run.
    """
    ms = max(1, round(timeout * 1000))
    ours = (f"-c default_transaction_read_only=on -c statement_timeout={ms} "
            f"-c lock_timeout={ms} -c idle_in_transaction_session_timeout={ms}")
    return f"{existing} {ours}".strip()


def role_refusal(raw: Any) -> str | None:
    """Why the session's role may not run a source query; ``None`` when it can only read.

    Args:
        raw: The psycopg connection.
    """
    with raw.cursor() as cur:
        cur.execute("SELECT current_user, " + ", ".join(ATTRIBUTES)
                    + " FROM pg_roles WHERE rolname = current_user")
        name, *flags = cur.fetchone()
        found = [what for what, on in zip(ATTRIBUTES.values(), flags, strict=True) if on]
        if flags[0]:  # a superuser can do everything: saying so is enough
            raw.rollback()
            return f"the warehouse role '{name}' is a superuser"
        cur.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s) "
                    "AND pg_has_role(current_user, oid, 'USAGE') ORDER BY 1",
                    (list(SERVER_ROLES),))
        found += [f"is a member of {r}" for (r,) in cur.fetchall()]
        cur.execute(_WRITABLE)
        tables = [r for (r,) in cur.fetchall()]
        if tables:
            found.append(f"can write to {', '.join(tables)}")
        cur.execute(_CREATE)
        places = [r for (r,) in cur.fetchall()]
        if places:
            found.append(f"can create objects in {', '.join(places)}")
    raw.rollback()
    if not found:
        return None
    return f"the warehouse role '{name}' {'; it '.join(found)}"


def run(raw: Any, query: str, shown: str) -> Table | QueryError:
    """Run ``query`` as one statement, its rows streamed and checked one by one.

    The database's errors are the caller's to turn into messages.

    Args:
        raw: The psycopg connection, its session opened with :func:`session_options`.
        query: The SQL text, checked by :mod:`playbook.load.statement`.
        shown: How to name the result in problems about its cells.
    """
    with raw.cursor() as cur:
        # single-row mode: libpq holds one row at a time, so each is checked against the
        # limits before the next is read, however wide the rows are
        rows = cur.stream(query, size=1)
        try:
            first = next(rows, None)
            if first is None:  # psycopg keeps no description of an empty result
                return Table(shown, _described(raw, query), [], decimal_comma=False)
            header = [d.name for d in cur.description]
            return collect(header, ([row] for row in itertools.chain([first], rows)), shown,
                           machine_paths())
        finally:
            rows.close()  # a stream stopped at a limit holds the connection until closed
            raw.rollback()


def _described(raw: Any, query: str) -> list[str]:
    """The column names of ``query``'s result, from the server, without running it again."""
    raw.pgconn.prepare(b"playbook_columns", query.encode(raw.info.encoding))
    found = raw.pgconn.describe_prepared(b"playbook_columns")
    return [found.fname(i).decode(raw.info.encoding) for i in range(found.nfields)]
