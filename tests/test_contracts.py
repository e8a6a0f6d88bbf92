"""Data contracts: each silent change of an export is a finding at its line, with the fix.

Each test writes exports into the mini playbook, accepts them into the contract
with ``playbook lock``, then changes the export the way real tools do (account
codes renumbered, a line exported twice, a nightly job that wrote only the
header, a file nobody reads, a value far off its series) and asserts the whole
finding line. ``playbook diff`` shows the lock's change to the reviewer.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.engine import check_playbook
from playbook.load.query_columns import shape
from playbook.model.problems import Problem

BOARD = "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n"
LEDGER_SOURCE = """    source:
      query: |
        SELECT last_day(CAST("Date" AS DATE)) AS month, sum(Amount) AS pct
        FROM 'data/mini/ledger.csv'
        WHERE Account IN ('6100', '6110')
        GROUP BY 1
      date: month
      value: pct
"""
HEADER = "Date,Account,Cost centre,Amount\n"
FIX = ("if the export is right, accept it into the contract with 'playbook lock mini' and "
       "commit the lock's diff for review; if not, correct the export")
MONTHS = [f"2025-{m:02d}" for m in range(7, 13)] + ["2026-01", "2026-02"]


def ledger_lines(month: str, accounts: tuple[str, str, str] = ("6100", "6110", "7000"),
                 bump: int = 0) -> str:
    """One month of a general ledger: agency fees, contractors and travel (not counted)."""
    a, b, c = accounts
    return (f"{month}-05,{a},CC-10,{200 + bump}\n{month}-12,{b},CC-10,{100 + bump}\n"
            f"{month}-20,{c},CC-20,50\n")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def _findings(book: TmpPlaybook, prefix: str = "contract") -> list[str]:
    problems = check_playbook(book.root)
    assert not problems.errors, problems.render()
    return [str(p) for p in problems.sorted() if p.code.startswith(prefix)]


def _locked_ledger(book: TmpPlaybook, run_cli: RunCli) -> None:
    book.edit("kpis.yml", BOARD, LEDGER_SOURCE)
    book.write("data/mini/board_use.csv", "month,pct\n")  # not read any more; kept empty
    book.path("data/mini/board_use.csv").unlink()
    book.write("data/mini/ledger.csv", HEADER + "".join(
        ledger_lines(m, bump=i % 3) for i, m in enumerate(MONTHS)))
    assert run_cli("lock", "--dir", book.root) == (
        0, "", "wrote data/mini/contracts.lock.yml\n")


def test_a_new_account_code_that_the_filter_misses_is_a_finding_at_its_line(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _locked_ledger(tmp_playbook, run_cli)
    assert _findings(tmp_playbook) == []
    # finance moved to five-digit codes: the query's filter matches nothing in March
    with tmp_playbook.path("data/mini/ledger.csv").open("a") as f:
        f.write(ledger_lines("2026-03", ("61000", "61100", "70000")))
    assert _findings(tmp_playbook) == [
        "data/mini/ledger.csv:26:2: finding contract-value: Account: column 'Account' holds 3 "
        "values ('61000', '61100', '70000') the contract (contracts.lock.yml) has not seen: a "
        f"source filters, groups or maps this column and may not match it ({FIX})"]


def test_accepting_the_new_codes_is_a_lock_change_the_diff_shows(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _locked_ledger(tmp_playbook, run_cli)
    _git(tmp_playbook.root, "init", "-q")
    _git(tmp_playbook.root, "add", "-A")
    _git(tmp_playbook.root, "commit", "-qm", "base")
    with tmp_playbook.path("data/mini/ledger.csv").open("a") as f:
        f.write(ledger_lines("2026-03", ("61000", "6110", "7000")))
    assert run_cli("lock", "--check", "--dir", tmp_playbook.root) == (
        1, "", "data/mini/contracts.lock.yml: the contract lock differs from the data; run "
        "'playbook lock mini' and review its diff\n")
    assert run_cli("lock", "mini", "--dir", tmp_playbook.root)[0] == 0
    assert _findings(tmp_playbook) == []
    code, out, err = run_cli("diff", "--today", "2026-04-15", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert out.startswith(
        "### mini\n\n| Kind | File | Field | Before | After |\n| --- | --- | --- | --- | --- |\n"
        "| contract | data/mini/contracts.lock.yml | <code>inputs\\[data/mini/ledger.csv\\]"
        ".rows</code> | 24 | 27 |\n"
        "| contract | data/mini/contracts.lock.yml | <code>inputs\\[data/mini/ledger.csv\\]"
        ".rows\\_per\\_period\\[2026-03\\]</code> | — | 3 |\n"
        "| contract | data/mini/contracts.lock.yml | <code>inputs\\[data/mini/ledger.csv\\]"
        ".values.Account\\[61000\\]</code> | — | seen |\n"
        "| contract | data/mini/contracts.lock.yml | <code>series.board-use.all"
        "\\[2026-03-31\\]</code> | — | 100.0 |\n")
    assert "The version was not bumped" not in out  # the data, not the definition, changed


def test_a_duplicated_ledger_line_in_a_summed_input_is_a_finding_at_the_copy(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _locked_ledger(tmp_playbook, run_cli)
    with tmp_playbook.path("data/mini/ledger.csv").open("a") as f:
        f.write(ledger_lines("2026-03") + "2026-03-05,6100,CC-10,200\n")
    assert _findings(tmp_playbook, "contract-duplicate") == [
        "data/mini/ledger.csv:29:1: finding contract-duplicate: line 29 repeats line 26 exactly "
        "(1 identical line(s); the contract accepts 0): the source adds its rows up, so each "
        f"counts again ({FIX})"]


def test_a_header_only_export_is_a_finding(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    tmp_playbook.write("data/mini/board_use.csv", "month,pct\n")  # the nightly job failed
    assert _findings(tmp_playbook) == [
        "data/mini/board_use.csv:1:1: finding contract-empty: the file has a header and no rows "
        f"(did the export job fail?): every figure read from it is gone ({FIX})"]


def test_a_missing_column_is_a_finding(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.write("data/mini/board_use.csv", "month,pct,unit\n2026-01-31,22,a\n")
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    tmp_playbook.write("data/mini/board_use.csv", "month,pct\n2026-01-31,22\n")
    assert _findings(tmp_playbook) == [
        "data/mini/board_use.csv:1:1: finding contract-column: column(s) 'unit' of the contract "
        f"are not in the file; its columns are: month, pct ({FIX})"]


def test_an_unused_export_file_is_a_finding(tmp_playbook: TmpPlaybook) -> None:
    for name in ("gl_march.csv", "lms_export.jsonl", "turnover.xlsx", "old.sql"):
        tmp_playbook.write_bytes(f"data/mini/{name}", b"a,b\n1,2\n")
    assert _findings(tmp_playbook, "data-unused") == [
        f"data/mini/{name}:1:1: finding data-unused: data file is not read by any KPI source "
        "or AI outcomes (name it in a source 'file:' or in a query, or remove it)"
        for name in ("gl_march.csv", "lms_export.jsonl", "old.sql", "turnover.xlsx")]


BOARD_ROWS = [10, 22, 24, 27, 29, 31, 34]


def _board_file(values: list[float]) -> str:
    ends = ["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
            "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31"]
    return "month,pct\n" + "".join(f"{d},{v}\n" for d, v in zip(ends, values, strict=False))


def test_a_jump_beyond_the_series_noise_is_a_finding_at_its_line(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.write("data/mini/board_use.csv", _board_file(BOARD_ROWS))
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    tmp_playbook.write("data/mini/board_use.csv", _board_file([*BOARD_ROWS, 36, 6]))
    assert _findings(tmp_playbook) == [
        "data/mini/board_use.csv:10:1: finding contract-jump: KPI 'board-use' is 6 on "
        "2026-08-31, -30 from 36 on 2026-07-31: beyond its noise (its accepted changes are "
        f"+2.5 ± 2.97) ({FIX})"]


def test_a_step_within_the_series_noise_is_no_finding(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.write("data/mini/board_use.csv", _board_file(BOARD_ROWS))
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    tmp_playbook.write("data/mini/board_use.csv", _board_file([*BOARD_ROWS, 36, 38]))
    assert _findings(tmp_playbook) == []


def test_a_period_with_far_more_rows_than_usual_is_a_finding(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _locked_ledger(tmp_playbook, run_cli)
    extra = "".join(f"2026-03-{d:02d},7000,CC-20,5\n" for d in range(1, 11))
    with tmp_playbook.path("data/mini/ledger.csv").open("a") as f:
        f.write(ledger_lines("2026-03") + extra + ledger_lines("2026-04"))
    assert _findings(tmp_playbook) == [
        "data/mini/ledger.csv:26:1: finding contract-rows: period 2026-03 has 13 row(s); the 8 "
        "accepted periods before it have 3 (median), and 13 is outside 2.25–3.75 "
        f"({FIX})"]


def test_a_locked_value_of_a_person_column_is_never_kept(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    lock = tmp_playbook.read("data/mini/contracts.lock.yml")
    assert "p-3fa91c07" not in lock  # leader_360.csv's subject column
    assert "      wave:\n      - post\n      - pre\n" in lock


def test_the_lock_is_the_same_bytes_each_time(tmp_playbook: TmpPlaybook,
                                              run_cli: RunCli) -> None:
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    first = tmp_playbook.read("data/mini/contracts.lock.yml")
    assert run_cli("lock", "--dir", tmp_playbook.root) == (
        0, "", "unchanged data/mini/contracts.lock.yml\n")
    assert tmp_playbook.read("data/mini/contracts.lock.yml") == first
    assert run_cli("lock", "--check", "--dir", tmp_playbook.root) == (0, "", "")


def test_a_broken_lock_is_an_error_at_its_line(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/contracts.lock.yml", "inputs:\n  data/mini/x.csv:\n"
                       "    columns: [a]\n    rows: many\n")
    errors = check_playbook(tmp_playbook.root).errors
    assert [str(p) for p in errors] == [
        "data/mini/contracts.lock.yml:4:11: inputs.data/mini/x.csv.rows: expected a whole "
        "number, got 'many'"]


EXPECT = """      expect:
        accepted_values: {unit: [a, b]}
        not_null: [pct]
        unique: [month]
        rows_per_period: {min: 1, max: 1}
