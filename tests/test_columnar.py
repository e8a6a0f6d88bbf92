"""Large CSV series read column-wise: the row reader's observations, or nothing at all.

The column-wise reader may only take a file the row reader would read without
a word; on such a file it must return exactly the row reader's observations
(values, dates, groups, lines), and on anything else ``None``.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.engine import load_playbook
from playbook.load import columnar
from playbook.load import yaml_source as yamlsrc
from playbook.load.csv_table import read_table
from playbook.load.observations import Observation, read_series
from playbook.model.measure import Reading, Source
from playbook.model.problems import Problem

REPO = Path(__file__).resolve().parents[1]
SOURCE = Source(file="data/p/kpi.csv", date="day", value="value", group="group")
LOC: yamlsrc.Path_ = ("kpis", 0, "source")


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the column-wise reader take files of any size."""
    monkeypatch.setattr(columnar, "FROM_BYTES", 0)


def yaml() -> yamlsrc.YamlDocument:
    source, problems = yamlsrc.parse("kpis:\n  - source: {file: data/p/kpi.csv}\n",
                                     "program/p/kpis.yml")
    assert problems == []
    return source


def write(root: Path, text: str | bytes, name: str = "kpi.csv") -> Path:
    path = root / "data" / "p" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def by_rows(root: Path, source: Source = SOURCE) -> tuple[list[Observation], list[str]]:
    assert source.file is not None
    table, problems = read_table(root / source.file, source.file)
    assert table is not None
    found: list[Problem] = []
    series = read_series(table, source, yamlsrc.Where(yaml(), LOC), found)
    return series, [p.message for p in problems + found]


def column_wise(root: Path, source: Source = SOURCE) -> list[Observation] | None:
    found = columnar.read_clean(root, "p", source, yamlsrc.Where(yaml(), LOC))
    return None if found is None else found[1]


CLEAN = ("day,value,group,note\n"
         "2026-01-01,1.5,pilot,x\n"
         "2026-01-01,-2,comparison,\n"
         "2026-01-02,0.1,pilot,\"a, quoted \"\"note\"\"\"\n")


def test_a_clean_file_gives_the_row_readers_observations(tmp_path: Path) -> None:
    write(tmp_path, CLEAN)
    rows, problems = by_rows(tmp_path)
    assert problems == []
    found = column_wise(tmp_path)
    assert found == rows
    assert [o.line for o in found] == [2, 3, 4]
    assert found[1] == Observation(date(2026, 1, 1), -2.0, "comparison", line=3)


@pytest.mark.parametrize("text", [
    CLEAN.replace("\n", "\r\n"),                        # Windows line ends
    "\ufeff" + CLEAN,                                   # Excel's byte order mark
    CLEAN.rstrip("\n"),                                 # no newline at the end
    CLEAN.replace("group,note", "group , note"),        # spaces around header names
])
def test_exports_as_they_come(tmp_path: Path, text: str) -> None:
    write(tmp_path, text)
    rows, problems = by_rows(tmp_path)
    assert problems == []
    assert column_wise(tmp_path) == rows
    assert [o.line for o in column_wise(tmp_path) or []] == [o.line for o in rows]


@pytest.mark.parametrize(("text", "why"), [
    (CLEAN + "\n", "a blank line"),
    (CLEAN.replace("2026-01-02", "02.01.2026"), "a date the row reader reports"),
    (CLEAN.replace("2026-01-02", "2026-02-30"), "no such day"),
    (CLEAN.replace("2026-01-02", "0000-01-02"), "year 0"),
    (CLEAN.replace("0.1", "1e-1"), "a number the plain pattern does not take"),
    (CLEAN.replace("0.1", "0.1 "), "a space to strip"),
    (CLEAN.replace("0.1", ""), "an empty value"),
    (CLEAN.replace(",pilot,x", ",Pilot,x"), "a label the row reader lowercases"),
    (CLEAN.replace(",pilot,x", ",control,x"), "a label to translate"),
    (CLEAN + "2026-01-01,3,pilot,\n", "a duplicate date and group"),
    (CLEAN.replace(",x\n", ",x\u202e\n"), "a direction mark in an unmapped column"),
    (CLEAN.replace(",x\n", ",x\x07\n"), "a control character in an unmapped column"),
    (CLEAN.replace(",x\n", ",x\x00\n"), "a NUL character"),
    (CLEAN.replace(",x\n", ",\"x\u0085\"\n"), "a C1 control character (NEL)"),
    (CLEAN.replace(",x\n", ",x,y\n"), "a row longer than the header"),
    (CLEAN.replace(",x\n", "\n"), "a row shorter than the header"),
    (CLEAN.replace(",x\n", ",\"x\ny\"\n"), "a cell over two lines"),
    (CLEAN.replace("\n", "\r", 1), "a lone carriage return"),
    (CLEAN.replace("day,value", "day;value;x;y;z"), "more semicolons than commas"),
    (CLEAN.replace(",x\n", ",\"x\"y\n"), "text after a closing quote"),
])
def test_anything_to_report_is_left_to_the_row_reader(tmp_path: Path, text: str,
                                                      why: str) -> None:
    write(tmp_path, text)
    assert column_wise(tmp_path) is None, why


