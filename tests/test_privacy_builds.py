"""Privacy between builds: no one is recovered by subtracting what two builds publish.

Every old build stays online, so an attacker holds the figures of each day's
build and of each commit. Here the mini playbook's 360 survey is fielded one
respondent a day; it is built (the engine's figures, as ``figures.json`` holds
them) on every day of the window and after, on consecutive commits, and with
two KPIs over the same file. Every pair of published means over the same
measure and group is then subtracted the way an attacker would (n₁·m₁ − n₂·m₂):
a pair may differ only by ``min_group_size`` people or more. The diff comment,
the report and the fairness verdicts are attacked the same way.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from typing import Any

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.commands.report import report
from playbook.engine import build, load_playbook
from playbook.figures.privacy import FIELDING
from playbook.figures.program import compute, to_jsonable
from playbook.pages import site_pages

K = 5  # the mini playbook's privacy.min_group_size
PRE = date(2026, 1, 2)
OPEN, CLOSE = date(2026, 4, 1), date(2026, 4, 10)
PILOT = 8
DAYS = [OPEN + timedelta(days=i) for i in range(-2, (CLOSE - OPEN).days + 6)]


@dataclass(frozen=True)
class Mean:
    """One published mean: over which measure and group, how many people, its value."""

    measure: str
    n: int
    value: float


def _survey(pb: TmpPlaybook, answered: int, *, late: int = 0) -> None:
    """The 360 export of a commit: ``answered`` pilot post answers, one a day from OPEN.

    ``late`` more pilot leaders answer (only) the post wave two days after it closed.
    """
    rows = ["surveyed_on,score,subject,wave,group"]
    for i in range(PILOT):
        rows.append(f"{PRE},{2.0 + 0.37 * i:.2f},p{i},pre,pilot")
    for i in range(answered):
        rows.append(f"{OPEN + timedelta(days=i)},{3.0 + 0.21 * i:.2f},p{i},post,pilot")
    for i in range(PILOT, PILOT + late):
        rows.append(f"{CLOSE + timedelta(days=2)},{4.9:.2f},p{i},post,pilot")
    for i in range(6):
        rows.append(f"{PRE},{3.1 + 0.1 * i:.2f},c{i},pre,comparison")
        rows.append(f"{OPEN},{3.2 + 0.1 * i:.2f},c{i},post,comparison")
    pb.write("data/mini/leader_360.csv", "\n".join(rows) + "\n")


@pytest.fixture
def fielded(tmp_playbook: TmpPlaybook) -> TmpPlaybook:
    tmp_playbook.edit("kpis.yml", "      wave: wave\n",
                      f"      wave: wave\n      closes: {{pre: {PRE}, post: {CLOSE}}}\n")
    return tmp_playbook


def _figures(pb: TmpPlaybook, days: list[date]) -> list[dict[str, Any]]:
    """``figures.json`` of the mini program as built on each of ``days``."""
    playbook, problems = load_playbook(pb.root)
    assert not problems.errors, problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    return [to_jsonable(compute(bundle, day)) for day in days]


def _means(figs: dict[str, Any], kpi: str = "leader-360") -> list[Mean]:
    """Every mean of people's answers a build publishes, with the people it is over."""
    out = [Mean(f"{p['group']} {p['wave']}", p["n"], p["value"])
           for p in figs["kpis"][kpi]["points"] if p["value"] is not None]
    effect = figs["behaviour"].get(kpi) or {}
    for group in ("pilot", "comparison"):
        e = effect.get(group)
        if e is not None:
            out += [Mean(f"{group} pre", e["n"], e["mean_pre"]),
                    Mean(f"{group} post", e["n"], e["mean_post"]),
                    Mean(f"{group} change", e["n"], e["mean_change"])]
    for g in (effect.get("attrition") or {}).get("groups", []):
        if g["completer_mean_pre"] is not None:
            out += [Mean(f"{g['group']} pre", g["both"], g["completer_mean_pre"]),
                    Mean(f"{g['group']} pre", g["dropouts"], g["dropout_mean_pre"])]
    return out


