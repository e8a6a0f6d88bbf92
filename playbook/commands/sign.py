"""``playbook sign``: append a sign-off of the program as it is now."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from playbook.commands.common import day_option
from playbook.model.base import ROLES
from playbook.review import sign as signoff


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    day = day_option(args.date)
    entry = signoff.sign(Path(args.dir), args.program_id, args.role, args.name, day,
                           Path(args.key) if args.key else None)
    how = " with an SSH signature" if "signature" in entry else ""
    print(f"signed {args.program_id} {entry['version']} as {entry['role']} "
          f"({entry['name']}, {entry['date']}){how}: {entry['digest']}")
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("sign", help="sign off a program as it is now (appends to program.yml)")
    p.add_argument("program_id", metavar="PROGRAM")
    p.add_argument("--role", required=True, choices=ROLES, help="the stakeholder role signing")
    p.add_argument("--name", help="who signs (default: the person named for the role)")
    p.add_argument("--date", help="date of the sign-off, YYYY-MM-DD (default: today)")
    p.add_argument("--key", metavar="PATH",
                   help="SSH private key to sign the digest with (ssh-keygen -Y sign, "
                        "namespace playbook-signoff); verified against allowed_signers")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=run)
