"""A source's ``read:`` options applied to its cells: exports read as they come.

A 360 tool writes ``Baseline`` and ``Follow-up (6 mo)``, a ledger ``(€1,961.20)``,
an HRIS ``Sep-25``: the options in ``kpis.yml`` say how to read them, so the file
is used unchanged. Everything here is a pure function of one cell.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

from playbook.load.csv_table import parse_date, parse_number
from playbook.model.measure import Reading

MISSING: Final = object()
"""A value cell that the source declares as "not measured"."""


def day(cell: str, reading: Reading) -> date | None:
    """The date in ``cell``: ISO first, then each declared ``date_format`` in turn."""
    found = parse_date(cell)
    if found is not None:
        return found
    formats = reading.date_format
    for fmt in [formats] if isinstance(formats, str) else formats or []:
        try:
            return datetime.strptime(cell.strip(), fmt).date()
        except ValueError:
            continue
    return None


def value(cell: str, reading: Reading, decimal_comma: bool) -> float | object | None:
    """The number in ``cell``, :data:`MISSING` when declared missing, else ``None``."""
    if cell.strip() in reading.missing:
        return MISSING
    text = cell.strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    for symbol in sorted(reading.currency, key=len, reverse=True):
        text = text.replace(symbol, "")
    text = text.strip()
    if text.startswith("-") and negative:
        return None  # "(-5)" is not an amount any tool writes
    if reading.thousands is not None:
        text = text.replace(reading.thousands, "")
    comma = decimal_comma if reading.decimal is None else reading.decimal == ","
    number = parse_number(text, comma)
    if number is None:
        return None
    return -number if negative else number


def label(key: str, cell: str, reading: Reading) -> str:
    """A group or wave label, translated by the source's ``values`` map, lowercased."""
    mapped = reading.values.get(key, {})  # type: ignore[call-overload]
    return str(mapped.get(cell, mapped.get(cell.strip(), cell))).strip().lower()


_THOUSANDS: Final = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
"""A number with commas between groups of three digits (``fullmatch``)."""


def looks_like_thousands(cell: str) -> bool:
    """Whether a value that failed to parse would read with ``thousands: ","``."""
    return bool(_THOUSANDS.fullmatch(cell.strip()))
