"""The parser's verdict on a warehouse query, without a warehouse: what reads is accepted in
each dialect, and every kind of statement or clause that writes is refused where it is.

The same rule is tried against a real PostgreSQL server in ``test_warehouse_readonly.py``.
"""

from __future__ import annotations

import pytest

from playbook.load.results import QueryError
from playbook.load.statement import refusal

READING = [
    ("postgresql", "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r "
                   "WHERE n < 3) SELECT * FROM r"),
    ("postgresql", "SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b"),
    ("postgresql", "SELECT count(*) FILTER (WHERE a > 1) AS n FROM t WHERE b ~ '^x'"),
    ("postgresql", "SELECT * FROM t, LATERAL (SELECT 1) s"),
    ("postgresql", "SELECT date_trunc('month', d)::date AS month, $$a;b$$ AS c FROM t;"),
    ("postgresql", "(SELECT 1) UNION (SELECT 2) EXCEPT SELECT 3"),
    ("postgresql", "SELECT 1 /* ; DELETE FROM t */ -- ; DROP TABLE t"),
    ("postgresql", "SELECT pg_sleep(1)"),  # slow, not writing: the timeout stops it
    ("snowflake", "SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY b) = 1"),
    ("bigquery", "SELECT a FROM `p.d.t`"),
    ("mssql", "SELECT TOP 10 a FROM t"),
    ("sqlite", "SELECT 1"),
    ("some-other-dialect", "SELECT 1"),
]

WRITING = [
    ("snowflake", "SELECT 1; DROP TABLE x", 1, 11,
     "a warehouse query must be one SELECT statement; found 2 statements (SELECT, DROP)"),
    ("postgresql", "SELECT 1\n;\n  DELETE FROM t", 3, 3,
     "a warehouse query must be one SELECT statement; found 2 statements (SELECT, DELETE)"),
    ("postgresql", ";", None, None, "a warehouse query must be one SELECT statement; found none"),
    ("bigquery", "DELETE FROM d.t WHERE true", 1, 1,
     "a warehouse query may only read; found DELETE"),
    ("mssql", "SELECT * INTO x FROM y", 1, 10,
     "a warehouse query may only read; found SELECT INTO"),
    ("mssql", "EXEC sp_who", 1, 1, "a warehouse query may only read; found EXECUTE"),
    ("snowflake", "CALL proc()", 1, 1, "a warehouse query may only read; found CALL"),
    ("snowflake", "COPY INTO @stage FROM t", 1, 1, "a warehouse query may only read; found COPY"),
    ("bigquery", "EXPORT DATA OPTIONS(uri='gs://x') AS SELECT 1", 1, 1,
     "a warehouse query may only read; found EXPORT"),
    ("mysql", "SELECT a FROM t INTO OUTFILE '/tmp/x'", 1, 17,
     "the query cannot be read as mysql: Invalid expression / Unexpected token 'INTO'"),
    ("postgresql", "WITH x AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM x", 1, 12,
     "a warehouse query may only read; found INSERT"),
    ("postgresql", "SELECT (SELECT x FROM t FOR UPDATE) AS y", 1, 25,
     "a warehouse query may only read; found a locking clause (FOR UPDATE/FOR SHARE)"),
    ("postgresql", "SELECT * FROM t FOR KEY SHARE", 1, 17,
     "a warehouse query may only read; found a locking clause (FOR UPDATE/FOR SHARE)"),
    ("postgresql", "SELECT * FROM dblink('host=x', 'DELETE FROM t') AS t(a int)", 1, 15,
     "a warehouse query may only read; dblink() reaches another database"),
    ("postgresql", "SELECT * FROM pg_catalog.pg_read_file('/etc/passwd') f", 1, 26,
     "a warehouse query may only read; pg_read_file() reads the server's files"),
    ("postgresql", "SELECT pg_try_advisory_lock(1)", 1, 8,
     "a warehouse query may only read; pg_try_advisory_lock() takes a lock"),
    ("postgresql", "SELECT query_to_xml('DELETE FROM t', true, true, '')", 1, 8,
     "a warehouse query may only read; query_to_xml() runs SQL text"),
    ("postgresql", "EXPLAIN ANALYZE DELETE FROM t", 1, 1,
     "a warehouse query may only read; found EXPLAIN"),
    ("postgresql", "VALUES (1)", 1, 1,
     "a warehouse query must be one SELECT statement; found VALUES"),
    ("postgresql", "NOTIFY x", 1, 1,
     "a warehouse query must be one SELECT statement; found NOTIFY"),
    ("postgresql", "SELECT 1 FROM WHERE", 1, 15,
     "the query cannot be read as postgres: Expected table name but got 'WHERE'"),
]


@pytest.mark.parametrize(("dialect", "query"), READING)
def test_a_query_that_only_reads_is_accepted(dialect: str, query: str) -> None:
    assert refusal(query, dialect) is None


@pytest.mark.parametrize(("dialect", "query", "line", "column", "message"), WRITING,
                         ids=[q for _, q, _, _, _ in WRITING])
def test_a_query_that_may_write_is_refused_where_it_does(
        dialect: str, query: str, line: int | None, column: int | None, message: str) -> None:
    assert refusal(query, dialect) == QueryError(message, line, column)
