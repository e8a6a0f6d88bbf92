"""Direct identifiers in the committed data files of a program: a finding per column.

Runs in the load, after the sources read their files. Every file below
``data/<id>/`` (any depth, no name starting with a dot, never through a link)
of a readable kind is looked at, whether a source reads it or not: the site may
show none of its cells, but the repository's history keeps them. A column is
found by its name (:func:`playbook.load.identifiers.is_direct`: e-mail, name,
phone, login) or by what it holds (e-mail addresses, phone numbers), and the
finding names the column at its line, with the fix: ``playbook pseudonymise``.

What keeps it fast on a 50 MiB export, the rule stated once: a text file is
streamed and never held whole (one over the readers' 50 MiB limit is not read:
it is refused wherever it is used); its column names are searched in
its first :data:`HEADER_LINES` lines; the cells of its first :data:`SAMPLE_ROWS`
rows are tried as phone numbers; after them it is read in blocks of :data:`CHUNK`
bytes, and a block without an ``@`` (a byte test) is only counted. The first
:data:`MAX_ATTRIBUTED` lines holding an ``@`` are split into cells, to name each
column that holds e-mail addresses; after them a block's addresses are only
counted, up to :data:`MAX_COUNTED` distinct ones (a 50 MiB file of addresses
costs about a second). A Parquet or
JSON array file is read by DuckDB: its column names, and its first
:data:`SAMPLE_ROWS` rows (a 10-million-row Parquet file costs 0.1 s, not a full
read). A column whose sampled cells are all pseudonyms
(:func:`playbook.load.pseudonym.pseudonymised`) is no finding, whatever its name.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Final

from playbook.load import person_files, sql
from playbook.load.csv_table import MAX_BYTES
from playbook.load.export_cells import (
    HEADER_LINES,
    cells,
    find_header,
    flat_values,
    is_phone,
    phone_column,
)
from playbook.load.identifiers import EMAIL, is_direct
from playbook.load.pseudonym import COMMAND, pseudonymised
from playbook.load.safefiles import Refusal, locate, open_regular
from playbook.model.findings import FindingCode
from playbook.model.problems import Problem, Severity

TEXT_SUFFIXES: Final = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson")
"""Files streamed line by line."""
DUCKDB_SUFFIXES: Final = (".parquet", ".json")
"""Files read through DuckDB (a Parquet footer; a JSON array)."""
SUFFIXES: Final = TEXT_SUFFIXES + DUCKDB_SUFFIXES
"""Every kind of data file looked at."""
SAMPLE_ROWS: Final = 1000
"""Rows whose cells are tried as phone numbers and as pseudonyms."""
MAX_COUNTED: Final = 100_000
"""Distinct e-mail addresses counted in a file (more are shown as ``100,000+``)."""
MAX_ATTRIBUTED: Final = 10_000
"""Lines holding an ``@`` that are split into cells to name the columns holding e-mail
addresses; after them, the addresses of a block are only counted (``findall``)."""
MAX_WORD: Final = 320
"""Most characters of a word searched for an address (an address has at most 254, and
may be wrapped in ``mailto:``, quotes or brackets)."""
_STOPS: Final = ",;\t|\"'<>()[]{}:"
"""What ends an address found in a line's text: a separator, a quote, ``mailto:``."""
CHUNK: Final = 1 << 20
"""Bytes read at a time after the sampled rows."""


@dataclass
class _Column:
    """What was found in one column of one file: where first, and why."""

    name: str
    line: int
    column: int
    why: str
    mailed: bool = False
    """Whether its cells hold e-mail addresses."""


@dataclass
class _Scan:
    """One file being read: its header, the columns found, the first rows' cells."""

    shown: str
    delimiter: str = ","
    header: list[str] = field(default_factory=list)
    header_line: int = 0
    rows: int = 0
    mails: set[str] = field(default_factory=set)
    """The distinct e-mail addresses of the file (at most :data:`MAX_COUNTED`)."""
    mailed_lines: int = 0
    first: str = ""
    """``"the first "`` when only the first rows were read (a Parquet file's)."""
    found: dict[str, _Column] = field(default_factory=dict)
    sample: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    """Column index → (line, column, cell) of the first rows."""

    def name_of(self, index: int) -> str:
        return self.header[index] if index < len(self.header) else f"column {index + 1}"

    def note(self, name: str, line: int, column: int, why: str) -> _Column:
        return self.found.setdefault(name, _Column(name, line, column, why))

    def count(self, found: Iterable[str]) -> None:
        """Add addresses as a pattern found them, each cut at what ends it."""
        for text in found:
            if len(self.mails) >= MAX_COUNTED:
                return
            local, _, domain = text.partition("@")
            for stop in _STOPS:
                local, domain = local.rpartition(stop)[2], domain.partition(stop)[0]
            self.mails.add(f"{local}@{domain}".lower())


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n")


