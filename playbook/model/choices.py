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


class NpvTiming(StrEnum):
    """When in a program year the NPV takes that year's net cash flow to fall."""

    END = "end"
    """At the end of the year, ``÷ (1 + r)^y``: the usual convention of a business case
    (a spreadsheet's ``NPV`` function does the same)."""
    MID = "mid"
    """In the middle of the year, ``÷ (1 + r)^(y − ½)``: closer to costs and benefits
    that accrue evenly through the year, as the payback month assumes."""


class DeliveryMethod(StrEnum):
    """A way the program delivers its content (Lacerenza et al. 2017's delivery methods)."""

    INFORMATION = "information"
    """Information: lectures, readings, presentations."""
    DEMONSTRATION = "demonstration"
    """Demonstration: examples of the behaviour, shown live or on video."""
    PRACTICE = "practice"
    """Practice: role plays, simulations, leaders applying the skill and getting it wrong."""


class Spacing(StrEnum):
    """Whether the training is one sitting or sessions spread over time."""

    SINGLE = "single"
    """One session, or consecutive days in one block (massed)."""
    SPACED = "spaced"
    """Several sessions with days or weeks of work in between."""


class Location(StrEnum):
    """Where the sessions take place."""

    ON_SITE = "on-site"
    """At the leaders' own workplace."""
    OFF_SITE = "off-site"
    """Away from it: a conference centre, a retreat, a business school."""


class Delivery(StrEnum):
    """How the sessions are mainly delivered."""

    FACE_TO_FACE = "face-to-face"
    """In a room, with a trainer or facilitator."""
    VIRTUAL = "virtual"
    """Online and live, with a trainer or facilitator."""
    SELF_ADMINISTERED = "self-administered"
    """Self-paced, with no trainer: e-learning, workbooks."""


class Attendance(StrEnum):
    """Whether leaders choose to take part."""

    VOLUNTARY = "voluntary"
    """Leaders opt in."""
    MANDATORY = "mandatory"
    """Leaders are required to attend."""
