"""``playbook report``: every computed figure of one program, as JSON.

One engine call (:func:`playbook.engine.report`): the program is loaded and
checked as a build does, and its figures are the same objects the site shows,
so a number on a page can be traced to the report. Another program's errors
do not stop it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from playbook import engine
from playbook.commands.common import day_option
from playbook.model.problems import Problems


def report(root: Path, program_id: str, today: date) -> tuple[int, str]:
    """One program's figures rendered as JSON.

    Returns:
        ``(0, json)`` on success; ``(1, errors)`` when the program has errors.

    Raises:
        UnknownProgramError: No program has that id.
    """
    figures = engine.report(root, program_id, today)
    if isinstance(figures, Problems):
        return 1, figures.render()
    return 0, json.dumps(figures, indent=2, ensure_ascii=False, allow_nan=False)


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("report", help="print every computed figure of one program")
    p.add_argument("program_id", metavar="PROGRAM")
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--today", help="compute as of YYYY-MM-DD (default: $PLAYBOOK_TODAY "
                   "or today)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    code, text = report(Path(args.dir), args.program_id, day_option(args.today))
    print(text, file=sys.stdout if code == 0 else sys.stderr)
    return code