def test_a_file_that_is_not_utf8_is_left_to_the_row_reader(tmp_path: Path) -> None:
    path = write(tmp_path, CLEAN.encode("utf-8").replace(b",x\n", b",\xff\n"))
    assert column_wise(tmp_path) is None
    table, problems = read_table(path, "data/p/kpi.csv")
    assert table is None
    assert [p.message for p in problems] == ["not UTF-8 text"]


@pytest.mark.parametrize("source", [
    SOURCE.model_copy(update={"subject": "note", "wave": "group"}),  # survey waves
    SOURCE.model_copy(update={"read": Reading(missing=["NA"])}),
    SOURCE.model_copy(update={"read": Reading(delimiter=";")}),
    SOURCE.model_copy(update={"value": "Value"}),            # a column that is not there
    SOURCE.model_copy(update={"value": "note"}),             # text where a number goes
])
def test_sources_it_does_not_take(tmp_path: Path, source: Source) -> None:
    write(tmp_path, CLEAN)
    assert column_wise(tmp_path, source) is None


def test_a_comma_separator_said_out_loud_is_still_taken(tmp_path: Path) -> None:
    write(tmp_path, CLEAN)
    source = SOURCE.model_copy(update={"read": Reading(delimiter=",")})
    assert column_wise(tmp_path, source) == by_rows(tmp_path, source)[0]


def test_a_header_the_row_reader_warns_about_is_left_to_it(tmp_path: Path) -> None:
    write(tmp_path, CLEAN.replace("note", "email"))
    assert column_wise(tmp_path) is None
    assert any("direct identifier" in m for m in by_rows(tmp_path)[1])


def test_small_files_are_read_row_by_row(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "FROM_BYTES", 256 * 1024)
    write(tmp_path, CLEAN)
    assert column_wise(tmp_path) is None


def test_paths_it_does_not_open(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text(CLEAN, encoding="utf-8")
    root = tmp_path / "pb"
    (root / "data" / "p").mkdir(parents=True)
    os.symlink(outside, root / "data" / "p" / "kpi.csv")
    assert column_wise(root) is None  # a symlink out of the playbook
    write(root, CLEAN, "k[1].csv")
    write(root, CLEAN, "k1.csv")
    source = SOURCE.model_copy(update={"file": "data/p/k[1].csv"})
    assert column_wise(root, source) is None  # DuckDB would read it as a pattern
    source = SOURCE.model_copy(update={"file": "data/p/../../outside.csv"})
    assert column_wise(root, source) is None
    write(root, CLEAN, "inside.csv")
    os.symlink("inside.csv", root / "data" / "p" / "link.csv")  # a link even to a file beside
    os.symlink(".", root / "data" / "p" / "here")
    write(root, CLEAN, ".hidden/kpi.csv")
    write(root, CLEAN, ".env.csv")
    write(tmp_path / "pb", CLEAN, "../q/kpi.csv")  # another program's data
    for name in ("link.csv", "here/inside.csv", ".hidden/kpi.csv", ".env.csv",
                 "../q/kpi.csv"):
        source = SOURCE.model_copy(update={"file": f"data/p/{name}"})
        assert column_wise(root, source) is None, name
    assert column_wise(root, SOURCE.model_copy(update={"file": "data/p/inside.csv"}))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(
    st.dates(date(1, 1, 1), date(9999, 12, 31)),
    st.one_of(st.integers(-10**15 + 1, 10**15 - 1).map(str),
              st.tuples(st.floats(-1e6, 1e6, allow_nan=False), st.integers(1, 15))
              .map(lambda f: f"{f[0]:.{f[1]}f}")),
    st.sampled_from(["pilot", "comparison"])), max_size=40),
    crlf=st.booleans())
