"""The portfolio-scale benchmark: generate, measure side by side, print targets.

For each size it generates a playbook from a fixed seed (:mod:`bench.generate`)
and measures, each in a fresh process, several times and in turn with the floor
(and at the large size with the same programs' 2-million-row variant): the full
``mkdocs build --strict``; the floor, the same pages in a plain mkdocs-material
project (:mod:`bench.floor`); ``playbook check``; peak RSS; the largest page; and
the time from saving a program file to the page served by ``mkdocs serve
--dirty`` showing it. It prints a
table and each target of issue 13 with PASS or FAIL. It asserts nothing and
exits 0 whatever the figures: targets are read, not tested.

Usage: ``python -m bench [--large] [--parquet-rows N]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from bench import generate, measure, report
from bench.measure import REPO, Size, mkdocs

BIG_ROWS = 2_000_000


def measure_sizes(tmp: Path, programs: int, variants: list[int | None], *,
                  repeat: int = 1, checks_per_round: int = 1) -> list[Size]:
    """Generate playbooks of ``programs`` programs and measure them side by side.

    ``variants`` gives each playbook's event rows (``None``: realistic sizes). The
    first playbook also gets the floor and the serve latency. Each command runs
    ``repeat`` times, every playbook's and the floor's in turn, so a busy moment of
    the machine falls on all of them, and the least time counts
    (:func:`bench.measure.best`); ``playbook check``, a few seconds against minutes,
    runs ``checks_per_round`` times in each round. A failed command ends the benchmark.
    """
    labels = [f"{programs}" + (f", {rows:,} rows" if rows else "") for rows in variants]
    roots = []
    for label, rows in zip(labels, variants, strict=True):
        print(f"[{label}] generating", file=sys.stderr)
        root = tmp / f"p{programs}-{rows or 0}"
        made = measure.run([sys.executable, "-m", "bench.generate", str(root), str(programs),
                            *([str(rows)] if rows else [])], REPO)
        if made.code != 0:
            sys.exit(f"generating {label} failed:\n{made.output[-3000:]}")
        roots.append(root)
    out = tmp / f"floor{programs}"
    exported = measure.run([sys.executable, "-m", "bench.floor", str(roots[0]), str(out)], REPO)
    if exported.code != 0:
        sys.exit(f"floor export failed:\n{exported.output[-3000:]}")
    checks: list[list[measure.Run]] = [[] for _ in roots]
    builds: list[list[measure.Run]] = [[] for _ in roots]
    plains: list[measure.Run] = []
    for n in range(repeat):
        for k, (label, root) in enumerate(zip(labels, roots, strict=True)):
            print(f"[{label}] check, build" + (", floor" if k == 0 else "")
                  + (f" ({n + 1} of {repeat})" if repeat > 1 else ""), file=sys.stderr)
            checks[k] += [measure.run([sys.executable, "-m", "playbook.commands.cli", "check"],
                                      root) for _ in range(checks_per_round)]
            builds[k].append(measure.run(mkdocs("build", "--strict"), root))
            if k == 0:
                plains.append(measure.run(mkdocs("build", "--strict"), out))
    shutil.rmtree(out, ignore_errors=True)
    sizes = []
    for k, (label, root) in enumerate(zip(labels, roots, strict=True)):
        check, built = measure.best(checks[k]), measure.best(builds[k])
        for what, result in (("playbook check", check), ("mkdocs build --strict", built)):
            if result.code != 0:
                sys.exit(f"{what} failed at {label} programs:\n{result.output[-3000:]}")
        page = measure.largest_page(root / "site")
        portfolio = measure.portfolio_page(root / "site")
        latency = None
        if k == 0:
            print(f"[{label}] serve", file=sys.stderr)
            shutil.rmtree(root / "site")
            latency = measure.serve_latency(
                root, lambda stamp, root=root: generate.edit_value(root, 0, stamp)[1])
        shutil.rmtree(root)
        sizes.append(Size(label, built, measure.best(plains) if k == 0 else None, check,
                          page, latency, portfolio))
    return sizes


def example_serve(tmp: Path) -> float | None:
    """The serve latency on the example playbook (this checkout's programs, copied)."""
    root = tmp / "example"
    root.mkdir()
    for name in ("mkdocs.yml", "docs", "hooks", "program", "data"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)

    def edit(stamp: str) -> str:
        path = root / "program" / "decision-velocity" / "program.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("within 12 months of the program start",
                                     f"within 12 months of the program start {stamp}", 1),
                        encoding="utf-8")
        return "programs/decision-velocity/"

    return measure.serve_latency(root, edit)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=20, help="programs of the small size")
    parser.add_argument("--large", type=int, default=0,
                        help="programs of the large size, with and without 2 million rows "
                             "(200 in the recorded results; 0 skips it: 10 to 15 minutes)")
    parser.add_argument("--parquet-rows", type=int, default=0,
                        help="rows of the Parquet SQL source of scripts/bench_parquet.py "
                             "(50,000,000 in the README; 0 skips it)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each command at the small size; the least time counts")
    parser.add_argument("--repeat-large", type=int, default=3,
                        help="runs of each command at the large sizes")
    parser.add_argument("--check-runs", type=int, default=3,
                        help="runs of playbook check in each round (seconds, not minutes: "
                             "more runs cost little and steady its least time)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as name:
        tmp = Path(name)
        sizes = measure_sizes(tmp, args.small, [None], repeat=args.repeat,
                              checks_per_round=args.check_runs)
        if args.large:  # realistic and 2 million rows in turn: their ratio is a target
            sizes += measure_sizes(tmp, args.large, [None, BIG_ROWS], repeat=args.repeat_large,
                                   checks_per_round=args.check_runs)
        print("[example] serve", file=sys.stderr)
        example = example_serve(tmp)
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{report.cores()} cores")
    print(report.table(sizes))
    print()
    print(report.targets(sizes, example))
    if args.parquet_rows:
        sys.path.insert(0, str(REPO / "scripts"))
        import bench_parquet

        print()
        bench_parquet.run(args.parquet_rows)
