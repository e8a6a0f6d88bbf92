"""Every program of a playbook with its figures, as the pages and macros read them.

The last figures step (files → model → figures → **site figures** → pages):
:class:`SiteData` is the one object a build renders; every number and state a
page shows is in it, computed by :func:`playbook.figures.program.compute`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from playbook.figures.program import ProgramFigures
from playbook.figures.provenance import Provenance
from playbook.figures.timeline import CheckpointReview, MilestoneStatus, PhaseStatus
from playbook.load.bundle import Bundle
from playbook.load.signoffs import SignoffState
from playbook.model.problems import Problem, UnknownProgramError


@dataclass(frozen=True)
class ProgramView:
    """One program ready to render: its definition and its figures."""

    bundle: Bundle
    figures: ProgramFigures
    problems: tuple[Problem, ...] = ()
    """Its findings, pending items and acknowledged findings, as ``playbook check``
    names them (shown on its overview; a build has no error to show)."""

    @property
    def id(self) -> str:
        """The program id."""
        return self.bundle.id

    @property
    def phases(self) -> list[PhaseStatus]:
        """Roadmap phases with their state (from the figures)."""
        return self.figures.phases

    @property
    def milestones(self) -> list[MilestoneStatus]:
        """Milestones with their state (from the figures)."""
        return self.figures.milestones

    @property
    def signoffs(self) -> list[SignoffState]:
        """Latest sign-off per role, current or stale (from the figures)."""
        return self.figures.signoffs

    @property
    def reviews(self) -> list[CheckpointReview]:
        """The day-90/180/365 reviews (from the figures)."""
        return self.figures.reviews


@dataclass(frozen=True)
class SiteData:
    """All programs of a playbook with their figures, on one build date."""

    root: Path
    today: date
    programs: list[ProgramView] = field(default_factory=list)
    provenance: Provenance = field(default_factory=Provenance)
    """Commit, build date, site version and program histories (empty without git)."""
    broken: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    """Program id → the errors that keep it out of ``programs`` (``mkdocs serve`` and
    ``playbook pages`` show them in its place; ``mkdocs build`` stops on them)."""

    @property
    def upcoming(self) -> list[tuple[ProgramView, MilestoneStatus]]:
        """Open milestones across every program, soonest first (ties by program, id)."""
        rows = [(view, m) for view in self.programs for m in view.milestones if m.done is None]
        return sorted(rows, key=lambda r: (r[1].due, r[0].id, r[1].milestone_id))

    def get(self, program_id: str) -> ProgramView:
        """Return one program.

        Raises:
            UnknownProgramError: No program has that id (the message names the known ids).
        """
        for view in self.programs:
            if view.id == program_id:
                return view
        raise UnknownProgramError(program_id, (v.id for v in self.programs))
