"""What changed in the measurement data between two revisions, and which figures it moves.

Sits beside :mod:`playbook.review.diff`: that module compares the definition,
this one the observations each KPI's source yields (``Bundle.series``), read
through the loader at both revisions. Observations are compared by meaning
(date, value, group, subject, wave), so reordered rows or a date written in
another declared format are no change. Rows dated after the base's last
observation are the normal update; anything else (a value changed, a row
removed or added in the past) rewrites history and is flagged. Person-level
series (observations with a ``subject``) are reported by counts and dates
only: no subject id and no single person's value ever reaches the comment. An
aggregate value is quoted only where the site publishes its period at both
revisions (none below the minimum group size): a value withheld on the site is
withheld here too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Final

from playbook.figures.trajectory import KpiFigures, KpiStatus, period_start
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.pages.mdtext import Md, cat, fmt, join, lines, number
from playbook.review.quoted import heading, text
from playbook.review.sides import Side, read_sides

MAX_EXAMPLES: Final = 3
"""Changed values shown per aggregate series; the counts cover the rest."""
_DIGITS: Final = 6


@dataclass(frozen=True)
class Span:
    """Some rows of a series: how many, and the first and last date among them."""

    rows: int
    first: date
    last: date


@dataclass(frozen=True)
class ValueChange:
    """One aggregate observation whose value changed (never person-level)."""

    date: date
    group: str | None
    before: float
    after: float


@dataclass(frozen=True)
class FigureMove:
    """A KPI's latest published value and status, before and after the data change."""

    latest_before: float | None
    latest_after: float | None
    status_before: KpiStatus
    status_after: KpiStatus


@dataclass(frozen=True)
class SeriesChange:
    """How one KPI's observations changed between base and head."""

    program: str
    kpi: str
    person_level: bool
    """Whether the observations are people's (then no value is shown)."""
    appended: Span | None
    """New rows dated after the base's last observation: the normal update."""
    rewritten: Span | None
    """Rows changed, removed or added on or before the base's last observation."""
    changed: int
    removed: int
    inserted: int
    examples: tuple[ValueChange, ...]
    """Up to :data:`MAX_EXAMPLES` changed values; empty for person-level series."""
    figures: FigureMove | None
    """Set when the KPI's latest published value or status moved (for person-level
    data, only a status move is reported and both values are ``None``)."""
    republished: int = 0
    """Published cells of people's rows (a wave, a period) whose people change by 1 to
    ``min_group_size − 1`` between the two revisions: beside the figures already online
    the new ones would give those people's values."""


@dataclass(frozen=True)
class DataDiff:
    """Every series that changed (both sides free of errors: ``playbook diff`` names
    them instead, as ``playbook check`` does)."""

    series: tuple[SeriesChange, ...]


def _key(o: Observation) -> tuple[date, str, str, str, float]:
    return (o.date, o.group or "", o.subject or "", o.wave or "", o.value)


def _span(rows: Iterable[date]) -> Span | None:
    days = sorted(rows)
    return Span(len(days), days[0], days[-1]) if days else None


def compare_series(program: str, kpi: str, base: list[Observation],
                   head: list[Observation], *, person_level: bool,
                   shown: Callable[[Observation, Observation], bool] = lambda a, b: True
                   ) -> SeriesChange | None:
    """Compare one KPI's observations; ``None`` when they mean the same.

    Args:
        program: The program's id.
        kpi: The KPI's id.
        base: Observations at the base revision.
        head: Observations at the head revision.
        person_level: Whether the source names a ``subject`` column.
        shown: Whether a changed value (base, head) may be quoted: the site publishes
            the period holding it at both revisions.
    """
    before, after = Counter(base), Counter(head)
    if before == after:
        return None
    person_level = person_level or any(o.subject is not None for o in (*base, *head))
    last = max((o.date for o in base), default=None)
    added = sorted((after - before).elements(), key=_key)
    gone = sorted((before - after).elements(), key=_key)
    new = [o for o in added if last is None or o.date > last]
    past = [o for o in added if last is not None and o.date <= last]
    waiting: dict[tuple[date, str | None, str | None, str | None], list[Observation]] = (
        defaultdict(list))
    for o in gone:
        waiting[(o.date, o.group, o.subject, o.wave)].append(o)
    pairs: list[tuple[Observation, Observation]] = []
    inserted = 0
    for o in past:
        match = waiting.get((o.date, o.group, o.subject, o.wave))
        if match:
            pairs.append((match.pop(0), o))
        else:
            inserted += 1
    removed = len(gone) - len(pairs)
    examples = () if person_level else tuple(
        ValueChange(a.date, a.group, a.value, b.value)
        for a, b in [p for p in pairs if shown(*p)][:MAX_EXAMPLES])
    rewritten = _span([*(o.date for o in gone), *(o.date for o in past)])
    if rewritten is not None:  # a changed row is one row, though it is gone and added
        rewritten = replace(rewritten, rows=len(pairs) + removed + inserted)
    return SeriesChange(program, kpi, person_level, _span(o.date for o in new), rewritten,
                        len(pairs), removed, inserted, examples, None)


def _moved(before: KpiFigures | None, after: KpiFigures | None, *,
           person_level: bool) -> FigureMove | None:
    """The move of a KPI's figures; for person-level data, of its status only.

    Two published means of one group that differ by a few people's rows, next to
    the count of rows that changed, give those people's values by subtraction.
    """
    if before is None or after is None:
        return None
    was, now = (None, None) if person_level else (before.latest, after.latest)
    if (was, before.status) == (now, after.status):
        return None
    return FigureMove(was, now, before.status, after.status)


