"""``playbook diff``: what changed in meaning between two revisions, and whose sign-off it voids.

The data part (rows appended, history rewritten, figures moved) comes from
:mod:`playbook.review.datadiff`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from playbook.commands.common import day_option
from playbook.model.problems import Problems
from playbook.review import datadiff, diff


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    root = Path(args.dir)
    before, bad_before = diff.snapshot_at(root, args.base)
    after, bad_after = diff.snapshot_at(root, args.head)
    if bad_before or bad_after:
        print(Problems([*bad_before, *bad_after]).render(), file=sys.stderr)
        return 1
    changes = diff.compare(before, after)
    stale = diff.stale_signoffs(before, after)
    data = datadiff.diff_data(root, args.base, args.head, day_option(args.today))
    if args.format == "json":
        print(json.dumps({"changes": [asdict(c) for c in changes],
                          "stale_signoffs": [{"program": p, **e} for p, e in stale],
                          "data": asdict(data)},
                         indent=2, ensure_ascii=False, default=str))
    else:
        print(diff.markdown(changes, stale, datadiff.markdown(data)), end="")
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("diff", help="what changed in meaning between two revisions")
    p.add_argument("--base", default="HEAD", help="git revision to compare from (default: HEAD)")
    p.add_argument("--head", help="git revision to compare to (default: the work tree)")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--today", help="KPI figures as of YYYY-MM-DD (default: $PLAYBOOK_TODAY "
                   "or today)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.set_defaults(func=run)
