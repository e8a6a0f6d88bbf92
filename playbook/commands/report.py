"""``playbook report``: every computed figure of one program, as JSON.

Flow: playbook folder → :func:`playbook.load.loader.load_playbook` → checks →
:func:`playbook.figures.program.compute` → :func:`playbook.figures.program.to_jsonable` → text.
The JSON holds the same objects the site shows, so a number on a page can be
traced to the report.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from playbook.commands.common import day_option
from playbook.engine import load_playbook
from playbook.model.problems import Problems, UnknownProgramError


def report(root: Path, program_id: str, today: date) -> tuple[int, str]:
    """Compute one program's figures and render them as JSON.

    Args:
        root: The playbook folder.
        program_id: Id of the program to report on.
        today: The day the figures are for.

    Returns:
        ``(0, json)`` on success; ``(1, errors)`` when the playbook has errors.

    Raises:
        UnknownProgramError: No program has that id.
    """
    playbook, problems = load_playbook(root)
    bundle = playbook.get(program_id)
    if bundle is None:
        raise UnknownProgramError(program_id, (b.id for b in playbook.programs))
    if problems.errors:
        return 1, Problems(problems.errors).render()
    from playbook.figures.program import compute, to_jsonable  # only for this verb

    figures = to_jsonable(compute(bundle, today))
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
