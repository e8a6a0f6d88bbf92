"""Why a query cannot find its columns when a file it reads is empty: the file has no rows.

A tool whose nightly job failed leaves an empty export (no header, no rows).
DuckDB reads such a file as one column named ``column0``, so the query fails
with ``Referenced column "…" not found … Candidate bindings: "column0"``, which
sends the editor to the query. :func:`empty_named` finds the empty files the
query names, and the problem says the file has no rows instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Final

from playbook.load.safefiles import read_file

SIGN: Final = '"column0"'
"""What DuckDB's error names when a CSV it read had no header (an empty file)."""
SMALL: Final = 4096
"""Most bytes an empty export has (a few blank lines, a byte-order mark)."""


def _empty(root: Path, rel: str) -> bool:
    data = read_file(root / rel, root, rel, SMALL)
    return isinstance(data, bytes) and len(data) <= SMALL and \
        not data.removeprefix(b"\xef\xbb\xbf").strip()


def empty_named(message: str, query: str, root: Path, allowed: Sequence[str]) -> list[str]:
    """The empty files of ``allowed`` that ``query`` names, when its error says a file had
    no columns (:data:`SIGN`); else none."""
    if SIGN not in message:
        return []
    named = [rel for rel in allowed if rel in query or PurePosixPath(rel).name in query]
    return [rel for rel in named if _empty(root, rel)]


def reason(files: Sequence[str]) -> str:
    """The message's start: which files have no rows."""
    return f"{', '.join(files)} {'has' if len(files) == 1 else 'have'} no rows (an empty file)"


HINT: Final = ("export it again (the tool's export job may have failed), or leave the old "
               "export in place until a new one has rows")
"""What to do about an empty export."""


