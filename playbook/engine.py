"""Everything the pages need, computed once per build: programs, figures, status.

Sits between loading and rendering (files → model → figures → **site data** →
pages). The build date is injected (``PLAYBOOK_TODAY`` or an argument) so the
same commit builds the same site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from playbook.figures import timeline
from playbook.model.problems import Problems
from playbook.figures.program import ProgramFigures, compute
from playbook.load.loader import Bundle, load_playbook
from playbook.review.signoff import SignoffState, states

TODAY_ENV = "PLAYBOOK_TODAY"


class TodayError(ValueError):
    """``PLAYBOOK_TODAY`` is set but is not an ISO date."""


def today_from_env(default: date | None = None) -> date:
    """The build date: ``PLAYBOOK_TODAY`` when set, else ``default`` or the clock."""
    raw = os.environ.get(TODAY_ENV, "").strip()
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise TodayError(f"{TODAY_ENV}='{raw}' is not a date YYYY-MM-DD") from exc
    return default or date.today()


@dataclass(frozen=True)
class ProgramView:
    """One program ready to render."""

    bundle: Bundle
    figures: ProgramFigures
    phases: list[timeline.PhaseStatus]
    milestones: list[timeline.MilestoneStatus]
    signoffs: list[SignoffState]
    """Latest sign-off per role, current or stale."""
    reviews: list[timeline.CheckpointReview]
    """The day-90/180/365 reviews: held, overdue or upcoming."""

    @property
    def id(self) -> str:
        """The program id."""
        return self.bundle.id


@dataclass(frozen=True)
class SiteData:
    """All programs of a playbook with their figures, on one build date."""

    root: Path
    today: date
    programs: list[ProgramView] = field(default_factory=list)

    def get(self, program_id: str) -> ProgramView:
        """Return one program; ``KeyError`` names the known ids."""
        for view in self.programs:
            if view.id == program_id:
                return view
        known = ", ".join(v.id for v in self.programs)
        raise KeyError(f"unknown program '{program_id}'; known programs: {known}")


def build(root: Path, today: date) -> tuple[SiteData | None, Problems]:
    """Load, check and compute every program.

    Returns:
        The site data (``None`` when any error stands) and every problem.
    """
    playbook, problems = load_playbook(root)
    if problems.errors:
        return None, problems
    views = []
    for bundle in playbook.programs:
        assert bundle.program is not None  # no errors: program.yml loaded
        start = bundle.program.start
        roadmap = bundle.roadmap
        views.append(ProgramView(
            bundle,
            compute(bundle, today),
            timeline.phases(roadmap, start, today) if roadmap else [],
            timeline.milestones(roadmap, start, today) if roadmap else [],
            states(bundle),
            timeline.checkpoint_reviews(bundle.reviews, start, today),
        ))
    return SiteData(root, today, views), problems