"""


@pytest.mark.parametrize(("rows", "finding"), [
    ("2026-01-31,22,c\n", "data/mini/board_use.csv:2:3: finding expectation-failed: unit: "
     "'c' is not among the accepted values of column 'unit' (expect.accepted_values)"),
    ("2026-01-31,,a\n", "data/mini/board_use.csv:2:2: finding expectation-failed: pct: "
     "column 'pct' is empty here (expect.not_null)"),
    ("2026-01-31,22,a\n2026-01-31,23,b\n",
     "data/mini/board_use.csv:2:1: finding expectation-failed: period 2026-01 has 2 row(s); "
     "each period should have at most 1 (expect.rows_per_period)"),
    ("", "data/mini/board_use.csv:1:1: finding expectation-failed: the file has no rows; "
     "each period should have at least 1 (expect.rows_per_period)"),
])
def test_each_declared_expectation_is_a_finding_at_the_row_that_breaks_it(
        tmp_playbook: TmpPlaybook, rows: str, finding: str) -> None:
    tmp_playbook.edit("kpis.yml", BOARD, "    source:\n      file: data/mini/board_use.csv\n"
                      "      date: month\n      value: pct\n" + EXPECT)
    tmp_playbook.write("data/mini/board_use.csv", "month,pct,unit\n" + rows)
    found = [f"{p}" for p in check_playbook(tmp_playbook.root).sorted()
             if p.code == "expectation-failed"]
    assert finding + " (correct the export, or the expectation in kpis.yml if the data is " \
        "right)" in found


def test_an_expectation_on_a_column_no_input_has_is_an_error(
        tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("kpis.yml", BOARD, "    source:\n      file: data/mini/board_use.csv\n"
                      "      date: month\n      value: pct\n      expect: {not_null: [Pct]}\n")
    errors: list[Problem] = check_playbook(tmp_playbook.root).errors
    assert [str(p) for p in errors] == [
        "program/mini/kpis.yml:30:27: kpis[1].source.expect.not_null[0]: column 'Pct' is in "
        "none of the source's input files (data/mini/board_use.csv: month, pct) (name a column "
        "of the file)"]


@pytest.mark.parametrize(("query", "categories", "summed"), [
    ("SELECT sum(Amount) FROM t WHERE Account IN ('6100', '6110')", {"account"}, True),
    ("SELECT sum(Amount) FROM t WHERE Account = '6100' OR '7000' = Account", {"account"}, True),
    ("SELECT sum(Amount) FROM t WHERE Account <> '6100'", {"account"}, True),
    ("SELECT count(*) FROM t WHERE Unit LIKE 'ICU%'", {"unit"}, True),
    ("SELECT avg(v) FROM t WHERE Unit ILIKE 'icu%'", {"unit"}, True),
    ("SELECT CASE WHEN unit = 'ICU' THEN 'pilot' ELSE 'comparison' END AS arm, avg(v) "
     "FROM t GROUP BY 1", {"unit"}, True),
    ("SELECT CASE unit WHEN 'ICU' THEN 'pilot' END AS arm, v FROM t", {"unit"}, False),
    ("SELECT cost_centre, sum(v) FROM t GROUP BY cost_centre", {"cost_centre"}, True),
    ("SELECT week, count(DISTINCT learner) FROM t GROUP BY week", {"week"}, False),
    ("SELECT max(v) FROM t WHERE amount > 0 AND day >= '2026-01-01'", set(), False),
    ("SELECT a.v FROM t a JOIN u b ON a.unit = b.unit", set(), False),
    ("SELECT v FROM t WHERE unit IN (SELECT unit FROM pilots)", set(), False),
    ("not sql at all (", set(), False),
])
def test_a_query_names_the_columns_it_filters_groups_or_maps(
        query: str, categories: set[str], summed: bool) -> None:
    found = shape(query)
    assert (set(found.categories), found.summed) == (categories, summed)


def test_a_lock_that_is_a_link_is_refused_not_read(tmp_playbook: TmpPlaybook,
                                                   run_cli: RunCli) -> None:
    secret = tmp_playbook.root.parent / "outside.yml"
    secret.write_text("inputs: {}\n", encoding="utf-8")
    tmp_playbook.path("data/mini/contracts.lock.yml").symlink_to(secret)
    errors = [str(p) for p in check_playbook(tmp_playbook.root).errors]
    assert errors == [
        "data/mini/contracts.lock.yml:1:1: 'data/mini/contracts.lock.yml' is a symbolic link "
        "(replace the link with the file itself: nothing is read through a link)"]
    code, _, err = run_cli("lock", "--dir", tmp_playbook.root)
    assert code == 1 and err.startswith(errors[0] + "\nplaybook lock failed: 1 error(s)")
    assert secret.read_text(encoding="utf-8") == "inputs: {}\n"


def test_person_rows_of_the_ai_outcomes_repeat_without_a_finding(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    with tmp_playbook.path("data/mini/recommendations.csv").open("a") as f:
        f.write("women,1\nwomen,1\nmen,0\n")
    assert _findings(tmp_playbook) == []


def _append(book: TmpPlaybook, rel: str, text: str) -> None:
    with book.path(rel).open("a") as f:
        f.write(text)


SILENT_CHANGES = {
    "new account code": (
        lambda b: _append(b, "data/mini/ledger.csv", ledger_lines("2026-03", ("61000", "6110",
                                                                               "7000"))),
        "<code>inputs\\[data/mini/ledger.csv\\].values.Account\\[61000\\]</code> | — | seen |"),
    "duplicate ledger line": (
        lambda b: _append(b, "data/mini/ledger.csv", "2026-02-05,6100,CC-10,201\n"),
        "<code>inputs\\[data/mini/ledger.csv\\].duplicate\\_lines</code> | 0 | 1 |"),
    "header-only export": (
        lambda b: b.write("data/mini/start_time.csv", "month,days,group\n"),
        "<code>inputs\\[data/mini/start\\_time.csv\\].rows</code> | 8 | 0 |"),
    "jump beyond noise": (
        lambda b: b.edit("data/mini/ledger.csv", "2026-02-05,6100,CC-10,201",
                         "2026-02-05,6100,CC-10,2010"),
        "<code>series.board-use.all\\[2026-02-28\\]</code> | 302.0 | 2111.0 |"),
}


@pytest.mark.parametrize("change", list(SILENT_CHANGES))
def test_each_silent_change_accepted_shows_in_the_diff(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, change: str) -> None:
    _locked_ledger(tmp_playbook, run_cli)
    _git(tmp_playbook.root, "init", "-q")
    _git(tmp_playbook.root, "add", "-A")
    _git(tmp_playbook.root, "commit", "-qm", "base")
    edit, row = SILENT_CHANGES[change]
    edit(tmp_playbook)
    assert _findings(tmp_playbook) != []  # a finding first; then the export is accepted
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    assert _findings(tmp_playbook) == []
    code, out, err = run_cli("diff", "--today", "2026-04-15", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert f"| contract | data/mini/contracts.lock.yml | {row}" in out.splitlines()


CASE_SOURCE = """    source:
      query: |
        SELECT last_day(CAST("Date" AS DATE)) AS month,
               sum(CASE WHEN "Cost centre" = 'CC-10' THEN Amount ELSE 0 END) AS pct
        FROM 'data/mini/ledger.csv'
        GROUP BY 1
      date: month
      value: pct
