"""``playbook schema``: the JSON Schemas and the format reference, generated from the model."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from playbook.load.safefiles import Refusal, read_file
from playbook.load.safewrite import anchor, write_files
from playbook.model import schema
from playbook.model.problems import Problem
from playbook.pages import reference

FORMAT_FILE = "format.md"
"""The format reference written beside the schemas, readable in the repository."""


def _format_reference() -> str:
    # the site page without its front matter: the same text, generated from the model
    return reference.markdown().split("---\n", 2)[2].lstrip("\n")


def files() -> dict[str, str]:
    """Every file ``playbook schema`` writes into its folder: name → text.

    The program files' schemas, the schema of ``figures.json`` (what ``playbook report``
    and the site's downloads hold, for other tools) and the format reference.
    """
    # imported here: the figures' schema reads the figures' classes, which import the
    # statistics stack, and `playbook check` in a pre-commit hook must start without it
    from playbook.pages import figures_schema

    return {**schema.texts(), figures_schema.FILE: figures_schema.render(),
            FORMAT_FILE: _format_reference()}


def stale(out: Path, root: Path | None = None) -> list[str]:
    """The names of the files in ``out`` that differ from the model (or are missing).

    Each is read as the loader reads a file, never through a link, from
    ``root`` (default: the working folder) when ``out`` is inside it: a file
    that is a link or sits behind one counts as stale, and a located line on
    stderr says why.
    """
    top = Path(root if root is not None else ".")
    here = os.path.abspath(out)
    inside = os.path.commonpath([here, os.path.abspath(top)]) == os.path.abspath(top)
    base = top if inside else out
    changed = []
    for name, text in files().items():
        path = out / name
        shown = os.path.relpath(path, base) if inside else path.as_posix()
        expected = text.encode("utf-8")
        found = read_file(path, base, Path(shown).as_posix(), len(expected))
        if isinstance(found, Refusal):
            print(Problem(Path(shown).as_posix(), 1, 1, "", found.message, found.hint),
                  file=sys.stderr)
        if found != expected:
            changed.append(name)
    return changed


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    out = Path(args.out)
    if args.check:
        changed = stale(out)
        for name in changed:
            print(f"{(out / name).as_posix()}: stale; run 'playbook schema'", file=sys.stderr)
        return 1 if changed else 0
    root, below, prefix = anchor(Path("."), out)
    generated = files()
    write_files(root, [(below / name, text.encode("utf-8")) for name, text in generated.items()],
                prefix)
    for name in generated:
        print((out / name).as_posix())
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("schema", help="write schema/*.schema.json and schema/format.md "
                       "(the format reference) from the model")
    p.add_argument("--out", default="schema", help="output folder (default: schema)")
    p.add_argument("--check", action="store_true", help="exit 1 when the files are stale")
    p.set_defaults(func=run)
