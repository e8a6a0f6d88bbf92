"""The ``playbook`` command: check and publish leadership programs kept as code.

Checks every program file and data file (``check``), computes every figure
(``report``), writes the site's pages without MkDocs (``pages``), scaffolds a
program (``new``), and serves review: what changed (``diff``), who signed it
(``sign``) and who must review it (``codeowners``). One module per verb.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from playbook.commands import check, codeowners, diff, new, pages, pull, report, schema, sign
from playbook.model.problems import PlaybookError

VERBS = (check, schema, new, report, pages, pull, sign, diff, codeowners)
"""The command modules, in the order ``--help`` lists them."""


def parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used to document the CLI in the README)."""
    top = argparse.ArgumentParser(prog="playbook", description=__doc__.split("\n\n")[0])
    sub = top.add_subparsers(dest="command", required=True)
    for verb in VERBS:
        verb.add(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except PlaybookError as exc:  # every deliberate error ends here, once
        print(f"playbook {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    return code


if __name__ == "__main__":
    sys.exit(main())
