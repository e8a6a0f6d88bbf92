"""Model of ``program.yml``: strategy, stakeholders, pilot, RACI, acknowledgements, sign-off."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from playbook.model.base import Choice, Id, IsoDate, Role, StrictModel, Text
from playbook.model.choices import ProgramStatus, RaciLetter
from playbook.model.design import Design
from playbook.model.findings import FindingCode
from playbook.model.forecast import Forecast

Semver = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
Handle = Annotated[str, StringConstraints(pattern=r"^@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9-]+)?$")]
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]


class Decision(StrictModel):
    """A leader decision that moves the strategic priority."""

    id: Id
    """Identifier, referenced by behaviours in ``competencies.yml``."""
    text: Text
    """The decision, in the words leaders use."""


class Hypothesis(StrictModel):
    """A testable claim: this behaviour moves that KPI, and why."""

    id: Id
    """Identifier of the hypothesis."""
    text: Text
    """The claim, naming the behaviour, the KPI and the mechanism."""
    behaviors: list[Id] = Field(default_factory=list)
    """Ids of behaviours in ``competencies.yml`` the hypothesis is about."""
    kpis: list[Id] = Field(default_factory=list)
    """Ids of KPIs in ``kpis.yml`` the hypothesis predicts will move."""


class Strategy(StrictModel):
    """The chain from priority to decisions that the program exists to move."""

    priority: Text
    """The one strategic priority, the highest-leverage one."""
    outcome: Text
    """Specific, time-bound, auditable outcome statement (a number and a time bound)."""
    decisions: list[Decision] = Field(default_factory=list)
    """The leader decisions that move the priority."""
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    """Testable hypotheses linking behaviours to KPIs."""


class Person(StrictModel):
    """A named person holding a stakeholder role."""

    name: Text
    """Full name as shown on the site."""
    title: Text
    """Job title."""
    handle: Handle | None = None
    """Code-host handle such as ``@dreyes``, used for review requests and CODEOWNERS."""


class Stakeholders(StrictModel):
    """Who holds each role; sponsor, business owner and L&D owner are required."""

    sponsor: Person
    """Senior executive who signs funding and removes blockers."""
    business_owner: Person
    """Owns the business KPI and is accountable for it. Exactly one."""
    ld_owner: Person
    """Designs the learning architecture and the measurement plan."""
    it_ai_lead: Person | None = None
    """Data, platforms and integrations for measurement."""
    hr_business_partner: Person | None = None
    """Puts role expectations into performance processes."""
    legal_compliance: Person | None = None
    """Governance and ethics of AI-related content."""
    dei_reviewer: Person | None = None
    """Joins HR and legal wherever AI tools affect people."""


class Pilot(StrictModel):
    """The minimum viable intervention: a measured pilot cohort."""

    cohort_size: int = Field(ge=1)
    """Number of leaders in the pilot; 20–50 is the guidance."""
    functions: list[Text] = Field(default_factory=list)
    """Functions the cohort is sampled from; at least two."""
    duration_days: int = Field(default=90, ge=1)
    """Length of the pilot in days."""
    comparison_group: bool = False
    """Whether a matched group that does not get the program is measured."""
    intervention: list[Text] = Field(default_factory=list)
    """What the pilot consists of: workshops, coaching, action projects."""


class RaciRow(StrictModel):
    """Who is Responsible, Accountable, Consulted and Informed for one activity."""

    activity: Text
    """The activity, such as approving budget or collecting KPI data."""
    sponsor: Choice[RaciLetter] | None = None
    """The sponsor's letter for this activity."""
    business_owner: Choice[RaciLetter] | None = None
    """The business owner's letter for this activity."""
    ld_owner: Choice[RaciLetter] | None = None
    """The L&D owner's letter for this activity."""
    it_ai_lead: Choice[RaciLetter] | None = None
    """The IT/AI lead's letter for this activity."""
    hr_business_partner: Choice[RaciLetter] | None = None
    """The HR business partner's letter for this activity."""
    legal_compliance: Choice[RaciLetter] | None = None
    """Legal/compliance's letter for this activity."""
    dei_reviewer: Choice[RaciLetter] | None = None
    """The DEI reviewer's letter for this activity."""

    def letters(self) -> dict[str, RaciLetter]:
        """Return ``{role: letter}`` for the roles that have one."""
        data = self.model_dump(exclude={"activity"}, exclude_none=True)
        return {str(k): RaciLetter(v) for k, v in data.items()}


