"""``playbook codeowners``: CODEOWNERS lines from each program's accountable people.

The committed ``.github/CODEOWNERS`` decides whose review a pull request asks
for, so it must follow ``program.yml`` and ``kpis.yml``: ``--write`` refreshes
it, and ``--check`` (run by ``make test`` and the pull-request workflow) fails
when someone changed a stakeholder or a KPI owner without refreshing it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook.engine import load_playbook
from playbook.model.problems import Problems
from playbook.review import codeowners

FILE = ".github/CODEOWNERS"
"""Where GitHub reads the owners from, relative to the playbook folder."""


def _check(path: Path, text: str, shown: str) -> int:
    """Exit code of ``--check``: 1, with a message on stderr, unless ``path`` holds ``text``."""
    if not path.is_file():
        print(f"{shown}: missing; run 'playbook codeowners --write'", file=sys.stderr)
        return 1
    # bytes, not text: a CRLF checkout would otherwise pass here and differ on the forge
    if path.read_bytes() != text.encode("utf-8"):
        print(f"{shown}: stale (stakeholders or KPI owners changed); run "
              "'playbook codeowners --write'", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    playbook, problems = load_playbook(Path(args.dir))
    if problems.errors:
        print(Problems(problems.errors).render(), file=sys.stderr)
        return 1
    text = codeowners.render(playbook)
    path = Path(args.dir) / FILE
    if args.check:
        return _check(path, text, FILE)
    if args.write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        print(FILE)
        return 0
    print(text, end="")
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("codeowners", help="print CODEOWNERS lines from the stakeholders "
                       "and KPI owners")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help=f"write them to {FILE}")
    mode.add_argument("--check", action="store_true",
                      help=f"exit 1 when {FILE} differs from them")
    p.set_defaults(func=run)
