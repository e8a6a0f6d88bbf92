"""Large, clean CSV series read column-wise by DuckDB; anything else row by row.

Reading a CSV row by row in Python costs about 4 µs a row: a daily export of
20,000 rows takes 80 ms, 2 million rows over a portfolio 8 s (issue 13). DuckDB
scans and checks the same columns in a fraction of that. But the row reader
is what names every problem at its line and column, so this module never
reports anything: it reads a file only when it can prove the row reader would
find nothing to say, and returns the very observations the row reader would.
Otherwise (a bad date, a stray character, a blank line, a duplicate, a
separator it was not told about) it returns ``None`` and the file is read row
by row, problems and all.

What it proves, in one SQL query of its own over a path already located inside
the playbook (no text of a program file reaches the query but that path, as a
quoted literal, and a path DuckDB would read as a pattern is left to the row
reader): every row has the header's cells (DuckDB's strict mode) and
stands on a line of its own (as many rows as the file has lines below its
header, so no blank line and no cell spanning lines); no cell holds a control
or direction character (a file of printable ASCII holds none: its cells are
not tested one by one); every date is ``YYYY-MM-DD`` and a real day; every
value a plain decimal number; every group ``pilot`` or ``comparison``; every
person id plain printable ASCII; and no key occurs twice (a date and group, or
a person and date) nor a person in both groups. The sources it takes are the
plain ones: a file, a date, a value and optionally a group and a person, with
no survey waves, no ``count`` and no ``read:`` option but a comma separator.
Files below :data:`FROM_BYTES` are read row by row: the query costs more than
their rows do.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any, Final

import duckdb

from playbook.load import sql
from playbook.load.csv_table import MAX_BYTES, Table
from playbook.load.observations import GROUPS, Observation, read_series
from playbook.load.safefiles import Refusal, locate_data, open_regular
from playbook.load.yaml_source import Path_, YamlDocument
from playbook.model.chars import unsafe_character
from playbook.model.measure import Source

FROM_BYTES: Final = 256 * 1024
"""Smallest file read column-wise (about 10,000 rows)."""

_CHUNK: Final = 1024 * 1024
_UNSAFE_SQL: Final = ("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x{9f}\\x{61c}\\x{200e}\\x{200f}"
                      "\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]")
""":data:`playbook.model.chars.CONTROL` and ``BIDI`` in DuckDB's (RE2) syntax."""
_PLAIN_HEADER: Final = re.compile(r"[\x20-\x7e]+")
"""A header of printable ASCII: no character to report, one line."""
_PLAIN_BYTES: Final = bytes(range(0x20, 0x7F)) + b"\n\r"
"""Printable ASCII and line ends: a file of these alone (each CR before an LF) holds no
control or direction character, so no cell of it need be tested for one."""


def takes(source: Source) -> bool:
    """Whether ``source`` is a plain file series (aggregate or person-level) this module
    may read."""
    how = source.read
    return (source.file is not None and source.file.lower().endswith(".csv")
            and source.wave is None and source.count is None
            and not how.model_fields_set - {"delimiter"} and how.delimiter in (None, ","))


def read_clean(root: Path, program_id: str, source: Source, yaml: YamlDocument,
               loc: Path_) -> tuple[Path, list[Observation]] | None:
    """The observations of a large, clean CSV source and its real path, else ``None``.

    ``None`` says nothing about the file: it is then read row by row, which
    reports whatever is wrong with it (a refused path included).
    """
    if not takes(source):
        return None
    assert source.file is not None
    if unsafe_character(source.file) is not None:
        return None  # the program's reader reported the name; the row reader opens nothing
    file = root / source.file
    try:  # most files are small: settled by their size alone (never a link's), first
        if os.lstat(file).st_size < FROM_BYTES:
            return None
    except (OSError, ValueError):
        return None
    real = locate_data(source.file, root, program_id)
    if not isinstance(real, Path) or any(c in str(real) for c in sql.PATTERN_CHARACTERS):
        return None  # refused (the row reader says why), or a name DuckDB reads as a pattern
    head = _head(real)
    if head is None:
        return None
    header, rows, plain = head
    table = Table(source.file, header, [], decimal_comma=False)
    _, problems = read_series(table, source, yaml, loc)  # a missing column, an identifier
    if problems:
        return None
    cols = {key: table.column(name) for key in ("date", "value", "group", "subject")
            if (name := getattr(source, key)) is not None}  # all present: none reported
    found = _scan(real, len(header), cols, rows, plain)
    return None if found is None else (real, found)


def _head(real: Path) -> tuple[list[str], int, bool] | None:
    """The header's names, the number of lines below it and whether the file is plain
    (:data:`_PLAIN_BYTES`); ``None``: read row by row."""
    opened = open_regular(real, str(real))
    if isinstance(opened, Refusal):
        return None
    stream, size = opened
    with stream:
        if not FROM_BYTES <= size <= MAX_BYTES:
            return None
        newlines = returns = pairs = 0
        first = b""
        last = b"\n"
        plain = True
        while chunk := stream.read(_CHUNK):
            if not first:
                first = chunk.split(b"\n", 1)[0]
            newlines += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            # a CR and its LF may fall either side of a chunk's end
            pairs += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            plain = plain and not chunk.translate(None, _PLAIN_BYTES)
            last = chunk[-1:]
    if returns not in (0, newlines):  # a lone CR ends a line for the row reader
        return None
    try:
        text = codecs.decode(first, "utf-8-sig").removesuffix("\r")
    except UnicodeDecodeError:
        return None
    if _PLAIN_HEADER.fullmatch(text) is None or text.count(";") > text.count(","):
        return None
    try:
        header = [h.strip() for h in next(csv.reader([text], strict=True))]
    except csv.Error:
        return None
    lines = newlines + (last != b"\n")
    return header, lines - 1, plain and pairs == returns