def test_random_clean_files_read_alike(tmp_path: Path, rows: list[tuple[date, str, str]],
                                       crlf: bool) -> None:
    """Whatever the dates and decimals, both readers give the same floats, days and lines."""
    seen: set[tuple[date, str]] = set()
    lines = ["day,value,group"]
    for day, value, group in rows:
        if (day, group) not in seen:
            seen.add((day, group))
            lines.append(f"{day.isoformat()},{value},{group}")
    root = tmp_path / f"r{len(os.listdir(tmp_path))}"
    end = "\r\n" if crlf else "\n"
    write(root, end.join(lines) + end)
    expected, problems = by_rows(root)
    assert problems == []
    assert column_wise(root) == expected
    assert [o.line for o in column_wise(root) or []] == [o.line for o in expected]


def test_a_whole_playbook_loads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example, with its event CSV grown, loads to the same series and problems
    whichever reader takes its files."""
    root = tmp_path / "pb"
    for name in ("program", "data", "playbook.yml"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
        elif (REPO / name).exists():
            shutil.copy2(REPO / name, root / name)
    events = root / "data" / "decision-velocity" / "decision_latency.csv"
    text = ["decided_on,latency_days,cohort"]
    for back in range(400, 0, -1):
        day = (date(2026, 10, 31) - timedelta(days=back)).isoformat()
        text += [f"{day},{40 - back / 100:.2f},pilot", f"{day},{41 - back / 200:.2f},comparison"]
    events.write_text("\n".join(text) + "\n", encoding="utf-8")
    scanned: list[Path] = []
    real = columnar.read_clean

    def counting(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]
        if found is not None:
            scanned.append(found[0])
        return found

    monkeypatch.setattr(columnar, "read_clean", counting)
    fast, fast_problems = load_playbook(root)
    assert events.resolve() in scanned
    monkeypatch.setattr(columnar, "FROM_BYTES", 10**12)
    slow, slow_problems = load_playbook(root)
    assert str(fast_problems) == str(slow_problems)
    assert [b.series for b in fast.programs] == [b.series for b in slow.programs]
    assert [[o.line for s in b.series.values() for o in s] for b in fast.programs] == \
        [[o.line for s in b.series.values() for o in s] for b in slow.programs]


def test_the_characters_refused_are_the_row_readers() -> None:
    """The SQL pattern matches exactly the characters the row reader reports
    (``playbook.model.chars``), over the Basic Multilingual Plane."""
    import duckdb

    from playbook.model.chars import BIDI, CONTROL

    found = duckdb.sql(
        "SELECT list(i ORDER BY i) FROM range(1, 65536) t(i) "
        f"WHERE (i < 55296 OR i > 57343) AND regexp_matches(chr(i::INTEGER), "
        f"'{columnar._UNSAFE_SQL}')").fetchone()
    assert found is not None
    expected = [i for i in range(1, 65536) if not 55296 <= i <= 57343
                and (CONTROL.match(chr(i)) or BIDI.match(chr(i)))]
    assert found[0] == expected


def test_no_character_refused_is_written_with_plain_bytes_alone() -> None:
    """A file of printable ASCII and line ends skips the cell-by-cell test: every
    character the row reader refuses has a byte outside those, but the carriage return,
    which a plain file may hold only before a line feed."""
    from playbook.model.chars import BIDI, CONTROL

    refused = [chr(i) for i in range(1, 65536) if not 55296 <= i <= 57343
               and (CONTROL.match(chr(i)) or BIDI.match(chr(i)))]
    assert [c for c in refused if set(c.encode()) <= set(columnar._PLAIN_BYTES)] == ["\r"]


@pytest.mark.parametrize("chunk", [5, 7, 1024 * 1024])
def test_a_file_is_plain_only_when_every_carriage_return_ends_a_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(columnar, "_CHUNK", chunk)  # a CR and its LF in separate chunks
    crlf = CLEAN.replace("\n", "\r\n")
    for text, plain in ((CLEAN, True), (crlf, True), ("\ufeff" + CLEAN, False),
                        (CLEAN.replace(",x\n", ",x\ty\n"), False),
                        # as many CRs as lines, one of them inside a cell
                        (crlf.replace("\r\n", "\n", 1).replace(",x", ",x\ry"), False)):
        head = columnar._head(write(tmp_path, text))
        assert head is not None and head[2] is plain, repr(text)


def test_a_carriage_return_inside_a_cell_is_left_to_the_row_reader(tmp_path: Path) -> None:
    crlf = CLEAN.replace("\n", "\r\n")
    write(tmp_path, crlf.replace("\r\n", "\n", 1).replace(",x", ",x\ry"))
    assert column_wise(tmp_path) is None
    assert by_rows(tmp_path)[1] != []


def test_signed_zeros_and_shared_values_read_as_the_row_reader_reads_them(
        tmp_path: Path) -> None:
    """Equal values share one object (two million rows hold few distinct ones), but a
    zero keeps its sign, as the row reader, which shares by the cell's text, keeps it."""
    import math

    write(tmp_path, "day,value,group\n2026-01-01,0,pilot\n2026-01-02,-0.0,pilot\n"
                    "2026-01-03,1.5,pilot\n2026-01-04,1.50,comparison\n")
    found = column_wise(tmp_path)
    assert found is not None
    rows, _ = by_rows(tmp_path)
    assert [math.copysign(1, o.value) for o in found] == \
        [math.copysign(1, o.value) for o in rows] == [1, -1, 1, 1]
    assert found[2].value is found[3].value
    assert found[0].group is found[1].group


