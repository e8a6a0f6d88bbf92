"""``playbook explain``: print the query behind a KPI (a ``measure:`` compiled to SQL).

One engine call (:func:`playbook.engine.explain`). ``playbook explain KPI``
finds the KPI in whichever program has it; ``playbook explain PROGRAM KPI``
names the program when two have a KPI of that id.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook import engine
from playbook.model.problems import UsageError


def explain(root: Path, names: list[str]) -> tuple[int, str]:
    """The query behind the KPI ``names`` give (``[kpi]`` or ``[program, kpi]``).

    Returns:
        ``(0, query)``; ``(1, problems)`` when the KPI's measure does not compile.

    Raises:
        UsageError: Not one or two names, or no such program or KPI.
    """
    if len(names) not in (1, 2):
        raise UsageError("name a KPI, or a program and a KPI: playbook explain [PROGRAM] KPI")
    program_id, kpi_id = (None, names[0]) if len(names) == 1 else (names[0], names[1])
    text = engine.explain(root, kpi_id, program_id)
    if isinstance(text, str):
        return 0, text
    return 1, text.render()


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("explain", help="print the query behind a KPI (its measure compiled "
                       "to DuckDB SQL, or its query as written)")
    p.add_argument("names", nargs="+", metavar="[PROGRAM] KPI",
                   help="the KPI's id, after its program's when two programs have it")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    code, text = explain(Path(args.dir), args.names)
    (sys.stdout if code == 0 else sys.stderr).write(text if text.endswith("\n") else text + "\n")
    return code
