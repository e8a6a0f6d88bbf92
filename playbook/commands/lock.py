"""``playbook lock``: write each program's data contract, or check that it is current.

The engine observes what each program's input files hold now
(:func:`playbook.engine.lock`); this command writes every lock that changed to
``data/<id>/contracts.lock.yml`` through :mod:`playbook.load.safewrite`. With
``--check`` nothing is written and the command exits 1 when a lock is stale
(CI, pre-commit): a new export must be accepted into its contract, in a commit
a reviewer sees.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playbook import engine
from playbook.load.safewrite import write_files
from playbook.model.problems import PlaybookError


def write_locks(root: Path, program_ids: Sequence[str]) -> list[str]:
    """Lock the data of new programs (``new``, ``init``) so that their first commit passes
    ``lock --check``; the locks written, relative to ``root``.

    Raises:
        PlaybookError: A program has errors, so it cannot be locked.
    """
    locks, problems = engine.lock(root, program_ids)
    if problems.errors:
        raise PlaybookError("cannot lock the new program's data:\n" + problems.render())
    write_files(root, [(lk.path, lk.text.encode("utf-8")) for lk in locks if lk.stale])
    return [lk.path for lk in locks if lk.stale]


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    root = Path(args.dir)
    locks, problems = engine.lock(root, args.program)
    if problems.errors:
        print(problems.render(), file=sys.stderr)
        print(f"playbook lock failed: {len(problems.errors)} error(s); no lock written",
              file=sys.stderr)
        return 1
    stale = [lk for lk in locks if lk.stale]
    if args.check:
        for lk in stale:
            what = "is missing" if lk.current is None else "differs from the data"
            print(f"{lk.path}: the contract lock {what}; run 'playbook lock {lk.program}' "
                  "and review its diff", file=sys.stderr)
        return 1 if stale else 0
    write_files(root, [(lk.path, lk.text.encode("utf-8")) for lk in stale])
    for lk in locks:
        print(f"{'wrote' if lk.stale else 'unchanged'} {lk.path}", file=sys.stderr)
    if not locks:
        print("no program reads data: nothing to lock", file=sys.stderr)
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("lock", help="write each program's data contract "
                       "(data/<id>/contracts.lock.yml) from its data as it is now")
    p.add_argument("program", nargs="*", help="programs to lock (default: all)")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when a lock is missing or stale")
    p.set_defaults(func=run)
