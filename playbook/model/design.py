"""Model of ``program.yml``'s ``design:`` block: the facts a design is compared on.

Each fact is one a meta-analysis of leadership training found to go with larger
effects, or one the practitioners' guidance asks of a pilot. Every fact is
optional: a fact left out is shown as not stated and never checked. What each
fact is compared with, and the finding a departure gives, are in
:mod:`playbook.figures.design`.
"""

from __future__ import annotations

from pydantic import Field

from playbook.model.base import Choice, StrictModel
from playbook.model.choices import Attendance, Delivery, DeliveryMethod, Location, Spacing

COHORT_MIN, COHORT_MAX = 20, 50
"""A pilot cohort's size the guidance recommends: smaller is ambiguous, larger costly."""
PILOT_MIN_DAYS = 90
"""Shortest pilot the guidance calls a minimum viable intervention (pre/post measures)."""


class Design(StrictModel):
    """How the program is designed and delivered, as research compares designs.

    Sources: Lacerenza et al. (2017), *Leadership training design, delivery, and
    implementation: A meta-analysis*, J. Appl. Psych. 102(12), 1686–1718 (doi
    10.1037/apl0000241), for the training facts; the practitioners' guidance for
    coaching and the action project. Part of the signed definition.
    """

    needs_analysis: bool | None = None
    """Whether the content was chosen from a needs analysis of the leaders, their jobs and
    the organisation. Source: Lacerenza et al. 2017, abstract (p. 1686): moderator
    analyses support the use of needs analysis."""
    feedback: bool | None = None
    """Whether leaders get feedback on their performance during the program (from the
    trainer, peers, a 360). Source: Lacerenza et al. 2017, abstract (p. 1686): moderator
    analyses support the use of feedback."""
    methods: list[Choice[DeliveryMethod]] = Field(default_factory=list, max_length=3)
    """The delivery methods used: ``information``, ``demonstration``, ``practice`` (empty:
    not stated). Source: Lacerenza et al. 2017, abstract (p. 1686): moderator analyses
    support multiple delivery methods, especially practice."""
    spacing: Choice[Spacing] | None = None
    """``single`` (one sitting, massed) or ``spaced`` (sessions spread over time). Source:
    Lacerenza et al. 2017, abstract (p. 1686): moderator analyses support spaced training
    sessions."""
    location: Choice[Location] | None = None
    """``on-site`` (at the leaders' workplace) or ``off-site``. Source: Lacerenza et al.
    2017, abstract (p. 1686): moderator analyses support a location that is on-site."""
    delivery: Choice[Delivery] | None = None
    """How the sessions are mainly delivered: ``face-to-face``, ``virtual`` (live online)
    or ``self-administered`` (no trainer). Source: Lacerenza et al. 2017, abstract
    (p. 1686): moderator analyses support face-to-face delivery that is not
    self-administered."""
    attendance: Choice[Attendance] | None = None
    """``voluntary`` or ``mandatory``. Source: Lacerenza et al. 2017, abstract (p. 1686):
    attendance policy influences effectiveness; for the results criterion (Table 5)
    mandatory programs had the larger mean effect, and the other criteria's direction
    was not read, so it is shown and not checked."""
    duration_hours: float | None = Field(default=None, gt=0, le=10000)
    """Total hours of sessions per leader, workshops and coaching (not the action project
    worked on the job). Source: Lacerenza et al. 2017, abstract (p. 1686): duration
    influences effectiveness; the abstract gives no direction or threshold and the
    article's duration analyses were not read, so it is shown and not checked."""
    coaching: bool | None = None
    """Whether each leader gets coaching during the pilot. Source: the practitioners'
    guidance: a pilot with coaching and an on-the-job action project is the minimum
    viable intervention."""
    action_project: bool | None = None
    """Whether each leader carries out an action project on the job, applying the
    behaviours to a real decision. Source: the practitioners' guidance, as for
    ``coaching``."""
