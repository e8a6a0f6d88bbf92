"""Benchmark, scale part (issue 9 item 7): a SQL source over N Parquet rows.

DuckDB writes N decision events (date, unit, group, value) from a fixed seed
into a program's data folder, one KPI's source becomes a query averaging them
per month and group, and the playbook is loaded in a fresh process so its peak
resident memory (which sees DuckDB's C++ allocations, unlike tracemalloc) is the
load's own. The series that reached Python is compared with an
independent DuckDB query (sums and counts, divided here); a mismatch exits 1.
Prints figures; asserts no timing.

Usage: ``python scripts/bench_parquet.py [--rows N]`` (``scripts/bench.py``
runs it with ``--parquet-rows``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from playbook.engine import load_playbook

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = "decision-velocity"
PROGRAM = "scale"
KPI = "decision-latency"
EVENTS = f"data/{PROGRAM}/decisions.parquet"
SEED = 20261124
"""Mixed into every row's hash: the same N gives the same file, whatever the thread count."""

OLD_SOURCE = f"""    source:
      file: data/{TEMPLATE}/decision_latency.csv
      date: decided_on
      value: latency_days
      group: cohort
"""
QUERY = f"""SELECT date_trunc('month', decided_on) AS date, cohort, avg(latency_days) AS value
FROM '{EVENTS}' GROUP BY ALL ORDER BY ALL"""
NEW_SOURCE = "    source:\n      query: |\n" + "".join(
    f"        {line}\n" for line in QUERY.splitlines()) + "      group: cohort\n"

Key = tuple[str, str]
"""An aggregated observation's month (ISO date) and group."""