PEOPLE = SOURCE.model_copy(update={"subject": "leader"})
PERSON_LEVEL = ("leader,day,value,group\n"
                "p-01,2026-01-01,3,pilot\n"
                "p-02,2026-01-01,4.5,comparison\n"
                "p-01,2026-02-01,3.5,pilot\n"
                "P_03,2026-01-01,2,comparison\n")


def test_person_level_rows_give_the_row_readers_observations(tmp_path: Path) -> None:
    write(tmp_path, PERSON_LEVEL)
    rows, problems = by_rows(tmp_path, PEOPLE)
    assert problems == []
    found = column_wise(tmp_path, PEOPLE)
    assert found == rows
    assert [o.subject for o in found] == ["p-01", "p-02", "p-01", "P_03"]
    assert found[0].subject is found[2].subject  # one object per person
    no_group = PEOPLE.model_copy(update={"group": None})
    assert column_wise(tmp_path, no_group) == by_rows(tmp_path, no_group)[0]


@pytest.mark.parametrize(("text", "reported"), [
    (PERSON_LEVEL + "p-01,2026-01-01,9,pilot\n", "a second row for this subject"),
    (PERSON_LEVEL + "p-02,2026-03-01,9,pilot\n", "in the pilot group here"),
    (PERSON_LEVEL.replace("P_03", ""), "empty subject id"),
    (PERSON_LEVEL.replace("P_03", "P 03"), ""),   # fine ids the plain pattern leaves
    (PERSON_LEVEL.replace("P_03", "Pé03"), ""),   # to the row reader
])
def test_person_level_problems_are_left_to_the_row_reader(tmp_path: Path, text: str,
                                                          reported: str) -> None:
    write(tmp_path, text)
    assert column_wise(tmp_path, PEOPLE) is None
    problems = by_rows(tmp_path, PEOPLE)[1]
    assert reported in " ".join(problems) if reported else problems == []


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(
    st.sampled_from(["a1", "b-2", "C_3", "d.4", "e5"]),
    st.dates(date(2020, 1, 1), date(2020, 3, 31)),
    st.integers(-100, 100)), max_size=40), grouped=st.booleans())
def test_random_person_level_files_read_alike(tmp_path: Path,
                                              rows: list[tuple[str, date, int]],
                                              grouped: bool) -> None:
    """Each person stays in one group; a person's second row on a day is dropped here."""
    seen: set[tuple[str, date]] = set()
    lines = ["leader,day,value,group"]
    for person, day, value in rows:
        if (person, day) not in seen:
            seen.add((person, day))
            group = "pilot" if person in ("a1", "C_3") else "comparison"
            lines.append(f"{person},{day.isoformat()},{value / 10},{group}")
    root = tmp_path / f"r{len(os.listdir(tmp_path))}"
    write(root, "\n".join(lines) + "\n")
    source = PEOPLE if grouped else PEOPLE.model_copy(update={"group": None})
    expected, problems = by_rows(root, source)
    assert problems == []
    found = column_wise(root, source)
    assert found == expected
    assert [(o.subject, o.line) for o in found or []] == \
        [(o.subject, o.line) for o in expected]