SshSignature = Annotated[str, StringConstraints(
    pattern=r"^-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]+-----END SSH SIGNATURE-----\n?$",
    max_length=16384)]
"""An armored SSH signature, as ``ssh-keygen -Y sign`` prints it."""


class SignOff(StrictModel):
    """A stakeholder's sign-off of the measurement plan at one version."""

    role: Role
    """The role signing."""
    name: Text
    """Name of the person signing."""
    date: IsoDate
    """Day of the sign-off."""
    version: Semver
    """Program version signed."""
    digest: Digest
    """``sha256:`` digest of the canonical signed content; stale when it changes."""
    signature: SshSignature | None = None
    """``ssh-keygen -Y sign`` of ``digest`` (namespace ``playbook-signoff``) by the
    signer's key, as ``playbook sign --key`` writes it; verified against the
    ``allowed_signers`` file for the role's ``handle``. Not part of the digest."""


ProblemFile = Annotated[str, StringConstraints(
    pattern=r"^(program|data)/[a-z0-9]+(-[a-z0-9]+)*/[^\x00-\x1f\x7f]+$")]
"""A file as ``playbook check`` names it: ``program/<id>/kpis.yml``, ``data/<id>/x.csv``."""


class Acknowledgement(StrictModel):
    """A finding the program accepts for a while, shown as a known limitation.

    It names the finding as ``playbook check`` prints it: the code after
    ``finding``, the file and the field. Until its last day the finding is
    shown as acknowledged and counts for neither ``check --strict`` nor a
    policy that wants findings acknowledged; after it, the finding is back.
    One that matches no finding is a finding itself. It is part of
    ``program.yml``, so adding or changing one makes the sign-offs stale.
    """

    code: Choice[FindingCode]
    """The finding's code, as ``playbook check`` prints it (``attrition-high``)."""
    file: ProblemFile
    """The file the finding is in, as ``playbook check`` names it
    (``program/<id>/kpis.yml``)."""
    field: str = ""
    """The field the finding is at, as ``playbook check`` names it
    (``kpis[2].source``); empty for a finding about a whole file."""
    reason: Text
    """Why the finding is accepted: what was done, and why nothing more can be."""
    accepted_by: Role
    """The role that accepts the finding."""
    until: IsoDate
    """The last day the acknowledgement holds (ISO, YYYY-MM-DD); then it expires."""


class Program(StrictModel):
    """``program.yml``: the program's identity, strategy and people."""

    id: Id
    """Program id; equals the folder name."""
    title: Text
    """Program title as shown on the site."""
    version: Semver
    """Semantic version of the definition; bump on a material change."""
    status: Choice[ProgramStatus]
    """Lifecycle stage."""
    start: IsoDate
    """Day 0 of the roadmap and of the 90/180/365-day reviews."""
    summary: Text
    """Two or three sentences: who changes what, so that what improves."""
    strategy: Strategy
    """Priority, outcome, decisions and hypotheses."""
    stakeholders: Stakeholders
    """Role → person."""
    pilot: Pilot
    """The pilot cohort and intervention."""
    design: Design | None = None
    """How the program is designed and delivered, compared on the strategy page with what
    research found to work (Lacerenza et al. 2017) and the practitioners' guidance; leave
    it out and nothing is compared."""
    raci: list[RaciRow] = Field(default_factory=list)
    """Who approves resources, collects data, analyses results and reports."""
    acknowledgements: list[Acknowledgement] = Field(default_factory=list)
    """Findings the program accepts for a while, each with a reason, a role and an
    expiry date (part of the signed definition)."""
    forecast: Forecast | None = None
    """Expected change per KPI at the day-90/180/365 reviews and the expected first-year
    ROI, stated at design time (part of the signed definition)."""
    signoff: list[SignOff] = Field(default_factory=list)
    """Sign-offs of the measurement plan, written by ``playbook sign``."""
