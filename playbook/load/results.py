"""Query results → tables of text cells, within limits, and query errors → located messages.

Both kinds of query go through here: DuckDB's over the program's data files
(:mod:`playbook.load.sql`) and the warehouse's (:mod:`playbook.load.warehouse`).
A result is read in chunks and refused as soon as it passes a limit, so a
runaway query never fills memory; an error message never shows a path of the
machine that ran the query (the playbook folder, a temporary folder, the home
folder or the Python installation), and a result cell holding one is refused.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from playbook.load.csv_table import Table

MAX_ROWS: Final = 1_000_000
"""Most rows a query may return: the aggregation belongs in the query."""

MAX_TEXT: Final = 50 * 1024 * 1024
"""Most characters a result may hold, written as text with a separator after each cell
(like the largest CSV read): a few wide rows of long text, or many rows of empty cells,
would otherwise fill memory under the row limit."""


@dataclass(frozen=True)
class QueryError:
    """Why a query did not run: the database's message and where in the query it points."""

    message: str
    line: int | None = None
    """1-based line of the query the error points at, when the database says."""
    column: int | None = None
    """1-based column on that line, when the database's caret shows it."""


def machine_paths(*more: str) -> tuple[str, ...]:
    """Folders of this machine no message or result may show, longest first.

    Args:
        more: Folders of the run, such as the playbook folder and a scratch folder.
    """
    found = {*more, os.path.expanduser("~"), sys.prefix}
    found |= {os.path.realpath(p) for p in found}
    # a folder of one or two characters ("/", "/w") would match ordinary text
    return tuple(sorted((p.rstrip("/") for p in found if len(p.rstrip("/")) > 2),
                        key=len, reverse=True))


def _inside_name(char: str) -> bool:
    """Whether ``char`` would continue a path's last name (``/root`` in ``/roots``)."""
    return char.isalnum() or char in "_.~-"


def _next_path(text: str, path: str, start: int) -> int:
    """Where ``path`` next stands in ``text`` as a whole path from ``start``, or -1.

    Plain string search (each occurrence tested once): linear in the text's length.
    """
    at = text.find(path, start)
    while at >= 0:
        end = at + len(path)
        if not (at and _inside_name(text[at - 1])) and \
                not (end < len(text) and _inside_name(text[end])):
            return at
        at = text.find(path, at + 1)
    return -1


def _without_paths(text: str, paths: Sequence[str]) -> str:
    """``text`` with each of ``paths`` standing as a whole path replaced by ``…``
    (``paths`` longest first: a folder inside another is replaced whole).

    Each path's next place is searched again only once the text before it is done,
    so the text is scanned once per path: linear in its length."""
    out: list[str] = []
    start = 0
    ahead = {p: _next_path(text, p, 0) for p in paths}
    while True:
        for path, at in ahead.items():
            if 0 <= at < start:
                ahead[path] = _next_path(text, path, start)
        found = [(at, -len(p)) for p, at in ahead.items() if at >= 0]
        if not found:
            return "".join([*out, text[start:]])
        at, minus = min(found)
        out += [text[start:at], "…"]
        start = at - minus


def _holds_path(text: str, paths: Sequence[str]) -> bool:
    return any(_next_path(text, p, 0) >= 0 for p in paths)


_ABSOLUTE: Final = re.compile(r"(?<![\w./~…-])/[^\s/'\"`;,()<>|]+(?:/[^\s/'\"`;,()<>|]*)+")
"""An absolute path of two components or more (``/srv/x``, not ``/`` or ``a/b``), up to a
space, quote or punctuation that ends it in a message. Linear: its parts are told apart by
the slash, which neither repeated class holds."""


def scrub(message: str, root: str = "", written: str = "") -> str:
    """``message`` with no absolute path of this machine in it.

    A path under ``root`` (the playbook folder) becomes relative to it, one of
    :func:`machine_paths` becomes ``…``, and any other absolute path is cut to its
    last component (``…/duckdb_temp_block-4.block``) unless the query (``written``)
    holds it as it stands: a path the editor wrote tells them nothing new.
    """
    if root:
        for folder in {root, os.path.realpath(root)}:
            message = message.replace(folder.rstrip("/") + "/", "")
    message = _without_paths(message, machine_paths(*([root] if root else [])))
    return _ABSOLUTE.sub(lambda m: m.group(0) if m.group(0) in written else
                         "…/" + m.group(0).rstrip("/").rsplit("/", 1)[-1], message)


