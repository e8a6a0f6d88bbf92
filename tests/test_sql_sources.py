"""SQL sources run by DuckDB: results read like files, errors at their place, no escape.

A query in a pull request is code from a stranger: it may read the program's
own data files and nothing else, may not write, and its errors point at the
line and column of the query in the YAML or ``.sql`` file.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import TmpPlaybook

from playbook.engine import build, load_playbook
from playbook.load import sql
from playbook.load.bundle import Bundle

BOARD = "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n"
DECISIONS = "decided_on,unit,board\n" + "".join(
    f"2026-0{m}-{d:02d},u{d % 3},{int((d * m) % 4 != 0)}\n" for m in (1, 2, 3) for d in (3, 9, 14,
                                                                                        20, 27))


def _board(book: TmpPlaybook, source: str) -> None:
    book.edit("kpis.yml", BOARD, source)


def _mini(book: TmpPlaybook) -> tuple[Bundle, list[str]]:
    playbook, problems = load_playbook(book.root)
    bundle = playbook.get("mini")
    assert bundle is not None
    return bundle, [str(p) for p in problems.errors]


def _expected_share() -> dict[date, float]:
    """The share of decisions with the board per month, straight from the rows."""
    months: dict[date, list[int]] = {}
    for line in DECISIONS.splitlines()[1:]:
        day, _, board = line.split(",")
        months.setdefault(date.fromisoformat(day[:8] + "01"), []).append(int(board))
    return {m: 100 * sum(v) / len(v) for m, v in months.items()}


INLINE = """    source:
      query: |
        SELECT date_trunc('month', decided_on) AS month,
               100.0 * avg(board) AS pct
        FROM 'data/mini/decisions.csv'
        GROUP BY ALL
      date: month
      value: pct
