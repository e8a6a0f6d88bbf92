"""A program's sources → what their input files hold now, and the lock that was accepted.

Runs at the end of a program's load when the program has a lock
(``data/<id>/contracts.lock.yml``) or a source declares ``expect:``, and always
for ``playbook lock``. Which columns to watch comes from the model (a source's
``group``, ``wave`` and ``read.where`` columns, the AI outcomes' ``group`` and
``tool``) or, for a query, from its text (:mod:`playbook.load.query_columns`);
each input file is then read once by :mod:`playbook.load.seen`. The lock is
written by :func:`lock_text`, deterministic and sorted, so its diff is the
change a reviewer accepts.
"""

from __future__ import annotations

import os
from pathlib import Path
from statistics import fmean
from typing import Any, Final

import yaml

from playbook.load import reading, sql
from playbook.load import yaml_source as yamlsrc
from playbook.load.bundle import Bundle
from playbook.load.csv_table import Table, parse_date, read_table
from playbook.load.program_files import read_program_file
from playbook.load.safefiles import locate_data
from playbook.load.seen import Expected, Observed, SeriesSeen, Track, observe, watched
from playbook.load.tables import Tables, snapshot_path
from playbook.load.validate import validate
from playbook.model.choices import Cadence
from playbook.model.contracts import LOCK_FILE, ContractLock
from playbook.model.measure import Reading, Source
from playbook.model.problems import Problem

HEADER: Final = ("# Data contract of program '{id}', written by 'playbook lock {id}':\n"
                 "# what its input files held when a reviewer accepted them. A new export is\n"
                 "# checked against it; review a change here as you would a change of code.\n")
"""The comment that opens every lock file."""

_TEXT_SUFFIXES: Final = (".csv", ".tsv", ".txt")
"""Query inputs whose cells a contract reads (Parquet and JSON are typed by their reader)."""


def lock_path(program_id: str) -> str:
    """Where a program's lock is, relative to the playbook root."""
    return f"data/{program_id}/{LOCK_FILE}"


def wanted(bundle: Bundle) -> bool:
    """Whether the program has a contract to check: a lock, or a declared expectation."""
    if os.path.lexists(bundle.root / lock_path(bundle.id)):  # a link is refused, not skipped
        return True
    kpis = bundle.kpis.kpis if bundle.kpis is not None else []
    return any(k.source is not None and k.source.expect is not None for k in kpis)


def lock_bytes(root: Path, program_id: str, problems: list[Problem]) -> bytes | None:
    """The bytes of a program's lock as a program file is read: no link, no FIFO, bounded
    (``None``: absent, or refused with a problem saying why)."""
    rel = lock_path(program_id)
    return read_program_file(root / rel, root, rel, problems)


def read_lock(bundle: Bundle) -> tuple[ContractLock | None, list[Problem]]:
    """The program's lock when it has one; problems of a broken one, located."""
    rel = lock_path(bundle.id)
    problems: list[Problem] = []
    raw = lock_bytes(bundle.root, bundle.id, problems)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(rel, 1, 1, "", "not UTF-8 text",
                              f"write it again with 'playbook lock {bundle.id}'")]
    source, found = yamlsrc.parse(text, rel)
    if found:
        return None, found
    return validate(ContractLock, source)


class _Plan:
    """The input files of a program's sources and what to watch in each."""

    def __init__(self, bundle: Bundle, tables: Tables) -> None:
        self.bundle, self.tables = bundle, tables
        self.inputs: dict[str, tuple[Table, Track]] = {}
        self.people: dict[str, set[str | None]] = {}

    def add(self, table: Table, track: Track, subject: str | None) -> str:
        known = self.inputs.get(table.path)
        if known is None:
            self.inputs[table.path] = (table, track)
        else:  # several sources read the file: watch what any of them needs
            mine = known[1]
            mine.categories |= track.categories
            mine.not_null |= track.not_null
            mine.unique |= track.unique
            mine.accepted |= track.accepted
            mine.summed |= track.summed
            mine.date_column = mine.date_column or track.date_column
        self.people.setdefault(table.path, set()).add(subject)
        return table.path

    def source(self, i: int, src: Source) -> list[str]:
        """Plan the inputs of the ``i``-th KPI's source; their paths."""
        yaml_doc = self.bundle.sources["kpis"]
        kpi = self.bundle.kpis.kpis[i] if self.bundle.kpis is not None else None
        cadence = kpi.cadence if kpi is not None else Track().cadence
        expect = src.expect
        extra = {"not_null": set(expect.not_null), "unique": set(expect.unique),
                 "categories": set(expect.accepted_values)} if expect else {}
        loc: yamlsrc.Path_ = ("kpis", i, "source")
        if src.file is not None or src.connection is not None:
            table = self.tables.get(src.file, yamlsrc.Where(yaml_doc, (*loc, "file")), src.read) \
                if src.file is not None else self._snapshot(i)
            if table is None:
                return []
            named = {c for c in (src.group, src.wave, *src.read.where) if c}
            track = Track(named | extra.get("categories", set()),
                          extra.get("not_null", set()), extra.get("unique", set()),
                          extra.get("categories", set()), src.date, src.read, cadence)
            return [self.add(table, track, src.subject)]
        return self._query(src, cadence, extra)

    def _snapshot(self, i: int) -> Table | None:
        assert self.bundle.kpis is not None
        rel = snapshot_path(self.bundle, self.bundle.kpis.kpis[i].id)
        return self.tables.get(rel, yamlsrc.Where(self.bundle.sources["kpis"],
                                                 ("kpis", i, "source", "connection")))

    def _query(self, src: Source, cadence: Cadence, extra: dict[str, set[str]]) -> list[str]:
        text = src.query if src.query is not None else self._read(src.query_file)
        if text is None:
            return []
        # imported here: only a query's contract parses SQL, and sqlglot took 0.5 s of
        # every command's start-up (a check, a build, each pre-commit hook)
        from playbook.load.query_columns import shape

        found = shape(text)
        out = []
        root, pid = self.bundle.root, self.bundle.id
        for rel in sql.readable_files(root, root / "data" / pid):
            if not rel.endswith(_TEXT_SUFFIXES) or (rel not in text
                                                    and Path(rel).name not in text):
                continue
            table, _ = read_table(root / rel, rel)  # its problems: the query's own, when run
            if table is None:
                continue
            named = {c for c in table.header if c.lower() in found.categories}
            track = Track(named | (extra.get("categories", set()) & set(table.header)),
                          extra.get("not_null", set()), extra.get("unique", set()),
                          extra.get("categories", set()),
                          _date_column(table, found.columns, src.read), src.read, cadence,
                          summed=found.summed)
            out.append(self.add(table, track, src.subject))
        return out

    def _read(self, rel: str | None) -> str | None:
        real = locate_data(rel, self.bundle.root, self.bundle.id) if rel else None
        try:
            return real.read_text(encoding="utf-8-sig") if isinstance(real, Path) else None
        except (OSError, UnicodeDecodeError):
            return None  # the loader reported it when it read the query


