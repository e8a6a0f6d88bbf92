"""``playbook schema``: the JSON Schemas and the format reference, generated from the model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook.model import schema
from playbook.pages import reference

FORMAT_FILE = "format.md"
"""The format reference written beside the schemas, readable in the repository."""


def _format_reference() -> str:
    # the site page without its front matter: the same text, generated from the model
    return reference.markdown().split("---\n", 2)[2].lstrip("\n")


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    out = Path(args.out)
    if args.check:
        changed = schema.stale(out)
        ref = out / FORMAT_FILE
        if not ref.is_file() or ref.read_text(encoding="utf-8") != _format_reference():
            changed.append(FORMAT_FILE)
        for name in changed:
            print(f"{(out / name).as_posix()}: stale; run 'playbook schema'", file=sys.stderr)
        return 1 if changed else 0
    for path in schema.write(out):
        print(path.as_posix())
    (out / FORMAT_FILE).write_text(_format_reference(), encoding="utf-8")
    print((out / FORMAT_FILE).as_posix())
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("schema", help="write schema/*.schema.json and schema/format.md "
                       "(the format reference) from the model")
    p.add_argument("--out", default="schema", help="output folder (default: schema)")
    p.add_argument("--check", action="store_true", help="exit 1 when the files are stale")
    p.set_defaults(func=run)
