"""A measure's query: printed by ``playbook explain``, safe from what the editor writes,
and its unreadable cells reported at their line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest
import warm
from conftest import RunCli, TmpPlaybook
from test_measures import KPIS, kpis_yml, measured_playbook

from playbook.engine import load_playbook
from playbook.figures.program import compute
from playbook.load.measure_parts import ident
from playbook.load.measure_sql import Export, compile_measure
from playbook.load.signoffs import digest_of
from playbook.model.measure import Source
from playbook.model.measures import Grain

HOSTILE = ['x"; DROP TABLE t; --', "x'); COPY (SELECT 1) TO 'pwned.csv'; --", "$1", "?",
           "x /* y", "-- x", "a\nb", "'", '"', "\\", "%", "' OR '1'='1", "read_csv('/etc/passwd')"]
"""Texts an editor may write where a column name or a value goes."""


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> TmpPlaybook:
    """The five exports read through measures (not edited by these tests)."""
    return measured_playbook(tmp_path_factory.mktemp("explain") / "playbook")[0]


def test_explain_prints_the_compiled_query_and_its_values(book: TmpPlaybook,
                                                          run_cli: RunCli) -> None:
    code, out, err = run_cli("explain", "--dir", book.root, "mini", "agency-spend")
    assert (code, err) == (0, "")
    assert out.startswith("-- mini / agency-spend: its measure, as one DuckDB query (session "
                          "time zone UTC; $n are bound values, never query text)\nWITH ")
    assert "FROM read_csv('data/mini/ledger.csv', all_varchar = true" in out
    assert 'cells."Account" AS VARCHAR), \'\')) IN ($1, $2)' in out
    assert "SELECT last_day(day) AS date,\n       sum(value) AS value\n" in out
    assert out.endswith("-- $1 = '6100'\n-- $2 = '6110'\n-- $3 = 'CC-9999'\n-- $4 = '€'\n"
                        "-- $5 = '.'\n-- $6 = '%d.%m.%Y'\n")
    assert run_cli("explain", "--dir", book.root, "agency-spend")[1] == out


def test_explain_names_what_is_missing(book: TmpPlaybook, run_cli: RunCli) -> None:
    assert run_cli("explain", "--dir", book.root, "nope")[::2] == (
        2, "playbook explain: no KPI 'nope'; known KPIs: agency-spend, ai-acceptance, "
           "board-use, completions, leader-360, start-time\n")
    assert run_cli("explain", "--dir", book.root, "other", "nope")[::2] == (
        2, "playbook explain: unknown program 'other'; known programs: mini\n")
    assert run_cli("explain", "--dir", book.root, "a", "b", "c")[::2] == (
        2, "playbook explain: name a KPI, or a program and a KPI: playbook explain "
           "[PROGRAM] KPI\n")


def _source(column: str, value: str) -> Source:
    """A measure using ``column`` in every column slot and ``value`` in every value slot."""
    return Source.model_validate({
        "file": "data/x/e.csv", "date": column, "value": column, "group": column,
        "read": {"currency": [value], "missing": [value], "date_format": value,
                 "thousands": "."},
        "measure": {"aggregate": "ratio", "over": column, "people": column,
                    "lookup": {"file": "data/x/l.csv", "key": column, "group": column},
                    "where": [{"column": column, "equals": value},
                              {"column": column, "one_of": [value, value]},
                              {"column": column, "none_of": [value]},
                              {"column": column, "above": 1.5}]}})


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_name_or_value_becomes_query_text(hostile: str) -> None:
    export, lookup = Export("data/x/e.csv"), Export("data/x/l.csv")
    plain = compile_measure(_source("col", "benign-value"), export, lookup, True, Grain.WEEK)
    odd = compile_measure(_source(hostile, hostile), export, lookup, True, Grain.WEEK)
    # a name is one quoted identifier; a value is a parameter: the query's text is the same
    assert odd.sql.replace(ident(hostile), ident("col")) == plain.sql
    assert odd.params == [hostile if p == "benign-value" else p for p in plain.params]
    assert "benign-value" not in plain.sql


def test_a_hostile_name_and_value_read_as_themselves(tmp_playbook: TmpPlaybook) -> None:
    name, value = HOSTILE[1], HOSTILE[0]
    header = ",".join(json.dumps(h) for h in ("day", name, "amount"))
    rows = [f'2026-01-0{d},"{value.replace(chr(34), chr(34) * 2)}",{d}' for d in range(1, 5)]
    rows += [f"2026-01-0{d},other,100" for d in range(1, 5)]
    tmp_playbook.write("data/mini/board_use.csv", "\n".join([header, *rows]) + "\n")
    quoted = json.dumps(name)
    tmp_playbook.edit("program/mini/kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      "source: {file: data/mini/board_use.csv, date: day, value: amount, "
                      f"measure: {{aggregate: sum, where: [{{column: {quoted}, equals: "
                      f"{json.dumps(value)}}}]}}}}")
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    assert [(o.date.isoformat(), o.value) for o in bundle.series["board-use"]] == [
        ("2026-01-31", 10.0)]
    assert not list(tmp_playbook.root.rglob("pwned.csv"))


def _broken(tmp_path: Path, kpi: str, edit: tuple[str, str], file: str = "",
            lines: tuple[str, str] = ("", "")) -> list[str]:
    """The errors of the measured playbook after one edit of a source and of an export."""
    book, _ = measured_playbook(tmp_path / "playbook")
    kind, unit, cadence, source = KPIS[kpi]
    book.write("program/mini/kpis.yml", kpis_yml(
        {**KPIS, kpi: (kind, unit, cadence, source.replace(*edit))}))
    if file:
        book.edit(f"data/mini/{file}", *lines)
    return [str(p) for p in load_playbook(book.root)[1].errors]


def test_an_unreadable_amount_is_reported_at_its_line(tmp_path: Path) -> None:
    book, files = measured_playbook(tmp_path / "playbook")
    text = files["ledger.csv"].read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(text) if ",6100,CC-4101," in line)
    text[row] = ",".join(text[row].split(",", 4)[:4]) + ',"EUR tbd",EUR'
    files["ledger.csv"].write_text("\n".join(text) + "\n", encoding="utf-8")
    errors = [str(p) for p in load_playbook(book.root)[1].errors]
    assert errors == [
        f"data/mini/ledger.csv:{row + 1}:5: kpis[3].source.value: 'EUR tbd' in column "
        "'Amount' is not a number (declare it as missing if it means 'not measured': read: "
        "{missing: ['EUR tbd']})"]


def test_a_decimal_comma_is_told_to_declare_it_not_to_call_it_missing(tmp_path: Path) -> None:
    book, files = measured_playbook(tmp_path / "playbook")
    text = files["ai_counts.csv"].read_text(encoding="utf-8").splitlines()
    text[5] = text[5].rsplit(",", 1)[0] + ',"118,5"'
    files["ai_counts.csv"].write_text("\n".join(text) + "\n", encoding="utf-8")
    assert [str(p) for p in load_playbook(book.root)[1].errors] == [
        "data/mini/ai_counts.csv:6:5: kpis[4].source.value: '118,5' in column 'Accepted' is "
        "not a number (the file writes decimals with a comma: declare it: read: {decimal: "
        "','})"]


def test_a_bad_row_another_account_holds_is_not_read(tmp_path: Path) -> None:
    book, files = measured_playbook(tmp_path / "playbook")
    text = files["ledger.csv"].read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(text) if ",6200," in line)
    text[row] = "not a day,1,6200,CC-4101,what,EUR"
    files["ledger.csv"].write_text("\n".join(text) + "\n", encoding="utf-8")
    assert load_playbook(book.root)[1].errors == []


def test_a_date_no_format_reads_is_reported_at_its_line(tmp_path: Path) -> None:
    errors = _broken(tmp_path, "ai-acceptance", ("", ""), "ai_counts.csv",
                     ("2026-01-12,T3", "12/01/2026,T3"))
    lines = (tmp_path / "playbook/data/mini/ai_counts.csv").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("12/01/2026,T3"))
    assert errors == [
        f"data/mini/ai_counts.csv:{line}:1: kpis[4].source.date: '12/01/2026' in column "
        "'Week starting' is not a date YYYY-MM-DD (export dates as YYYY-MM-DD: day and month "
        "order cannot be told apart here, or declare the format: read: {date_format: "
        "'%d/%m/%Y'})"]
    assert line == 11


def test_a_unit_the_lookup_lacks_and_one_it_gives_two_arms(tmp_path: Path) -> None:
    assert _broken(tmp_path / "a", "start-time", ("", ""), "units.csv",
                   ("ORG-003,Pilot\n", "")) == [
        "data/mini/turnover.csv:6:2: kpis[1].source.group: 'ORG-003' in column 'Org Unit' "
        "is not in the lookup data/mini/units.csv (add it to the lookup with its group, or "
        "leave its rows out with measure.where)"]
    assert _broken(tmp_path / "b", "start-time", ("", ""), "units.csv",
                   ("Comparison\nORG-001,Pilot\n", "Comparison\nORG-001,Comparison\n")) == [
        "data/mini/turnover.csv:4:2: kpis[1].source.group: 'ORG-001' in column 'Org Unit' "
        "has two groups in the lookup data/mini/units.csv (list each key once in the lookup)"]


def test_a_column_the_export_lacks_is_named_at_its_field(tmp_path: Path) -> None:
    assert _broken(tmp_path, "agency-spend", ("column: Account,", "column: Acount,")) == [
        "program/mini/kpis.yml:82:22: kpis[3].source.measure.where[0].column: column "
        "'Acount' is not in data/mini/ledger.csv; its columns are: Posting Date, Document "
        "No, Account, Cost Centre, Amount, Currency (did you mean 'Account'?)"]


def test_person_ids_need_people(tmp_path: Path) -> None:
    assert _broken(tmp_path, "board-use", ("        people: actor.account.name\n", "")) == [
        "data/mini/xapi.csv:1:3: kpis[2].source: column 'actor.account.name' holds person "
        "ids: each value the measure adds up must say how many people it stands for (name it "
        "in the measure: people: actor.account.name)"]


def test_a_ratio_over_nothing_is_an_error(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/board_use.csv",
                       "day,accepted,made\n2026-01-05,0,0\n2026-01-06,0,0\n2026-02-02,3,10\n")
    tmp_playbook.edit("program/mini/kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      "source:\n      file: data/mini/board_use.csv\n      date: day\n"
                      "      value: accepted\n      measure: {aggregate: ratio, over: made}")
    assert [str(p) for p in load_playbook(tmp_playbook.root)[1].errors] == [
        "program/mini/kpis.yml:30:41: kpis[1].source.measure.over: the rows of the period "
        "from 2026-01-05 total 0 in column 'made': their ratio has no value (check the "
        "export, or filter those rows out)"]


PROBE = """
import json, sys
from pathlib import Path
from playbook.engine import load_playbook
playbook, _ = load_playbook(Path(sys.argv[1]))
bundle = playbook.get("mini")
print(json.dumps({k: [(o.date.isoformat(), o.group, o.value) for o in v]
                  for k, v in sorted(bundle.series.items())}))
