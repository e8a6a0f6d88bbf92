"""``playbook migrate``: bring a playbook's files to the format version this package reads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook.engine import migrate
from playbook.model.problems import Problems
from playbook.model.settings import FORMAT_VERSION


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code (1 when ``playbook.yml`` has errors)."""
    done = migrate(Path(args.dir))
    if done.problems:
        print(Problems(list(done.problems)).render(), file=sys.stderr)
        return 1
    for path in done.written:
        print(path)
    if done.found == FORMAT_VERSION and not done.written:
        print(f"format version {FORMAT_VERSION} is current; nothing to migrate")
    else:
        print(f"migrated from format version {done.found} to {FORMAT_VERSION}")
    if not done.stated:
        print(f"playbook.yml: format_version: not named, read as {done.found}; "
              f"add 'format_version: {FORMAT_VERSION}' to playbook.yml", file=sys.stderr)
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("migrate", help="bring playbook.yml and the program files to the "
                       f"current format version ({FORMAT_VERSION})")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=run)
