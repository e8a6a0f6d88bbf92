"""Benchmark: how load, check, figures and page rendering scale.

Prints figures; asserts nothing (speed and memory targets live here, not in
timed tests). Targets: a 20-program playbook with 200k measurement rows checks
and renders in under 30 s on 2 cores with under 1 GiB peak Python memory.

Then the scale figure of issue 9 (``bench_parquet``): a SQL source over a
Parquet file of ``--parquet-rows`` rows (50 million by default, 0 to skip).

Usage: ``python scripts/bench.py [--programs N] [--rows N] [--parquet-rows N]``
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import bench_parquet  # scripts/ is on sys.path when this file runs

from playbook import engine as site
from playbook.pages import site_pages as pages

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = "decision-velocity"


def make_playbook(root: Path, programs: int, rows: int) -> None:
    """Copy the example program ``programs`` times, with a large latency series."""
    for i in range(programs):
        pid = f"bench-{i:03d}"
        folder = root / "program" / pid
        shutil.copytree(REPO / "program" / TEMPLATE, folder)
        for yml in folder.glob("*.yml"):
            text = yml.read_text(encoding="utf-8").replace(TEMPLATE, pid)
            yml.write_text(text, encoding="utf-8")
        shutil.copytree(REPO / "data" / TEMPLATE, root / "data" / pid)
        latency = root / "data" / pid / "decision_latency.csv"
        with latency.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["decided_on", "latency_days", "cohort"])
            day0 = date(2025, 12, 1)
            for r in range(rows // programs):
                out.writerow([(day0 + timedelta(days=r % 340)).isoformat(),
                              f"{40 - (r % 340) / 40 + (r % 7):.1f}",
                              "pilot" if r % 2 else "comparison"])


def main() -> None:
    """Build a synthetic playbook and print timings and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--programs", type=int, default=20)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--parquet-rows", type=int, default=50_000_000,
                        help="rows of the Parquet SQL source (0 skips that part)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_playbook(root, args.programs, args.rows)
        t0 = time.perf_counter()
        data, problems = site.build(root, date(2026, 11, 22))
        t1 = time.perf_counter()
        assert data is not None, problems.render()
        generated = pages.generate(data)
        t2 = time.perf_counter()
        # memory in a second pass: tracemalloc slows the code it watches
        tracemalloc.start()
        site.build(root, date(2026, 11, 22))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = sum(len(p.markdown.encode()) for p in generated)
        print(f"programs: {args.programs}, measurement rows: {args.rows:,}")
        print(f"load + check + figures: {t1 - t0:6.2f} s")
        print(f"render {len(generated)} pages: {t2 - t1:6.2f} s "
              f"({size / 1024:,.0f} KiB of Markdown, "
              f"{size / len(generated) / 1024:,.1f} KiB per page)")
        print(f"peak traced Python memory: {peak / 2**20:,.0f} MiB")
    if args.parquet_rows > 0:
        print()
        bench_parquet.run(args.parquet_rows)


if __name__ == "__main__":
    main()