"""
WHERE_SOURCE = """    source:
      file: data/mini/ledger.csv
      date: Date
      value: Amount
      read: {where: {Account: ['6100', '6110']}}
"""


@pytest.mark.parametrize(("source", "line", "expected"), [
    (LEDGER_SOURCE, "2026-03-05,6101,CC-10,200\n", "26:2: finding contract-value: Account: "
     "column 'Account' holds '6101', a value"),
    (CASE_SOURCE, "2026-03-05,6100,CC-11,200\n", "26:3: finding contract-value: Cost centre: "
     "column 'Cost centre' holds 'CC-11', a value"),
    (WHERE_SOURCE, "2026-03-05,6101,CC-10,200\n", "26:2: finding contract-value: Account: "
     "column 'Account' holds '6101', a value"),
])
def test_every_kind_of_filter_or_mapping_locks_its_column(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, source: str, line: str,
        expected: str) -> None:
    _locked_ledger(tmp_playbook, run_cli)
    tmp_playbook.edit("kpis.yml", LEDGER_SOURCE, source)
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    _append(tmp_playbook, "data/mini/ledger.csv", line)
    found = _findings(tmp_playbook, "contract-value")
    assert [f[:len("data/mini/ledger.csv:") + len(expected)] for f in found] == [
        "data/mini/ledger.csv:" + expected]


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [
    ("data/mini/start_time.csv", "2026-03-31,25.0,pilot", "2026-03-31,25.0,Pilot",
     "data/mini/start_time.csv:8:3: finding contract-value: group: column 'group' holds "
     "'Pilot', a value"),
    ("data/mini/leader_360.csv", "2026-04-03,3.6,p-3fa91c07,post,pilot",
     "2026-04-03,3.6,p-3fa91c07,Post,pilot",
     "data/mini/leader_360.csv:12:4: finding contract-value: wave: column 'wave' holds "
     "'Post', a value"),
])
def test_a_new_label_of_a_group_or_wave_column_is_a_finding(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, rel: str, old: str, new: str,
        expected: str) -> None:
    tmp_playbook.edit("kpis.yml", "      wave: wave\n", "      wave: wave\n      read: {values: "
                      "{wave: {Post: post}, group: {Pilot: pilot}}}\n")
    tmp_playbook.edit("kpis.yml", "      group: group\n  - id: board-use",
                      "      group: group\n      read: {values: {group: {Pilot: pilot}}}\n"
                      "  - id: board-use")
    assert run_cli("lock", "--dir", tmp_playbook.root)[0] == 0
    tmp_playbook.edit(rel, old, new)
    found = _findings(tmp_playbook, "contract-value")
    assert len(found) == 1 and found[0].startswith(expected)
