"""One program's figures → what a leader scanning the portfolio must look at first.

Reads :class:`~playbook.figures.program.ProgramFigures` only, after
:func:`~playbook.figures.program.compute`: a flagged four-fifths check, a
measurement plan not signed or signed before its latest change, a checkpoint
review past its grace days, a KPI whose data stopped arriving. The portfolio
page lists the programs with any of these first, each with its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from playbook.figures.program import ProgramFigures
from playbook.figures.timeline import ReviewState
from playbook.model.roles import REQUIRED_ROLES


class ConcernKind(StrEnum):
    """Why a program needs attention, most serious first."""

    FOUR_FIFTHS = "four-fifths"
    """An AI tool's selections fail the four-fifths check: a reason for review by HR,
    legal and the DEI reviewer."""
    NOT_SIGNED = "not-signed"
    """A required role has not signed the measurement plan."""
    STALE_SIGNOFF = "stale-signoff"
    """A required role signed a version that has changed since."""
    OVERDUE_REVIEW = "overdue-review"
    """A day-90/180/365 review is past its grace days and not recorded."""
    STALE_DATA = "stale-data"
    """A KPI has had no new data for longer than its cadence allows."""


@dataclass(frozen=True)
class Concern:
    """One reason a program needs attention, with what it is about."""

    kind: ConcernKind
    subjects: tuple[str, ...] = ()
    """Role ids (sign-offs), checkpoint days (reviews), KPI ids (data) or the AI tool."""


def concerns(figures: ProgramFigures) -> list[Concern]:
    """Every reason the program needs attention as of its figures' day, in kind order.

    Args:
        figures: The program's computed figures.

    Returns:
        One concern per kind that applies; empty when nothing needs attention.
    """
    out: list[Concern] = []
    fair = figures.fairness
    if fair is not None and fair.flagged:
        out.append(Concern(ConcernKind.FOUR_FIFTHS, (fair.tool,) if fair.tool else ()))
    # only the co-signing roles: an optional signer's absence stops no measurement plan
    required = [s for s in figures.signoffs if s.role in REQUIRED_ROLES]
    missing = tuple(s.role for s in required if s.name is None)
    stale = tuple(s.role for s in required if s.name is not None and not s.current)
    if missing:
        out.append(Concern(ConcernKind.NOT_SIGNED, missing))
    if stale:
        out.append(Concern(ConcernKind.STALE_SIGNOFF, stale))
    overdue = tuple(str(r.day) for r in figures.reviews if r.state == ReviewState.OVERDUE)
    if overdue:
        out.append(Concern(ConcernKind.OVERDUE_REVIEW, overdue))
    old = tuple(kpi_id for kpi_id, k in figures.kpis.items() if k.stale)
    if old:
        out.append(Concern(ConcernKind.STALE_DATA, old))
    return out
