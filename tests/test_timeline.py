"""Roadmap and review status from dates against an injected build date."""

from __future__ import annotations

from datetime import date

from playbook.figures import timeline
from playbook.model import Reviews, Roadmap

START = date(2026, 1, 1)
ROADMAP = Roadmap.model_validate({
    "phases": [{"id": "pilot", "name": "Pilot", "days": [0, 90]},
               {"id": "scale", "name": "Scale", "days": [91, 180]}],
    "milestones": [
        {"id": "a", "phase": "pilot", "day": 10, "owner": "ld_owner", "deliverable": "A",
         "done": "2026-01-11"},
        {"id": "b", "phase": "pilot", "day": 20, "owner": "ld_owner", "deliverable": "B",
         "done": "2026-01-25"},
        {"id": "c", "phase": "pilot", "day": 30, "owner": "ld_owner", "deliverable": "C"},
        {"id": "d", "phase": "scale", "day": 100, "owner": "sponsor", "deliverable": "D"},
        {"id": "e", "phase": "scale", "day": 150, "owner": "sponsor", "deliverable": "E"},
    ],
})


def test_milestone_states_follow_the_build_date() -> None:
    today = date(2026, 4, 5)  # day 94: c is overdue, d (day 100 = 2026-04-11) due soon
    states = {m.milestone_id: (m.due, m.state)
              for m in timeline.milestones(ROADMAP, START, today)}
    assert states == {
        "a": (date(2026, 1, 11), "done"),
        "b": (date(2026, 1, 21), "late"),
        "c": (date(2026, 1, 31), "overdue"),
        "d": (date(2026, 4, 11), "due-soon"),
        "e": (date(2026, 5, 31), "upcoming"),
    }
    assert timeline.next_open(timeline.milestones(ROADMAP, START, today)).milestone_id == "c"


def test_phase_states() -> None:
    phases = timeline.phases(ROADMAP, START, date(2026, 4, 5))
    assert [(p.phase_id, p.first, p.last, p.state) for p in phases] == [
        ("pilot", date(2026, 1, 1), date(2026, 4, 1), "done"),
        ("scale", date(2026, 4, 2), date(2026, 6, 30), "current"),
    ]


def test_checkpoint_reviews_held_overdue_and_upcoming() -> None:
    reviews = Reviews.model_validate({"reviews": [
        {"day": 90, "date": "2026-04-03", "decision": "adjust"}]})
    # day 180 is 2026-06-30; 21 days of grace end 2026-07-21
    on_time = timeline.checkpoint_reviews(reviews, START, date(2026, 7, 21))
    late = timeline.checkpoint_reviews(reviews, START, date(2026, 7, 22))
    assert [(r.day, r.due, r.held, r.decision, r.state) for r in on_time] == [
        (90, date(2026, 4, 1), date(2026, 4, 3), "adjust", "held"),
        (180, date(2026, 6, 30), None, None, "due"),
        (365, date(2027, 1, 1), None, None, "upcoming"),
    ]
    assert [r.state for r in late] == ["held", "overdue", "upcoming"]
    assert [r.state for r in timeline.checkpoint_reviews(None, START, date(2026, 3, 20))] == [
        "due-soon", "upcoming", "upcoming"]
