"""A source's ``read:`` options applied to its cells: exports read as they come.

A 360 tool writes ``Baseline`` and ``Follow-up (6 mo)``, a ledger ``(€1,961.20)``,
an HRIS ``Sep-25``: the options in ``kpis.yml`` say how to read them, so the file
is used unchanged. For a cell they do not read, the ``*_fix`` functions name the
option that would (or the fix in the file). Everything here is a pure function of
one cell.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Final

from playbook.load.csv_table import date_hint, footer_hint, parse_date, parse_number
from playbook.load.validate import no_such_day
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


LABEL_CLOSE: Final = 0.75
"""Least similarity of spelling (:class:`difflib.SequenceMatcher` ratio, lowercase) for a
hint to map an unknown group or wave label to an allowed one: ``pilots`` → ``pilot``, but
never ``Baseline 2025`` → ``post`` nor a blank → ``comparison``; below it, the hint lists
the allowed labels and the choice stays the editor's."""


def label_fix(key: str, raw: str, allowed: Sequence[str]) -> str:
    """How to read an unknown label: a mapping to the label it is spelled like, only when
    it is spelled almost like one; otherwise the choice is the editor's, never guessed."""
    close = difflib.get_close_matches(raw.strip().lower(), allowed, n=1, cutoff=LABEL_CLOSE)
    if close:
        return f"translate it: read: {{values: {{{key}: {{'{raw}': {close[0]}}}}}}}"
    return (f"translate it to the {key} it stands for, one of " + ", ".join(allowed)
            + f": read: {{values: {{{key}: {{'{raw}': …}}}}}}")


_DASHED_DAY: Final = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
"""A year, month and day between dashes (``fullmatch``), the month or day maybe one digit."""


def date_fix(cell: str, how: Reading, rows_to_end: int | None = None) -> str:
    """How to read a date the source's formats do not (in a row ``rows_to_end`` rows from
    the end of the file: perhaps a footer line, which the hint names first)."""
    if rows_to_end is not None:
        return f"{footer_hint(rows_to_end)}; else {date_fix(cell, how)}"
    if how.date_format:
        return "check the source's read.date_format against this cell"
    if _DASHED_DAY.fullmatch(cell.strip()):
        return no_such_day(cell.strip()) or "no such day: check the day and the month"
    hint = date_hint(cell)
    if hint.startswith("write"):
        return hint
    example = "%d/%m/%Y" if "/" in cell else "%d.%m.%Y" if "." in cell else "%b-%y"
    return f"{hint}, or declare the format: read: {{date_format: '{example}'}}"


_DECIMAL_COMMA: Final = re.compile(r"(?<![\d.])[-+]?\d++(?:\.\d{3})*+,\d++")
"""A number written with a decimal comma (``3,79``, ``1.234,56``), ``fullmatch``. Linear
even searched: no start inside a run of digits, and no run given back (possessive)."""


def value_fix(cell: str) -> str:
    """How to read a value that is not a plain number."""
    if looks_like_thousands(cell):
        return "declare the separator: read: {thousands: ','}"
    if _DECIMAL_COMMA.fullmatch(cell.strip()):
        also = ", thousands: '.'" if "." in cell else ""
        return f"the file writes decimals with a comma: declare it: read: {{decimal: ','{also}}}"
    if any(c in cell for c in "€$£¥") or cell.strip().startswith("("):
        return "declare the symbol: read: {currency: ['€']} (parentheses read as negative)"
    quoted = "'" + cell.replace("'", "''") + "'"  # YAML's single-quoted form, any cell
    return f"declare it as missing if it means 'not measured': read: {{missing: [{quoted}]}}"