"""


def test_the_same_figures_in_every_time_zone(book: TmpPlaybook) -> None:
    seen = set()
    for zone in ("UTC", "Pacific/Auckland", "America/New_York"):
        # forked from the warm server when its zone is this one, else a fresh interpreter
        done = warm.run("-c", [PROBE, book.root], env={**os.environ, "TZ": zone}, timeout=120)
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout)
    assert len(seen) == 1


def test_explain_says_a_plain_file_has_no_query(tmp_playbook: TmpPlaybook,
                                                run_cli: RunCli) -> None:
    assert run_cli("explain", "--dir", tmp_playbook.root, "start-time")[:2] == (
        0, "-- mini / start-time: its file is read row by row, with no query; a `measure:` "
           "would add its rows up without SQL\n")


def test_a_measure_left_out_leaves_sign_offs_current() -> None:
    plain = {"kpis": {"kpis": [{"id": "a", "measure": "mean", "source": {"file": "x.csv"}}]}}
    unset = {"kpis": {"kpis": [{"id": "a", "measure": "mean",
                                "source": {"file": "x.csv", "measure": None}}]}}
    measured = {"kpis": {"kpis": [{"id": "a", "measure": "mean", "source": {
        "file": "x.csv", "measure": {"aggregate": "sum"}}}]}}
    assert digest_of(unset) == digest_of(plain) != digest_of(measured)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def test_a_unit_moved_to_the_other_arm_makes_the_sign_off_stale(tmp_path: Path,
                                                                run_cli: RunCli) -> None:
    book, files = measured_playbook(tmp_path / "playbook")
    root = book.root
    assert run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
                   "--dir", root)[0] == 0
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "signed")
    files["units.csv"].write_text(files["units.csv"].read_text().replace(
        "ORG-002,Comparison", "ORG-002,Pilot"))
    code, out, err = run_cli("diff", "HEAD", "--dir", root, "--today", "2026-06-01")
    assert (code, err) == (0, ""), err
    assert "| definition | data/mini/units.csv | <code>lookup</code> |" in out
    assert "-ORG-002,Comparison\n+ORG-002,Pilot\n" in out
    code, out, _ = run_cli("check", root)
    assert "sign-off by sponsor (Ada Quill" in out and "is stale" in out


def test_a_period_behind_too_few_people_is_not_published(tmp_path: Path) -> None:
    book, _ = measured_playbook(tmp_path / "playbook")
    book.edit("program/mini/kpis.yml", "min_group_size: 5", "min_group_size: 21")
    playbook, problems = load_playbook(book.root)
    assert problems.errors == []
    bundle = playbook.get("mini")
    assert bundle is not None
    figures = compute(bundle, date(2026, 12, 1)).kpis["leader-360"]
    # 20 leaders a cohort: every quarter of either cohort stands for too few people
    assert figures.points and all(p.suppressed and p.value is None for p in figures.points)
    assert {p.n for p in figures.points} == {20}
    shown = compute(bundle, date(2026, 12, 1)).kpis["board-use"]
    assert not any(p.suppressed for p in shown.points)  # 20 to 70 learners a week


def test_a_parquet_export_reads_as_its_csv(tmp_playbook: TmpPlaybook) -> None:
    rows = "\n".join(f"2026-01-0{d}T23:30:00Z,{d}.5,p{d}" for d in range(1, 8))
    tmp_playbook.write("data/mini/events.csv", "at,amount,who\n" + rows + "\n")
    duckdb.sql('COPY (SELECT CAST("at" AS TIMESTAMPTZ) AS "at", CAST(amount AS DOUBLE) AS amount, '
               f"who FROM read_csv('{tmp_playbook.root}/data/mini/events.csv')) TO "
               f"'{tmp_playbook.root}/data/mini/events.parquet' (FORMAT parquet)")
    tmp_playbook.path("data/mini/events.csv").unlink()
    tmp_playbook.edit("program/mini/kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      "source: {file: data/mini/events.parquet, date: at, value: amount, "
                      "measure: {aggregate: sum, grain: week}}")
    tmp_playbook.path("data/mini/board_use.csv").unlink()
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    assert [(o.date.isoformat(), o.value) for o in bundle.series["board-use"]] == [
        ("2026-01-04", 1.5 + 2.5 + 3.5 + 4.5), ("2026-01-11", 5.5 + 6.5 + 7.5)]


def test_a_lookup_outside_the_data_folder_is_never_read(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/units.csv", "month,group\n")
    for path, message in (("../../etc/passwd", "is outside the playbook folder"),
                          ("data/other/units.csv", "is not in the program's data folder"),
                          ("data/mini/.units.csv", "is a hidden file or in a hidden folder")):
        before = tmp_playbook.read("program/mini/kpis.yml")
        tmp_playbook.edit("program/mini/kpis.yml",
                          "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                          "source: {file: data/mini/board_use.csv, date: month, value: pct, "
                          f"group: month, measure: {{aggregate: sum, lookup: {{file: '{path}', "
                          "key: month}}}")
        errors = [str(p) for p in load_playbook(tmp_playbook.root)[1].errors]
        assert len(errors) == 1 and "kpis[1].source.measure.lookup.file" in errors[0], errors
        assert message in errors[0], errors
        tmp_playbook.write("program/mini/kpis.yml", before)


def test_explain_prints_a_query_as_written(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("program/mini/kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      "source: {query: \"SELECT month, pct FROM 'data/mini/board_use.csv'\", "
                      "date: month, value: pct}")
    assert run_cli("explain", "--dir", tmp_playbook.root, "mini", "board-use")[:2] == (
        0, "-- mini / board-use: its query, as written, run in DuckDB (session time zone "
           "UTC)\nSELECT month, pct FROM 'data/mini/board_use.csv'\n")


def test_blank_rows_are_skipped_and_lines_stay_the_files(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/board_use.csv", "\ufeffday,amount\r\n2026-01-01,1\r\n\r\n"
                       ",\r\n  , \r\n2026-01-02,2\r\n2026-01-03,x\r\n\r\n")
    tmp_playbook.edit("program/mini/kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      "source: {file: data/mini/board_use.csv, date: day, value: amount, "
                      "measure: {aggregate: sum}}")
    assert [str(p) for p in load_playbook(tmp_playbook.root)[1].errors] == [
        "data/mini/board_use.csv:7:2: kpis[1].source.value: 'x' in column 'amount' is not a "
        "number (declare it as missing if it means 'not measured': read: {missing: ['x']})"]


def test_an_unknown_group_label_is_named_in_the_exports_words(tmp_path: Path) -> None:
    assert _broken(tmp_path, "leader-360", ("{Control: comparison}", "{Kontrol: comparison}")) == [
        "program/mini/kpis.yml:12:7: kpis[0].source.group: measure result: 2 values in "
        "column 'Cohort' cannot be read (result rows 1, 3); the first: 'Control' in column "
        "'Cohort' is not one of pilot, comparison (translate it to the group it stands for, "
        "one of pilot, comparison: read: {values: {group: {'Control': …}}})"]


INVALID = [
    ("measure: {aggregate: ratio}",
     "26:79: kpis[1].source.measure: a `ratio` divides the value column's total by another's: "
     "name it in `over`"),
    ("measure: {aggregate: sum, where: [{column: month, equals: x, above: 1}]}",
     "26:104: kpis[1].source.measure.where[0]: a filter needs exactly one of `equals`, "
     "`one_of`, `none_of`, `above`, `at_least`, `below`, `at_most`, got equals and above"),
    ("measure: {aggregate: sum, where: [{column: month, one_of: []}]}",
     "26:128: kpis[1].source.measure.where[0].one_of: expected at least 1 item, got 0"),
    ("measure: {aggregate: median}",
     "26:91: kpis[1].source.measure.aggregate: expected one of 'sum', 'mean', 'count', "
     "'count_distinct' or 'ratio', got 'median'"),
    ("measure: {aggregate: sum, grain: year}",
     "26:103: kpis[1].source.measure.grain: expected one of 'day', 'week', 'month' or "
     "'quarter', got 'year'"),
    ("measure: {aggregate: sum}, read: {where: {month: [x]}}",
     "26:13: kpis[1].source: a `measure` filters with `measure.where` ({column: …, one_of: "
     "[…]}); remove `read.where`"),
    ("measure: {aggregate: sum, lookup: {file: data/mini/u.csv}}",
     "26:13: kpis[1].source: a `measure.lookup` maps the `group` column's cells to groups: "
     "name the column in `group`"),
    ("measure: {aggregate: sum}, subject: month",
     "26:13: kpis[1].source: a `measure` publishes aggregates: not with `subject` (name the "
     "person column in `measure.people`)"),
]
"""A measure the model refuses, and the error at its place."""


@pytest.mark.parametrize(("written", "error"), INVALID)
def test_a_measure_the_model_refuses_is_located(tmp_playbook: TmpPlaybook, written: str,
                                                error: str) -> None:
    tmp_playbook.edit("program/mini/kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct, "
                      + written + "}")
    assert [str(p) for p in load_playbook(tmp_playbook.root)[1].errors] == [
        "program/mini/kpis.yml:" + error]


def test_explain_asks_for_the_program_when_two_have_the_kpi(tmp_playbook: TmpPlaybook,
                                                            run_cli: RunCli) -> None:
    root = tmp_playbook.root
    shutil.copytree(root / "program" / "mini", root / "program" / "twin")
    shutil.copytree(root / "data" / "mini", root / "data" / "twin")
    for path in (root / "program" / "twin").glob("*.yml"):
        path.write_text(path.read_text().replace("data/mini/", "data/twin/"))
    assert run_cli("explain", "--dir", root, "start-time")[::2] == (
        2, "playbook explain: programs mini, twin each have a KPI 'start-time': name the "
           "program (playbook explain PROGRAM start-time)\n")
    assert run_cli("explain", "--dir", root, "twin", "start-time")[:2] == (
        0, "-- twin / start-time: its file is read row by row, with no query; a `measure:` "
           "would add its rows up without SQL\n")


@pytest.mark.parametrize("name", ["o'brien.csv", "a b.csv", 'q"uote.csv', "x;DROP.csv"])
def test_an_odd_file_name_is_one_quoted_path(tmp_playbook: TmpPlaybook, name: str) -> None:
    tmp_playbook.write(f"data/mini/{name}", "day,amount\n2026-01-05,2\n2026-01-06,3\n")
    tmp_playbook.path("data/mini/board_use.csv").unlink()
    tmp_playbook.edit("program/mini/kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      f"source: {{file: {json.dumps('data/mini/' + name)}, date: day, "
                      "value: amount, measure: {aggregate: sum}}")
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    assert [(o.date.isoformat(), o.value) for o in bundle.series["board-use"]] == [
        ("2026-01-31", 5.0)]
