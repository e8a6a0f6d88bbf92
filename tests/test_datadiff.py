"""`playbook diff` on measurement data: appended rows, rewritten history, moved figures."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

from conftest import MINI, RunCli, TmpPlaybook

from playbook.load.loader import load_playbook
from playbook.load.observations import Observation
from playbook.load.signoffs import states
from playbook.review.datadiff import Span, ValueChange, compare_series

TODAY = "2026-06-10"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def _commit_base(tmp_playbook: TmpPlaybook) -> None:
    _git(tmp_playbook.root, "init", "-q")
    _git(tmp_playbook.root, "add", "-A")
    _git(tmp_playbook.root, "commit", "-qm", "base")


def _diff(run_cli: RunCli, tmp_playbook: TmpPlaybook, *more: str) -> str:
    code, out, err = run_cli("diff", "--today", TODAY, "--dir", tmp_playbook.root, *more)
    assert (code, err) == (0, "")
    return out


def _append(tmp_playbook: TmpPlaybook, rel: str, rows: str) -> None:
    tmp_playbook.write(rel, tmp_playbook.read(rel) + rows)


def test_appended_rows_are_a_count_with_the_figures_they_move(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _commit_base(tmp_playbook)
    _append(tmp_playbook, "data/mini/board_use.csv", "2026-04-30,12\n2026-05-31,11\n")
    assert _diff(run_cli, tmp_playbook).splitlines() == [
        "No change to any program's definition.",
        "",
        "### mini: data",
        "",
        "- board-use: 2 rows appended, 2026-04-30 … 2026-05-31",
        "  - latest value 55 → 11; status on-track → off-track",  # two months far below the line
    ]


def test_the_same_data_committed_compares_between_two_revisions(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _commit_base(tmp_playbook)
    _append(tmp_playbook, "data/mini/board_use.csv", "2026-04-30,60\n")
    _git(tmp_playbook.root, "commit", "-qam", "April")
    out = _diff(run_cli, tmp_playbook, "--base", "HEAD~1", "--head", "HEAD")
    assert out.splitlines()[4:] == ["- board-use: 1 row appended, 2026-04-30",
                                    "  - latest value 55 → 60"]
    assert _diff(run_cli, tmp_playbook, "--base", "HEAD") == (
        "No change in meaning to any program.\n")


def test_a_rewritten_past_is_flagged_with_examples_of_aggregate_values(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _commit_base(tmp_playbook)
    rel = "data/mini/start_time.csv"
    tmp_playbook.edit(rel, "2026-01-31,28.0,pilot", "2026-01-31,27.5,pilot")
    tmp_playbook.edit(rel, "2026-02-28,29.5,comparison\n", "")
    tmp_playbook.edit(rel, "2026-03-31,25.0,pilot", "2026-03-31,27.0,pilot")
    _append(tmp_playbook, rel, "2026-04-30,24.0,pilot\n")
    assert _diff(run_cli, tmp_playbook).splitlines()[2:] == [
        "### mini: data",
        "",
        "- ⚠️ **start-time: history rewritten**: 2 rows changed, 1 row removed, "
        "2026-01-31 … 2026-03-31; 1 row appended, 2026-04-30",
        "  - 2026-01-31, pilot: 28 → 27.5",
        "  - 2026-03-31, pilot: 25 → 27",
        "  - latest value 25 → 24",
    ]


def test_a_rewritten_person_level_series_shows_counts_and_dates_only(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _commit_base(tmp_playbook)
    rel = "data/mini/leader_360.csv"
    tmp_playbook.edit(rel, "2026-04-03,3.6,p-3fa91c07", "2026-04-03,1.7,p-3fa91c07")
    tmp_playbook.edit(rel, "2026-01-02,3.4,p-6ad1e074,pre,comparison\n", "")
    out = _diff(run_cli, tmp_playbook)
    # the pilot's published mean moves 3.6 → 3.22; with "1 row changed" beside it,
    # that would give the person's change (5 × 0.38), so only the status is shown
    assert out.splitlines()[2:] == [
        "### mini: data",
        "",
        "- ⚠️ **leader-360: history rewritten**: 1 row changed, 1 row removed, "
        "2026-01-02 … 2026-04-03",
        "  - values not shown: person-level data",
    ]  # one of five people moving does not move the status past its sampling error
    code, raw, err = run_cli("diff", "--today", TODAY, "--dir", tmp_playbook.root,
                             "--format", "json")
    assert (code, err) == (0, "")
    for shown in (out, raw):
        assert "p-" not in shown and "1.7" not in shown and "3.22" not in shown
    [series] = json.loads(raw)["data"]["series"]
    assert (series["person_level"], series["examples"]) == (True, [])
    assert series["figures"] is None  # nothing published moved


def test_appended_person_level_rows_show_no_values(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _commit_base(tmp_playbook)
    _append(tmp_playbook, "data/mini/leader_360.csv", "2026-04-20,3.9,p-0a1b2c3d,post,pilot\n")
    assert _diff(run_cli, tmp_playbook).splitlines()[4:] == [
        "- leader-360: 1 row appended, 2026-04-20",
        "  - values not shown: person-level data",
    ]


def test_reordered_rows_and_reformatted_dates_are_no_change(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "date: month, value: pct}",
                      "date: month, value: pct, read: {date_format: '%d/%m/%Y'}}")
    _commit_base(tmp_playbook)
    tmp_playbook.write("data/mini/board_use.csv",
                       "month,pct\n31/03/2026,55.0\n2025-12-31,10\n28/02/2026,41\n"
                       "2026-01-31,22.00\n")
    rel = "data/mini/start_time.csv"
    head, *rows = tmp_playbook.read(rel).splitlines()
    tmp_playbook.write(rel, "\r\n".join([head, *reversed(rows)]) + "\r\n")
    assert _diff(run_cli, tmp_playbook) == "No change in meaning to any program.\n"


def test_the_json_report_carries_the_data_changes(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _commit_base(tmp_playbook)
    _append(tmp_playbook, "data/mini/board_use.csv", "2026-04-30,60\n")
    code, raw, err = run_cli("diff", "--today", TODAY, "--dir", tmp_playbook.root,
                             "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(raw)
    assert data["changes"] == [] and data["stale_signoffs"] == []
    assert data["data"] == {"series": [{
        "program": "mini", "kpi": "board-use", "person_level": False,
        "appended": {"rows": 1, "first": "2026-04-30", "last": "2026-04-30"},
        "rewritten": None, "changed": 0, "removed": 0, "inserted": 0, "examples": [],
        "figures": {"latest_before": 55.0, "latest_after": 60.0,
                    "status_before": "on-track", "status_after": "on-track"},
        "republished": 0}]}


def test_new_data_does_not_make_a_sign_off_stale(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    code, _, err = run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
                           "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    _commit_base(tmp_playbook)
    _append(tmp_playbook, "data/mini/board_use.csv", "2026-04-30,60\n")
    tmp_playbook.edit("data/mini/start_time.csv", "2026-01-31,28.0,pilot",
                      "2026-01-31,27.5,pilot")
    out = _diff(run_cli, tmp_playbook)
    assert "stale" not in out and "history rewritten" in out
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.items == []
    bundle = playbook.get("mini")
    assert bundle is not None
    assert [s.current for s in states(bundle) if s.role == "sponsor"] == [True]


def test_rows_added_in_the_past_and_duplicates_count_as_rewrites() -> None:
    day = date(2026, 1, 31)
    base = [Observation(day, 1.0), Observation(date(2026, 2, 28), 2.0)]
    head = [*base, Observation(day, 1.0), Observation(date(2026, 2, 1), 5.0)]
    change = compare_series("p", "k", base, head, person_level=False)
    assert change is not None
    assert (change.changed, change.removed, change.inserted) == (0, 0, 2)
    assert (change.appended, change.rewritten) == (None, Span(2, day, date(2026, 2, 1)))
    assert compare_series("p", "k", base, list(reversed(base)), person_level=False) is None
    moved = compare_series("p", "k", base, [Observation(day, 1.5), base[1]],
                           person_level=False)
    assert moved is not None and moved.examples == (ValueChange(day, None, 1.0, 1.5),)
    assert moved.rewritten == Span(1, day, day)
    everything_new = compare_series("p", "k", [], base, person_level=False)
    assert everything_new is not None
    assert (everything_new.appended, everything_new.rewritten) == (
        Span(2, day, date(2026, 2, 28)), None)


def test_a_playbook_in_a_folder_of_the_repository_reads_its_data_at_each_revision(
        tmp_path: Path, run_cli: RunCli) -> None:
    repo = tmp_path / "my repo"
    root = repo / "play book"
    shutil.copytree(MINI, root)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    board = root / "data/mini/board_use.csv"
    board.write_text(board.read_text().replace("2026-02-28,41", "2026-02-28,45"))
    _git(repo, "commit", "-qam", "fix February")
    code, out, err = run_cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--today", TODAY,
                             "--dir", root)
    assert (code, err) == (0, "")
    assert out.splitlines()[4:] == [
        "- ⚠️ **board-use: history rewritten**: 1 row changed, 2026-02-28",
        "  - 2026-02-28: 41 → 45",
    ]


def test_unreadable_rows_are_named_as_check_names_them(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    """A row that cannot be read is an error at the head, located, not a silent gap."""
    _commit_base(tmp_playbook)
    tmp_playbook.edit("data/mini/start_time.csv", "2026-02-28,26.5,pilot", "2026-02-28,n/a,pilot")
    code, out, err = run_cli("diff", "--today", TODAY, "--dir", tmp_playbook.root)
    assert (code, out) == (1, "")
    check = run_cli("check", tmp_playbook.root)[1].splitlines()
    assert err.splitlines() == ["errors at the head (work tree):", *check]
    assert "data/mini/start_time.csv" in err