_LINE: Final = re.compile(r"^LINE (\d+): ?(.*)$", re.MULTILINE)


def locate_error(message: str, root: str = "", query: str = "") -> QueryError:
    """Split a database's message into its first paragraph and the position it marks.

    DuckDB and PostgreSQL mark a position as ``LINE n: <the line>`` followed by a
    caret under the offending character; a line shortened with ``...`` has no
    trustworthy column. Every query error passes here, so every one is scrubbed
    of the machine's paths (:func:`scrub`; ``root`` is the playbook folder, ``query``
    the text the editor wrote).
    """
    message = scrub(message, root, query)
    found = _LINE.search(message)
    text = message.split("\n\n")[0].split("\nLINE ")[0].strip().replace("\n", "; ")
    if found is None:
        return QueryError(text)
    line = int(found.group(1))
    rest = message[found.end():].lstrip("\n").splitlines()
    caret = rest[0] if rest else ""
    column = None
    if caret.strip() == "^" and not found.group(2).startswith("..."):
        column = caret.index("^") - len(f"LINE {line}: ") + 1
    hints = [r.strip() for r in rest[1:] if r.startswith(("HINT:", "DETAIL:"))]
    text = "; ".join([text, *hints])
    return QueryError(text, line, column if column and column > 0 else None)


FLOAT_DIGITS: Final = 15
"""Significant digits a floating-point result is written with: the most a double
keeps of any decimal (C's ``DBL_DIG``), so a value that came from a decimal is
written as it was, and arithmetic noise (``0.1 + 0.2``, ``0.30000000000000004``) is
not committed to a snapshot or read into a build as if it were measured."""


def cell_text(value: Any) -> str:
    """One result value as the text a CSV export would hold (a float to
    :data:`FLOAT_DIGITS` significant digits; a decimal exactly as the warehouse holds it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(value, f".{FLOAT_DIGITS}g") if math.isfinite(value) else str(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value)


def collect(header: list[str], chunks: Iterable[Sequence[Sequence[Any]]], shown: str,
            hidden: Sequence[str] = (), skip: int = 0) -> Table | QueryError:
    """A result's rows as a table of text cells, or why it is not held.

    The rows come in chunks as they are fetched; the limits are checked after
    each chunk, so no more than one chunk past a limit is ever held.

    Args:
        header: The result's column names.
        chunks: Lists of rows, as the database's cursor hands them over.
        shown: How to name the result in problems about its cells.
        hidden: Paths of this machine that no cell may hold (:func:`machine_paths`).
        skip: Leading values of each row that are not the result's own (a size column).
    """
    out: list[tuple[int, list[str]]] = []
    size = 0
    for chunk in chunks:
        start = len(out)
        for row in chunk:
            out.append((len(out) + 1, [cell_text(v) for v in row[skip:]]))
        if len(out) > MAX_ROWS:
            return too_large(True)
        text = "\x1f".join("\x1f".join(cells) for _, cells in out[start:])
        size += len(text) + 1
        if size > MAX_TEXT:
            return too_large(False)
        if hidden and "/" in text and _holds_path(text, hidden):
            return _leak(out[start:], header, hidden)
    return Table(shown, header, out, decimal_comma=False)


def _leak(rows: list[tuple[int, list[str]]], header: list[str],
          paths: Sequence[str]) -> QueryError:
    number, column = next((n, header[i] if i < len(header) else str(i + 1)) for n, cells in rows
                          for i, cell in enumerate(cells) if _holds_path(cell, paths))
    return QueryError(f"result row {number}, column '{column}' holds a folder of the machine "
                      "that ran the query; a source returns measurements, not the database's "
                      "settings or files")


def too_large(by_rows: bool) -> QueryError:
    """Why a result is refused: too many rows, or too much text in them."""
    what = f"more than {MAX_ROWS:,} rows" if by_rows else (
        f"more than {MAX_TEXT // (1024 * 1024)} MiB of text")
    return QueryError(f"the query returned {what}; aggregate in the query (GROUP BY date "
                      "and group) and return only the columns the source maps")