def _assert_nothing_subtracts(builds: list[dict[str, Any]], *kpis: str) -> None:
    """No two published means of one measure and group differ by 1 to K − 1 people.

    Means of every KPI named (default: the 360) are subtracted from each other too.
    Equal sizes must carry equal values: two sets of the same size with different
    means differ by a swap, which gives one person's value against another's.
    """
    means = {m for figs in builds for kpi in kpis or ("leader-360",) for m in _means(figs, kpi)}
    for a, b in combinations(sorted(means, key=repr), 2):
        if a.measure != b.measure:
            continue
        assert a.n != b.n or a.value == b.value, (a, b)
        assert a.n == b.n or abs(a.n - b.n) >= K, (a, b)


def test_a_build_on_each_day_of_the_fielding_window_recovers_no_one(
        fielded: TmpPlaybook) -> None:
    _survey(fielded, answered=PILOT)
    builds = _figures(fielded, DAYS)
    _assert_nothing_subtracts(builds)
    for day, figs in zip(DAYS, builds, strict=True):
        post = [p for p in figs["kpis"]["leader-360"]["points"] if p["wave"] == "post"]
        effect = figs["behaviour"]["leader-360"]
        if OPEN <= day <= CLOSE:  # answers are arriving: nothing about the wave is shown
            assert post and all((p["value"], p["n"], p["fielding"]) == (None, 0, True)
                                for p in post), day
            assert (effect["pilot"], effect["comparison"], effect["did"]) == (None, None, None)
        elif day > CLOSE:
            assert [p["n"] for p in post if p["group"] == "pilot"] == [PILOT]
    after = [json.dumps(f["behaviour"], sort_keys=True)
             for d, f in zip(DAYS, builds, strict=True) if d > CLOSE]
    assert len(set(after)) == 1  # once closed, every later day's build is the same


def test_consecutive_commits_one_respondent_each_recover_no_one(
        fielded: TmpPlaybook) -> None:
    builds = []
    for answered in range(1, PILOT + 1):
        _survey(fielded, answered=answered)
        committed = OPEN + timedelta(days=answered - 1)
        # built the day it lands and every day until the next commit lands (or after close)
        until = CLOSE + timedelta(days=5) if answered == PILOT else committed + timedelta(1)
        builds += _figures(fielded, [committed + timedelta(days=d)
                                     for d in range((until - committed).days + 1)])
    # a leader who answers after the wave closed is not counted, in any later commit
    _survey(fielded, answered=PILOT, late=1)
    _, problems = load_playbook(fielded.root)
    line = fielded.read("kpis.yml").splitlines().index(
        f"      closes: {{pre: {PRE}, post: {CLOSE}}}") + 1
    assert [str(p) for p in problems.findings] == [
        f"program/mini/kpis.yml:{line}:15: finding answers-after-close: "
        "kpis[2].source.closes: 1 answer(s) of the "
        f"post wave are dated after it closed on {CLOSE} and are not counted (a closed wave's "
        "figures are already published; move the close only before anything of the wave "
        "was published)"]
    late = _figures(fielded, [CLOSE + timedelta(days=d) for d in (3, 4)])
    assert [_means(f) for f in late] == [_means(builds[-1])] * 2
    _assert_nothing_subtracts([*builds, *late])


def test_check_warnings_while_a_wave_is_fielded_carry_no_mean(fielded: TmpPlaybook) -> None:
    warnings = set()
    for answered in range(1, PILOT + 1):
        _survey(fielded, answered=answered)
        rows = fielded.read("data/mini/leader_360.csv").splitlines()
        # six more pilot leaders answered only the pre wave, far from the others
        rows += [f"{PRE},{4.8 + 0.01 * i:.2f},q{i},pre,pilot" for i in range(6)]
        fielded.write("data/mini/leader_360.csv", "\n".join(rows) + "\n")
        _, problems = load_playbook(fielded.root)  # `check` reads every row, open waves too
        warnings |= {p.message for p in problems.findings}
    assert any("without a post answer differed from those who stayed at baseline (Welch p "
               "below 0.05)" in w for w in warnings), warnings
    # counts and thresholds only: no mean, difference or p that a later day would move
    assert not [w for w in warnings if re.search(r"\d\.\d*[1-9]", w.replace("0.05", ""))]