def _header(scan: _Scan, lines: list[tuple[int, str]]) -> None:
    found = find_header(lines)
    if found is None:
        return
    scan.header_line, scan.delimiter, scan.header = found
    text = dict(lines)[scan.header_line]
    for name in scan.header:
        if name and is_direct(name):
            scan.note(name, scan.header_line, text.find(name) + 1, "its name")


def _json_header(scan: _Scan, root: Path, rel: str, first: str) -> None:
    """Column names of a JSON Lines file (dotted key paths of its first object)."""
    scan.header = [n for n in person_files.column_names(root, rel) if n != person_files.MAILED]
    for name in scan.header:
        if is_direct(name):
            key = name.rsplit(".", 1)[-1]
            scan.note(name, 1, first.find(f'"{key}"') + 1, "its name")


def _cell_mails(scan: _Scan, n: int, text: str, name: str, cell: str) -> None:
    # an address holds no white space and is at most MAX_WORD long (RFC 5321): only such
    # words are searched, so a crafted 120,000-character cell costs a split, no pattern
    found = [m.group() for word in cell.split() if "@" in word and len(word) <= MAX_WORD
             for m in EMAIL.finditer(word)]
    if not found:
        return
    col = scan.note(name, n, max(text.find(cell), 0) + 1, "e-mail addresses in its cells")
    col.mailed = True
    scan.count(found)


def _mails(scan: _Scan, n: int, text: str, jsonl: bool) -> None:
    """Note the e-mail addresses of line ``n`` under the columns (key paths) that hold them."""
    scan.mailed_lines += 1
    if not jsonl:
        for i, cell in enumerate(cells(text, scan.delimiter)):
            if "@" in cell:
                _cell_mails(scan, n, text, scan.name_of(i), cell)
        return
    try:
        leaves = list(flat_values(json.loads(text)))
    except ValueError:  # not JSON: the line as one cell
        leaves = [("(line)", text)]
    for name, leaf in leaves:
        if isinstance(leaf, str) and "@" in leaf:
            _cell_mails(scan, n, text, name, leaf)


def _line(scan: _Scan, n: int, text: str, jsonl: bool) -> None:
    """Search one of the first data lines: its e-mail addresses, and its cells kept."""
    if not text.strip():
        return
    scan.rows += 1
    if "@" in text:
        _mails(scan, n, text, jsonl)
    if jsonl:
        _json_sample(scan, n, text)
        return
    at = 0
    for i, cell in enumerate(cells(text, scan.delimiter)):
        at = max(text.find(cell, at), at)
        scan.sample.setdefault(i, []).append((n, at + 1, cell.strip()))


def _json_sample(scan: _Scan, n: int, text: str) -> None:
    """The leaf values of one JSON line, under the header's dotted names."""
    try:
        value = json.loads(text)
    except ValueError:
        return
    index = {name: i for i, name in enumerate(scan.header)}
    for name, leaf in flat_values(value):
        if name in index and isinstance(leaf, str | int | float):
            at = text.find(f'"{name.rsplit(".", 1)[-1]}"')
            scan.sample.setdefault(index[name], []).append((n, at + 1, str(leaf)))


def _rest(scan: _Scan, stream: BinaryIO, n: int, jsonl: bool) -> None:
    """The lines after the sample, a block at a time: a block without ``@`` is only counted."""
    tail = b""
    while True:
        chunk = stream.read(CHUNK)
        block = tail + chunk
        if not block:
            return
        cut = block.rfind(b"\n") + 1 if chunk else len(block)  # whole lines; the last at EOF
        body, tail = block[:cut], block[cut:]
        lines = body.split(b"\n")
        if body.endswith(b"\n"):
            lines.pop()
        scan.rows += len(lines) - lines.count(b"") - lines.count(b"\r")
        if b"@" in body and scan.mailed_lines < MAX_ATTRIBUTED:
            for i, raw in enumerate(lines, n + 1):
                if b"@" in raw:
                    _mails(scan, i, _text(raw), jsonl)
        elif b"@" in body and len(scan.mails) < MAX_COUNTED:
            scan.count(set(EMAIL.findall(body.decode("utf-8", "replace"))))
        n += len(lines)
        if not chunk:
            return


