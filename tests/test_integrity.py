"""Data integrity: rows wrong next to each other, and YAML numbers not read as meant.

A duplicate row, a person in both groups, a post wave before its pre wave; an
``amount: 132.000`` that YAML reads as 132 and a ``{value: 288,000}`` that it
splits in two. Each is reported at its file, line and column.
"""

from __future__ import annotations

from datetime import date

from conftest import TmpPlaybook

from playbook.engine import load_playbook
from playbook.figures.stats import behaviour_effect
from playbook.load.integrity import check
from playbook.load.observations import Observation
from playbook.model.problems import Problems

SURVEY = "data/mini/leader_360.csv"
KEEP = "keep one of the rows: this one is left out of every figure"


def _append(pb: TmpPlaybook, relpath: str, *rows: str) -> None:
    pb.write(relpath, pb.read(relpath) + "".join(f"{row}\n" for row in rows))


def _problems(pb: TmpPlaybook) -> Problems:
    return load_playbook(pb.root)[1]


def test_a_duplicate_survey_row_is_an_error_and_does_not_move_the_did(
        tmp_playbook: TmpPlaybook) -> None:
    playbook, problems = load_playbook(tmp_playbook.root)
    assert len(problems) == 0, problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None and bundle.kpis is not None
    kpi = bundle.kpis.kpis[2]
    clean = bundle.series[kpi.id]
    # the same person's post wave exported twice, the second time with another score
    _append(tmp_playbook, SURVEY, "2026-04-03,4.9,p-3fa91c07,post,pilot")
    playbook, problems = load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems] == [
        f"{SURVEY}:22:3: kpis[2].source.subject: a second post wave row for this subject "
        f"(first at line 12) ({KEEP})"]
    bundle = playbook.get("mini")
    assert bundle is not None
    assert bundle.series[kpi.id] == clean  # the later row is not counted
    assert [o.line for o in bundle.series[kpi.id]] == list(range(2, 22))

    def did(series: list[Observation]) -> float:
        effect = behaviour_effect(kpi, series, cohort_size=10, min_group_size=5)
        assert effect is not None and effect.did is not None
        return effect.did.estimate

    counted = [*clean, Observation(date(2026, 4, 3), 4.9, "pilot", "p-3fa91c07", "post")]
    assert did(counted) != did(clean)  # what a counted duplicate did to the figure


def test_duplicates_in_one_file_are_summarised_once(tmp_playbook: TmpPlaybook) -> None:
    _append(tmp_playbook, SURVEY, "2026-04-03,4.9,p-3fa91c07,post,pilot",
            "2026-01-02,3.0,p-5a03f8c6,pre,comparison",
            "2026-01-02,3.0,p-5a03f8c6,pre,comparison")
    assert [str(p) for p in _problems(tmp_playbook)] == [
        f"{SURVEY}:22:3: kpis[2].source.subject: 3 duplicate rows (lines 22, 23, 24); the "
        f"first: a second post wave row for this subject (first at line 12) ({KEEP})"]


def test_an_aggregate_series_has_one_value_per_date_and_group(
        tmp_playbook: TmpPlaybook) -> None:
    _append(tmp_playbook, "data/mini/start_time.csv", "2026-01-31,27.0,pilot")
    _append(tmp_playbook, "data/mini/board_use.csv", "2026-01-31,25")
    assert [str(p) for p in _problems(tmp_playbook).sorted()] == [
        "data/mini/board_use.csv:6:1: kpis[1].source.date: a second value for 2026-01-31 "
        f"(first at line 3) ({KEEP})",
        "data/mini/start_time.csv:10:1: kpis[0].source.date: a second value for 2026-01-31 "
        f"in group pilot (first at line 4) ({KEEP})"]


def test_a_file_read_by_two_kpis_reports_a_duplicate_once(tmp_playbook: TmpPlaybook) -> None:
    kpis = tmp_playbook.read("kpis.yml")
    second = kpis[kpis.index("  - id: board-use"):kpis.index("  - id: leader-360")]
    tmp_playbook.write("kpis.yml", kpis.replace(
        "attribution:", second.replace("board-use", "board-use-2") + "attribution:"))
    _append(tmp_playbook, "data/mini/board_use.csv", "2026-01-31,25")
    assert [p.line for p in _problems(tmp_playbook)] == [6]


