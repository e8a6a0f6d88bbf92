"""The same playbook gives byte-identical ``figures.json`` in UTC, Dublin and New York.

Issue 25: the same commit gave different weekly figures in Dublin and in UTC (7 of
35 weeks) because ISO timestamps with ``Z`` were read as time-zone-aware and
``date_trunc('week', …)`` followed the machine's zone. Here a weekly KPI over such
timestamps, with events on either side of midnight UTC on Sundays in winter and
in summer (when Dublin is an hour ahead), is built by ``playbook pages`` in a
child process per ``TZ`` (DuckDB and Python read the zone when they start), and
every program's ``downloads/figures.json`` is compared byte for byte. Without the
pin (:data:`playbook.load.sql.TIME_ZONE`) the weeks differ.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import warm
from conftest import MINI

ZONES = ("UTC", "Europe/Dublin", "America/New_York")
"""The issue's zones: Dublin is UTC in winter and an hour ahead in summer; New York is
four or five hours behind."""
TODAY = "2026-11-22"
SOURCE = """    source:
      query: |
        SELECT CAST(date_trunc('week', CAST(happened_at AS TIMESTAMPTZ)) AS DATE) + 6
                 AS week_ending,
               count(*) AS sessions
        FROM read_csv('data/mini/sessions.csv', all_varchar = true)
        GROUP BY 1 ORDER BY 1
      date: week_ending
      value: sessions
"""


def _sessions() -> str:
    """Sessions late on Sunday and early on Monday (UTC), week after week."""
    rows = ["happened_at,session"]
    sunday = date(2026, 1, 4)
    for week in range(40):
        day = sunday + timedelta(weeks=week)
        rows += [f"{day}T23:{m:02d}:00Z,s{week}-{m}" for m in range(0, 60, 20)[: 1 + week % 3]]
        rows.append(f"{day + timedelta(days=1)}T00:30:00Z,m{week}")
        rows.append(f"{day + timedelta(days=1)}T03:30:00Z,n{week}")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def playbook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zones") / "playbook"
    shutil.copytree(MINI, root)
    (root / "data/mini/sessions.csv").write_text(_sessions(), encoding="utf-8")
    (root / "data/mini/board_use.csv").unlink()
    kpis = root / "program/mini/kpis.yml"
    text = kpis.read_text(encoding="utf-8")
    old = "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n"
    assert text.count(old) == 1
    kpis.write_text(text.replace(old, SOURCE).replace("cadence: monthly\n    owner: ld_owner",
                                                      "cadence: weekly\n    owner: ld_owner"),
                    encoding="utf-8")
    return root


IN_ZONE = """\
import json, sys
from pathlib import Path
from playbook.commands import cli
from playbook.engine import load_playbook
root, out, today = sys.argv[1:]
code = cli.main(["pages", "--dir", root, "--out", out, "--today", today])
book, _ = load_playbook(Path(root))
print(json.dumps({"code": code, "weeks": [[o.date.isoformat(), o.value]
                                          for o in book.get("mini").series["board-use"]]}))
"""
"""``playbook pages``, then the weekly series the engine loads, in one process: both are
asked of a process started in the zone (one process per zone serves both tests, where
each started its own: a fresh interpreter importing the engine is most of their time)."""


@pytest.fixture(scope="module")
def in_zones(playbook_root: Path, tmp_path_factory: pytest.TempPathFactory,
             ) -> dict[str, tuple[dict[str, bytes], list[list[object]]]]:
    """Each zone's ``figures.json`` files (by path) and the weekly series, from a child
    process started with its ``TZ`` (DuckDB and Python read the zone when they start)."""
    seen = {}
    for zone in ZONES:
        out = tmp_path_factory.mktemp(zone.replace("/", "_"))
        env = {**os.environ, "TZ": zone}
        env.pop("PLAYBOOK_TODAY", None)
        # forked from the warm server when its zone is this one, else a fresh interpreter
        done = warm.run("-c", [IN_ZONE, playbook_root, out, TODAY], env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.splitlines()[-1])
        assert result["code"] == 0, done.stderr
        seen[zone] = ({p.relative_to(out).as_posix(): p.read_bytes()
                       for p in sorted(out.rglob("figures.json"))}, result["weeks"])
    return seen


def test_figures_json_is_byte_identical_in_every_zone(
        in_zones: dict[str, tuple[dict[str, bytes], list[list[object]]]]) -> None:
    built = {zone: figures for zone, (figures, _) in in_zones.items()}
    assert list(built["UTC"]) == ["programs/mini/downloads/figures.json"]
    for zone in ZONES[1:]:
        assert built[zone] == built["UTC"], zone
    figures = json.loads(built["UTC"]["programs/mini/downloads/figures.json"])
    assert "board-use" in json.dumps(figures)


def test_the_weeks_are_utc_weeks(
        in_zones: dict[str, tuple[dict[str, bytes], list[list[object]]]]) -> None:
    """What the figures hold: each week ends on a Sunday (UTC), its late-Sunday sessions
    in it and its early-Monday ones in the next."""
    got = {zone: weeks for zone, (_, weeks) in in_zones.items()}
    assert got["Europe/Dublin"] == got["America/New_York"] == got["UTC"]
    first = got["UTC"][:3]
    # week 0: Monday 29 Dec … Sunday 4 Jan holds one late-Sunday session
    assert first == [["2026-01-04", 1.0], ["2026-01-11", 2.0 + 2], ["2026-01-18", 3.0 + 2]]


def test_today_is_the_utc_date_whatever_the_machine() -> None:
    """UTC+14 and UTC-12 never share a date; the build date is the UTC one in both."""
    seen = []
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        env = {**os.environ, "TZ": zone}
        env.pop("PLAYBOOK_TODAY", None)
        done = subprocess.run([sys.executable, "-c", "from playbook.engine import "
                               "today_from_env; import datetime as d; "
                               "print(today_from_env(), d.date.today())"],
                              env=env, capture_output=True, text=True, timeout=60, check=True)
        seen.append(done.stdout.split())
    (built_east, local_east), (built_west, local_west) = seen
    assert local_east != local_west  # the machines' own dates differ...
    assert built_east == built_west  # ...the build date does not
    assert built_east in {str(datetime.now(UTC).date()),
                          str((datetime.now(UTC) - timedelta(seconds=60)).date())}