def test_a_change_over_all_but_a_few_single_wave_answers_is_withheld(
        fielded: TmpPlaybook) -> None:
    _survey(fielded, answered=PILOT - 1)  # p7 answered the pre wave only
    builds = _figures(fielded, DAYS)
    _assert_nothing_subtracts(builds)
    last = builds[-1]["behaviour"]["leader-360"]
    assert (last["pilot"], last["withheld_groups"]) == (None, ["pilot"])
    data, problems = build(fielded.root, DAYS[-1])
    assert data is not None, problems.render()
    page = next(p.markdown for p in site_pages.generate(data)
                if p.path == "programs/mini/measurement.md")
    assert ("Withheld (pilot): between 1 and 4 people answered one wave only, so the change "
            "over the others, beside the wave means, would reveal their answers.") in page
    data, _ = build(fielded.root, CLOSE)
    assert data is not None
    page = next(p.markdown for p in site_pages.generate(data)
                if p.path == "programs/mini/measurement.md")
    assert f"Post wave: {FIELDING}." in page


def test_every_figure_of_people_is_published_at_the_precision_shown(
        fielded: TmpPlaybook) -> None:
    _survey(fielded, answered=PILOT)
    code, text = report(fielded.root, "mini", DAYS[-1])
    assert code == 0, text
    behaviour = json.loads(text)["behaviour"]["leader-360"]

    def floats(value: Any, name: str = "") -> list[tuple[str, float]]:
        if isinstance(value, dict):
            return [f for k, v in value.items() for f in floats(v, k)]
        if isinstance(value, list):
            return [f for v in value for f in floats(v, name)]
        return [(name, value)] if isinstance(value, float) else []

    found = floats(behaviour)
    assert {name for name, _ in found} >= {"mean_change", "sd_change", "low", "d_z", "p_value"}
    for name, value in found:
        if name == "p_value":
            assert value == float(f"{value:.2g}"), (name, value)
        else:
            assert value == round(value, 2), (name, value)


def _second_kpi(pb: TmpPlaybook, pilot: list[str]) -> str:
    """Add a copy of the 360 KPI whose row filter keeps ``pilot`` and every comparison
    leader; return the file's text."""
    kpis = pb.read("kpis.yml")
    start, end = kpis.index("  - id: leader-360"), kpis.index("attribution:")
    keep = ", ".join([*pilot, *(f"c{i}" for i in range(6))])
    second = (kpis[start:end].replace("id: leader-360", "id: leader-360-again")
              .replace("      group: group\n", "      group: group\n      read:\n"
                       f"        where: {{subject: [{keep}]}}\n"))
    text = kpis[:end] + second + kpis[end:]
    pb.write("program/mini/kpis.yml", text)
    return text


def test_two_kpis_over_the_same_people_but_one_are_an_error(fielded: TmpPlaybook) -> None:
    _survey(fielded, answered=PILOT)
    text = _second_kpi(fielded, [f"p{i}" for i in range(1, PILOT)])  # all but p0
    _, problems = load_playbook(fielded.root)
    end = text.index("  - id: leader-360-again")
    line = text[:text.index("    source:", end)].count("\n") + 2  # the mapping under it
    assert [str(p) for p in problems.errors] == [
        f"program/mini/kpis.yml:{line}:7: kpis[3].source: the post wave (pilot) is over the "
        "same people as KPI 'leader-360' but for 1 (fewer than privacy.min_group_size, 5): "
        "subtracting the two published means would give those people's values (give both "
        "KPIs the same rows, or rows that differ by at least 5 people)"]


