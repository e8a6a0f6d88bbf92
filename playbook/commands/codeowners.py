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
from playbook.load.safefiles import Refusal, read_file
from playbook.load.safewrite import write_files
from playbook.model.problems import Problem, Problems
from playbook.review import codeowners

FILE = ".github/CODEOWNERS"
"""Where GitHub reads the owners from, relative to the playbook folder."""


def _check(root: Path, text: str) -> int:
    """Exit code of ``--check``: 1, with a message on stderr, unless the file holds ``text``.

    The file is read as the loader reads one: never through a link.
    """
    expected = text.encode("utf-8")
    found = read_file(root / FILE, root, FILE, len(expected))
    if found is None:
        print(f"{FILE}: missing; run 'playbook codeowners --write'", file=sys.stderr)
        return 1
    if isinstance(found, Refusal):
        print(Problem(FILE, 1, 1, "", found.message, found.hint), file=sys.stderr)
        return 1
    # bytes, not text: a CRLF checkout would otherwise pass here and differ on the forge
    if found != expected:
        print(f"{FILE}: stale (stakeholders or KPI owners changed); run "
              "'playbook codeowners --write'", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    playbook, problems = load_playbook(Path(args.dir))
    if problems.errors and args.check:
        # a hook beside `playbook check`'s: one line pointing there, not every error again
        print(f"{FILE}: not checked: the playbook has {len(problems.errors)} error(s); "
              "run 'playbook check' to see them", file=sys.stderr)
        return 1
    if problems.errors:
        print(Problems(problems.errors).render(), file=sys.stderr)
        return 1
    text = codeowners.render(playbook)
    root = Path(args.dir)
    if args.check:
        return _check(root, text)
    if args.write:
        write_files(root, [(FILE, text.encode("utf-8"))])
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
