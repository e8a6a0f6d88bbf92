"""Overdue reviews: a checkpoint or an agreed review date passed with no review held.

Runs with the acknowledgements, on a program without errors, on the build date
(whether a review is overdue depends on the day, not on the files, so no cache
may keep the answer). A review that is due is something people still have to do: a pending item,
shown on the program's page, in the review comment and by ``playbook check``,
never an error.
"""

from __future__ import annotations

from datetime import date, timedelta

from playbook.load.bundle import Bundle
from playbook.load.reporter import Reporter
from playbook.model.findings import PendingCode
from playbook.model.parts import REVIEW_DAYS, REVIEW_GRACE_DAYS
from playbook.model.problems import Problem

_GRACE = timedelta(days=REVIEW_GRACE_DAYS)
_HOW = "hold it and record it in reviews.yml (day, date, decision)"


def problems(bundle: Bundle, today: date) -> list[Problem]:
    """One pending item per review more than :data:`REVIEW_GRACE_DAYS` past due on ``today``.

    Args:
        bundle: The program (its start date and ``reviews.yml``).
        today: The build date.

    Returns:
        A pending ``review-overdue`` per day-90/180/365 checkpoint with no review of
        its day, and one when ``next_review`` passed with no review held on or after it.
    """
    program = bundle.program
    if program is None:
        return []
    held = bundle.reviews.reviews if bundle.reviews is not None else []
    report = Reporter(bundle)
    where = ("reviews",) if "reviews" in bundle.sources else ()
    for day in REVIEW_DAYS:
        due = program.start + timedelta(days=day)
        if today > due + _GRACE and all(r.day != day for r in held):
            report.add("reviews", where,
                       f"the day-{day} review was due on {due.isoformat()} and none is "
                       "recorded", _HOW, code=PendingCode.REVIEW_OVERDUE)
    agreed = bundle.reviews.next_review if bundle.reviews is not None else None
    if agreed is not None and today > agreed + _GRACE and all(r.date < agreed for r in held):
        report.add("reviews", ("next_review",),
                   f"the review agreed for {agreed.isoformat()} is not recorded", _HOW,
                   code=PendingCode.REVIEW_OVERDUE)
    return report.problems