def test_two_kpis_over_sets_apart_by_the_minimum_are_no_error(fielded: TmpPlaybook) -> None:
    _survey(fielded, answered=PILOT)
    rows = fielded.read("data/mini/leader_360.csv").splitlines()
    rows += [f"{day},{3.3 + 0.1 * i:.2f},x{i},{wave},pilot" for i in range(K)
             for day, wave in ((PRE, "pre"), (OPEN, "post"))]
    fielded.write("data/mini/leader_360.csv", "\n".join(rows) + "\n")
    _second_kpi(fielded, [f"p{i}" for i in range(PILOT)])  # 8 of the pilot's 13: 5 apart
    _, problems = load_playbook(fielded.root)
    assert problems.errors == []
    builds = _figures(fielded, [CLOSE + timedelta(days=1)])
    _assert_nothing_subtracts(builds, "leader-360", "leader-360-again")
    assert {m.n for m in _means(builds[0], "leader-360-again") if "pilot" in m.measure} == {8}
    assert {m.n for m in _means(builds[0], "leader-360") if "pilot" in m.measure} == {13}


AGGREGATE_QUERY = """    source:
      query: |
        SELECT surveyed_on, avg(score) AS score, wave, "group"
        FROM 'data/mini/leader_360.csv' WHERE subject <> 'p7' GROUP BY ALL
      date: surveyed_on
      value: score
      wave: wave
      group: group
"""


@pytest.mark.parametrize("extra", ["", "      count: people\n"])
def test_a_query_that_aggregates_people_itself_is_an_error(
        fielded: TmpPlaybook, extra: str) -> None:
    _survey(fielded, answered=PILOT)
    query = AGGREGATE_QUERY.replace('"group"\n', '"group", 9 AS people\n') if extra else (
        AGGREGATE_QUERY)
    kpis = fielded.read("kpis.yml")
    start = kpis.index("    source:\n      file: data/mini/leader_360.csv")
    end = kpis.index("attribution:")
    fielded.write("program/mini/kpis.yml", kpis[:start] + query + extra + kpis[end:])
    _, problems = load_playbook(fielded.root)
    line = kpis[:start].count("\n") + 2  # the mapping under "source:"
    assert [str(p) for p in problems.errors] == [
        f"program/mini/kpis.yml:{line}:7: kpis[2].source: the query reads person-level rows "
        "(data/mini/leader_360.csv (column 'subject')) but the source names no 'subject': "
        "person-level rows are aggregated by the engine, never by the query (return one row "
        "per person with their id, named in 'subject:' (no 'count'): the site aggregates "
        "them and withholds small groups)"]


def test_a_query_over_a_file_of_e_mail_addresses_is_refused_whatever_the_column_is_called(
        tmp_playbook: TmpPlaybook) -> None:
    rows = ["day,who,score", *(f"2026-01-0{1 + i % 5},ada{i}@example.com,{i % 4}"
                               for i in range(12))]
    tmp_playbook.write("data/mini/scores.csv", "\n".join(rows) + "\n")
    tmp_playbook.edit("kpis.yml", "source: {file: data/mini/board_use.csv, date: month, "
                      "value: pct}", "source: {query: \"SELECT day, avg(score) AS pct FROM "
                      "'data/mini/scores.csv' GROUP BY day\", date: day, value: pct}")
    _, problems = load_playbook(tmp_playbook.root)
    assert [p.message for p in problems.errors] == [
        "the query reads person-level rows (data/mini/scores.csv (e-mail addresses in its "
        "rows)) but the source names no 'subject': person-level rows are aggregated by the "
        "engine, never by the query"]


def test_a_query_copying_all_but_one_person_is_caught_by_the_overlap_check(
        fielded: TmpPlaybook) -> None:
    _survey(fielded, answered=PILOT)
    kpis = fielded.read("kpis.yml")
    start, end = kpis.index("  - id: leader-360"), kpis.index("attribution:")
    copy = kpis[start:end].replace("id: leader-360", "id: leader-360-copy").replace(
        "      file: data/mini/leader_360.csv\n",
        "      query: SELECT * FROM 'data/mini/leader_360.csv' WHERE subject <> 'c3'\n")
    fielded.write("program/mini/kpis.yml", kpis[:end] + copy + kpis[end:])
    _, problems = load_playbook(fielded.root)
    assert [p.message for p in problems.errors] == [
        "the post wave (comparison) is over the same people as KPI 'leader-360' but for 1 "
        "(fewer than privacy.min_group_size, 5): subtracting the two published means would "
        "give those people's values"]
    assert problems.errors[0].field == "kpis[3].source"