def _scan(real: Path, width: int, cols: dict[str, int], rows: int,
          plain: bool) -> list[Observation] | None:
    """Check and read the columns; ``None`` when any row would have a problem.

    A ``plain`` file's cells are not tested for control or direction characters: its
    bytes hold none (a third of the query's time).
    """
    names = [f"c{i}" for i in range(width)]
    spec = ", ".join(f"'{n}': 'VARCHAR'" for n in names)
    d, v = f"c{cols['date']}", f"c{cols['value']}"
    g = f"c{cols['group']}" if "group" in cols else "NULL"
    who = f"c{cols['subject']}" if "subject" in cols else "NULL"
    unsafe = " OR ".join(f"regexp_matches({n}, '{_UNSAFE_SQL}')" for n in names)
    groups = ", ".join(f"'{name}'" for name in GROUPS)
    ok = " AND ".join([
        *([] if plain else [f"NOT coalesce({unsafe}, false)"]),
        f"regexp_full_match({d}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')",
        f"year(try_cast({d} AS DATE)) >= 1",
        f"regexp_full_match({v}, '-?[0-9]{{1,15}}([.][0-9]{{1,15}})?')",
        *([f"{g} IN ({groups})"] if "group" in cols else []),
        # an id of printable ASCII, nothing to strip: anything else is the row reader's
        *([f"regexp_full_match({who}, '[!-~]+')"] if "subject" in cols else [])])
    path = str(real).replace("'", "''")
    cursor = _connection().cursor()
    try:
        found = cursor.execute(
            f"SELECT coalesce({ok}, false), date_diff('day', DATE '0001-01-01', "
            f"try_cast({d} AS DATE)) + 1, try_cast({v} AS DOUBLE), {g} = '{GROUPS[0]}', {who} "
            f"FROM read_csv('{path}', header = false, skip = 1, columns = {{{spec}}}, "
            "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
            "null_padding = false, auto_detect = false)").fetchnumpy()
    except duckdb.Error:  # not what strict mode reads: the row reader says why
        return None
    finally:
        cursor.close()
    clean, ordinals, values, pilot, subjects = found.values()
    if len(clean) != rows or not clean.all():
        return None
    people = _people(subjects.tolist()) if "subject" in cols else None
    if not _unique(ordinals, pilot if "group" in cols else None, people):
        return None  # a duplicate, or a person in both groups: the row reader names it
    # one object per distinct day, value and label, as the row reader shares them: two
    # million rows hold a few thousand of each (200 MB less than an object per cell)
    days = ordinals.tolist()
    known = {day: date.fromordinal(day) for day in set(days)}
    numbers: dict[float, float] = {}
    shared = [numbers.setdefault(v, v) if v else v for v in values.tolist()]  # 0.0 ≠ -0.0
    label_list = [GROUPS[0] if p else GROUPS[1] for p in pilot.tolist()] \
        if "group" in cols else [None] * rows
    subject_list = people[0] if people is not None else [None] * rows
    return list(map(Observation, map(known.__getitem__, days), shared, label_list,
                    subject_list, [None] * rows, range(2, rows + 2)))


def _people(ids: list[str]) -> tuple[list[str], list[int]]:
    """Each row's subject id (one object per person) and the person's number."""
    number: dict[str, int] = {}
    shared: dict[str, str] = {}
    return ([shared.setdefault(i, i) for i in ids],
            [number.setdefault(i, len(number)) for i in ids])


def _unique(ordinals: Any, pilot: Any | None,
            people: tuple[list[str], list[int]] | None) -> bool:
    """Whether no row repeats another's key (:mod:`playbook.load.integrity`): its date and
    group in an aggregate series, its person and date in a person-level one, where no
    person may be in both groups either."""
    import numpy as np  # the figures import it anyway; a check of small files need not

    if people is None:
        key = ordinals * 2 + pilot if pilot is not None else ordinals
        return len(np.unique(key)) == len(ordinals)
    person = np.asarray(people[1], dtype=np.int64)
    if len(np.unique(person * 4_000_000 + ordinals)) != len(ordinals):  # days < 3.7 million
        return False
    return pilot is None or len(np.unique(person * 2 + pilot)) == len(np.unique(person))


_shared: list[duckdb.DuckDBPyConnection] = []
_lock = threading.Lock()
# a forked worker (`playbook check` on many programs) opens its own: a database is not
# something to share across a fork
os.register_at_fork(after_in_child=_shared.clear)


def _connection() -> duckdb.DuckDBPyConnection:
    """This process's DuckDB database for the scans, opened once (10 ms a connection).

    Only the fixed queries above run on it, over a path already located inside
    the playbook, so it needs none of the lockdown of a query from a program
    file; each scan takes its own cursor, so threads may scan at once.
    """
    with _lock:
        if not _shared:
            con = duckdb.connect(":memory:", config={
                "threads": 1, "autoinstall_known_extensions": False,
                "autoload_known_extensions": False})
            con.execute(f"SET TimeZone = '{sql.TIME_ZONE}'")  # not the machine's zone
            _shared.append(con)
        return _shared[0]
