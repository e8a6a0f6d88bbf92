"""``playbook pull``: run the warehouse queries and keep their results as snapshot files.

The engine runs each query and checks its result (:func:`playbook.engine.pull`)
like any export, and each snapshot keeps only the columns the KPI reads. A
query that is not one read-only ``SELECT``, or a role that can write, is
refused before anything runs (:mod:`playbook.load.warehouse`). Every result is
checked before any file is written: one bad result changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook import engine
from playbook.load import warehouse
from playbook.model.problems import display_path


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    root = Path(args.dir)

    def rel(path: Path) -> str:
        return display_path(path, root)

    snapshots, problems = engine.pull(root, args.program, lambda s: print(
        f"{rel(s.path)}: {s.rows} row(s) from connection '{s.connection}'"))
    if problems.errors:
        print(problems.render(), file=sys.stderr)
        print(f"playbook pull failed: {len(problems.errors)} error(s); no snapshot written",
              file=sys.stderr)
        return 1
    warehouse.write_snapshots(root, [(s.path, s.text) for s in snapshots])
    if not snapshots:
        print("no source has a connection: nothing to pull", file=sys.stderr)
    for snapshot in snapshots:
        print(f"wrote {rel(snapshot.path)}", file=sys.stderr)
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("pull", help="run the warehouse queries of sources with a "
                       "'connection' and write their results to data/<id>/snapshots/")
    p.add_argument("program", nargs="*", help="programs to pull (default: all)")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=run)
