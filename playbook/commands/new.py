"""``playbook new``: a valid program folder to start from."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from playbook.commands import lock, scaffold
from playbook.engine import today_from_env
from playbook.model.problems import UsageError


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    try:
        start = date.fromisoformat(args.start) if args.start else today_from_env()
    except ValueError as exc:
        raise UsageError(f"--start '{args.start}' is not a date YYYY-MM-DD") from exc
    root = Path(args.dir)
    written = scaffold.new_program(root, args.program_id, start)
    # its data contract too: the new program passes `playbook lock --check` as it is
    written += [root / rel for rel in lock.write_locks(root, [args.program_id])]
    for path in written:
        print(path.as_posix())
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("new", help="scaffold a valid program folder")
    p.add_argument("program_id", metavar="PROGRAM-ID")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--start", help="day 0 of the program, YYYY-MM-DD (default: "
                   "$PLAYBOOK_TODAY or today in UTC)")
    p.set_defaults(func=run)
