"""Measurement CSVs → typed rows, every bad cell reported, no row dropped.

Exports come from many tools: a UTF-8 BOM (Excel), ``;`` separators and
decimal commas (European Excel) are read as users expect. Every problem names
the CSV file, the row's line and the column's position.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from playbook.model.problems import Problem

IDENTIFIER_COLUMNS = re.compile(
    r"^(name|surname|mail|tel|ssn|address)$"
    r"|(^|[_\s-])(e-?mail|phone|mobile|telephone|ssn|national_?id|passport|home_?address)"
    r"([_\s-]|$)"
    r"|(first|last|full|given|family|middle|sur|manager|employee|leader|person|participant"
    r"|user|coach|display)[_\s-]?name$",
    re.IGNORECASE,
)
"""Column names that look like direct identifiers; measurement files may not have them."""


@dataclass(frozen=True)
class Table:
    """A CSV file read as text cells, with the line number of each row."""

    path: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    decimal_comma: bool

    def column(self, name: str) -> int:
        """Return the 0-based index of column ``name`` (``-1`` when absent)."""
        try:
            return self.header.index(name)
        except ValueError:
            return -1


def read_table(file: Path, shown: str) -> tuple[Table | None, list[Problem]]:
    """Read a CSV file into a :class:`Table`.

    Args:
        file: The file on disk.
        shown: How to name the file in problems.
    """
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return None, [Problem(shown, 1, 1, "", "file not found")]
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, 1, "", "not UTF-8 text",
                              "export the file as CSV UTF-8")]
    if not text.strip():
        return None, [Problem(shown, 1, 1, "", "empty file: no header and no rows",
                              "export the data with a header row")]
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    rows = []
    problems: list[Problem] = []
    end = reader.line_num
    for row in reader:
        line, end = end + 1, reader.line_num  # a quoted cell may span lines: report the first
        if not any(cell.strip() for cell in row):
            continue  # blank line: no observation, nothing lost
        if len(row) != len(header):
            problems.append(Problem(shown, line, 1, "",
                                    f"row has {len(row)} cells, the header has {len(header)}",
                                    f"check the '{delimiter}' separators on this line"))
            continue
        rows.append((line, [c.strip() for c in row]))
    # a header with no rows is a source waiting for its first export: no data yet
    return Table(shown, header, rows, delimiter == ";"), problems


def parse_number(cell: str, decimal_comma: bool) -> float | None:
    """Parse a number cell; ``None`` when it is not a number."""
    text = cell.replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".") if "," in text else text
    if text.endswith("%"):
        text = text[:-1]
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                       r"(Z|[+-]\d{2}:?\d{2})?)?")
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


def parse_date(cell: str) -> date | None:
    """Parse an ISO date cell (a time after it, as BI tools export, is ignored)."""
    match = _ISO_DATE.fullmatch(cell)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def date_hint(cell: str) -> str:
    """How to fix a non-ISO date such as ``31.01.2026`` (never guesses an ambiguous one)."""
    match = _DMY.fullmatch(cell)
    if match is None:
        return "export dates as YYYY-MM-DD"
    first, second, year = (int(g) for g in match.groups())
    if first > 12 >= second:
        try:
            return f"write {date(year, second, first).isoformat()}"
        except ValueError:
            return "export dates as YYYY-MM-DD"
    if second > 12 >= first:
        try:
            return f"write {date(year, first, second).isoformat()}"
        except ValueError:
            return "export dates as YYYY-MM-DD"
    return "export dates as YYYY-MM-DD: day and month order cannot be told apart here"


def identifier_columns(table: Table) -> list[str]:
    """Return the header names that look like direct identifiers."""
    return [h for h in table.header if IDENTIFIER_COLUMNS.search(h.strip())]
