"""Measurement CSVs → typed rows, every bad cell reported, no row dropped.

Exports come from many tools: a UTF-8 BOM (Excel), ``;`` separators and
decimal commas (European Excel) are read as users expect. Every problem names
the CSV file, the row's line and the column's position.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Final

from playbook.load.identifiers import direct_columns
from playbook.load.safefiles import Refusal, open_regular, too_large
from playbook.model.chars import BIDI, CONTROL
from playbook.model.problems import Problem, Severity, character_problem

MAX_BYTES = 50 * 1024 * 1024
"""Largest CSV read. Beyond it data is not an export for a dashboard but raw
records: it took minutes and gigabytes, so it is refused with a hint."""

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


def read_table(file: Path, shown: str, delimiter: str | None = None,
               header_row: int = 1, footer: int = 0) -> tuple[Table | None, list[Problem]]:
    """Read a CSV file into a :class:`Table`, line by line.

    The file is streamed (never held whole in memory) and refused unopened when
    it is not a regular file or is larger than :data:`MAX_BYTES`.

    Args:
        file: The file on disk (located inside the playbook by the caller).
        shown: How to name the file in problems.
        delimiter: The cell separator; ``None`` guesses ``;`` or ``,`` from the header.
        header_row: Line of the header; lines above it are not read.
        footer: Rows at the end that are not read (``read.skip_footer``).
    """
    opened = open_regular(file, shown)
    if isinstance(opened, Refusal):
        return None, [Problem(shown, 1, 1, "", opened.message, opened.hint)]
    stream, size = opened
    with stream:
        if size > MAX_BYTES:
            return None, [Problem(
                shown, 1, 1, "", too_large(size, MAX_BYTES, "a data file"),
                "aggregate the rows before exporting (one row per date and group, or per "
                "subject and wave); larger data will need a SQL source")]
        # decoded in large chunks (newline="" splits lines as csv needs them); only a
        # file that is not UTF-8 is read again line by line, to name the line at fault
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        problems: list[Problem] = []
        try:
            return _footer((_parse(text, None, shown, delimiter, header_row, problems), problems),
                           footer)
        except UnicodeDecodeError:
            text.detach()  # keep the file open for the second reading
            stream.seek(0)
            count = [0]
            problems = []  # the second reading finds the first one's problems again
            return _footer((_parse(_lines(stream, count), count, shown, delimiter, header_row,
                                   problems), problems), footer)


_CR = re.compile(r"(?<=\r)(?!\n)")
_UNSAFE = re.compile(f"{CONTROL.pattern}|{BIDI.pattern}")
_SPACE = re.compile(r"\s")
"""What ``str.strip`` removes (both use Unicode's white space)."""
_ODD = re.compile(f"{_UNSAFE.pattern}|\\s")
"""Anything that sends a row down the slow path: a character to report, or white space."""


def _lines(raw_lines: Iterable[bytes], count: list[int]) -> Iterator[str]:
    """Decode a file's lines, split as ``newline=""`` would (a lone CR ends a line too).

    ``count[0]`` is the number of ``\\n``-ended lines decoded, to place an
    undecodable one.
    """
    for raw in raw_lines:
        # a UTF-8 sequence never holds the byte \n: each line decodes on its own
        text = raw.decode("utf-8-sig" if count[0] == 0 else "utf-8")
        count[0] += 1
        yield from (piece for piece in _CR.split(text) if piece)


def _csv_error(shown: str, line: int, exc: csv.Error) -> Problem:
    text = str(exc)
    if "field larger than field limit" in text:
        return Problem(shown, line, 1, "", f"a cell is longer than {csv.field_size_limit():,} "
                       "characters", "check for a quote that is opened but never closed")
    if "unexpected end of data" in text:
        return Problem(shown, line, 1, "", "a quoted cell that starts on this line is never "
                       "closed", 'add the closing quote, or double a quote inside a cell: ""')
    if "expected after" in text:
        return Problem(shown, line, 1, "", "text follows the closing quote of a cell",
                       'double a quote inside a quoted cell: ""')
    if "NUL" in text:  # Python before 3.11 rejects NUL itself; 3.11+ leaves it to the cells
        return Problem(shown, line, 1, "", "contains the control character U+0000",
                       "remove it")
    return Problem(shown, line, 1, "", f"not valid CSV: {text}", "export the file again")


FOOTER_ROWS: Final = 3
"""Last rows of a file whose bad cells are taken for a footer line (``read.skip_footer``)."""


def footer_hint(rows_to_end: int) -> str:
    """How to skip a footer line that is ``rows_to_end`` rows from the end (1: the last)."""
    return (f"a footer line below the table? skip it: read: {{skip_footer: {rows_to_end}}}")


_RAGGED: Final = "row has "
"""How the problem of a row of the wrong length starts (``row has 1 cells, …``)."""


def _short(problem: Problem, width: int) -> bool:
    """Whether ``problem`` is about a row with fewer cells than the header."""
    if not problem.message.startswith(_RAGGED):
        return False
    cells = problem.message[len(_RAGGED):].split(" ", 1)[0]
    return cells.isdigit() and int(cells) < width


def _footer(parsed: tuple[Table | None, list[Problem]],
            footer: int) -> tuple[Table | None, list[Problem]]:
    """Leave out the last ``footer`` rows (a row of the wrong length is a problem, not a
    row: both count). A short row among the last :data:`FOOTER_ROWS` left, below every
    full-width row, is named as a possible footer line."""
    table, problems = parsed
    if table is None:
        return parsed
    many = footer + FOOTER_ROWS
    ragged = [p.line for p in problems if p.message.startswith(_RAGGED)]
    last = sorted({*(line for line, _ in table.rows[-many:]), *ragged[-many:]})[-many:]
    dropped = set(last[len(last) - footer:]) if footer else set()
    kept = last[:len(last) - footer]
    if dropped:
        table = replace(table, rows=[r for r in table.rows if r[0] not in dropped])
    # a footer is below every row: read, or full-width and refused for its cells
    width = len(table.header)
    below = max([table.rows[-1][0] if table.rows else 0,
                 *(p.line for p in problems if not _short(p, width))])
    near = {line: len(kept) - i for i, line in enumerate(kept) if line > below}
    problems = [replace(p, hint=footer_hint(near[p.line]))
                if p.line in near and _short(p, width) else p
                for p in problems if p.line not in dropped]
    return table, problems


def _parse(lines: Iterator[str], count: list[int] | None, shown: str, delimiter: str | None,
           header_row: int, problems: list[Problem]) -> Table | None:
    """Parse a file's lines, adding what is wrong to ``problems``; ``count`` counts the lines
    decoded (``None``: a decoding error is raised, for the caller to read again with one)."""
    above = header_row - 1  # a report's title lines: not read as CSV at all
    end = above  # the last line read so far: a row starts on the next one
    try:
        for _ in range(above):
            next(lines, "")
        first = next(lines, "")
        if delimiter is None:
            delimiter = ";" if first.count(";") > first.count(",") else ","
        # strict: a stray or missing quote is an error here, not a silently merged row
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
        header = [h.strip() for h in next(reader, [])]
        end = reader.line_num + above
        problems.extend(p for i, name in enumerate(header) if (p := character_problem(
            name, shown, above + 1, i + 1, "", "column name ")) is not None)
        rows = []
        warned: set[int] = set()  # bidi marks: one warning per column, not one per row
        content = False
        width = len(header)
        for row in reader:
            line, end = end + 1, reader.line_num + above  # a cell may span lines: the first
            joined = "".join(row)
            if joined and len(row) == width and _ODD.search(joined) is None:
                rows.append((line, row))  # the common row: nothing to strip, test or report
                continue
            if not joined.strip():
                continue  # blank line: no observation, nothing lost
            content = True
            if len(row) != len(header):
                problems.append(Problem(shown, line, 1, "", f"row has {len(row)} cells, the "
                                        f"header has {len(header)}",
                                        f"check the '{delimiter}' separators on this line"))
                continue
            if _UNSAFE.search(joined) and _bad_cells(row, header, shown, line, warned,
                                                             problems):
                continue  # reported, like a row of the wrong length
            # most rows hold no space at all: then there is nothing to strip
            rows.append((line, row if _SPACE.search(joined) is None else
                         [c.strip() for c in row]))
    except UnicodeDecodeError:
        if count is None:
            raise
        problems.append(Problem(shown, count[0] + 1, 1, "", "not UTF-8 text",
                                "export the file as CSV UTF-8"))
        return None
    except csv.Error as exc:
        problems.append(_csv_error(shown, end + 1, exc))
        return None
    if not any(header) and not content and not rows:
        problems.append(Problem(shown, 1, 1, "", "empty file: no header and no rows",
                                "export the data with a header row"))
        return None
    # a header with no rows is a source waiting for its first export: no data yet
    return Table(shown, header, rows, delimiter == ";")


def _bad_cells(row: list[str], header: list[str], shown: str, line: int, warned: set[int],
               problems: list[Problem]) -> bool:
    """Report cells holding control or bidi characters; whether the row holds an error."""
    bad = False
    for index, cell in enumerate(row):
        found = character_problem(cell, shown, line, index + 1, "",
                                  f"cell in column '{header[index]}' ", line_breaks=True)
        if found is None:
            continue
        if found.severity is Severity.ERROR:
            bad = True
            problems.append(found)
        elif index not in warned:
            warned.add(index)
            problems.append(found)
    return bad


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
    if len(cell) == 10 and cell[4] == "-" == cell[7] and cell.isascii() \
            and cell[:4].isdigit() and cell[5:7].isdigit() and cell[8:].isdigit():
        try:  # the common cell, without the pattern: a third of a 2M-row load
            return date.fromisoformat(cell)
        except ValueError:
            return None
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
    return direct_columns(table.header)