def _git(root: Any, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def test_the_diff_comment_withholds_what_the_site_withholds(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "source: {file: data/mini/board_use.csv, date: month, "
                      "value: pct}", "source: {file: data/mini/board_use.csv, date: month, "
                      "value: pct, count: people}")
    tmp_playbook.write("data/mini/board_use.csv", "month,pct,people\n2025-12-31,10,30\n"
                       "2026-01-31,28,3\n2026-02-28,41,30\n2026-03-31,55,30\n")
    _git(tmp_playbook.root, "init", "-q")
    _git(tmp_playbook.root, "add", "-A")
    _git(tmp_playbook.root, "commit", "-qm", "base")
    # January stands for 3 people (under 5): the site shows "fewer than 5", never 28 or 66.6
    tmp_playbook.edit("data/mini/board_use.csv", "2026-01-31,28,3", "2026-01-31,66.6,3")
    tmp_playbook.edit("data/mini/board_use.csv", "2026-02-28,41,30", "2026-02-28,45,30")
    code, out, err = run_cli("diff", "--today", "2026-06-10", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert out.splitlines()[4:] == [
        "- ⚠️ **board-use: history rewritten**: 2 rows changed, 2026-01-31 … 2026-02-28",
        "  - 2026-02-28: 41 → 45",
    ]
    code, text = report(tmp_playbook.root, "mini", date(2026, 6, 10))
    january = [p for p in json.loads(text)["kpis"]["board-use"]["points"]
               if p["period"] == "2026-01-01"]
    assert (code, [(p["value"], p["suppressed"]) for p in january]) == (0, [(None, True)])


def test_a_row_added_to_a_closed_wave_is_flagged_in_the_comment_without_values(
        fielded: TmpPlaybook, run_cli: RunCli) -> None:
    _survey(fielded, answered=PILOT - 1)
    _git(fielded.root, "init", "-q")
    _git(fielded.root, "add", "-A")
    _git(fielded.root, "commit", "-qm", "base")
    _survey(fielded, answered=PILOT)  # p7's post answer, exported late but dated in the window
    day = CLOSE + timedelta(days=5)
    code, out, err = run_cli("diff", "--today", day, "--dir", fielded.root)
    assert (code, err) == (0, "")
    assert out.splitlines()[4:] == [
        f"- leader-360: 1 row appended, {OPEN + timedelta(days=PILOT - 1)}",
        "  - values not shown: person-level data",
        "  - ⚠️ **1 published figure(s) would change by fewer people than the privacy "
        "minimum**: beside the figures already online they would give those people's "
        "answers (leave a closed wave's rows as they were published)",
    ]
    assert "3.1" not in out and "3.7" not in out  # no mean, no change, no answer


def test_a_fairness_verdict_never_tells_a_withheld_groups_outcome(
        tmp_playbook: TmpPlaybook) -> None:
    published = []
    for women in ("1", "0"):  # everyone selected, then no one: both must read the same
        rows = ["group,recommended", *[f"women,{women}"] * 6, *["men,1"] * 4, *["men,0"] * 4,
                *["other,1"] * 3, *["other,0"] * 5]
        tmp_playbook.write("data/mini/recommendations.csv", "\n".join(rows) + "\n")
        code, text = report(tmp_playbook.root, "mini", date(2026, 6, 10))
        assert code == 0, text
        fairness = json.loads(text)["fairness"]
        data, _ = build(tmp_playbook.root, date(2026, 6, 10))
        assert data is not None
        page = next(p.markdown for p in site_pages.generate(data)
                    if p.path == "programs/mini/measurement.md")
        section = page[page.index("## Fairness"):]
        published.append((fairness, section))
        women_row = next(g for g in fairness["groups"] if g["group"] == "women")
        assert (women_row["verdict"], women_row["selected"], women_row["rate"]) == (
            "withheld", None, None)
        assert fairness["reference_group"] == "men"
        assert "| women | 6 | — | — | — | — | — | — | — | " in section
    assert published[0] == published[1]