def _date_column(table: Table, named: frozenset[str], how: Reading) -> str | None:
    """The first column the query names whose first cell is a date (ISO, or as the source's
    ``read.date_format`` says): the rows are dated by it."""
    for i, column in enumerate(table.header):
        if column.lower() not in named:
            continue
        first = next((cells[i] for _, cells in table.rows if i < len(cells) and cells[i]), "")
        if reading.day(first, how) is not None or parse_date(first.strip()[:10]) is not None:
            return column
    return None


def observe_program(bundle: Bundle, tables: Tables) -> Observed:
    """Read what the program's input files hold now, by the plan its sources make."""
    plan, observed = _Plan(bundle, tables), Observed()
    kpis = bundle.kpis.kpis if bundle.kpis is not None else []
    for i, kpi in enumerate(kpis):
        if kpi.source is None:
            continue
        inputs = plan.source(i, kpi.source)
        if kpi.source.expect is not None:
            observed.expected.append(Expected(i, kpi.source.expect, tuple(inputs)))
        if kpi.source.subject is None and kpi.source.count is None:
            observed.series[kpi.id] = _series(bundle, i, kpi.id)
    if bundle.ai is not None and bundle.ai.outcomes is not None:
        out = bundle.ai.outcomes
        table = tables.get(out.file, yamlsrc.Where(bundle.sources["ai"], ("outcomes", "file")))
        if table is not None:  # a row per person: identical rows are the rule, not an artifact
            plan.add(table, Track({c for c in (out.group, out.tool) if c}), None)
    for path, (table, track) in sorted(plan.inputs.items()):
        track.categories = {c for c in track.categories if c in track.accepted
                            or all(watched(c, s) for s in plan.people[path])}
        observed.inputs[path] = observe(table, track)
    return observed


def _series(bundle: Bundle, i: int, kpi_id: str) -> SeriesSeen:
    src = bundle.kpis.kpis[i].source if bundle.kpis is not None else None
    yaml_doc = bundle.sources["kpis"]
    from_file = src is not None and src.file is not None
    path = src.file if from_file and src is not None and src.file else yaml_doc.path
    line = yaml_doc.where(("kpis", i, "source"))[0]
    rows: dict[str, dict[str, list[tuple[float, int]]]] = {}
    for o in bundle.series.get(kpi_id, []):
        rows.setdefault(o.group or "all", {}).setdefault(o.date.isoformat(), []).append(
            (o.value, o.line if from_file else line))
    return SeriesSeen({g: {d: (fmean(v for v, _ in r), min(n for _, n in r))
                           for d, r in dates.items()} for g, dates in rows.items()}, path)


def lock_of(observed: Observed) -> dict[str, Any]:
    """The lock's data: plain, sorted, values rounded to six significant digits."""
    inputs = {}
    for path, seen in sorted(observed.inputs.items()):
        entry: dict[str, Any] = {"columns": seen.columns, "rows": seen.rows,
                                 "duplicate_lines": len(seen.duplicates)}
        if seen.periods:
            entry["rows_per_period"] = dict(sorted(seen.periods.items()))
        if seen.values:
            entry["values"] = {c: sorted(v) for c, v in sorted(seen.values.items())}
        inputs[path] = entry
    series = {kpi: {g: {d: float(f"{v:.6g}") for d, (v, _) in sorted(dates.items())}
                    for g, dates in sorted(s.values.items())}
              for kpi, s in sorted(observed.series.items()) if s.values}
    return {"inputs": inputs, "series": series}


def lock_text(program_id: str, observed: Observed) -> str:
    """The lock file's text: the same data always gives the same bytes."""
    body = yaml.safe_dump(lock_of(observed), sort_keys=True, allow_unicode=True,
                          default_flow_style=False, width=100_000)
    return HEADER.format(id=program_id) + body
