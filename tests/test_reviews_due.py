"""Overdue reviews are pending: a checkpoint or an agreed review date passed unrecorded."""

from __future__ import annotations

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.engine import Context, blocking, load_playbook
from playbook.model.settings import Publish

DAY_180 = ("program/mini/reviews.yml:3:3: pending review-overdue: reviews: the day-180 review "
           "was due on 2026-07-04 and none is recorded (hold it and record it in reviews.yml "
           "(day, date, decision))")


def _without_180(pb: TmpPlaybook) -> None:
    text = pb.read("reviews.yml")
    start = text.index("  - day: 180")
    end = text.index("  - day: 365")
    pb.write("reviews.yml", text[:start] + text[end:])


@pytest.mark.parametrize(("today", "pending"), [
    ("2026-07-25", False),   # due 2026-07-04: within the 21 days' grace
    ("2026-07-26", True),    # the first day past it
])
def test_a_checkpoint_past_its_grace_with_no_review_is_pending(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        today: str, pending: bool) -> None:
    _without_180(tmp_playbook)
    monkeypatch.setenv("PLAYBOOK_TODAY", today)
    code, out, err = run_cli("check", tmp_playbook.root)
    assert code == 0  # pending never blocks a check, a build or a preview
    assert out == (DAY_180 + "\n" if pending else "")
    assert (", 1 pending," in err) is pending
    assert run_cli("check", tmp_playbook.root, "--strict")[0] == int(pending)


def test_an_overdue_review_blocks_no_deploy_and_no_sign_off_status(
        tmp_playbook: TmpPlaybook, monkeypatch: pytest.MonkeyPatch) -> None:
    _without_180(tmp_playbook)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-12-01")
    problems = load_playbook(tmp_playbook.root)[1]
    assert [p.code for p in problems.pending] == ["review-overdue"]
    strict = Publish(require_signoffs=["sponsor"], findings_must_be_acknowledged=True)
    for context in (Context.DEPLOY, Context.SIGNOFF):
        assert blocking(problems, strict, context) == []


def test_a_missing_reviews_file_leaves_every_passed_checkpoint_pending(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_playbook.path("reviews.yml").unlink()
    monkeypatch.setenv("PLAYBOOK_TODAY", "2027-02-01")
    out = run_cli("check", tmp_playbook.root)[1]
    assert [line.split(": ", 2)[2] for line in out.splitlines()] == [
        f"the day-{day} review was due on {due} and none is recorded (hold it and record it "
        "in reviews.yml (day, date, decision))"
        for day, due in ((90, "2026-04-05"), (180, "2026-07-04"), (365, "2027-01-05"))]
    assert all(line.startswith("program/mini/reviews.yml:1:1: pending review-overdue: ")
               for line in out.splitlines())


@pytest.mark.parametrize(("held", "today", "pending"), [
    ("2027-04-30", "2027-05-22", False),  # the agreed day + 21: still in its grace
    ("2027-04-30", "2027-05-23", True),   # past it, and the last review was before the day
    ("2027-05-02", "2027-09-01", False),  # a review held on or after the agreed day
])
def test_next_review_is_a_review_date_of_its_own(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        held: str, today: str, pending: bool) -> None:
    tmp_playbook.edit("reviews.yml", "    date: 2027-01-07", f"    date: {held}")
    tmp_playbook.write("reviews.yml", tmp_playbook.read("reviews.yml")
                       + "next_review: 2027-05-01\n")
    monkeypatch.setenv("PLAYBOOK_TODAY", today)
    out = run_cli("check", tmp_playbook.root)[1]
    expected = ("program/mini/reviews.yml:15:14: pending review-overdue: next_review: the "
                "review agreed for 2027-05-01 is not recorded (hold it and record it in "
                "reviews.yml (day, date, decision))\n")
    assert out == (expected if pending else "")


def test_an_invalid_reviews_file_is_an_error_and_no_review_is_called_overdue(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_playbook.edit("reviews.yml", "decision: scale", "decision: maybe")
    monkeypatch.setenv("PLAYBOOK_TODAY", "2027-12-01")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 1
    assert "review-overdue" not in out
