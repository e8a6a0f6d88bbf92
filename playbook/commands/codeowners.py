"""``playbook codeowners``: CODEOWNERS lines from each program's accountable people."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook.engine import load_playbook
from playbook.model.problems import Problems
from playbook.review import codeowners


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    playbook, problems = load_playbook(Path(args.dir))
    if problems.errors:
        print(Problems(problems.errors).render(), file=sys.stderr)
        return 1
    text = codeowners.render(playbook)
    print(text, end="")
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("codeowners", help="print CODEOWNERS lines from the stakeholders")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=run)
