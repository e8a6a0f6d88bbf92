"""``playbook pseudonymise``: an export's identifier columns replaced by keyed pseudonyms.

Run as an export enters ``data/``: ``playbook pseudonymise ~/Downloads/lms.csv
--columns email,name --out data/<id>/lms.csv``. The key (``$PLAYBOOK_PSEUDONYM_KEY``,
another variable with ``--key-env``, or a file outside the repository with
``--key-file``) never enters the repository; the same key gives the same
pseudonym for the same person in every export (:mod:`playbook.load.pseudonym`).
The engine does the work (:func:`playbook.engine.pseudonymise`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook import engine
from playbook.engine.pseudonymising import KEY_ENV


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    written = engine.pseudonymise(
        Path(args.dir), Path(args.file), columns, out=Path(args.out) if args.out else None,
        key_env=args.key_env, key_file=Path(args.key_file) if args.key_file else None)
    print(f"wrote {written}: {', '.join(columns)} replaced by keyed pseudonyms",
          file=sys.stderr)
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("pseudonymise", help="replace an export's identifier columns with "
                       "keyed pseudonyms (HMAC-SHA256) as it enters data/")
    p.add_argument("file", metavar="FILE", help="the export (CSV or JSON Lines)")
    p.add_argument("--columns", required=True, metavar="NAMES",
                   help="comma-separated identifier columns (dotted key paths in JSON Lines)")
    p.add_argument("--out", metavar="PATH",
                   help="where it goes, under data/<program>/ (default: FILE itself)")
    p.add_argument("--key-env", metavar="VAR",
                   help=f"environment variable holding the key (default: {KEY_ENV})")
    p.add_argument("--key-file", metavar="PATH",
                   help="file holding the key instead, outside the repository")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=run)