@dataclass(frozen=True)
class LoadFigures:
    """What the fresh process measured while loading the playbook."""

    seconds: float
    rss_before: int
    """Resident memory in bytes after the imports, as the load starts (0 if unknown)."""
    rss_peak: int
    """Peak resident memory in bytes during the load."""
    series: dict[Key, float]


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` decision events with DuckDB; no row passes through Python.

    Each row's fields are hashes of its number and :data:`SEED`: 340 days from
    December 2025, 400 units, pilot or comparison, a latency that falls over
    the year (faster for the pilot) plus noise.
    """
    con = duckdb.connect(":memory:", config={"threads": 2})
    try:
        con.execute(f"""COPY (
            SELECT DATE '2025-12-01' + CAST(hash(i, {SEED}, 'day') % 340 AS INTEGER)
                       AS decided_on,
                   'u' || lpad(CAST(hash(i, {SEED}, 'unit') % 400 AS VARCHAR), 3, '0') AS unit,
                   CASE WHEN hash(i, {SEED}, 'group') % 2 = 0 THEN 'pilot'
                        ELSE 'comparison' END AS cohort,
                   round(40 - (hash(i, {SEED}, 'day') % 340)
                              * (CASE WHEN hash(i, {SEED}, 'group') % 2 = 0 THEN 0.04
                                      ELSE 0.01 END)
                            + (hash(i, {SEED}, 'noise') % 1000) / 100.0, 1) AS latency_days
            FROM range({rows}) AS t(i)
        ) TO '{path}' (FORMAT PARQUET, COMPRESSION ZSTD)""")
    finally:
        con.close()


def make_playbook(root: Path, rows: int) -> float:
    """One program copied from the example, its latency KPI a query; generation seconds."""
    folder = root / "program" / PROGRAM
    shutil.copytree(REPO / "program" / TEMPLATE, folder)
    kpis = folder / "kpis.yml"
    text = kpis.read_text(encoding="utf-8")
    assert OLD_SOURCE in text, "the example's latency source changed; update OLD_SOURCE"
    kpis.write_text(text.replace(OLD_SOURCE, NEW_SOURCE), encoding="utf-8")
    for yml in folder.glob("*.yml"):
        yml.write_text(yml.read_text(encoding="utf-8").replace(TEMPLATE, PROGRAM),
                       encoding="utf-8")
    shutil.copytree(REPO / "data" / TEMPLATE, root / "data" / PROGRAM)
    (root / "data" / PROGRAM / "decision_latency.csv").unlink()
    t0 = time.perf_counter()
    generate(root / EVENTS, rows)
    return time.perf_counter() - t0


def _status_bytes(field: str) -> int | None:
    """A ``kB`` figure of ``/proc/self/status`` (``VmRSS``, ``VmHWM``) in bytes, on Linux."""
    try:
        lines = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    found = [line.split()[1] for line in lines if line.startswith(field + ":")]
    return int(found[0]) * 1024 if found else None


def _reset_peak() -> bool:
    """Reset this process's peak resident memory (``VmHWM``) to its current size."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def load_here(root: Path) -> None:
    """Load the playbook in this process and print what was measured as JSON.

    The peak is the process's high-water mark reset just before the load, so
    neither the imports' transient peak nor the parent counts: ``ru_maxrss``
    cannot be reset, and Linux carries the parent's peak into it across the
    fork and exec that start this process (it read 421 MiB before any load
    under ``make bench``). Without ``/proc`` it is the fallback.
    """
    before = _status_bytes("VmRSS")
    reset = _reset_peak()
    t0 = time.perf_counter()
    playbook, problems = load_playbook(root)
    seconds = time.perf_counter() - t0
    hwm = _status_bytes("VmHWM")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    peak = hwm if reset and hwm is not None else maxrss
    bundle = playbook.get(PROGRAM)
    if problems.errors or bundle is None:
        sys.exit("the scale playbook did not load:\n" + problems.render())
    series = [[o.date.isoformat(), o.group, o.value] for o in bundle.series[KPI]]
    json.dump({"seconds": seconds, "rss_before": before or 0, "rss_peak": peak,
               "series": series}, sys.stdout)


def load_in_child(root: Path) -> LoadFigures:
    """Run :func:`load_here` in a fresh interpreter, so its peak is the load's own."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, __file__, "--load", str(root)], env=env,
                          check=True, capture_output=True, text=True)
    raw = json.loads(done.stdout)
    return LoadFigures(raw["seconds"], raw["rss_before"], raw["rss_peak"],
                       {(d, g): v for d, g, v in raw["series"]})


def direct(root: Path) -> dict[Key, float]:
    """The monthly means by another road: DuckDB sums and counts, divided here."""
    con = duckdb.connect(":memory:")
    try:
        rows = con.execute(f"""
            SELECT year(decided_on), month(decided_on), cohort,
                   sum(latency_days), count(latency_days)
            FROM read_parquet('{root / EVENTS}') GROUP BY 1, 2, 3""").fetchall()
    finally:
        con.close()
    return {(f"{y:04d}-{m:02d}-01", g): s / n for y, m, g, s, n in rows}


def check(got: dict[Key, float], expected: dict[Key, float]) -> None:
    """Exit 1 unless both series hold the same keys and values (relative 1e-9)."""
    if not expected:
        sys.exit("MISMATCH: DuckDB's direct query found no rows")
    wrong = [k for k in sorted(expected.keys() | got.keys())
             if k not in got or k not in expected
             or not math.isclose(got[k], expected[k], rel_tol=1e-9)]
    if wrong:
        sys.exit(f"MISMATCH: the loaded series differs from DuckDB's at {wrong[:5]} "
                 f"({len(wrong)} of {len(expected)} points)")


def table(rows: list[tuple[str, str]]) -> str:
    """A two-column plain-text table."""
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:>12}" for name, value in rows)


def run(rows: int) -> None:
    """Generate, load in a fresh process, check, and print the figures."""
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:
        root = Path(tmp)
        generation = make_playbook(root, rows)
        size = (root / EVENTS).stat().st_size
        figures = load_in_child(root)
        check(figures.series, direct(root))
    mib = 2**20
    print(table([
        ("Parquet rows", f"{rows:,}"),
        ("Parquet file", f"{size / mib:,.0f} MiB"),
        ("generation (DuckDB COPY)", f"{generation:.2f} s"),
        ("load_playbook", f"{figures.seconds:.2f} s"),
        ("RSS as the load starts", f"{figures.rss_before / mib:,.0f} MiB"),
        ("peak RSS during the load", f"{figures.rss_peak / mib:,.0f} MiB"),
        ("rows that reached Python", f"{len(figures.series):,}"),
    ]))
    print(f"checked: the {len(figures.series)} loaded points equal DuckDB's sums ÷ counts "
          "over the same file")


def main() -> None:
    """Parse the options and run the scale benchmark (or, with ``--load``, one load)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load is not None:
        load_here(args.load)
    else:
        run(args.rows)


if __name__ == "__main__":
    main()