def test_a_subject_in_both_groups_is_an_error_where_it_switches(
        tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit(SURVEY, "2026-04-03,3.7,p-8b20d4e1,post,pilot",
                      "2026-04-03,3.7,p-8b20d4e1,post,comparison")
    assert [str(p) for p in _problems(tmp_playbook)] == [
        f"{SURVEY}:13:5: kpis[2].source.group: this subject is in the comparison group here "
        "and in the pilot group at line 3 (a person is in one group: fix the group or the "
        "subject id)"]


def test_a_post_wave_before_the_pre_wave_is_a_warning(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit(SURVEY, "2026-04-03,3.4,p-c47a9e52", "2025-12-01,3.4,p-c47a9e52")
    problems = _problems(tmp_playbook)
    assert problems.errors == []
    assert [str(p) for p in problems] == [
        f"{SURVEY}:14:1: finding wave-order: kpis[2].source.date: post wave dated 2025-12-01 is "
        "before "
        "this subject's pre wave dated 2026-01-02 (line 4) (check the dates and the wave "
        "labels)",
        # dated first, that answer now opens the post wave, which closes with its quarter
        "program/mini/kpis.yml:37:7: finding answers-after-close: kpis[2].source: 9 "
        "answer(s) of the post wave are dated after it closed on 2025-12-31 and are not "
        "counted (give the wave's last day: closes: {post: YYYY-MM-DD})"]


def _obs(line: int, day: int, subject: str | None = None, wave: str | None = None,
         group: str | None = None, value: float = 1.0) -> Observation:
    return Observation(date(2026, 1, day), value, group, subject, wave, line)


def test_without_waves_a_subject_is_measured_once_a_day() -> None:
    series = [_obs(2, 5, "a"), _obs(3, 6, "a"), _obs(4, 5, "b"), _obs(5, 5, "a", value=2.0)]
    kept, problems = check(series, "x.csv", "kpis[0].source", {"date": 0, "subject": 1})
    assert kept == series[:3]
    assert [str(p) for p in problems] == [
        "x.csv:5:2: kpis[0].source.subject: a second row for this subject on 2026-01-05 "
        f"(first at line 2) ({KEEP})"]


def test_the_same_wave_in_two_groups_is_a_duplicate_and_a_switch() -> None:
    series = [_obs(2, 5, "a", "pre", "pilot"), _obs(3, 5, "a", "pre", "comparison")]
    kept, problems = check(series, "x.csv", "s",
                           {"date": 0, "subject": 1, "wave": 2, "group": 3})
    assert kept == series[:1]
    assert [(p.line, p.field) for p in problems] == [(3, "s.subject"), (3, "s.group")]


def test_an_observation_s_line_is_not_part_of_its_value() -> None:
    assert _obs(2, 5, "a") == _obs(9, 5, "a")


def test_a_european_thousands_separator_in_an_amount_is_a_warning(
        tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("budget.yml", "amount: 40000", "amount: 40.000")
    assert [str(p) for p in _problems(tmp_playbook)] == [
        "program/mini/budget.yml:4:43: finding number-separator: costs[0].amount: 40.000 reads "
        "as the number "
        "40 (write 40000 (no separator) or 40.0 if you meant a decimal)"]


def test_two_separators_are_an_error_with_the_number_to_write(
        tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("budget.yml", "amount: 90000", "amount: 1.250.000")
    assert [str(p) for p in _problems(tmp_playbook)] == [
        "program/mini/budget.yml:11:52: benefits[0].amount: expected a number, got "
        "'1.250.000' (write 1250000 (no separator))"]


def test_three_decimals_elsewhere_are_not_a_separator(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("kpis.yml", "baseline: {value: 3.2,", "baseline: {value: 0.125,")
    tmp_playbook.edit("budget.yml", "isolation: 0.5", "isolation: 0.125")
    tmp_playbook.edit("budget.yml", "amount: 20000", "amount: '20000'")
    assert [p.message for p in _problems(tmp_playbook)] == [
        "expected a number, got '20000'"]  # quoted: text, and said so


def test_a_comma_in_a_flow_mapping_gets_a_hint(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("kpis.yml", "target: {value: 24, by", "target: {value: 24,000, by")
    tmp_playbook.edit("kpis.yml", "baseline: {value: 10, date", "baseline: {value: 4,5, date")
    assert [str(p) for p in _problems(tmp_playbook)] == [
        "program/mini/kpis.yml:9:24: kpis[0].target: unknown field '000' in target (a comma "
        "separates the items of a {…} mapping: 24,000 reads as 24 and a key '000'; write "
        "24000)",
        "program/mini/kpis.yml:22:25: kpis[1].baseline: unknown field '5' in baseline (a "
        "comma separates the items of a {…} mapping: 4,5 reads as 4 and a key '5'; write 4.5)"]


def test_a_repeated_split_key_names_the_comma_too(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("budget.yml", "{category: platform, year: 1, amount: 10000}",
                      "{category: platform, year: 1, amount: 1,000,000}")
    assert [str(p) for p in _problems(tmp_playbook).sorted()] == [
        "program/mini/budget.yml:5:45: costs[1]: unknown field '000' in cost (a comma "
        "separates the items of a {…} mapping: 1,000,000 reads as 1 and the keys '000', "
        "'000'; write 1000000)",
        "program/mini/budget.yml:5:49: costs[1].000: duplicate key '000', first at line 5 "
        "(a comma separates the items of a {…} mapping: 1,000,000 reads as 1 and the keys "
        "'000', '000'; write 1000000)"]


def test_a_row_exported_twice_is_read_once_with_a_finding(tmp_playbook: TmpPlaybook) -> None:
    """The whole row again (a survey tool's export artifact) changes no figure: a finding,
    not an error that would stop every program's report and build."""
    clean = load_playbook(tmp_playbook.root)[0].get("mini")
    assert clean is not None
    line = tmp_playbook.read(SURVEY).splitlines()[11]  # line 12: p-3fa91c07's post answer
    _append(tmp_playbook, SURVEY, line, line)
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.errors == []
    assert [str(p) for p in problems] == [
        f"{SURVEY}:22:1: finding row-repeated: kpis[2].source.subject: 2 rows exported twice "
        "(lines 22, 23); the first: the same row as line 12: read once (an export that "
        "repeats rows: remove the repeat, or leave it, it counts once)"]
    bundle = playbook.get("mini")
    assert bundle is not None
    assert bundle.series["leader-360"] == clean.series["leader-360"]


def test_an_aggregate_row_repeated_is_read_once_and_a_changed_one_is_an_error(
        tmp_playbook: TmpPlaybook) -> None:
    board = "data/mini/board_use.csv"
    _append(tmp_playbook, board, "2026-01-31,22")
    problems = _problems(tmp_playbook)
    assert [(p.severity.value, p.code) for p in problems] == [("finding", "row-repeated")]
    _append(tmp_playbook, board, "2026-01-31,23")
    last = len(tmp_playbook.read(board).splitlines())
    problems = _problems(tmp_playbook)
    assert [str(p) for p in problems.errors] == [
        f"{board}:{last}:1: kpis[1].source.date: a second value for 2026-01-31 "
        f"(first at line 3) ({KEEP})"]
