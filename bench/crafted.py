"""``playbook check`` over crafted data files at the size limit: seconds, or a limit message.

Issue 21 found 480 KB of crafted group labels costing 168 s of CPU: the e-mail
detector was tried at every position of each cell. This prints what ``playbook
check`` costs on the mini playbook (``tests/fixtures/mini``) when its AI-outcome
file is just under the 50 MiB limit for a data file and filled with the shapes
that were quadratic (cells up to the CSV reader's 128 KiB limit), and what it says
about a file just over the limit. Each run is a fresh process (:func:`bench.measure.run`);
the figures are read, not tested (``tests/test_redos.py`` checks that the cost
grows linearly, at sizes a test can afford).

Usage: ``python -m bench.crafted [--mib N]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import measure
from playbook.load.csv_table import MAX_BYTES

MINI = measure.REPO / "tests" / "fixtures" / "mini"
CELL = 120_000
"""Characters of a crafted cell: below the CSV reader's 131,072-character cell limit."""

SHAPES: dict[str, Callable[[int, int], str]] = {
    "a@a@a@… (one long run of would-be addresses)": lambda i, n: "a@" * (n // 2),
    "aaa…a@b (a long name, no domain)": lambda i, n: "a" * n + "@b",
    "x@b.b.b.… (a long host, no top-level domain)": lambda i, n: "x@" + "b." * (n // 2) + "1",
    "aaa… (no @ at all)": lambda i, n: "a" * n,
    "short addresses (ada1@example.com, …)": lambda i, n: f"ada{i}@example.com",
}
"""Group labels, by the row they are on and the length of a crafted cell."""


def write_outcomes(root: Path, label: Callable[[int, int], str], size: int,
                   cell: int = CELL) -> int:
    """Write ``data/mini/recommendations.csv`` of about ``size`` bytes; return its size.

    Args:
        root: The playbook (a copy of the mini one).
        label: One of :data:`SHAPES`.
        size: Most bytes to write.
        cell: Characters of each crafted cell.
    """
    file = root / "data" / "mini" / "recommendations.csv"
    written = 0
    with file.open("w", encoding="utf-8", newline="") as out:
        written += out.write("group,recommended\n")
        i = 0
        while True:
            row = f"{label(i, cell)},{i % 2}\n"
            if written + len(row) > size:
                break
            written += out.write(row)
            i += 1
    return written


def check(root: Path) -> measure.Run:
    """Run ``playbook check`` in ``root``, measured."""
    return measure.run([sys.executable, "-m", "playbook.commands.cli", "check"], root)


def main(argv: list[str] | None = None) -> None:
    """Measure each crafted shape at ``--mib`` MiB, then a file over the limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=float, default=MAX_BYTES / 2**20 - 0.01,
                        help="size of each crafted file in MiB (default: just under the limit)")
    args = parser.parse_args(argv)
    size = int(args.mib * 2**20)
    rows = []
    with tempfile.TemporaryDirectory(prefix="playbook-crafted-") as name:
        root = Path(name) / "mini"
        shutil.copytree(MINI, root)
        for shape, label in SHAPES.items():
            written = write_outcomes(root, label, size)
            print(f"[{shape}] {written / 2**20:.1f} MiB", file=sys.stderr)
            rows.append((shape, written, check(root)))
        file = root / "data" / "mini" / "recommendations.csv"
        with file.open("r+b") as out:  # sparse: the size is refused before a byte is read
            out.truncate(MAX_BYTES + 1)
        rows.append(("one byte over the limit", MAX_BYTES + 1, check(root)))
    print(f"{'file':<48} {'MiB':>6} {'CPU s':>7} {'wall s':>7} {'RSS MiB':>8} exit  says")
    for shape, written, run in rows:
        says = next((line for line in run.output.splitlines() if "recommendations" in line),
                    run.output.strip().splitlines()[-1] if run.output.strip() else "")
        print(f"{shape:<48} {written / 2**20:>6.1f} {run.cpu:>7.2f} {run.wall:>7.2f} "
              f"{run.rss_mb:>8.0f} {run.code:>4}  {says[:160]}")


if __name__ == "__main__":
    main()
