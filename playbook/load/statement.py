"""A warehouse query's text → the one read-only statement it must be, or why it is not.

A warehouse query comes from a pull request and runs where the organisation's
data lives, so before it is sent it is parsed with sqlglot in the warehouse's
dialect and accepted only as exactly one ``SELECT`` (with its ``WITH`` and set
operations): no second statement, no ``COMMIT``, DDL, DML, ``COPY``, ``SELECT
INTO``, data-modifying ``WITH``, locking clause, and no call of a function that
writes, signals other sessions, reads the server's files or runs SQL text. The
read-only transaction, the statement timeout and the role check of
:mod:`playbook.load.warehouse` hold even when this check is wrong; this one
gives the editor a clear message at the right place.
"""

from __future__ import annotations

import logging
from typing import Final

import sqlglot
from sqlglot import Token, TokenType, exp
from sqlglot.errors import ParseError, TokenError

from playbook.load.results import QueryError

DIALECTS: Final = {"postgresql": "postgres", "mssql": "tsql", "mysql": "mysql",
                   "mariadb": "mysql", "sqlite": "sqlite", "oracle": "oracle",
                   "snowflake": "snowflake", "bigquery": "bigquery", "redshift": "redshift",
                   "databricks": "databricks", "trino": "trino", "presto": "presto",
                   "duckdb": "duckdb", "clickhouse": "clickhouse", "awsathena": "athena"}
"""SQLAlchemy's dialect names → sqlglot's; another dialect is read as generic SQL."""

WRITING: Final[tuple[type[exp.Expr], ...]] = (
    exp.DML, exp.DDL, exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop,
    exp.Alter, exp.TruncateTable, exp.Copy, exp.Into, exp.Lock, exp.Command, exp.Transaction,
    exp.Commit, exp.Rollback, exp.Set, exp.Pragma, exp.Use, exp.Grant, exp.Revoke, exp.Analyze,
    exp.Kill, exp.LoadData, exp.Cache, exp.Uncache, exp.Refresh, exp.Declare, exp.Execute,
    exp.Export)
"""Statements and clauses a source query may not hold, wherever they are in it."""

FUNCTIONS: Final = {
    "nextval": "changes a sequence", "setval": "changes a sequence",
    "set_config": "changes a setting", "pg_notify": "signals other sessions",
    "pg_cancel_backend": "signals other sessions",
    "pg_terminate_backend": "signals other sessions",
    "pg_reload_conf": "signals the server", "pg_rotate_logfile": "signals the server",
    "pg_switch_wal": "signals the server", "pg_promote": "signals the server",
    "pg_read_file": "reads the server's files", "pg_read_binary_file":
    "reads the server's files", "pg_ls_dir": "reads the server's files",
    "pg_stat_file": "reads the server's files", "lo_import": "reads the server's files",
    "lo_export": "writes the server's files", "query_to_xml": "runs SQL text",
    "query_to_xml_and_xmlschema": "runs SQL text", "query_to_xmlschema": "runs SQL text",
    "cursor_to_xml": "runs SQL text", "dblink": "reaches another database",
    "dblink_exec": "reaches another database", "dblink_connect": "reaches another database",
    "dblink_send_query": "reaches another database"}
"""Functions a query may not call, and why (PostgreSQL's; the names mean the same
elsewhere or nothing). ``pg_advisory_*`` and ``pg_try_advisory_*`` take locks too."""

# sqlglot logs, rather than raises, when it falls back to an opaque Command; that
# statement is refused below with its own message
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def refusal(query: str, dialect: str) -> QueryError | None:
    """Why ``query`` is not exactly one read-only ``SELECT``; ``None`` when it is.

    Args:
        query: The SQL text, as the program file or ``.sql`` file holds it.
        dialect: SQLAlchemy's name of the warehouse's dialect (``postgresql``).
    """
    read = DIALECTS.get(dialect)
    try:
        tokens = sqlglot.tokenize(query, read=read)
        statements = [s for s in sqlglot.parse(query, read=read) if s is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        what = str(first.get("description", exc)).split(" <Token")[0]
        if first.get("highlight"):
            what += f" '{first['highlight']}'"
        column = first.get("col")  # sqlglot's column is the offending token's last character
        if column and first.get("highlight"):
            column = max(1, column - len(first["highlight"]) + 1)
        return QueryError(f"the query cannot be read as {read or 'SQL'}: {what}",
                          first.get("line"), column)
    except TokenError as exc:
        return QueryError(f"the query cannot be read as {read or 'SQL'}: {exc}")
    if len(statements) != 1:
        kinds = ", ".join(_kind(s) for s in statements)
        found = f"{len(statements)} statements ({kinds})" if statements else "none"
        return _at(query, _after_first_statement(tokens),
                   f"a warehouse query must be one SELECT statement; found {found}")
    statement = statements[0]
    for node in statement.walk():
        if isinstance(node, WRITING):
            return _at(query, _token_of(tokens, node), f"a warehouse query may only read; "
                       f"found {_kind(node)}")
        if isinstance(node, (exp.Anonymous, exp.Func)):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
            why = FUNCTIONS.get(name) or ("takes a lock" if "advisory" in name else None)
            if why is not None:
                start = node.meta.get("start")
                return _at(query, start, f"a warehouse query may only read; {name}() {why}")
    if not isinstance(statement, (exp.Select, exp.SetOperation, exp.Subquery)):
        return _at(query, tokens[0].start, "a warehouse query must be one SELECT statement; "
                   f"found {tokens[0].text.upper()}")
    return None


def _kind(node: exp.Expr) -> str:
    """How to name a statement or clause in a message: its first keywords."""
    if isinstance(node, exp.Into):
        return "SELECT INTO"
    if isinstance(node, exp.Lock):
        return "a locking clause (FOR UPDATE/FOR SHARE)"
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Transaction):
        return "BEGIN"
    return node.key.upper().replace("TRUNCATETABLE", "TRUNCATE")


_KEYWORDS: Final = {exp.Into: TokenType.INTO, exp.Lock: TokenType.FOR,
                    exp.Insert: TokenType.INSERT, exp.Update: TokenType.UPDATE,
                    exp.Delete: TokenType.DELETE, exp.Merge: TokenType.MERGE,
                    exp.Copy: TokenType.COPY, exp.Create: TokenType.CREATE,
                    exp.Drop: TokenType.DROP, exp.Alter: TokenType.ALTER,
                    exp.Commit: TokenType.COMMIT, exp.Rollback: TokenType.ROLLBACK,
                    exp.Set: TokenType.SET}


def _token_of(tokens: list[Token], node: exp.Expr) -> int | None:
    """Offset of the keyword that starts ``node``, when it can be told apart."""
    kind = next((t for k, t in _KEYWORDS.items() if isinstance(node, k)), None)
    found = next((t for t in tokens if t.token_type == kind), None)
    return found.start if found is not None else (tokens[0].start if tokens else None)


def _after_first_statement(tokens: list[Token]) -> int | None:
    """Offset of the second statement: the first token after a ``;`` that is not one."""
    seen = False
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            seen = True
        elif seen:
            return token.start
    return None


def _at(query: str, offset: int | None, message: str) -> QueryError:
    """``message`` at ``offset`` in ``query`` (1-based line and column)."""
    if offset is None:
        return QueryError(message)
    line = query.count("\n", 0, offset) + 1
    return QueryError(message, line, offset - (query.rfind("\n", 0, offset) + 1) + 1)
