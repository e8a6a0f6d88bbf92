"""Roadmap status from dates: phases and milestones against an injectable today.

Part of the figures step (model → figures → pages). The build date is passed
in, never read from the clock here, so a build is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from playbook.model.choices import ReviewDecision
from playbook.model.parts import REVIEW_DAYS, REVIEW_GRACE_DAYS, Reviews, Roadmap


class PhaseState(StrEnum):
    """Where a roadmap phase stands on the build date."""

    DONE = "done"
    """Its last day has passed."""
    CURRENT = "current"
    """The build date falls within it."""
    UPCOMING = "upcoming"
    """It has not started."""


class MilestoneState(StrEnum):
    """Where a milestone stands on the build date."""

    DONE = "done"
    """Delivered on or before its due date."""
    LATE = "late"
    """Delivered after its due date."""
    OVERDUE = "overdue"
    """Past its due date and not delivered."""
    DUE_SOON = "due-soon"
    """Due within ``DUE_SOON_DAYS``."""
    UPCOMING = "upcoming"
    """Due later."""


class ReviewState(StrEnum):
    """Where a day-90/180/365 checkpoint review stands on the build date."""

    HELD = "held"
    """A review for this checkpoint is recorded."""
    OVERDUE = "overdue"
    """Its day has passed and no review is recorded."""
    DUE = "due"
    """Due today (within the grace days)."""
    DUE_SOON = "due-soon"
    """Due within ``DUE_SOON_DAYS``."""
    UPCOMING = "upcoming"
    """Due later."""


@dataclass(frozen=True)
class PhaseStatus:
    """Where one phase stands on ``today``."""

    phase_id: str
    """Id of the phase in ``roadmap.yml``."""
    name: str
    """The phase's name."""
    first: date
    """Date of its first day (the start plus its first day number)."""
    last: date
    """Date of its last day (the start plus its last day number)."""
    state: PhaseState
    """``done``, ``current`` or ``upcoming``."""


@dataclass(frozen=True)
class MilestoneStatus:
    """Where one milestone stands on ``today``."""

    milestone_id: str
    """Id of the milestone in ``roadmap.yml``."""
    phase_id: str
    """Id of the phase it belongs to."""
    due: date
    """Its due date (the start plus its day)."""
    done: date | None
    """The day it was done; None while it is not."""
    owner: str
    """Stakeholder role that owns it."""
    deliverable: str
    """What is delivered."""
    state: MilestoneState
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
        state = (PhaseState.DONE if today > last else PhaseState.CURRENT if today >= first
                 else PhaseState.UPCOMING)
        out.append(PhaseStatus(p.id, p.name, first, last, state))
    return out


def milestones(roadmap: Roadmap, start: date, today: date) -> list[MilestoneStatus]:
    """Return each milestone with its due date and state, in due order."""
    out = []
    for m in roadmap.milestones:
        due = day_date(start, m.day)
        if m.done is not None:
            state = MilestoneState.LATE if m.done > due else MilestoneState.DONE
        elif today > due:
            state = MilestoneState.OVERDUE
        elif (due - today).days <= DUE_SOON_DAYS:
            state = MilestoneState.DUE_SOON
        else:
            state = MilestoneState.UPCOMING
        out.append(MilestoneStatus(m.id, m.phase, due, m.done, m.owner, m.deliverable, state))
    return sorted(out, key=lambda s: (s.due, s.milestone_id))


def next_open(statuses: list[MilestoneStatus]) -> MilestoneStatus | None:
    """The earliest milestone not yet done (overdue ones first)."""
    return next((s for s in statuses if s.done is None), None)


@dataclass(frozen=True)
class CheckpointReview:
    """Whether the review of one 90/180/365-day checkpoint was held."""

    day: int
    """Days from the program's start: 90, 180 or 365."""
    due: date
    """The review's date (the start plus ``day``)."""
    held: date | None
    """The day the review was held, from ``reviews.yml``; None while it is not."""
    decision: ReviewDecision | None
    """What the review decided; None while it is not held."""
    state: ReviewState
    """``held``; ``due`` (within the grace after its day), then ``overdue``; ``due-soon``
    or ``upcoming`` before it."""




def checkpoint_reviews(reviews: Reviews | None, start: date,
                       today: date) -> list[CheckpointReview]:
    """The day-90/180/365 reviews: held (with their decision), overdue or upcoming."""
    held = {r.day: r for r in (reviews.reviews if reviews else [])}
    out = []
    for day in REVIEW_DAYS:
        due = day_date(start, day)
        review = held.get(day)
        if review is not None:
            out.append(CheckpointReview(day, due, review.date, review.decision, ReviewState.HELD))
            continue
        if today > due + timedelta(days=REVIEW_GRACE_DAYS):
            state = ReviewState.OVERDUE
        elif today >= due:
            state = ReviewState.DUE
        elif (due - today).days <= DUE_SOON_DAYS:
            state = ReviewState.DUE_SOON
        else:
            state = ReviewState.UPCOMING
        out.append(CheckpointReview(day, due, None, None, state))
    return out
