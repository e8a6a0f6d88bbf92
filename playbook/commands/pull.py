"""``playbook pull``: run the warehouse queries and keep their results as snapshot files.

Each source with a ``connection`` runs its query in the warehouse whose URL
the connection's environment variable holds; the result is checked like any
export (columns, dates, numbers, no direct identifiers) and written to
``data/<id>/snapshots/<kpi-id>.csv`` with only the columns the KPI reads. A
query that is not one read-only ``SELECT``, or a role that can write, is
refused before anything runs (:mod:`playbook.load.warehouse`). Every result is
checked before any file is written: one bad result changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook.load import warehouse
from playbook.load.bundle import Bundle, Playbook
from playbook.load.loader import load_playbook
from playbook.load.observations import read_series
from playbook.load.results import QueryError
from playbook.load.tables import Tables, snapshot_path
from playbook.load.yaml_source import format_loc
from playbook.model.problems import Problem, Problems, UsageError, display_path


def _pull_program(book: Playbook, bundle: Bundle, problems: Problems,
                  out: list[tuple[Path, str]]) -> None:
    if bundle.kpis is None:
        return
    yaml = bundle.sources["kpis"]
    tables = Tables(bundle)
    for i, kpi in enumerate(bundle.kpis.kpis):
        src = kpi.source
        if src is None or src.connection is None:
            continue
        loc = ("kpis", i, "source")
        connection = book.settings.connections.get(src.connection)
        if connection is None:
            raise UsageError(f"{yaml.path}: KPI '{kpi.id}' names connection "
                             f"'{src.connection}', which playbook.yml does not declare")
        url = warehouse.url_from(connection.env)
        if url is None:
            raise UsageError(f"set {connection.env} to the SQLAlchemy URL of connection "
                             f"'{src.connection}' (needed by KPI '{kpi.id}')")
        text, where = tables.query_text(src, yaml, loc)
        if text is None:
            continue  # why (a missing .sql file) is in tables.problems, added once below
        rel = snapshot_path(bundle, kpi.id)
        result = warehouse.run(url, text, rel, connection.timeout)
        if isinstance(result, warehouse.RoleRefusal):
            line, col = yaml.where((*loc, "connection"))
            problems.add(Problem(yaml.path, line, col, format_loc((*loc, "connection")),
                                 result.message, f"give connection '{src.connection}' a role "
                                 "that can only SELECT"))
            continue
        if isinstance(result, QueryError):
            problems.add(tables.query_problem(result, src, yaml, where))
            continue
        _, found = read_series(result, src, yaml, loc)
        problems.extend(found)
        out.append((bundle.root / rel, warehouse.snapshot_text(warehouse.kept_columns(
            result, src))))
        print(f"{rel}: {len(result.rows)} row(s) from connection '{src.connection}'")
    problems.extend(tables.problems)


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    root = Path(args.dir)
    book, _ = load_playbook(root)  # other problems are 'playbook check''s to report
    wanted = set(args.program)
    unknown = wanted - {b.id for b in book.programs}
    if unknown:
        raise UsageError(f"no program {', '.join(sorted(unknown))} in {root}")
    problems = Problems()
    out: list[tuple[Path, str]] = []
    for bundle in book.programs:
        if not wanted or bundle.id in wanted:
            _pull_program(book, bundle, problems, out)
    if problems.errors:
        print(problems.render(), file=sys.stderr)
        print(f"playbook pull failed: {len(problems.errors)} error(s); no snapshot written",
              file=sys.stderr)
        return 1
    warehouse.write_snapshots(out)
    if not out:
        print("no source has a connection: nothing to pull", file=sys.stderr)
    for path, _ in out:
        print(f"wrote {display_path(path, root)}", file=sys.stderr)
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("pull", help="run the warehouse queries of sources with a "
                       "'connection' and write their results to data/<id>/snapshots/")
    p.add_argument("program", nargs="*", help="programs to pull (default: all)")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=run)
