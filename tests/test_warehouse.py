"""A source that runs in a real PostgreSQL server, kept as a snapshot by ``playbook pull``.

The server is Debian's PostgreSQL, started for the session (``tests/pg.py``);
nothing is mocked. An HRIS turnover report lives in the warehouse as one row
per unit and month, units are assigned to pilot or comparison by a lookup
table, and the KPI is leavers ÷ average FTE pooled over units: one query,
checked against pandas over the same rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

import pytest
from conftest import RunCli, TmpPlaybook
from pg import Warehouse, turnover

from playbook.engine import load_playbook
from playbook.load.results import FLOAT_DIGITS, cell_text

ENV = "PLAYBOOK_TEST_WAREHOUSE_URL"
BOARD = "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n"
TURNOVER = """SELECT h.period AS month, u.arm AS cohort,
       100.0 * sum(h.leavers) / sum(h.fte) AS turnover_pct
FROM hris_turnover h JOIN units u ON u.unit = h.unit
GROUP BY h.period, u.arm
ORDER BY 1, 2"""


@pytest.fixture(scope="module")
def warehouse() -> Iterator[Warehouse]:
    """A running server holding a turnover report, and its roles."""
    with turnover() as found:
        yield found


def _connect(book: TmpPlaybook, query: str = TURNOVER, settings: str = "") -> None:
    book.write("./playbook.yml", f"connections:\n  warehouse:\n    env: {ENV}\n"
               f"    description: HR analytics warehouse, read-only role\n{settings}")
    book.path("data/mini/board_use.csv").unlink()
    indented = "\n".join("        " + line for line in query.splitlines())
    book.edit("kpis.yml", BOARD, "    source:\n      connection: warehouse\n      query: |\n"
              f"{indented}\n      date: month\n      value: turnover_pct\n      group: cohort\n")


def test_pull_keeps_the_warehouse_result_and_the_site_reads_it(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    url, rows = warehouse.reader, warehouse.rows
    _connect(tmp_playbook)
    _, before = load_playbook(tmp_playbook.root)
    assert [p.message for p in before.errors] == [
        "no snapshot of the warehouse query yet ('data/mini/snapshots/board-use.csv')"]
    monkeypatch.setenv(ENV, url)
    code, out, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 0, err
    assert out == "data/mini/snapshots/board-use.csv: 18 row(s) from connection 'warehouse'\n"
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    got = {(o.date.isoformat(), o.group): o.value for o in bundle.series["board-use"]}
    pooled = rows.groupby(["period", "arm"])[["leavers", "fte"]].sum()
    expected = {(d.isoformat(), arm): 100 * r.leavers / r.fte for (d, arm), r in
                pooled.iterrows()}
    assert got == pytest.approx(expected, rel=1e-12)
    everything = "".join(f.read_text(encoding="utf-8", errors="replace")
                         for f in tmp_playbook.root.rglob("*") if f.is_file())
    assert url not in everything and "127.0.0.1" not in everything
    assert tmp_playbook.read("data/mini/snapshots/board-use.csv").startswith(
        "month,cohort,turnover_pct\n2026-01-01,comparison,")


def test_pull_needs_the_environment_variable(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook)
    monkeypatch.delenv(ENV, raising=False)
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 2
    assert f"set {ENV} to the SQLAlchemy URL of connection 'warehouse'" in err


def test_a_bad_query_writes_nothing_and_names_its_line(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook, TURNOVER.replace("sum(h.fte)", "sum(h.ftee)"))
    monkeypatch.setenv(ENV, warehouse.reader)
    before = tmp_playbook.snapshot()
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 1
    line = tmp_playbook.read("kpis.yml").splitlines().index(
        "               100.0 * sum(h.leavers) / sum(h.ftee) AS turnover_pct") + 1
    assert (f"program/mini/kpis.yml:{line}:45: kpis[1].source.query: query error: column "
            "h.ftee does not exist; HINT:  Perhaps you meant to reference the column "
            '"h.fte".') in err, err
    assert "no snapshot written" in err, err
    tmp_playbook.assert_unchanged(before)


def test_only_the_columns_the_kpi_reads_are_kept(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook, "SELECT h.unit, h.period AS month, u.arm AS cohort, h.leavers, "
             "h.fte AS turnover_pct, 'x' AS cohort_note\nFROM hris_turnover h JOIN units u "
             "ON u.unit = h.unit WHERE h.period = '2026-01-01' AND u.arm = 'pilot' "
             "AND h.unit = 'U00'")
    monkeypatch.setenv(ENV, warehouse.reader)
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 0, err
    fte = float(warehouse.rows.query("unit == 'U00'")["fte"].iloc[0])
    assert tmp_playbook.read("data/mini/snapshots/board-use.csv") == (
        f"month,cohort,turnover_pct\n2026-01-01,pilot,{fte!r}\n")


def test_a_result_with_a_direct_identifier_is_not_kept(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook, "SELECT period AS month, 'pilot' AS cohort, fte AS turnover_pct, "
             "unit || '@corp.example' AS email FROM hris_turnover")
    monkeypatch.setenv(ENV, warehouse.reader)
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 1
    assert "column 'email' looks like a direct identifier" in err
    assert not tmp_playbook.path("data/mini/snapshots").exists()


def test_an_undeclared_connection_is_an_error_at_the_source(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _connect(tmp_playbook)
    tmp_playbook.write("./playbook.yml", f"connections:\n  lake:\n    env: {ENV}\n")
    line = tmp_playbook.read("kpis.yml").splitlines().index("      connection: warehouse") + 1
    _, problems = load_playbook(tmp_playbook.root)
    assert f"program/mini/kpis.yml:{line}:19: kpis[1].source.connection: no connection " \
           "'warehouse' in playbook.yml (declared: lake) (declare it: connections: " \
           "{warehouse: {env: PLAYBOOK_WAREHOUSE_URL}})" in [str(p) for p in problems.errors]
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 2
    assert err == ("playbook pull: program/mini/kpis.yml: KPI 'board-use' names connection "
                   "'warehouse', which playbook.yml does not declare\n")


def test_a_missing_query_file_is_reported_once(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook)
    text = tmp_playbook.read("kpis.yml")
    start = text.index("      query: |")
    end = text.index("      date: month", start)
    tmp_playbook.write("kpis.yml", text[:start] + "      query_file: data/mini/gone.sql\n"
                       + text[end:])
    kpis = tmp_playbook.read("kpis.yml")
    at = kpis.index("  - id: leader-360")  # a second warehouse source, after the first
    tmp_playbook.write("kpis.yml", kpis[:at] + kpis[at:].replace(
        "      file: data/mini/leader_360.csv", "      connection: warehouse\n"
        "      query: SELECT 1", 1))
    monkeypatch.setenv(ENV, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 1
    assert err.count("data file 'data/mini/gone.sql' does not exist") == 1, err
    # the second source's error is the warehouse's: nothing listens there, no query ran
    assert "kpis[2].source.connection: connection 'warehouse': cannot connect: " in err, err
    assert "fix the query" not in err


def test_a_failed_login_says_so_and_not_to_fix_the_query(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook)
    monkeypatch.setenv(ENV, warehouse.reader.replace("//reader@", "//nobody@"))
    before = tmp_playbook.snapshot()
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 1
    line = tmp_playbook.read("kpis.yml").splitlines().index("      connection: warehouse") + 1
    (problem,) = [p for p in err.splitlines() if p.startswith("program/")]
    assert problem.startswith(f"program/mini/kpis.yml:{line}:19: kpis[1].source.connection: "
                              "connection 'warehouse': cannot connect: ")
    assert 'role "nobody" does not exist' in problem
    assert problem.endswith(f"(check the URL in {ENV}: host, port, database, user and "
                            "password (the query was not run))")
    assert "fix the query" not in err
    tmp_playbook.assert_unchanged(before)


@pytest.mark.parametrize(("value", "written"), [
    (0.1 + 0.2, "0.3"), (1 / 3, "0.333333333333333"), (2.675, "2.675"), (3.0, "3"),
    (-0.0, "-0"), (1e-7, "1e-07"), (123456.78901234567, "123456.789012346"),
    (1e300, "1e+300"), (float("inf"), "inf"), (float("nan"), "nan"),
    (Decimal("0.30000000000000004"), "0.30000000000000004"),  # exact in the warehouse: kept
])
def test_a_float_result_keeps_fifteen_significant_digits(value: object, written: str) -> None:
    """Every float a query returns (warehouse or DuckDB) is written by one function."""
    assert cell_text(value) == written
    if isinstance(value, float) and math.isfinite(value):
        assert float(written) == pytest.approx(value, rel=10.0 ** (1 - FLOAT_DIGITS))


def test_a_snapshot_holds_no_arithmetic_noise(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook, "SELECT h.period AS month, u.arm AS cohort, "
             "0.1::float8 + 0.2::float8 AS turnover_pct\nFROM hris_turnover h JOIN units u "
             "ON u.unit = h.unit WHERE h.period = '2026-01-01' AND h.unit = 'U00'")
    monkeypatch.setenv(ENV, warehouse.reader)
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 0, err
    assert tmp_playbook.read("data/mini/snapshots/board-use.csv").splitlines()[1:] == [
        "2026-01-01,pilot,0.3"]
