"""An export with its identifier columns replaced by keyed pseudonyms, everything else kept.

Sits under ``playbook pseudonymise`` and ``playbook pull`` (through
:mod:`playbook.engine`): a CSV
keeps its title lines, delimiter and line endings, and its header is found as
the data scan finds it (:func:`playbook.load.export_cells.find_header`); a
JSON Lines file names a column by its dotted key path (``actor.mbox``). Only
the cells of the named columns change (:func:`playbook.load.pseudonym.token`);
a column that is not in the file stops everything, so a mistyped name never
leaves the real column in place.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Final

from playbook.load.csv_table import Table
from playbook.load.export_cells import HEADER_LINES, find_header, phone_column
from playbook.load.identifiers import EMAIL, is_direct
from playbook.load.pseudonym import PseudonymError, pseudonymised, token

JSON_LINES: Final = (".jsonl", ".ndjson")
"""Suffixes of files rewritten object by object."""
TEXT: Final = (".csv", ".tsv", ".txt", *JSON_LINES)
"""Suffixes of the exports rewritten: CSV (any separator) and JSON Lines."""


def _unknown(missing: Sequence[str], known: Sequence[str], shown: str) -> PseudonymError:
    close = difflib.get_close_matches(missing[0], known, n=1, cutoff=0.6)
    guess = f"did you mean '{close[0]}'? " if close else ""
    return PseudonymError(f"{shown} has no column {', '.join(repr(m) for m in missing)}; its "
                          f"columns are: {', '.join(known)} ({guess}nothing was written)")


def _csv(text: str, columns: Sequence[str], key: bytes, shown: str) -> str:
    lines = text.splitlines(keepends=True)
    first = [(n, line.rstrip("\r\n")) for n, line in enumerate(lines, 1) if line.strip()]
    found = find_header(first[:HEADER_LINES])
    if found is None:
        raise PseudonymError(f"{shown} has no rows (nothing was written)")
    line, delimiter, header = found
    missing = [c for c in columns if c not in header]
    if missing:
        raise _unknown(missing, header, shown)
    ending = "\r\n" if lines[line - 1].endswith("\r\n") else "\n"
    which = [header.index(c) for c in columns]
    out = io.StringIO()
    out.write("".join(lines[:line]))  # title lines and the header, as they were
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    for cells in csv.reader(io.StringIO("".join(lines[line:])), delimiter=delimiter):
        writer.writerow([token(key, c) if i in which else c for i, c in enumerate(cells)])
    return out.getvalue()


def _replace(value: Any, path: list[str], key: bytes) -> bool:
    """Replace the leaf at ``path`` in ``value``; whether it was there."""
    for name in path[:-1]:
        if not isinstance(value, dict) or not isinstance(value.get(name), dict):
            return False
        value = value[name]
    if not isinstance(value, dict) or path[-1] not in value:
        return False
    leaf = value[path[-1]]
    if isinstance(leaf, str | int | float) and not isinstance(leaf, bool):
        value[path[-1]] = token(key, str(leaf))
    return True


def _jsonl(text: str, columns: Sequence[str], key: bytes, shown: str) -> str:
    seen: set[str] = set()
    out = []
    for n, line in enumerate(text.splitlines(keepends=True), 1):
        if not line.strip():
            out.append(line)
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise PseudonymError(f"{shown}:{n}: not a JSON object ({exc}); nothing was "
                                 "written") from None
        seen.update(c for c in columns if _replace(value, c.split("."), key))
        ending = "\r\n" if line.endswith("\r\n") else "\n"
        out.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + ending)
    missing = [c for c in columns if c not in seen]
    if missing:
        raise _unknown(missing, ["(dotted key paths, e.g. actor.mbox)"], shown)
    return "".join(out)


def pseudonymise(data: bytes, suffix: str, columns: Sequence[str], key: bytes,
                 shown: str) -> bytes:
    """The bytes of an export with ``columns`` pseudonymised (UTF-8, a BOM kept).

    Raises:
        PseudonymError: A column is not in the file, or a JSON line is not JSON.
    """
    if suffix.lower() not in TEXT:
        raise PseudonymError(f"{shown}: pseudonymise rewrites CSV and JSON Lines exports "
                             f"({', '.join(TEXT)}); export this one as CSV, or replace the "
                             "column where it is exported (nothing was written)")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PseudonymError(f"{shown} is not UTF-8 text (byte {exc.start + 1}); save the "
                             "export as UTF-8 first (nothing was written)") from None
    rewrite = _jsonl if suffix.lower() in JSON_LINES else _csv
    return ("\ufeff" if bom else "").encode() + rewrite(text, columns, key, shown).encode()


def identifier_columns(table: Table) -> list[str]:
    """The columns of a query result that hold direct identifiers, not yet pseudonymised:
    by name, or by their cells (an e-mail address in any, phone numbers in most)."""
    out = []
    for i, name in enumerate(table.header):
        cells = [row[i] for _, row in table.rows if i < len(row)]
        if pseudonymised(cells):
            continue
        if is_direct(name) or phone_column(cells) or any(EMAIL.search(c) for c in cells):
            out.append(name)
    return out


def keyed(table: Table, columns: Sequence[str], key: bytes) -> Table:
    """``table`` with the cells of ``columns`` replaced by their pseudonyms."""
    which = {table.column(c) for c in columns}
    return replace(table, rows=[(n, [token(key, c) if i in which else c
                                     for i, c in enumerate(cells)]) for n, cells in table.rows])
