"""The fully loaded cost checklist: a located warning in ``playbook check`` and on the page."""

from __future__ import annotations

from datetime import date

from conftest import RunCli, TmpPlaybook

from playbook.engine import load_playbook
from playbook.figures.program import compute

PARTICIPANT_TIME = ("  - {category: participant_time, year: 1, amount: 19200, "
                    "note: 24 leads x 8 hours x 100 per hour}\n")


def test_missing_participant_time_is_a_located_warning(tmp_playbook: TmpPlaybook,
                                                       run_cli: RunCli) -> None:
    tmp_playbook.edit("budget.yml", PARTICIPANT_TIME, "")
    code, out, err = run_cli("check", tmp_playbook.root)
    assert out == ("program/mini/budget.yml:4:3: finding costs-not-loaded: costs: costs are not "
                   "fully loaded: "
                   "no cost for participants' time, so the ROI is overstated (add a line per "
                   "year with category 'participant_time')\n")
    assert (code, err) == (0, "playbook check ok: 0 error(s), 1 finding(s), 0 pending, 0 "
                              "acknowledged\n")
    assert run_cli("check", tmp_playbook.root, "--strict")[0] == 1


def test_every_missing_category_is_named_in_one_warning(tmp_playbook: TmpPlaybook,
                                                        run_cli: RunCli) -> None:
    tmp_playbook.edit("budget.yml", PARTICIPANT_TIME, "")
    tmp_playbook.edit("budget.yml", "  - {category: measurement, year: 1, amount: 4000, "
                      "note: Survey licences}\n", "")
    _, out, _ = run_cli("check", tmp_playbook.root)
    assert out == ("program/mini/budget.yml:4:3: finding costs-not-loaded: costs: costs are not "
                   "fully loaded: "
                   "no cost for participants' time or measurement, so the ROI is overstated "
                   "(add a line per year with category 'participant_time', 'measurement')\n")


def test_deleting_participant_time_does_not_raise_roi_silently(
        tmp_playbook: TmpPlaybook) -> None:
    today = date(2026, 11, 22)
    playbook, _ = load_playbook(tmp_playbook.root)
    full = compute(playbook.programs[0], today).roi
    tmp_playbook.edit("budget.yml", PARTICIPANT_TIME, "")
    playbook, problems = load_playbook(tmp_playbook.root)
    cut = compute(playbook.programs[0], today).roi
    assert full is not None and cut is not None
    assert full.missing_costs == [] and cut.missing_costs == ["participant_time"]
    assert cut.tco == full.tco - 19200  # cheaper, and so a higher ROI ...
    assert [w.field for w in problems.findings] == ["costs"]  # ... but never silently