def _published(figs: KpiFigures | None) -> set[tuple[str, date]]:
    """The (group, period) cells whose value the site publishes: the comment's filter."""
    if figs is None:
        return set()
    return {(p.group, p.period) for p in figs.points if p.value is not None}


def _republished(before: KpiFigures | None, after: KpiFigures | None, k: int) -> int:
    """How many cells published at both revisions move by 1 to ``k − 1`` people."""
    if before is None or after is None:
        return 0
    # a wave is one cell whatever day it is plotted on (its median day moves with its rows)
    was = {(p.group, p.wave or p.period): p for p in before.points if p.value is not None}
    moved = 0
    for p in after.points:
        old = was.get((p.group, p.wave or p.period))
        if p.value is None or old is None:
            continue
        if 0 < abs(p.n - old.n) < k or (p.n == old.n and p.value != old.value):
            moved += 1
    return moved


def compare(base: Side, head: Side) -> DataDiff:
    """Compare every KPI series of the programs at head with the same KPI at base.

    Figures come from both sides (each with its own definition, on the same
    date); a KPI whose data did not change is not listed, whatever its figures.
    """
    out: list[SeriesChange] = []
    for bundle in head.playbook.programs:
        old = base.playbook.get(bundle.id)
        kpis = bundle.kpis.kpis if bundle.kpis else []
        found = []
        was = base.figures[bundle.id].kpis if bundle.id in base.figures else {}
        now = head.figures[bundle.id].kpis if bundle.id in head.figures else {}
        for kpi in kpis:
            person = kpi.person_level
            before, after = _published(was.get(kpi.id)), _published(now.get(kpi.id))

            def shown(a: Observation, b: Observation, cadence: Cadence = kpi.cadence,
                      before: set[tuple[str, date]] = before,
                      after: set[tuple[str, date]] = after) -> bool:
                return ((a.group or "all", period_start(a.date, cadence)) in before
                        and (b.group or "all", period_start(b.date, cadence)) in after)

            change = compare_series(bundle.id, kpi.id,
                                    old.series.get(kpi.id, []) if old else [],
                                    bundle.series.get(kpi.id, []), person_level=person,
                                    shown=shown)
            if change is not None:
                found.append(change)
        k = head.figures[bundle.id].min_group_size if bundle.id in head.figures else 0
        out.extend(replace(c, figures=_moved(was.get(c.kpi), now.get(c.kpi),
                                             person_level=c.person_level),
                           republished=_republished(was.get(c.kpi), now.get(c.kpi), k)
                           if c.person_level else 0) for c in found)
    return DataDiff(tuple(out))


def diff_data(root: Path, base: str | None, head: str | None, today: date) -> DataDiff:
    """Load both revisions (``None``: the work tree) and compare their data.

    Raises:
        DiffError: A revision is not a commit, or git cannot read it.
    """
    return compare(*read_sides(root, base, head, today))


def _dates(span: Span) -> Md:
    if span.first == span.last:
        return fmt("{}", span.first)
    return fmt("{} … {}", span.first, span.last)


def _rows(n: int, what: str) -> Md:
    return fmt("{} row {}", n, text(what)) if n == 1 else fmt("{} rows {}", n, text(what))


def _bullets(c: SeriesChange) -> list[Md]:
    parts: list[Md] = []
    if c.rewritten is not None:
        counts = [_rows(n, what) for n, what in ((c.changed, "changed"),
                  (c.removed, "removed"), (c.inserted, "added in the past")) if n]
        parts.append(fmt("{}, {}", join(counts, Md(", ")), _dates(c.rewritten)))
    if c.appended is not None:
        parts.append(fmt("{}, {}", _rows(c.appended.rows, "appended"), _dates(c.appended)))
    body = join(parts, Md("; "))
    out = [fmt("- ⚠️ **{}: history rewritten**: {}", text(c.kpi), body)
           if c.rewritten is not None else fmt("- {}: {}", text(c.kpi), body)]
    if c.person_level:
        out.append(Md("  - values not shown: person-level data"))
    if c.republished:
        out.append(fmt("  - ⚠️ **{} published figure(s) would change by fewer people than the "
                       "privacy minimum**: beside the figures already online they would give "
                       "those people's answers (leave a closed wave's rows as they were "
                       "published)", c.republished))
    for e in c.examples:
        where = fmt("{}, {}", e.date, text(e.group)) if e.group else fmt("{}", e.date)
        out.append(fmt("  - {}: {} → {}", where, number(e.before, _DIGITS),
                       number(e.after, _DIGITS)))
    f = c.figures
    if f is not None:
        moves = []
        if f.latest_before != f.latest_after:
            moves.append(fmt("latest value {} → {}", number(f.latest_before, _DIGITS),
                             number(f.latest_after, _DIGITS)))
        if f.status_before != f.status_after:
            moves.append(fmt("status {} → {}", text(f.status_before.value),
                             text(f.status_after.value)))
        out.append(fmt("  - {}", join(moves, Md("; "))))
    return out


def markdown(result: DataDiff) -> Md:
    """The data part of a review comment: per program, one bullet per changed KPI.

    Empty when no series changed. Every value is escaped (:mod:`playbook.pages.mdtext`).
    """
    if not result.series:
        return Md("")
    out: list[Md] = []
    for program in dict.fromkeys(c.program for c in result.series):
        bullets = [b for c in result.series if c.program == program for b in _bullets(c)]
        out.append(cat(lines([heading(3, f"{program}: data"), *bullets]), Md("\n")))
    return lines(out)
