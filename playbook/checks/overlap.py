"""Two KPIs over nearly the same people: an error, since their means subtract to a person.

Runs with the other cross-file checks (:mod:`playbook.checks.runner`). Each
person-level KPI publishes, per group and wave (or cadence period), a mean over
a set of people. When a second KPI publishes the same measure over a set that
differs from the first by fewer than ``privacy.min_group_size`` people (a row
filter that drops one subject, a query that leaves one person out), the two
means multiplied by their sizes and subtracted give those few people's values.
"Same measure" is read from the data, not the file name: the people both sets
hold have the same values in both, so a copy through a query is caught too.
The error is located at the later KPI's ``source``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Final

from playbook.load.observations import Observation
from playbook.load.reporter import Reporter
from playbook.model.choices import Cadence
from playbook.model.measure import Kpi

Cell = tuple[str, str]
"""A published aggregate's place: its group, and its wave or cadence period."""

_QUARTER: Final = 3


def _period(day: date, cadence: Cadence) -> str:
    """The cadence period holding ``day``, as a label (weeks by their ISO number)."""
    if cadence is Cadence.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if cadence is Cadence.MONTHLY:
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // _QUARTER + 1}"


def _cells(kpi: Kpi, series: list[Observation]) -> dict[Cell, dict[str, tuple[float, ...]]]:
    """Each cell's people, with the values each has in it (sorted, so order is no change)."""
    found: dict[Cell, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    places: dict[tuple[str | None, date], str] = {}  # each (wave, day) labelled once
    for o in series:
        if o.subject is None:
            continue
        where = places.get((o.wave, o.date))
        if where is None:
            where = places[(o.wave, o.date)] = (f"the {o.wave} wave" if o.wave
                                                else _period(o.date, kpi.cadence))
        found[(o.group or "all", where)][o.subject].append(o.value)
    return {cell: {s: tuple(sorted(v)) for s, v in people.items()}
            for cell, people in found.items()}


def _clash(mine: dict[Cell, dict[str, tuple[float, ...]]],
           theirs: dict[Cell, dict[str, tuple[float, ...]]], k: int
           ) -> tuple[Cell, int] | None:
    """The first cell both publish over sets of the same measure differing by 1 to k − 1."""
    for cell in sorted(mine.keys() & theirs.keys()):
        a, b = mine[cell], theirs[cell]
        if min(len(a), len(b)) < k:
            continue  # one side is not published at all
        common = a.keys() & b.keys()
        apart = len(a.keys() ^ b.keys())
        if common and 0 < apart < k and all(a[s] == b[s] for s in common):
            return cell, apart
    return None


def check(report: Reporter) -> None:
    """Report a KPI whose published means differ from an earlier KPI's by too few people."""
    plan = report.bundle.kpis
    if plan is None:
        return
    k = plan.privacy.min_group_size
    people = [kpi for kpi in plan.kpis if kpi.person_level and report.bundle.series.get(kpi.id)]
    if len(people) < 2:
        return  # one KPI's means are compared with each other by the figures' own rules
    earlier: list[tuple[Kpi, dict[Cell, dict[str, tuple[float, ...]]]]] = []
    for i, kpi in enumerate(plan.kpis):
        if not kpi.person_level:
            continue
        cells = _cells(kpi, report.bundle.series.get(kpi.id, []))
        for other, theirs in earlier:
            found = _clash(cells, theirs, k)
            if found is None:
                continue
            (group, where), apart = found
            report.add("kpis", ("kpis", i, "source"),
                       f"{where} ({group}) is over the same people as KPI '{other.id}' but "
                       f"for {apart} (fewer than privacy.min_group_size, {k}): subtracting "
                       "the two published means would give those people's values",
                       f"give both KPIs the same rows, or rows that differ by at least {k} "
                       "people")
            break
        earlier.append((kpi, cells))
