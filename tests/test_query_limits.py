"""What a query may cost and show: rows and text bounded while the result is made, a
build's query time budgeted, and no path of the machine in an error or a result.

DuckDB holds a query's whole result before the first row is fetched, and its
memory limit does not count it, so the bounds are checked inside the query
(``sql._bounded``); the warehouse's rows are checked as they stream in
(``results.collect``). Both stop with the same messages.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook.load import results, sql
from playbook.load.results import QueryError, collect, scrub

ROWS = ("the query returned more than {:,} rows; aggregate in the query (GROUP BY date and "
        "group) and return only the columns the source maps")
TEXT = ("the query returned more than {} MiB of text; aggregate in the query (GROUP BY date "
        "and group) and return only the columns the source maps")


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT i AS date FROM range(1000000000) t(i)", ROWS.format(1_000_000)),
    ("SELECT repeat('x', 100000) AS value FROM range(1000000)", TEXT.format(50)),
    ("SELECT " + ", ".join(f"NULL AS c{n}" for n in range(60)) + " FROM range(999999)",
     TEXT.format(50)),
], ids=["a billion rows", "100 GB of text", "empty cells"])
def test_a_huge_result_is_stopped_while_it_is_made(tmp_path: Path, query: str,
                                                   message: str) -> None:
    started = time.monotonic()
    assert sql.run(query, tmp_path, [], "q") == QueryError(message)
    assert time.monotonic() - started < 30  # stopped early, not after making it whole


@pytest.mark.parametrize(("rows", "refused"), [(100, False), (101, True)])
def test_the_row_limit_holds_to_the_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        rows: int, refused: bool) -> None:
    monkeypatch.setattr(results, "MAX_ROWS", 100)
    got = sql.run(f"SELECT i AS date FROM range({rows}) t(i)", tmp_path, [], "q")
    assert got == QueryError(ROWS.format(100)) if refused else len(got.rows) == rows


def test_the_text_limit_counts_each_cell(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "MAX_TEXT", 2 * 1024 * 1024)
    wide = "SELECT repeat('x', 1000) AS v FROM range(3000)"
    assert sql.run(wide, tmp_path, [], "q") == QueryError(TEXT.format(2))
    empty = "SELECT NULL AS a, NULL AS b, NULL AS c FROM range(400000)"
    assert sql.run(empty, tmp_path, [], "q") == QueryError(TEXT.format(2))
    small = "SELECT repeat('x', 1000) AS v FROM range(1000)"
    table = sql.run(small, tmp_path, [], "q")
    assert not isinstance(table, QueryError) and len(table.rows) == 1000


def _endless(fetched: list[int], width: int = 10) -> Iterator[list[tuple[str, ...]]]:
    """Chunks of 60 rows without end, counting how many were fetched."""
    while True:
        fetched.append(1)
        yield [("x" * width,)] * 60


@pytest.mark.parametrize(("limit", "value", "message"), [
    ("MAX_ROWS", 100, ROWS.format(100)), ("MAX_TEXT", 1024 * 1024, TEXT.format(1))])
def test_streamed_rows_are_checked_as_they_come(monkeypatch: pytest.MonkeyPatch, limit: str,
                                                value: int, message: str) -> None:
    monkeypatch.setattr(results, limit, value)
    fetched: list[int] = []
    assert collect(["v"], _endless(fetched, 10_000), "q") == QueryError(message)
    assert len(fetched) <= 2  # no chunk fetched past the one that crossed the limit


def test_a_build_has_a_budget_of_query_time(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "BUILD_SECONDS", 1.0)
    sql.start_build()
    slow = ("SELECT count(*) FROM range(100000000) a, range(100000000) b "
            "WHERE a.range + b.range < 0")
    assert sql.run(slow, tmp_path, [], "q") == QueryError(
        "the queries of this build ran for 1 seconds in all, the most a build may spend on "
        "them, and this one was stopped (make the slowest queries cheaper)")
    assert sql.run("SELECT 1 AS date", tmp_path, [], "q") == QueryError(
        "the queries of this build have run for 1 seconds in all, the most a build may spend "
        "on them; this one was not run (make the slowest queries cheaper)")
    sql.start_build()  # the next build starts with the whole budget
    assert not isinstance(sql.run("SELECT 1 AS date", tmp_path, [], "q"), QueryError)


@pytest.mark.parametrize("setting", ["temp_directory", "file_search_path", "allowed_paths",
                                     "home_directory", "extension_directory"])
def test_a_result_holding_a_folder_of_the_machine_is_refused(tmp_path: Path,
                                                             setting: str) -> None:
    query = (f"SELECT current_setting('{setting}')::VARCHAR AS g, 'x' AS label "
             "UNION ALL SELECT 'x', 'y'")
    got = sql.run(query, tmp_path, ["data/p/a.csv"], "q")
    if isinstance(got, QueryError):
        assert got == QueryError(
            "result row 1, column 'g' holds a folder of the machine that ran the query; a "
            "source returns measurements, not the database's settings or files")
    else:  # the setting holds no folder of this machine (DuckDB left it empty)
        assert got.rows[0][1][0] in ("", "[]"), got.rows[0]


def test_an_error_names_files_relative_to_the_playbook(tmp_path: Path) -> None:
    got = sql.run(f"SELECT * FROM read_csv('{tmp_path}/data/p/gone.csv')", tmp_path,
                  ["data/p/a.csv"], "q")
    assert got == QueryError("the query may read only the files of its program's data "
                             "folder; 'data/p/gone.csv' is not one of them")


def test_scrub_leaves_no_absolute_path_of_the_machine() -> None:
    home = os.path.expanduser("~")
    message = (f"cannot open /srv/build/x/data/p/a.csv; spill to {home}/.duckdb/tmp/b.block "
               "failed; see /var/lib/postgresql/run/.s.PGSQL.5432 and /etc/passwd; kept: "
               "https://example.com/a/b, 12/3/2026, a/b/c, sq/roots, 10 / 2, /")
    assert scrub(message, "/srv/build/x", written="SELECT * FROM '/etc/passwd'") == (
        "cannot open data/p/a.csv; spill to …/.duckdb/tmp/b.block failed; see "
        "…/.s.PGSQL.5432 and /etc/passwd; kept: https://example.com/a/b, 12/3/2026, a/b/c, "
        "sq/roots, 10 / 2, /")


@pytest.mark.parametrize("text", ["/" + "a" * 200_000, " /a" * 100_000, "/a/" * 100_000,
                                  "-/" + "a/" * 100_000 + " " * 100_000])
def test_scrub_takes_linear_time(text: str) -> None:
    started = time.monotonic()
    scrub(text, "/srv/build/x")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT 1 AS date;", [["1"]]),
    ("SELECT 1 AS date -- the end", [["1"]]),
    ("/* a */ WITH x AS (SELECT 1 AS date) SELECT * FROM x;\n-- after", [["1"]]),
    ("SELECT * FROM range(3) ORDER BY 1 DESC LIMIT 2", [["2"], ["1"]]),
    ("SELECT 1 AS date UNION ALL SELECT 2 ORDER BY 1 DESC", [["2"], ["1"]]),
    ("SELECT 1 AS a, 2 AS a", [["1", "2"]]),
], ids=["semicolon", "comment", "with", "order", "union", "same names"])
def test_a_bounded_query_returns_what_the_query_does(tmp_path: Path, query: str,
                                                     expected: list[list[str]]) -> None:
    got = sql.run(query, tmp_path, [], "q")
    assert not isinstance(got, QueryError), got
    assert [cells for _, cells in got.rows] == expected


def test_an_error_in_a_bounded_query_is_placed_as_written(tmp_path: Path) -> None:
    got = sql.run("-- weekly\n\n  SELECT nope FROM range(1) -- x\n ;  -- end", tmp_path, [], "q")
    assert got == QueryError('Binder Error: Referenced column "nope" not found in FROM clause!; '
                             'Candidate bindings: "range"', 3, 10)
