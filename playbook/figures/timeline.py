"""Roadmap status from dates: phases and milestones against an injectable today.

Part of the figures step (model → figures → pages). The build date is passed
in, never read from the clock here, so a build is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from playbook.model.parts import Reviews, Roadmap


@dataclass(frozen=True)
class PhaseStatus:
    """Where one phase stands on ``today``."""

    phase_id: str
    name: str
    first: date
    last: date
    state: str
    """``done``, ``current`` or ``upcoming``."""


@dataclass(frozen=True)
class MilestoneStatus:
    """Where one milestone stands on ``today``."""

    milestone_id: str
    phase_id: str
    due: date
    done: date | None
    owner: str
    deliverable: str
    state: str
    """``done``, ``late`` (done after its due day), ``overdue``, ``due-soon`` or ``upcoming``."""


DUE_SOON_DAYS = 14
"""A milestone within this many days of its due day is ``due-soon``."""


def day_date(start: date, day: int) -> date:
    """The calendar date of program day ``day`` (day 0 is ``start``)."""
    return start + timedelta(days=day)


def phases(roadmap: Roadmap, start: date, today: date) -> list[PhaseStatus]:
    """Return each phase with its dates and state."""
    out = []
    for p in roadmap.phases:
        first, last = day_date(start, p.days[0]), day_date(start, p.days[1])
        state = "done" if today > last else "current" if today >= first else "upcoming"
        out.append(PhaseStatus(p.id, p.name, first, last, state))
    return out


def milestones(roadmap: Roadmap, start: date, today: date) -> list[MilestoneStatus]:
    """Return each milestone with its due date and state, in due order."""
    out = []
    for m in roadmap.milestones:
        due = day_date(start, m.day)
        if m.done is not None:
            state = "late" if m.done > due else "done"
        elif today > due:
            state = "overdue"
        elif (due - today).days <= DUE_SOON_DAYS:
            state = "due-soon"
        else:
            state = "upcoming"
        out.append(MilestoneStatus(m.id, m.phase, due, m.done, m.owner, m.deliverable, state))
    return sorted(out, key=lambda s: (s.due, s.milestone_id))


def next_open(statuses: list[MilestoneStatus]) -> MilestoneStatus | None:
    """The earliest milestone not yet done (overdue ones first)."""
    return next((s for s in statuses if s.done is None), None)


@dataclass(frozen=True)
class CheckpointReview:
    """Whether the review of one 90/180/365-day checkpoint was held."""

    day: int
    due: date
    held: date | None
    decision: str | None
    state: str
    """``held``; ``due`` (within the grace after its day), then ``overdue``; ``due-soon``
    or ``upcoming`` before it."""


REVIEW_DAYS = (90, 180, 365)
"""Checkpoints at which a review decides to continue, adjust, scale or stop."""
REVIEW_GRACE_DAYS = 21
"""Days after a checkpoint before a missing review counts as overdue."""


def checkpoint_reviews(reviews: Reviews | None, start: date,
                       today: date) -> list[CheckpointReview]:
    """The day-90/180/365 reviews: held (with their decision), overdue or upcoming."""
    held = {r.day: r for r in (reviews.reviews if reviews else [])}
    out = []
    for day in REVIEW_DAYS:
        due = day_date(start, day)
        review = held.get(day)
        if review is not None:
            out.append(CheckpointReview(day, due, review.date, review.decision, "held"))
            continue
        if today > due + timedelta(days=REVIEW_GRACE_DAYS):
            state = "overdue"
        elif today >= due:
            state = "due"
        elif (due - today).days <= DUE_SOON_DAYS:
            state = "due-soon"
        else:
            state = "upcoming"
        out.append(CheckpointReview(day, due, None, None, state))
    return out
