"""Models of ``competencies.yml``, ``roadmap.yml`` and ``reviews.yml``."""

from __future__ import annotations

from pydantic import Field, model_validator

from playbook.model.base import Choice, DayRange, Id, IsoDate, Role, StrictModel, Text
from playbook.model.choices import ReviewDecision


class Behavior(StrictModel):
    """An observable behaviour that changes a leader decision."""

    id: Id
    """Identifier, referenced by hypotheses."""
    text: Text
    """The behaviour, observable and specific."""
    decision: Id
    """Id of the decision in ``strategy.decisions`` this behaviour changes."""
    kpis: list[Id] = Field(default_factory=list)
    """Ids of the KPIs this behaviour is expected to move."""
    metric: Id | None = None
    """Id of the behaviour KPI in ``kpis.yml`` that observes this behaviour."""
    evidence: Text | None = None
    """How the behaviour is evidenced (data source)."""
    criteria: dict[Id, Text] = Field(default_factory=dict)
    """One observable success criterion per role level (level id → criterion)."""


class Competencies(StrictModel):
    """``competencies.yml``: the competency matrix, behaviours × role levels."""

    levels: list[Id] = Field(min_length=1)
    """Role levels, from first-line to most senior."""
    behaviors: list[Behavior] = Field(default_factory=list)
    """The three or so behaviours the program changes."""


class Gate(StrictModel):
    """A go/no-go criterion at the end of a phase."""

    kpi: Id
    """Id of the KPI the gate reads."""
    at_least: float | None = None
    """Pass when the KPI's latest value is at least this."""
    at_most: float | None = None
    """Pass when the KPI's latest value is at most this."""

    @model_validator(mode="after")
    def _one_bound(self) -> Gate:
        if self.at_least is None and self.at_most is None:
            raise ValueError("a gate needs `at_least` or `at_most`")
        return self


class Phase(StrictModel):
    """One phase of the 90/180/365-day roadmap."""

    id: Id
    """Identifier, referenced by milestones."""
    name: Text
    """Name shown on the site."""
    days: DayRange
    """First and last day of the phase, counted from ``start`` (0–365)."""
    gate: list[Gate] = Field(default_factory=list)
    """Go/no-go criteria at the end of the phase."""
    goal: Text | None = None
    """What the phase must achieve, in a sentence."""


class Milestone(StrictModel):
    """A dated deliverable with an owner."""

    id: Id
    """Identifier of the milestone."""
    phase: Id
    """Id of the phase it belongs to."""
    day: int = Field(ge=0)
    """Day it is due, counted from the program's ``start``."""
    owner: Role
    """Stakeholder role that owns it."""
    deliverable: Text
    """What is delivered."""
    done: IsoDate | None = None
    """The day it was done, once it is."""


class Roadmap(StrictModel):
    """``roadmap.yml``: 90 days pilot, 180 days scale, 365 days sustain."""

    phases: list[Phase] = Field(min_length=1)
    """Phases in order."""
    milestones: list[Milestone] = Field(default_factory=list)
    """Milestones across the phases."""


class Review(StrictModel):
    """Record of a 90/180/365-day review."""

    day: int = Field(ge=0)
    """Checkpoint day (90, 180 or 365)."""
    date: IsoDate
    """Day the review was held."""
    decision: Choice[ReviewDecision]
    """What the review decided."""
    notes: Text | None = None
    """What the evidence showed and why the decision was taken."""
    actions: list[Text] = Field(default_factory=list)
    """Follow-up actions agreed at the review."""


class Reviews(StrictModel):
    """``reviews.yml``: the records of the checkpoint reviews."""

    reviews: list[Review] = Field(default_factory=list)
    """Reviews in date order."""
