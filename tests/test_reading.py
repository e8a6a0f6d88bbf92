"""Exports used as they come: a source's ``read:`` options, on realistic files.

A 360 tool's export (a question row under the header, ``Baseline`` and
``Follow-up (6 mo)`` waves, ``Pilot``/``Control`` groups, European dates,
``N/A``) and a finance ledger (``€16,625.78``, ``(€1,961.20)``, ``Sep-25``) are
read unchanged; the figures match a computation straight from the rows.
"""

from __future__ import annotations

import csv
import random
from datetime import date
from statistics import fmean

import pytest
from conftest import TmpPlaybook
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.engine import load_playbook
from playbook.load import reading
from playbook.load.csv_table import read_table
from playbook.model.measure import Reading

SURVEY_SOURCE = """    source:
      file: data/mini/leader_360.csv
      date: Completed
      value: Q7 Score
      subject: Respondent
      wave: Round
      group: Cohort
      read:
        skip_rows: 1
        date_format: "%d.%m.%Y"
        missing: ["N/A"]
        values:
          wave: {Baseline: pre, "Follow-up (6 mo)": post}
          group: {Pilot: pilot, Control: comparison}
"""


def _survey_export(rng: random.Random) -> tuple[str, dict[tuple[str, str], list[float]]]:
    rows = ["Respondent,Cohort,Round,Completed,Q7 Score",
            ",,,,Q7: My manager staffs projects from the shared board (1-5)"]
    kept: dict[tuple[str, str], list[float]] = {}
    for arm, label in (("pilot", "Pilot"), ("comparison", "Control")):
        for i in range(8):
            for wave, word, day in (("pre", "Baseline", "02.01.2026"),
                                    ("post", "Follow-up (6 mo)", "03.04.2026")):
                if i == 7 and wave == "post":
                    rows.append(f"{arm[0]}-{i},{label},{word},{day},N/A")
                    continue
                score = round(rng.uniform(2.5, 4.5), 1)
                kept.setdefault((arm, wave), []).append(score)
                rows.append(f"{arm[0]}-{i},{label},{word},{day},{score}")
    return "\n".join(rows) + "\n", kept


def test_a_360_export_is_read_unchanged(tmp_playbook: TmpPlaybook) -> None:
    text, kept = _survey_export(random.Random(7))
    tmp_playbook.write("data/mini/leader_360.csv", text)
    kpis = tmp_playbook.read("kpis.yml")
    start = kpis.index("    source:\n      file: data/mini/leader_360.csv")
    end = kpis.index("attribution:")
    tmp_playbook.write("kpis.yml", kpis[:start] + SURVEY_SOURCE + kpis[end:])
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    series = bundle.series["leader-360"]
    assert len(series) == sum(len(v) for v in kept.values())  # N/A rows are not observations
    for (arm, wave), scores in kept.items():
        mine = [o.value for o in series if o.group == arm and o.wave == wave]
        assert fmean(mine) == pytest.approx(fmean(scores), abs=1e-12)
    assert {o.date for o in series} == {date(2026, 1, 2), date(2026, 4, 3)}


@pytest.mark.parametrize(("cell", "how", "expected"), [
    ("€16,625.78", Reading(currency=["€"], thousands=","), 16625.78),
    ("(€1,961.20)", Reading(currency=["€"], thousands=","), -1961.20),
    ("EUR 1.234,50", Reading(currency=["EUR"], thousands=".", decimal=","), 1234.5),
    ('214,350', Reading(thousands=","), 214350.0),
    ("N/A", Reading(missing=["N/A"]), reading.MISSING),
    ("", Reading(missing=[""]), reading.MISSING),
    ("N/A", Reading(), None),
    ("(-5)", Reading(), None),
    ("12.5", Reading(), 12.5),
])
def test_values_as_exports_write_them(cell: str, how: Reading, expected: object) -> None:
    got = reading.value(cell, how, decimal_comma=False)
    assert got is expected if expected is reading.MISSING or expected is None \
        else got == pytest.approx(expected)


@pytest.mark.parametrize(("cell", "formats", "expected"), [
    ("Sep-25", "%b-%y", date(2025, 9, 1)),
    ("2026-03", "%Y-%m", date(2026, 3, 1)),
    ("04/03/2026", ["%m/%d/%Y"], date(2026, 4, 3)),
    ("31.10.2025", ["%m/%d/%Y", "%d.%m.%Y"], date(2025, 10, 31)),
    ("2026-01-31", None, date(2026, 1, 31)),
    ("31.10.2025", None, None),
])
def test_dates_as_exports_write_them(cell: str, formats: str | list[str] | None,
                                     expected: date | None) -> None:
    assert reading.day(cell, Reading(date_format=formats)) == expected


def test_labels_are_translated_before_they_are_checked() -> None:
    how = Reading(values={"group": {"Control": "comparison"}, "wave": {"Baseline": "pre"}})
    assert reading.label("group", "Control", how) == "comparison"
    assert reading.label("wave", "Baseline", how) == "pre"
    assert reading.label("group", "Pilot", how) == "pilot"


