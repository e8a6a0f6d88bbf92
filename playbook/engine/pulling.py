"""``playbook pull`` in the engine: run the warehouse queries, check what they return.

Each source with a ``connection`` runs its query in the warehouse whose URL
the connection's environment variable holds; the result is checked like any
export (columns, dates, numbers, no direct identifiers). Nothing is written
here: the caller writes every snapshot or none.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from playbook.engine.loading import load_playbook
from playbook.engine.operations import errors_of
from playbook.load import warehouse
from playbook.load.bundle import Bundle, Playbook
from playbook.load.observations import read_series
from playbook.load.results import QueryError
from playbook.load.tables import Tables, snapshot_path
from playbook.load.yaml_source import format_loc
from playbook.model.problems import Problem, Problems, UsageError


@dataclass(frozen=True)
class Snapshot:
    """One query's result, to be written as ``data/<id>/snapshots/<kpi-id>.csv``."""

    path: Path
    """Where the snapshot goes."""
    text: str
    """The CSV text."""
    rows: int
    """Rows of the result."""
    connection: str
    """The connection it came from."""


def _pull_program(book: Playbook, bundle: Bundle, problems: Problems,
                  out: list[Snapshot]) -> None:
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
        if isinstance(result, warehouse.Unreachable):
            line, col = yaml.where((*loc, "connection"))
            problems.add(Problem(yaml.path, line, col, format_loc((*loc, "connection")),
                                 f"connection '{src.connection}': {result.message}",
                                 f"check the URL in {connection.env}: host, port, database, "
                                 "user and password (the query was not run)"))
            continue
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
        # only the columns the KPI reads: the role may read other tables' data too
        kept = warehouse.kept_columns(result, src)
        out.append(Snapshot(bundle.root / rel, warehouse.snapshot_text(kept),
                            len(result.rows), src.connection))
    problems.extend(tables.problems)


def _replaced_by_pull(problem: Problem) -> bool:
    """A problem of a snapshot itself (missing, or stale): the pull replaces it."""
    return problem.field.endswith(".source.connection")


def pull(root: Path, wanted: Collection[str],
         announce: Callable[[Snapshot], None] = lambda _: None) -> tuple[list[Snapshot],
                                                                        Problems]:
    """Run the warehouse queries of the ``wanted`` programs (all when empty).

    A program with errors of its own is not pulled (its errors are returned,
    as ``playbook check`` names them), except errors in the snapshots the pull
    replaces.

    Raises:
        UsageError: An unknown program, or a connection that cannot be reached.
    """
    book, loaded = load_playbook(root)
    unknown = set(wanted) - {b.id for b in book.programs}
    if unknown:
        raise UsageError(f"no program {', '.join(sorted(unknown))} in {root}")
    problems = Problems()
    out: list[Snapshot] = []
    for bundle in book.programs:
        if wanted and bundle.id not in wanted:
            continue
        blocking = [p for p in errors_of(loaded, bundle.id) if not _replaced_by_pull(p)]
        if blocking:
            problems.extend(blocking)
            continue
        before = len(out)
        _pull_program(book, bundle, problems, out)
        for snapshot in out[before:]:
            announce(snapshot)
    return out, problems
