"""The choices of the program format: each a ``StrEnum``, each member documented.

A field holding one is written ``Choice[...]`` (:data:`playbook.model.base.Choice`):
the file gives the member's value as text, and code compares members
(``kpi.direction is Direction.INCREASE``), never strings.
"""

from __future__ import annotations

from enum import StrEnum


class ProgramStatus(StrEnum):
    """A program's lifecycle stage."""

    DRAFT = "draft"
    """Being designed: the site marks it as a draft."""
    PILOT = "pilot"
    """Running with its pilot cohort."""
    SCALING = "scaling"
    """Extending beyond the pilot."""
    SUSTAINING = "sustaining"
    """Running as a standing program."""
    RETIRED = "retired"
    """No longer running; its record stays."""


class RaciLetter(StrEnum):
    """A role's part in one activity of the RACI matrix."""

    RESPONSIBLE = "R"
    """Responsible: does the work."""
    ACCOUNTABLE = "A"
    """Accountable: answers for it and approves it (exactly one role per activity)."""
    CONSULTED = "C"
    """Consulted: asked before, in both directions."""
    INFORMED = "I"
    """Informed: told after."""


class ReviewDecision(StrEnum):
    """What a checkpoint review decided."""

    CONTINUE = "continue"
    """Carry on as planned."""
    ADJUST = "adjust"
    """Carry on with changes to the design, the cohort or the measures."""
    STOP = "stop"
    """End the program."""
    SCALE = "scale"
    """Extend the program beyond the pilot."""


class KpiKind(StrEnum):
    """What a KPI measures, which places it on the chain of impact."""

    BUSINESS = "business"
    """A business result the program exists to move (level 4)."""
    BEHAVIOR = "behavior"
    """A behavioural indicator: people doing the job differently (level 3)."""
    ENGAGEMENT = "engagement"
    """Use of the program's platform or sessions (level 1; support beside a reaction KPI,
    judged only when level 1 has no other)."""
    LEADING = "leading"
    """A leading indicator that moves before the business result (on the chain only at
    the ``level`` it names)."""
    REACTION = "reaction"
    """Learners' reaction: a rating or a Learning NPS (level 1)."""
    LEARNING = "learning"
    """Learning: a pre/post knowledge score (level 2)."""


class Direction(StrEnum):
    """Which way a KPI's value is better."""

    DECREASE = "decrease"
    """Lower is better (days to a decision, turnover)."""
    INCREASE = "increase"
    """Higher is better (a score, a share of teams)."""


class Cadence(StrEnum):
    """How often a KPI is measured."""

    WEEKLY = "weekly"
    """Once a week: a period runs Monday to Sunday."""
    MONTHLY = "monthly"
    """Once a calendar month."""
    QUARTERLY = "quarterly"
    """Once a calendar quarter."""


class Measure(StrEnum):
    """How a period's rows become a KPI's value."""

    MEAN = "mean"
    """The rows' mean (of each person's mean for person-level data)."""
    NPS = "nps"
    """The Net Promoter Score of one 0–10 answer per person, in points."""


class AttributionMethod(StrEnum):
    """How the program's effect is separated from everything else."""

    COMPARISON_GROUP = "comparison-group"
    """A comparison group measured like the pilot."""
    TREND_LINE = "trend-line"
    """The pilot's own trend before the program, projected."""
    ESTIMATES = "estimates"
    """Participants' and managers' estimates, discounted by their confidence."""


class Clause(StrEnum):
    """A vendor's answer to a must-have gate."""

    YES = "yes"
    """The contract holds the clause: the gate passes."""
    PARTIAL = "partial"
    """Part of it, or with conditions: the gate fails."""
    NO = "no"
    """Not at all: the gate fails."""
