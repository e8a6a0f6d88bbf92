"""Which data files a query may not aggregate itself: those holding person identifiers.

Sits under :mod:`playbook.load.tables`, which runs each DuckDB query. Person-level
rows are aggregated by the engine, never by the editor: a query that returns no
``subject`` column (an aggregate, or a ``count`` it invents) could average over
everyone but one person, and a second KPI over everyone would then give that
person's value by subtraction. So such a query runs in a connection that cannot
open a file whose column names say it holds one row per person (the names
:func:`playbook.load.identifiers.is_person_id` recognises, as for a CSV source
without ``subject``) or whose first rows hold e-mail addresses, and the refusal
says why. DuckDB enforces it on what it
opens, whatever path, pattern or reader function the query wrote.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

from playbook.load import sql
from playbook.load.identifiers import EMAIL, is_person_id

HEAD_BYTES: Final = 64 * 1024
"""Bytes read from the start of a text file to find its column names."""
CONTENT_LINES: Final = 50
"""Lines at the start of a text file whose cells are searched for e-mail addresses."""
MAILED: Final = "e-mail addresses in its rows"
"""How a file whose cells (not column names) give people away is named in the refusal."""
_SPLIT: Final = re.compile(r"[,;\t|]")
_DESCRIBED: Final = (".parquet", ".json")
"""Files whose column names DuckDB reads (a Parquet footer; a JSON array's first rows)."""


def _flat(value: Any, prefix: str = "") -> Iterator[str]:
    """Every key path of a JSON object: ``actor``, ``actor.account``, ``actor.account.name``."""
    if isinstance(value, dict):
        for key, inner in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            yield name
            yield from _flat(inner, name)


def column_names(root: Path, rel: str) -> list[str]:
    """The column names of one readable data file (nested JSON keys as dotted paths).

    A file that cannot be read this way has none here; DuckDB reports it when read.
    """
    path = root / rel
    suffix = path.suffix.lower()
    if suffix in _DESCRIBED:
        result = sql.run(f"DESCRIBE SELECT * FROM '{rel.replace(chr(39), chr(39) * 2)}'",
                         root, [rel], rel)
        if isinstance(result, sql.QueryError):
            return []
        index = result.column("column_name")
        return [cells[index] for _, cells in result.rows] if index >= 0 else []
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return []
    lines = [line for line in head.splitlines()[:CONTENT_LINES] if line.strip()]
    first = lines[0] if lines else ""
    # an e-mail address in the first rows names a person whatever its column is called
    mailed = [MAILED] if any(EMAIL.search(line) for line in lines[1:]) else []
    if suffix in (".jsonl", ".ndjson"):
        try:
            return [*_flat(json.loads(first)), *mailed]
        except ValueError:
            return mailed
    return [*(cell.strip().strip('"') for cell in _SPLIT.split(first)), *mailed]


def person_files(root: Path, allowed: Sequence[str]) -> dict[str, str]:
    """Each of ``allowed`` that holds person identifiers → the first such column."""
    out: dict[str, str] = {}
    for rel in allowed:
        found = next((c for c in column_names(root, rel) if c == MAILED or is_person_id(c)),
                     None)
        if found is not None:
            out[rel] = found
    return out


def refusal(files: dict[str, str], query: str, message: str) -> str:
    """Why a query without ``subject`` may not read ``files``, naming the ones it reads."""
    named = [rel for rel in files if rel in query or rel in message
             or Path(rel).name in message] or list(files)
    which = ", ".join(f"{rel} ({files[rel]})" if files[rel] == MAILED
                      else f"{rel} (column '{files[rel]}')" for rel in named)
    return (f"the query reads person-level rows ({which}) but the source names no "
            "'subject': person-level rows are aggregated by the engine, never by the query")
