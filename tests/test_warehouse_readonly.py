"""The warehouse is read-only in fact: every way a source query could change it, tried on a
real PostgreSQL server (``tests/pg.py``), is refused or stopped and changes nothing.

Each hostile query is tried three times: as ``pull`` runs it (refused by the parser
with a located message), with the parser switched off (the read-only session and
the one-statement protocol refuse it on their own), and with the parser and the
role check off, as a role that can write (the session alone still holds).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from conftest import RunCli, TmpPlaybook
from pg import Warehouse, state, turnover
from test_warehouse import ENV, _connect

from playbook.load import postgres, results, statement

MARKER = "/tmp/playbook-warehouse-marker"
"""The file ``COPY … TO PROGRAM`` would create: it must never appear."""

HOSTILE = [
    ("SELECT 1 AS month; COMMIT; CREATE TABLE t (x int)", (1, 20),
     "a warehouse query must be one SELECT statement; found 3 statements (SELECT, COMMIT, "
     "CREATE)"),
    ("SELECT 1 AS month;\nGRANT INSERT ON units TO reader", (2, 1),
     "a warehouse query must be one SELECT statement; found 2 statements (SELECT, GRANT)"),
    ("COMMIT", (1, 1), "a warehouse query may only read; found COMMIT"),
    ("CREATE TABLE t (x int)", (1, 1), "a warehouse query may only read; found CREATE"),
    ("DROP TABLE units", (1, 1), "a warehouse query may only read; found DROP"),
    ("ALTER TABLE units ADD COLUMN x int", (1, 1), "a warehouse query may only read; found ALTER"),
    ("TRUNCATE hris_turnover", (1, 1), "a warehouse query may only read; found TRUNCATE"),
    ("INSERT INTO units VALUES ('U99', 'pilot')", (1, 1),
     "a warehouse query may only read; found INSERT"),
    ("UPDATE hris_turnover SET fte = 0", (1, 1), "a warehouse query may only read; found UPDATE"),
    ("DELETE FROM hris_turnover RETURNING period AS month, unit AS cohort, fte AS turnover_pct",
     (1, 1), "a warehouse query may only read; found DELETE"),
    ("WITH gone AS (DELETE FROM hris_turnover RETURNING *)\nSELECT period AS month FROM gone",
     (1, 15), "a warehouse query may only read; found DELETE"),
    ("SELECT * INTO kept FROM hris_turnover", (1, 10),
     "a warehouse query may only read; found SELECT INTO"),
    ("SELECT period AS month FROM hris_turnover FOR UPDATE", (1, 43),
     "a warehouse query may only read; found a locking clause (FOR UPDATE/FOR SHARE)"),
    (f"COPY (SELECT 1) TO PROGRAM 'touch {MARKER}'", (1, 1),
     "a warehouse query may only read; found COPY"),
    ("SELECT set_config('default_transaction_read_only', 'off', false) AS month", (1, 8),
     "a warehouse query may only read; set_config() changes a setting"),
    ("SELECT nextval('units_seq') AS month", (1, 8),
     "a warehouse query may only read; nextval() changes a sequence"),
    ("DO $$ BEGIN DELETE FROM units; END $$", (1, 1), "a warehouse query may only read; found DO"),
    ("SET ROLE postgres", (1, 1), "a warehouse query may only read; found SET"),
    ("SELECT pg_read_file('/etc/hostname') AS month", (1, 8),
     "a warehouse query may only read; pg_read_file() reads the server's files"),
]


@pytest.fixture(scope="module")
def warehouse() -> Iterator[Warehouse]:
    """A running server holding a turnover report, and its roles."""
    with turnover() as found:
        yield found


@pytest.fixture(autouse=True)
def no_marker() -> Iterator[None]:
    Path(MARKER).unlink(missing_ok=True)
    yield
    assert not Path(MARKER).exists(), "COPY … TO PROGRAM ran a command"


def _pull(book: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, url: str,
          query: str, settings: str = "") -> tuple[int, str]:
    _connect(book, query, settings)
    monkeypatch.setenv(ENV, url)
    code, _, err = run_cli("pull", "--dir", book.root)
    return code, err


def _at(book: TmpPlaybook, line: int, column: int) -> str:
    """Where line ``line``, column ``column`` of the query is in kpis.yml (indented by 8)."""
    first = book.read("kpis.yml").splitlines().index("      query: |") + 2
    return f"program/mini/kpis.yml:{first + line - 1}:{8 + column}: kpis[1].source.query"


@pytest.mark.parametrize(("query", "where", "message"), HOSTILE, ids=[q for q, _, _ in HOSTILE])
def test_a_query_that_is_not_one_select_is_refused_where_it_is_written(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch, query: str, where: tuple[int, int],
        message: str) -> None:
    before = state(warehouse.admin)
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, warehouse.reader, query)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{_at(tmp_playbook, *where)}: query error: {message} (fix the query; it runs in the "
        "warehouse of connection 'warehouse')"), err
    assert state(warehouse.admin) == before
    assert not tmp_playbook.path("data/mini/snapshots").exists()


@pytest.mark.parametrize("as_writer", [False, True], ids=["reader", "writer, no role check"])
@pytest.mark.parametrize(("query", "where", "message"), HOSTILE, ids=[q for q, _, _ in HOSTILE])
def test_the_server_refuses_what_the_parser_would_miss(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch, query: str, where: tuple[int, int], message: str,
        as_writer: bool) -> None:
    monkeypatch.setattr(statement, "refusal", lambda query, dialect: None)
    if as_writer:
        monkeypatch.setattr(postgres, "role_refusal", lambda raw: None)
    before = state(warehouse.admin)
    url = warehouse.writer if as_writer else warehouse.reader
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, url, query)
    assert code == 1, err
    assert state(warehouse.admin) == before
    assert not tmp_playbook.path("data/mini/snapshots").exists()


@pytest.mark.parametrize(("role", "message"), [
    ("admin", "the warehouse role 'postgres' is a superuser"),
    ("writer", "the warehouse role 'writer' can write to public.hris_turnover"),
])
def test_a_role_that_can_do_more_than_read_is_refused_before_the_query_runs(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch, role: str, message: str) -> None:
    before = state(warehouse.admin)
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, getattr(warehouse, role),
                      "SELECT period AS month, 'pilot' AS cohort, fte AS turnover_pct "
                      "FROM hris_turnover")
    line = tmp_playbook.read("kpis.yml").splitlines().index("      connection: warehouse") + 1
    assert code == 1
    assert err.splitlines()[0] == (
        f"program/mini/kpis.yml:{line}:19: kpis[1].source.connection: {message} (give "
        "connection 'warehouse' a role that can only SELECT)")
    assert state(warehouse.admin) == before
    assert not tmp_playbook.path("data/mini/snapshots").exists()


@pytest.mark.parametrize("query", [
    "SELECT pg_sleep(30)::text AS month, 'pilot' AS cohort, 1 AS turnover_pct",
    "SELECT max(a)::text AS month, 'pilot' AS cohort, 1 AS turnover_pct "
    "FROM generate_series(1, 10000000000) a",
], ids=["sleep", "cpu"])
def test_a_slow_query_is_stopped_at_the_connection_timeout(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    started = time.monotonic()
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, warehouse.reader, query,
                      "    timeout: 0.5\n")
    assert time.monotonic() - started < 15
    assert code == 1
    line = tmp_playbook.read("kpis.yml").splitlines().index("      query: |") + 1
    assert err.splitlines()[0] == (
        f"program/mini/kpis.yml:{line}:14: kpis[1].source.query: query error: the query ran "
        "longer than 0.5 seconds (the connection's timeout) and was stopped (fix the query; it "
        "runs in the warehouse of connection 'warehouse')"), err


def test_an_error_shows_no_path_of_the_machine(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    socket = tmp_path / "no-server"
    socket.mkdir()
    code, err = _pull(tmp_playbook, run_cli, monkeypatch,
                      f"postgresql+psycopg://nobody@/none?host={socket}",
                      "SELECT 1 AS month")
    assert code == 1
    assert ("connection 'warehouse': cannot connect: connection is bad: connection to "
            'server on socket "…/.s.PGSQL.5432" failed: No such file or directory') in err, err
    assert str(tmp_path) not in err and "/tmp/" not in err


def test_another_warehouse_gets_the_same_parser(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    db = tmp_path / "lake.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (month TEXT, cohort TEXT, pct REAL, unit TEXT)")
        conn.exec_driver_sql("INSERT INTO t VALUES ('2026-01-01', 'pilot', 4.5, 'U1')")
    engine.dispose()
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, f"sqlite:///{db}",
                      "DELETE FROM t RETURNING month, cohort, pct AS turnover_pct")
    assert code == 1
    assert "query error: a warehouse query may only read; found DELETE" in err
    tmp_playbook.edit("kpis.yml", "DELETE FROM t RETURNING month, cohort, pct AS turnover_pct",
                      "SELECT month, cohort, pct AS turnover_pct, unit FROM t")
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 0, err
    assert tmp_playbook.read("data/mini/snapshots/board-use.csv") == (
        "month,cohort,turnover_pct\n2026-01-01,pilot,4.5\n")


def test_copy_to_program_as_a_superuser_is_refused_even_without_the_parser(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statement, "refusal", lambda query, dialect: None)
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, warehouse.admin,
                      f"COPY (SELECT 1) TO PROGRAM 'touch {MARKER}'")
    assert code == 1
    assert "kpis[1].source.connection: the warehouse role 'postgres' is a superuser" in err
    # and the marker file is not there: the autouse fixture checks


def test_a_wide_result_is_stopped_row_by_row(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "MAX_TEXT", 1024 * 1024)
    fetched: list[int] = []
    stream = postgres.collect

    def counting(header: list[str], chunks: Iterator[list[object]], *args: object,
                 **kwargs: object) -> object:
        def counted() -> Iterator[list[object]]:
            for chunk in chunks:
                fetched.append(len(chunk))
                yield chunk
        return stream(header, counted(), *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(postgres, "collect", counting)
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, warehouse.reader,
                      "SELECT period AS month, 'pilot' AS cohort, repeat('x', 400000) AS "
                      "turnover_pct FROM hris_turnover")
    assert code == 1
    assert ("query error: the query returned more than 1 MiB of text; aggregate in the query "
            "(GROUP BY date and group) and return only the columns the source maps") in err, err
    assert fetched == [1, 1, 1]  # the third row crossed the limit; no fourth was read


def test_an_empty_result_keeps_its_columns(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = _pull(tmp_playbook, run_cli, monkeypatch, warehouse.reader,
                      "SELECT period AS month, 'pilot' AS cohort, fte AS turnover_pct "
                      "FROM hris_turnover WHERE false")
    assert code == 0, err
    assert tmp_playbook.read("data/mini/snapshots/board-use.csv") == (
        "month,cohort,turnover_pct\n")
