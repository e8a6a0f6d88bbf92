"""The shape of an export as it comes: its header, its cells, its JSON keys, its phones.

Shared by the scan for identifiers in committed data
(:mod:`playbook.load.data_identifiers`) and by ``playbook pseudonymise`` and
``playbook pull`` (:mod:`playbook.load.pseudonym_files`), so both find the same
header in the same export and name the same columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Final

from playbook.load.identifiers import identifying_cell

HEADER_LINES: Final = 10
"""Non-empty lines at the start of a text file searched for column names (title lines
above a header included)."""
PHONE_SHARE: Final = 0.8
"""Share of a column's sampled non-empty cells that must be phone numbers to name it one."""
PHONE_CHARS: Final = 32
"""Most characters of a phone number, spaces, brackets and an extension included."""
DELIMITERS: Final = ",;\t|"
"""Cell separators an export may use, the comma first (it wins a tie)."""


def cells(text: str, delimiter: str) -> list[str]:
    """The cells of one CSV line."""
    try:
        return next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error:  # a cell over the csv module's limit: the line as one cell
        return [text]


def find_header(lines: list[tuple[int, str]]) -> tuple[int, str, list[str]] | None:
    """The header among a file's first non-empty lines: ``(line, delimiter, names)``.

    The delimiter is the one of ``, ; tab |`` that splits a line into the most cells;
    the header is the first line with the most cells (a title line above it has one).
    """
    if not lines:
        return None
    # the separator that splits some line into the most cells (a comma on a tie)
    delimiter = max(DELIMITERS, key=lambda d: max(len(cells(t, d)) for _, t in lines))
    split = [(n, cells(text, delimiter)) for n, text in lines]
    widest = max(len(row) for _, row in split)
    n, row = next(s for s in split if len(s[1]) == widest)
    return n, delimiter, [c.strip() for c in row]


def flat_values(value: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    """Each leaf of a JSON object with its dotted path: ``("actor.mbox", "mailto:…")``."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from flat_values(inner, f"{prefix}.{key}" if prefix else str(key))
    elif prefix:
        yield prefix, value


def is_phone(cell: str) -> bool:
    """Whether a cell is a phone number: not an amount (``16625.78``), not an e-mail."""
    if len(cell) > PHONE_CHARS or "@" in cell:
        return False  # and no pattern tried over a 120,000-character cell
    try:
        float(cell)
        # 0871234567 and +353871234567 are numbers to dial; 0.5488 and 1234567 are not
        plain = "." in cell or cell[:1] not in ("0", "+")
    except ValueError:
        plain = False
    return not plain and identifying_cell(cell)


def phone_column(cells: list[str]) -> bool:
    """Whether a column's (sampled) cells are mostly phone numbers (:data:`PHONE_SHARE`)."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and sum(map(is_phone, filled)) >= PHONE_SHARE * len(filled)
