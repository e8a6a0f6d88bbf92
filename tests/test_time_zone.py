"""The same commit gives the same figures in every time zone: DuckDB runs in UTC.

A timestamp that ends in ``Z`` is time-zone-aware in DuckDB, and its date and
``date_trunc('week', …)`` follow the session's zone, which DuckDB takes from
the machine. Each case runs in a child process whose ``TZ`` is set, because
DuckDB reads it when a process opens its first connection.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playbook.load import sql

ZONES = ("Pacific/Auckland", "America/Los_Angeles")
"""A zone ahead of UTC and one behind it: a day's late and early hours change dates."""
EVENTS = "happened_at,learner\n" + "".join(
    f"2026-03-0{d}T23:30:00Z,p{d}\n2026-03-0{d}T00:30:00Z,q{d}\n" for d in range(1, 9))
QUERY = ("SELECT CAST(date_trunc('week', CAST(happened_at AS TIMESTAMPTZ)) AS DATE)::VARCHAR "
         "AS week, CAST(CAST(happened_at AS TIMESTAMPTZ) AS DATE)::VARCHAR AS day, "
         "current_setting('TimeZone') AS zone "
         "FROM read_csv('data/x/events.csv', all_varchar = true) ORDER BY happened_at")
PROBE = """
import json, sys
from pathlib import Path
from playbook.load import columnar, sql
root = Path(sys.argv[1])
table = sql.run(sys.argv[2], root, ["data/x/events.csv"], "events")
print(json.dumps([cells for _, cells in table.rows]))
print(columnar._connection().execute("SELECT current_setting('TimeZone')").fetchone()[0])
"""


@pytest.fixture(scope="module")
def playbook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zones")
    (root / "data" / "x").mkdir(parents=True)
    (root / "data" / "x" / "events.csv").write_text(EVENTS, encoding="utf-8")
    return root


def _in_zone(root: Path, zone: str) -> tuple[list[list[str]], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(root), QUERY],
                          env={**os.environ, "TZ": zone}, capture_output=True, text=True,
                          check=True, timeout=120)
    rows, shared = done.stdout.splitlines()
    return json.loads(rows), shared


@pytest.fixture(scope="module")
def in_utc(playbook_root: Path) -> list[list[str]]:
    """The rows on a machine whose zone is UTC."""
    rows, shared = _in_zone(playbook_root, "UTC")
    assert shared == "UTC"
    return rows


def test_the_session_zone_is_pinned() -> None:
    assert sql.TIME_ZONE == "UTC"


@pytest.mark.parametrize("zone", ZONES)
def test_weeks_and_days_do_not_follow_the_machine(playbook_root: Path, in_utc: list[list[str]],
                                                  zone: str) -> None:
    rows, shared = _in_zone(playbook_root, zone)
    assert shared == "UTC"  # the scans' connection too
    assert {zone for *_, zone in rows} == {"UTC"}
    # 23:30 Z on 1 March is 1 March in UTC (2 March in Auckland, where it is 12:30)
    assert rows[1][:2] == ["2026-02-23", "2026-03-01"]
    assert [day for _, day, _ in rows] == [f"2026-03-0{d}" for d in range(1, 9)
                                           for _ in range(2)]
    assert rows == in_utc


def test_a_z_timestamp_column_is_read_as_exported(tmp_path: Path) -> None:
    """DuckDB reads ``…Z`` cells as time-zone-aware timestamps; a query that returns them
    (``SELECT *`` over an LMS log) gives their UTC time, not a failed import."""
    (tmp_path / "data" / "x").mkdir(parents=True)
    (tmp_path / "data" / "x" / "e.csv").write_text(
        "happened_at,minutes\n2026-03-01T23:30:00Z,12\n2026-03-02T00:15:00Z,8\n",
        encoding="utf-8")
    table = sql.run("SELECT * FROM read_csv('data/x/e.csv') ORDER BY happened_at", tmp_path,
                    ["data/x/e.csv"], "events")
    assert not isinstance(table, sql.QueryError), table
    assert table.header == ["happened_at", "minutes"]
    assert [cells for _, cells in table.rows] == [
        ["2026-03-01T23:30:00+00:00", "12"], ["2026-03-02T00:15:00+00:00", "8"]]