def test_a_quoted_thousands_value_gets_a_hint(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("data/mini/board_use.csv", "2026-01-31,22", '2026-01-31,"1,022"')
    _, problems = load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems.errors] == [
        "data/mini/board_use.csv:3:2: kpis[1].source.value: '1,022' in column 'pct' is not a "
        "number (declare the separator: read: {thousands: ','})"]


def test_bad_cells_are_summarised_per_column_and_reported_once(
        tmp_playbook: TmpPlaybook) -> None:
    rows = ["month,pct"] + [f"{m}-25,{10 + i}" for i, m in enumerate(("Sep", "Oct", "Nov", "Dec"))]
    tmp_playbook.write("data/mini/board_use.csv", "\n".join(rows) + "\n")
    # a second KPI reads the same file and column: the same cells are not reported again
    kpis = tmp_playbook.read("kpis.yml")
    tmp_playbook.write("kpis.yml", kpis.replace(
        "    source:\n      file: data/mini/start_time.csv\n      date: month\n"
        "      value: days\n      group: group\n",
        "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n"))
    _, problems = load_playbook(tmp_playbook.root)
    bad_dates = [str(p) for p in problems.errors if p.path == "data/mini/board_use.csv"]
    assert bad_dates == [
        "data/mini/board_use.csv:2:1: kpis[0].source.date: 4 values in column 'month' cannot "
        "be read (lines 2, 3, 4 … 5); the first: 'Sep-25' in column 'month' is not a date "
        "YYYY-MM-DD (export dates as YYYY-MM-DD, or declare the format: read: {date_format: "
        "'%b-%y'})"]


def test_the_missing_hint_is_yaml_that_reads_back_the_cell() -> None:
    import yaml

    from playbook.load.reading import value_fix

    for cell in ("it's n/a", "n.a.", "— ", "[none]"):
        hint = value_fix(cell)
        assert yaml.safe_load(hint.split("read: ", 1)[1]) == {"missing": [cell]}


BOARD = "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n"


def _errors(tmp_playbook: TmpPlaybook) -> list[str]:
    _, problems = load_playbook(tmp_playbook.root)
    return [str(p) for p in problems.errors]


def test_a_report_with_title_lines_and_tabs_is_read(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/board_use.csv", "Board use report\tQ1\n\nmonth\tpct\n"
                       "2025-12-31\t10\n2026-01-31\t22\n")
    tmp_playbook.edit("kpis.yml", BOARD, "    source: {file: data/mini/board_use.csv, "
                      "date: month, value: pct, read: {header_row: 3, delimiter: \"\\t\"}}\n")
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    assert [(o.date, o.value, o.line) for o in bundle.series["board-use"]] == [
        (date(2025, 12, 31), 10.0, 4), (date(2026, 1, 31), 22.0, 5)]


def test_a_row_filter_on_a_missing_column_names_the_columns(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("kpis.yml", BOARD, "    source: {file: data/mini/board_use.csv, "
                      "date: month, value: pct, read: {where: {Acount: [x]}}}\n")
    text = tmp_playbook.read("kpis.yml").splitlines()
    line = next(i for i, t in enumerate(text, start=1) if "Acount" in t)
    column = text[line - 1].index("Acount") + 1  # at the key the editor wrote
    assert _errors(tmp_playbook) == [
        f"program/mini/kpis.yml:{line}:{column}: kpis[1].source.read.where: column 'Acount' "
        "is not "
        "in data/mini/board_use.csv; its columns are: month, pct"]


def test_a_count_cell_that_is_no_whole_number_is_an_error(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/board_use.csv", "month,pct,people\n2025-12-31,10,12\n"
                       "2026-01-31,22,about 9\n")
    tmp_playbook.edit("kpis.yml", BOARD, "    source: {file: data/mini/board_use.csv, "
                      "date: month, value: pct, count: people}\n")
    assert _errors(tmp_playbook) == [
        "data/mini/board_use.csv:3:3: kpis[1].source.count: 'about 9' in column 'people' is "
        "not a whole number of people (the count column holds how many people each value "
        "stands for)"]


# --- the CSV reader's short path ------------------------------------------------------

_CELL = st.text(alphabet=st.sampled_from(list("ab1.,- \t\u00a0\u2003\"")), max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), max_size=12))
def test_rows_read_as_the_plain_rules_say_whichever_path_they_take(
        tmp_path_factory: pytest.TempPathFactory, body: list[list[str]]) -> None:
    # rows without spaces take a short path; with them, cells are stripped and blank
    # rows skipped: both must give what the plain rules give
    folder = tmp_path_factory.mktemp("csv")
    file = folder / "data.csv"
    with file.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["date", "value", "group"])
        writer.writerows(body)
    table, problems = read_table(file, "data.csv")
    assert problems == []
    assert table is not None
    expected = [(line, [c.strip() for c in row]) for line, row in enumerate(body, start=2)
                if "".join(row).strip()]
    assert [(line, list(cells)) for line, cells in table.rows] == expected