def _stream(scan: _Scan, root: Path, rel: str, real: Path, jsonl: bool) -> None:
    """Stream a text file: its header and first rows line by line, the rest in blocks."""
    opened = open_regular(real, scan.shown)
    if isinstance(opened, Refusal):
        return
    stream, size = opened
    with stream:
        if size > MAX_BYTES:
            return  # refused unread by every reader (csv_table.MAX_BYTES); so here too
        head: list[tuple[int, str]] = []
        n = 0
        while len(head) < (1 if jsonl else HEADER_LINES) and (raw := stream.readline()):
            n += 1
            if raw.strip():
                head.append((n, _text(raw)))
        if jsonl:
            _json_header(scan, root, rel, head[0][1] if head else "")
        else:
            _header(scan, head)
        for line, text in head:
            if line > scan.header_line:
                _line(scan, line, text, jsonl)
        while scan.rows < SAMPLE_ROWS and (raw := stream.readline()):
            n += 1
            _line(scan, n, _text(raw), jsonl)
        _rest(scan, stream, n, jsonl)


def _described(scan: _Scan, root: Path, rel: str) -> None:
    """A Parquet or JSON array file: its names and first rows, through DuckDB."""
    quoted = rel.replace("'", "''")
    # the first rows: a sample spread over a 50-million-row file would read all of it
    result = sql.run(f"SELECT * FROM '{quoted}' LIMIT {SAMPLE_ROWS}", root, [rel], rel)
    if isinstance(result, sql.QueryError):
        return  # a file DuckDB cannot read: the source that reads it says so
    scan.header, scan.rows = result.header, len(result.rows)
    scan.first = "the first " if len(result.rows) == SAMPLE_ROWS else ""
    for i, name in enumerate(result.header):
        column = [row[i] for _, row in result.rows]
        scan.sample[i] = [(1, 1, cell) for cell in column]  # no lines in a Parquet file
        if is_direct(name):
            scan.note(name, 1, 1, "its name")
        if any(EMAIL.search(cell) for cell in column):
            scan.note(name, 1, 1, "e-mail addresses in its cells").mailed = True
            scan.count(m.group() for cell in column for m in EMAIL.finditer(cell))


def _phones(scan: _Scan) -> None:
    """Columns whose sampled cells are mostly phone numbers."""
    for i, kept in scan.sample.items():
        if phone_column([cell for _, _, cell in kept]):
            n, at, _ = next(c for c in kept if is_phone(c[2]))
            scan.note(scan.name_of(i), n, at, "phone numbers in its cells")


def _problem(scan: _Scan, col: _Column) -> Problem:
    more = "+" if len(scan.mails) >= MAX_COUNTED else ""
    counted = (f"; the file holds {len(scan.mails):,}{more} distinct e-mail address(es) in "
               f"{scan.first}{scan.rows:,} row(s)" if col.mailed else "")
    how = (f"{COMMAND} {shlex.quote(scan.shown)} --columns {shlex.quote(col.name)}"
           if scan.shown.lower().endswith(TEXT_SUFFIXES) else
           f"export the file as CSV and run {COMMAND} on it")
    return Problem(
        scan.shown, col.line, max(col.column, 1), f"column '{col.name}'",
        "direct identifiers (e-mail addresses, names, phone numbers or logins) in a "
        f"committed data file, found by {col.why}{counted}",
        f"replace them with keyed pseudonyms before committing: {how} (or drop the column); "
        "the git history keeps the old file until it is rewritten",
        Severity.FINDING, FindingCode.PERSONAL_DATA)


def scan_file(root: Path, rel: str) -> list[Problem]:
    """The findings of one data file (``rel``, relative to ``root``)."""
    real = locate(root / rel, root, rel)
    if real is None or isinstance(real, Refusal):
        return []  # a link or no file: whoever reads it says so; nothing is read here
    scan = _Scan(rel)
    suffix = real.suffix.lower()
    if suffix in DUCKDB_SUFFIXES:
        _described(scan, root, rel)
    else:
        _stream(scan, root, rel, real, suffix in (".jsonl", ".ndjson"))
    _phones(scan)
    index = {name: i for i, name in enumerate(scan.header)}
    kept = [col for col in scan.found.values()
            if not pseudonymised([c for _, _, c in scan.sample.get(index.get(col.name, -1), [])])
            or col.mailed]
    return [_problem(scan, col) for col in sorted(kept, key=lambda c: (c.line, c.column))]


def data_files(root: Path, program_id: str) -> list[str]:
    """Every readable data file below ``data/<program_id>/``, relative to ``root``, sorted.

    No name starting with a dot, nothing through a link (a folder link is not entered).
    """
    top = root / "data" / program_id
    out: list[str] = []
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(folder, f).relative_to(root).as_posix() for f in files
                   if not f.startswith(".") and f.lower().endswith(SUFFIXES))
    return sorted(out)


def scan(root: Path, program_id: str) -> list[Problem]:
    """Findings for direct identifiers in every data file of program ``program_id``."""
    return [p for rel in data_files(root, program_id) for p in scan_file(root, rel)]
