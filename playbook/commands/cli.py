"""The ``playbook`` command line: one module per verb, listed in :data:`VERBS`.

:data:`DESCRIPTION` is what ``playbook --help`` says the tool does; the README's
command reference is generated from this parser (``scripts/readme.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata  # noqa: F401  (a test replaces metadata.version through it)
from typing import Any

from playbook.commands import (
    check,
    codeowners,
    diff,
    explain,
    init,
    lock,
    migrate,
    new,
    pages,
    pseudonymise,
    pull,
    report,
    schema,
    sign,
)
from playbook.commands.common import DISTRIBUTION, playbook_folder, version
from playbook.model.problems import PlaybookError

DESCRIPTION = (
    "Check, compute and publish leadership-development programs kept as YAML files and "
    "measurement data: check every program and data file (check), write the JSON Schemas "
    "and the format reference editors work from (schema), scaffold a new program that "
    "checks clean (new), write a new playbook repository that checks and builds (init), "
    "bring the files to the current format version (migrate), print every figure of a "
    "program as JSON (report), print the query behind a KPI, its measure compiled to SQL "
    "(explain), write the site's pages without MkDocs (pages), pull warehouse query results "
    "into snapshot files (pull), accept each program's data into its contract lock (lock), "
    "replace an export's identifier columns with keyed pseudonyms (pseudonymise), sign off "
    "the measurement plan (sign), show what a change does to targets, figures, sign-offs "
    "and data contracts (diff), and write review rules from the stakeholders (codeowners). "
    "'mkdocs build' publishes the site.")
"""What the tool does, for ``playbook --help``: every verb, in the order of :data:`VERBS`."""
VERBS = (check, schema, new, init, migrate, report, explain, pages, pull, lock, pseudonymise,
         sign, diff, codeowners)
"""The command modules, in the order ``--help`` lists them."""
__all__ = ["DESCRIPTION", "DISTRIBUTION", "VERBS", "main", "parser", "version"]


class _VersionAction(argparse.Action):
    """``--version``, read only when asked: a missing package must not break other verbs."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        try:
            found = version()
        except PlaybookError as exc:
            parser.exit(exc.exit_code, f"{parser.prog}: {exc}\n")
        print(f"{parser.prog} {found}")  # stdout, as argparse's own version action does
        parser.exit()


def parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used to document the CLI in the README)."""
    top = argparse.ArgumentParser(prog="playbook", description=DESCRIPTION)
    top.add_argument("--version", action=_VersionAction,
                     help="print the package version and exit")
    sub = top.add_subparsers(dest="command", required=True)
    for verb in VERBS:
        verb.add(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    try:
        if getattr(args, "dir", None) is not None:
            args.dir = str(playbook_folder(args.dir, create=args.command == "new"))
        code: int = args.func(args)
    except PlaybookError as exc:  # every deliberate error ends here, once
        print(f"playbook {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `playbook report | head`: the reader left, nothing is wrong
        # the interpreter would flush stdout again at exit and fail; point it at nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