"""


def test_an_inline_query_aggregates_raw_rows(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/decisions.csv", DECISIONS)
    tmp_playbook.path("data/mini/board_use.csv").unlink()
    _board(tmp_playbook, INLINE)
    bundle, errors = _mini(tmp_playbook)
    assert errors == []
    got = {o.date: o.value for o in bundle.series["board-use"]}
    assert got == pytest.approx(_expected_share(), abs=1e-12)


def test_a_query_file_beside_the_data(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/decisions.csv", DECISIONS)
    tmp_playbook.path("data/mini/board_use.csv").unlink()
    tmp_playbook.write("data/mini/board.sql", "-- share of decisions staffed from the board\n"
                       "SELECT date_trunc('month', decided_on) AS date, 100.0 * avg(board) "
                       "AS value\nFROM read_csv('data/mini/decisions.csv', header = true)\n"
                       "GROUP BY ALL\n")
    _board(tmp_playbook, "    source: {query_file: data/mini/board.sql}\n")
    bundle, errors = _mini(tmp_playbook)
    assert errors == []
    assert {o.date: o.value for o in bundle.series["board-use"]} == pytest.approx(
        _expected_share(), abs=1e-12)


@pytest.mark.parametrize("suffix", ["parquet", "jsonl"])
def test_parquet_and_json_lines_files(tmp_playbook: TmpPlaybook, suffix: str) -> None:
    csv_file = tmp_playbook.path("data/mini/board_use.csv")
    target = csv_file.with_suffix(f".{suffix}")
    fmt = "PARQUET" if suffix == "parquet" else "JSON"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_file}')) TO '{target}' (FORMAT {fmt})")
    before = load_playbook(tmp_playbook.root)[0].get("mini")
    assert before is not None
    csv_file.unlink()
    _board(tmp_playbook, f"    source: {{file: data/mini/board_use.{suffix}, date: month, "
           "value: pct}\n")
    bundle, errors = _mini(tmp_playbook)
    assert errors == []
    assert bundle.series["board-use"] == before.series["board-use"]


@pytest.mark.parametrize(("name", "sibling", "pattern"), [
    ("board[a].parquet", "boarda.parquet", "["),
    ("board*.jsonl", "board_2025.jsonl", "*"),
    ("board?.parquet", None, "?"),
])
def test_a_file_named_with_a_pattern_character_is_refused_by_name(
        tmp_playbook: TmpPlaybook, name: str, sibling: str | None, pattern: str) -> None:
    # read by DuckDB as a pattern, the name also matches its siblings, which the source may
    # not read: it loaded or failed by what else the folder held; now refused either way
    csv_file = tmp_playbook.path("data/mini/board_use.csv")
    fmt = "PARQUET" if name.endswith("parquet") else "JSON"
    for target in (name, sibling):
        if target is not None:
            duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_file}')) "
                       f"TO '{csv_file.with_name(target)}' (FORMAT {fmt})")
    csv_file.unlink()
    _board(tmp_playbook, f"    source: {{file: 'data/mini/{name}', date: month, "
           "value: pct}\n")
    bundle, errors = _mini(tmp_playbook)
    assert errors == [
        f"program/mini/kpis.yml:26:20: kpis[1].source.file: data/mini/{name} cannot be read: "
        f"DuckDB takes '{pattern}' in a file name as a pattern for other files' names "
        "(rename the file without any of * ? [ ] { })"]
    assert "board-use" not in bundle.series


def test_a_query_error_points_into_the_yaml_block(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/decisions.csv", DECISIONS)
    _board(tmp_playbook, INLINE.replace("avg(board)", "avg(bored)"))
    line = tmp_playbook.read("kpis.yml").splitlines().index(
        "               100.0 * avg(bored) AS pct") + 1
    _, errors = _mini(tmp_playbook)
    assert errors == [
        f"program/mini/kpis.yml:{line}:28: kpis[1].source.query: query error: Binder Error: "
        'Referenced column "bored" not found in FROM clause!; Candidate bindings: "board" '
        '(fix the query; it runs in DuckDB over the program\'s data files)']


def test_a_query_file_error_points_into_the_sql_file(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/decisions.csv", DECISIONS)
    tmp_playbook.write("data/mini/board.sql", "SELECT decided_on AS date,\n  board AS value\n"
                       "FROM 'data/mini/decisions.csv'\nWHERE unit = u1\n")
    _board(tmp_playbook, "    source: {query_file: data/mini/board.sql}\n")
    _, errors = _mini(tmp_playbook)
    assert errors == [
        "data/mini/board.sql:4:14: kpis[1].source: query error: Binder Error: Referenced "
        'column "u1" not found in FROM clause!; Candidate bindings: "unit" (fix the query; it '
        "runs in DuckDB over the program's data files)"]


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * FROM read_csv('/etc/passwd')",
     "the query may read only the files of its program's data folder; '/etc/passwd' is not "
     "one of them"),
    ("SELECT * FROM read_csv('data/mini/../../program/mini/program.yml')",
     "the query may read only the files of its program's data folder; "
     "'data/mini/../../program/mini/program.yml' is not one of them"),
    ("SELECT * FROM read_text('data/mini/outside.csv')",
     "the query may read only the files of its program's data folder; "
     "'data/mini/outside.csv' is not one of them"),
    ("COPY (SELECT 1) TO 'data/mini/board_use.csv'",
     "a source query must be one SELECT statement; found COPY"),
    ("SELECT 1 AS date; SELECT 2",
     "a source query must be one SELECT statement; found SELECT, SELECT"),
    ("ATTACH 'x.db'", "a source query must be one SELECT statement; found ATTACH"),
    ("INSTALL httpfs", "a source query must be one SELECT statement; found LOAD"),
    ("SELECT * FROM read_csv('https://example.com/x.csv')",
     "the query may read only the files of its program's data folder; "
     "'https://example.com/x.csv' is not one of them"),
])
def test_a_query_reads_only_its_own_data_and_writes_nothing(
        tmp_playbook: TmpPlaybook, tmp_path_factory: pytest.TempPathFactory, query: str,
        message: str) -> None:
    secret = tmp_path_factory.mktemp("outside") / "secret.csv"
    secret.write_text("token\nsk-live-1234\n", encoding="utf-8")
    os.symlink(secret, tmp_playbook.path("data/mini/outside.csv"))
    _board(tmp_playbook, f"    source: {{query: \"{query}\"}}\n")
    before = tmp_playbook.snapshot()
    _, errors = _mini(tmp_playbook)
    assert len(errors) == 1 and f"query error: {message}" in errors[0], errors
    assert "sk-live" not in errors[0]
    tmp_playbook.assert_unchanged(before)


def test_a_runaway_query_is_interrupted(tmp_path: Path) -> None:
    slow = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range < 0"
    result = sql.run(slow, tmp_path, [], "q", timeout=0.5)
    assert result == sql.QueryError("the query ran longer than 0 seconds and was stopped")


def test_bad_cells_in_a_result_are_named_by_result_row(tmp_playbook: TmpPlaybook) -> None:
    _board(tmp_playbook, "    source:\n      query: >-\n        SELECT month AS date, "
           "CASE WHEN pct > 40 THEN 'n/a' ELSE pct::VARCHAR END AS value\n        FROM "
           "'data/mini/board_use.csv' ORDER BY month\n")
    _, errors = _mini(tmp_playbook)
    line = tmp_playbook.read("kpis.yml").splitlines().index("      query: >-") + 1
    assert errors == [
        f"program/mini/kpis.yml:{line}:7: kpis[1].source.value: query result: 2 values in "
        "column 'value' cannot be read (result rows 3, 4); the first: 'n/a' in column 'value' "
        "is not a number (declare it as missing if it means 'not measured': read: {missing: "
        "['n/a']})"]


def test_a_query_returning_a_direct_identifier_is_refused(tmp_playbook: TmpPlaybook) -> None:
    _board(tmp_playbook, "    source: {query: \"SELECT month AS date, pct AS value, "
           "'a@b.example' AS email FROM 'data/mini/board_use.csv'\"}\n")
    _, errors = _mini(tmp_playbook)
    assert any("column 'email' looks like a direct identifier" in e for e in errors), errors


def test_data_files_a_query_names_are_not_unused(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/decisions.csv", DECISIONS)
    tmp_playbook.path("data/mini/board_use.csv").unlink()
    _board(tmp_playbook, INLINE)
    _, problems = load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems] == []


def test_a_source_needs_exactly_one_origin(tmp_playbook: TmpPlaybook) -> None:
    _board(tmp_playbook, "    source: {file: data/mini/board_use.csv, query: SELECT 1}\n")
    _, errors = _mini(tmp_playbook)
    assert len(errors) == 1
    assert errors[0].endswith("kpis[1].source: a source needs exactly one of `file`, `query` "
                              "and `query_file`, got file and query")


def test_a_counted_aggregate_over_too_few_people_is_withheld(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/team_scores.csv", "month,score,people\n"
                       "2026-01-31,41,12\n2026-02-28,44,3\n2026-03-31,52,9\n")
    _board(tmp_playbook, "    source: {file: data/mini/team_scores.csv, date: month, "
           "value: score, count: people}\n")
    _, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == [], problems.render()

    data, _ = build(tmp_playbook.root, date(2026, 4, 15))
    assert data is not None
    points = data.get("mini").figures.kpis["board-use"].points
    assert [(p.period.isoformat(), p.value, p.n, p.suppressed) for p in points] == [
        ("2026-01-01", 41.0, 12, False), ("2026-02-01", None, 3, True),
        ("2026-03-01", 52.0, 9, False)]


def test_count_is_for_aggregate_rows_only(tmp_playbook: TmpPlaybook) -> None:
    _board(tmp_playbook, "    source: {file: data/mini/board_use.csv, date: month, "
           "value: pct, count: pct, subject: month}\n")
    _, errors = _mini(tmp_playbook)
    assert len(errors) == 1 and errors[0].endswith(
        "kpis[1].source: `count` is for aggregate rows; person-level rows (`subject`) are "
        "counted by their distinct subjects"), errors


def test_a_result_too_large_to_hold_is_refused(tmp_path: Path) -> None:
    wide = "SELECT DATE '2026-01-01' AS date, repeat('x', 1000) AS value FROM range(60000)"
    assert sql.run(wide, tmp_path, [], "q") == sql.QueryError(
        "the query returned more than 50 MiB of text; aggregate in the query (GROUP BY date "
        "and group) and return only the columns the source maps")


def test_the_connection_is_locked_before_any_query(tmp_path: Path) -> None:
    con = sql._connect(tmp_path, ["data/p/a.csv"], str(tmp_path))
    try:
        settings = con.execute(
            "SELECT current_setting('lock_configuration'), "
            "current_setting('enable_external_access'), current_setting('allowed_paths'), "
            "current_setting('autoload_known_extensions')").fetchall()
        locked, external, allowed, autoload = settings[0]
        assert (locked, external, autoload) == (True, False, False)
        assert f"{tmp_path}/data/p/a.csv" in allowed
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.execute("SET enable_external_access = true")
    finally:
        con.close()


def test_a_same_named_file_in_the_working_folder_is_never_read(
        tmp_playbook: TmpPlaybook, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # DuckDB resolves a relative name against the working folder before its search path
    elsewhere = tmp_path_factory.mktemp("other-checkout")
    (elsewhere / "data" / "mini").mkdir(parents=True)
    (elsewhere / "data" / "mini" / "board_use.csv").write_text("month,pct\n2026-01-31,999\n",
                                                               encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    _board(tmp_playbook, "    source: {query: \"SELECT month AS date, pct AS value FROM "
           "'data/mini/board_use.csv'\"}\n")
    bundle, errors = _mini(tmp_playbook)
    assert errors == []
    assert [o.value for o in bundle.series["board-use"]] == [10.0, 22.0, 41.0, 55.0]
    assert os.getcwd() == str(elsewhere)  # and the working folder is given back


def test_a_query_over_small_files_runs_on_one_thread(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads pay for themselves on large scans only (``sql.PARALLEL_BYTES``)."""
    monkeypatch.setattr(sql, "_threads", 2)
    (tmp_path / "small.csv").write_text("a\n1\n", encoding="utf-8")
    with (tmp_path / "large.parquet").open("wb") as fh:
        fh.truncate(sql.PARALLEL_BYTES)  # sparse: no 64 MB written
    assert sql.threads(tmp_path, ["small.csv"]) == 1
    assert sql.threads(tmp_path, ["small.csv", "large.parquet", "gone.csv"]) == 2
    assert sql.threads(tmp_path, []) == 1
