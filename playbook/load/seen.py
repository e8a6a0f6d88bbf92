"""What a program's input files hold, as a contract sees it: columns, categories, rows.

Sits beside the loader: :mod:`playbook.load.contracts` decides which files and
columns to watch (a source's mapping, a query's filters); this module reads one
table by that plan into an :class:`InputSeen`, which ``playbook lock`` writes
into the lock and :mod:`playbook.checks.contracts` compares with it. Every
fact keeps the line (and column) it was first seen at, so a finding is located.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from playbook.load import reading
from playbook.load.csv_table import Table, parse_date
from playbook.load.identifiers import identifying_cell, is_direct, is_person_id
from playbook.model.choices import Cadence
from playbook.model.contracts import MAX_VALUES, Expectations
from playbook.model.measure import Reading

Place = tuple[int, int]
"""A cell's ``(line, column)`` in its file, both 1-based."""


@dataclass
class Track:
    """What to watch in one input file, merged over every source that reads it."""

    categories: set[str] = field(default_factory=set)
    """Columns filtered, grouped or mapped (their values are locked)."""
    not_null: set[str] = field(default_factory=set)
    """Columns an expectation wants without empty cells."""
    unique: set[str] = field(default_factory=set)
    """Columns an expectation wants without repeated values."""
    accepted: set[str] = field(default_factory=set)
    """Columns an expectation lists the values of: kept however many they hold."""
    date_column: str | None = None
    """The column that dates each row (periods are counted by it)."""
    reading: Reading = field(default_factory=Reading)
    """How the source reads dates (``date_format``)."""
    cadence: Cadence = Cadence.MONTHLY
    """The period rows are counted in."""
    summed: bool = False
    """Whether a source adds its rows up (a query's ``sum``, ``count``): a repeated line
    then changes a figure."""


@dataclass
class InputSeen:
    """One input file as it is now."""

    path: str
    columns: list[str]
    rows: int = 0
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    """Each row that repeats an earlier one exactly: ``(its line, the first's line)``."""
    values: dict[str, dict[str, Place]] = field(default_factory=dict)
    """Watched column → each value → where it is first seen."""
    wide: set[str] = field(default_factory=set)
    """Watched columns with more than :data:`MAX_VALUES` values (none kept)."""
    periods: dict[str, int] = field(default_factory=dict)
    """Period → rows dated in it."""
    period_lines: dict[str, int] = field(default_factory=dict)
    """Period → the line of its first row."""
    blanks: dict[str, Place] = field(default_factory=dict)
    """Column → its first empty cell."""
    repeats: dict[str, tuple[Place, int]] = field(default_factory=dict)
    """Column → its first value seen before, and the line it was first seen on (the
    value itself is not kept: a unique column often holds people's ids)."""
    summed: bool = False


@dataclass
class SeriesSeen:
    """An aggregate source's values, one per group and date."""

    values: dict[str, dict[str, tuple[float, int]]] = field(default_factory=dict)
    """Group (``all`` without one) → date → (mean of that date's values, first line)."""
    path: str = ""
    """Where the values were read (the file, or the YAML of a query)."""


@dataclass(frozen=True)
class Expected:
    """A source's declared expectations and the inputs they are checked on."""

    kpi: int
    """The KPI's index in ``kpis.yml``."""
    expect: Expectations
    inputs: tuple[str, ...]


@dataclass
class Observed:
    """Everything a program's contract is written from and checked against."""

    inputs: dict[str, InputSeen] = field(default_factory=dict)
    series: dict[str, SeriesSeen] = field(default_factory=dict)
    expected: list[Expected] = field(default_factory=list)


def period_of(day: date, cadence: Cadence) -> str:
    """The label of the period ``day`` falls in: ``2026-03``, ``2026-Q1``, or the ISO
    date of its week's Monday."""
    if cadence is Cadence.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if cadence is Cadence.WEEKLY:
        return date.fromordinal(day.toordinal() - day.weekday()).isoformat()
    return f"{day.year}-{day.month:02d}"


def _day(cell: str, how: Reading) -> date | None:
    # a timestamp (2026-03-02T10:00:00Z) is dated by its day, as written
    return reading.day(cell, how) or parse_date(cell.strip()[:10])


def watched(column: str, subject: str | None) -> bool:
    """Whether a column's values may be kept in a lock: never a person's id or name."""
    return column != subject and not is_person_id(column) and not is_direct(column)


def observe(table: Table, track: Track) -> InputSeen:
    """Read one table by ``track`` (each row once; every fact with its first place)."""
    seen = InputSeen(table.path, list(table.header), summed=track.summed)
    index = {c: table.column(c) for c in track.categories | track.not_null | track.unique}
    index = {c: i for c, i in index.items() if i >= 0}
    when = table.column(track.date_column) if track.date_column else -1
    first_of: dict[tuple[str, ...], int] = {}
    uniques: dict[str, dict[str, int]] = {c: {} for c in track.unique if c in index}
    for line, cells in table.rows:
        seen.rows += 1
        key = tuple(cells)
        if key in first_of:
            seen.duplicates.append((line, first_of[key]))
        else:
            first_of[key] = line
        for column, i in index.items():
            cell = cells[i] if i < len(cells) else ""
            _cell(seen, track, column, cell, (line, i + 1), uniques)
        day = _day(cells[when], track.reading) if 0 <= when < len(cells) else None
        if day is not None:
            period = period_of(day, track.cadence)
            seen.periods[period] = seen.periods.get(period, 0) + 1
            seen.period_lines.setdefault(period, line)
    for column in list(seen.values):
        if column in track.accepted:
            continue
        if len(seen.values[column]) > MAX_VALUES or _dates(seen.values[column]):
            seen.wide.add(column)
            del seen.values[column]
    return seen


def _cell(seen: InputSeen, track: Track, column: str, cell: str, place: Place,
          uniques: dict[str, dict[str, int]]) -> None:
    text = cell.strip()
    if column in track.categories and (column in track.accepted or not identifying_cell(text)):
        seen.values.setdefault(column, {}).setdefault(text, place)
    if column in track.not_null and not text:
        seen.blanks.setdefault(column, place)
    if column in uniques:
        if text in uniques[column]:
            seen.repeats.setdefault(column, (place, uniques[column][text]))
        uniques[column].setdefault(text, place[0])


def _dates(values: Iterable[str]) -> bool:
    """Whether a column holds dates: each new export brings new ones, never a category."""
    texts = [v for v in values if v]
    return bool(texts) and all(parse_date(v[:10]) is not None for v in texts)
