"""A program's design against the evidence: each design fact, what research or the
practitioners' guidance says of it, and whether the design follows it.

Flow: ``program.yml`` (``design:`` and ``pilot:``) and ``kpis.yml`` → :func:`assess` →
:class:`DesignEvidence` → the strategy page's *Design evidence* section, ``playbook
report`` and :func:`problems`, the findings ``playbook check`` shows where a stated
fact departs. One assessment feeds all three, so the page and the check never differ.

A fact left out is *not stated*: shown on the page, never a finding, and a program
with no ``design:`` block gets no design finding at all, so a playbook written before
the block existed gains no findings by upgrading (its page still shows how its pilot
compares). A fact
whose source gives no one direction (attendance, duration) is shown and not checked. The
pilot's size and length are compared here for the page; their findings are the domain
checks' (``cohort-size``, ``pilot-short``), not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from playbook.load.bundle import Bundle
from playbook.load.reporter import Reporter
from playbook.load.yaml_source import Path_
from playbook.model.choices import Delivery, DeliveryMethod, KpiKind, Location, Spacing
from playbook.model.design import COHORT_MAX, COHORT_MIN, PILOT_MIN_DAYS, Design
from playbook.model.findings import FindingCode
from playbook.model.problems import Problem
from playbook.model.program import Program

LACERENZA: Final = "Lacerenza et al. 2017 (abstract, p. 1686)"
"""Short citation of the meta-analysis, where its moderator findings are stated."""
LACERENZA_RESULTS: Final = "Lacerenza et al. 2017 (abstract, p. 1686; Table 5)"
"""The same, with the moderator table of the results criterion (the only one read)."""
LACERENZA_REFERENCE: Final = (
    "Lacerenza, C. N., Reyes, D. L., Marlow, S. L., Joseph, D. L., & Salas, E. (2017). "
    "Leadership training design, delivery, and implementation: A meta-analysis. Journal "
    "of Applied Psychology, 102(12), 1686–1718. https://doi.org/10.1037/apl0000241")
"""The full reference, as the strategy page and the methodology list it."""
GUIDANCE: Final = "Practitioners' guidance (pilot and timing)"
"""Short citation of the practitioners' guidance the domain checks rest on."""
MIN_METHODS: Final = 2
"""Fewest delivery methods that count as the "multiple delivery methods" supported."""


class DesignVerdict(StrEnum):
    """Whether a design fact follows what its source says."""

    FOLLOWS = "follows"
    """The design does what the source supports."""
    DEPARTS = "departs"
    """The design does otherwise: a finding, with the source, unless a domain check has one."""
    NOT_STATED = "not-stated"
    """The program does not state the fact: nothing is compared."""
    NOT_CHECKED = "not-checked"
    """The source says the fact matters but not which way: shown, not compared."""


@dataclass(frozen=True)
class Evidence:
    """What one source says of one design fact."""

    source: str
    """Short citation with the place in it (``Lacerenza et al. 2017 (abstract, p. 1686)``)."""
    says: str
    """What the source says, in a sentence."""


@dataclass(frozen=True)
class DesignFact:
    """One design fact of a program, compared with its evidence."""

    key: str
    """The fact's field (``needs_analysis``, ``cohort_size``, ``pre_post``)."""
    stem: str
    """The file it is stated in (``program`` or ``kpis``)."""
    loc: Path_
    """Where in that file (``("design", "needs_analysis")``)."""
    value: bool | float | str | tuple[str, ...] | None
    """What the program states; None when it does not."""
    verdict: DesignVerdict
    """Whether the design follows the evidence."""
    evidence: Evidence
    """What the source says."""
    code: FindingCode | None = None
    """The finding a departure gives here (None: not stated, followed, or a domain
    check's finding already names it)."""
    departure: str = ""
    """What departs, in words, opening the finding's message."""
    hint: str = ""
    """How to follow the evidence, the finding's hint."""


@dataclass(frozen=True)
class DesignEvidence:
    """Every design fact of one program, compared with its evidence."""

    facts: tuple[DesignFact, ...]
    """Training facts first (Lacerenza et al. 2017), then the pilot's (the guidance)."""
    stated: bool
    """Whether the program has a ``design:`` block at all."""


_NEEDS = Evidence(LACERENZA, "moderator analyses support basing the training on a needs "
                             "analysis")
_FEEDBACK = Evidence(LACERENZA, "moderator analyses support giving leaders feedback")
_METHODS = Evidence(LACERENZA, "moderator analyses support multiple delivery methods, "
                               "especially practice")
_SPACING = Evidence(LACERENZA, "moderator analyses support spaced training sessions")
_LOCATION = Evidence(LACERENZA, "moderator analyses support a location that is on-site")
_DELIVERY = Evidence(LACERENZA, "moderator analyses support face-to-face delivery that is "
                                "not self-administered")
# Attendance and duration: the abstract names them without a direction. The results
# criterion's moderator table (Table 5) gives mandatory ("involuntary") attendance the
# larger mean effect, but the learning and transfer tables (3 and 4) and the duration
# analyses (Tables 6 and 7) were not read: no one direction holds, so neither is compared.
_ATTENDANCE = Evidence(LACERENZA_RESULTS, "attendance policy influences effectiveness; for "
                                          "results, mandatory programs had the larger mean "
                                          "effect, and the other criteria's direction was "
                                          "not read, so it is not compared")
_DURATION = Evidence(LACERENZA, "duration influences effectiveness; the abstract gives no "
                                "direction or threshold and the duration analyses were not "
                                "read, so it is not compared")
_PILOT = Evidence(GUIDANCE, f"a {PILOT_MIN_DAYS}-day pilot with coaching and an on-the-job "
                            "action project is the minimum viable intervention")
_PRE_POST = Evidence(GUIDANCE, "a pilot is measured before and after (pre/post): a "
                               "behaviour KPI's baseline, then its data")
_COHORT = Evidence(GUIDANCE, f"a cohort of {COHORT_MIN}–{COHORT_MAX} leaders across "
                             "functions: smaller is statistically ambiguous, larger costlier")
_LENGTH = Evidence(GUIDANCE, f"a pilot of at least {PILOT_MIN_DAYS} days: behaviour shifts "
                             "show in 3–6 months")


RULES: Final = (
    ("needs_analysis", _NEEDS, (FindingCode.DESIGN_NO_NEEDS_ANALYSIS,)),
    ("feedback", _FEEDBACK, (FindingCode.DESIGN_NO_FEEDBACK,)),
    ("methods", _METHODS, (FindingCode.DESIGN_NO_PRACTICE, FindingCode.DESIGN_ONE_METHOD)),
    ("spacing", _SPACING, (FindingCode.DESIGN_MASSED,)),
    ("location", _LOCATION, (FindingCode.DESIGN_OFF_SITE,)),
    ("delivery", _DELIVERY, (FindingCode.DESIGN_NOT_FACE_TO_FACE,)),
    ("attendance", _ATTENDANCE, ()),
    ("duration_hours", _DURATION, ()),
    ("coaching", _PILOT, (FindingCode.DESIGN_NO_COACHING,)),
    ("action_project", _PILOT, (FindingCode.DESIGN_NO_ACTION_PROJECT,)),
    ("pre_post", _PRE_POST, (FindingCode.DESIGN_NO_PRE_POST,)),
    ("cohort_size", _COHORT, (FindingCode.COHORT_SIZE,)),
    ("duration_days", _LENGTH, (FindingCode.PILOT_SHORT,)),
)
"""Each design fact, its evidence and the findings a departure gives, in the order the
strategy page shows them (the methodology's table; the last two are the domain checks')."""


def _yes_no(key: str, value: bool | None, evidence: Evidence, code: FindingCode,
            departure: str, hint: str) -> DesignFact:
    """A yes/no fact: stated yes follows, stated no departs."""
    loc = ("design", key)
    if value is None:
        return DesignFact(key, "program", loc, None, DesignVerdict.NOT_STATED, evidence)
    if value:
        return DesignFact(key, "program", loc, True, DesignVerdict.FOLLOWS, evidence)
    return DesignFact(key, "program", loc, False, DesignVerdict.DEPARTS, evidence, code,
                      departure, hint)


def _choice(key: str, value: StrEnum | None, good: StrEnum, evidence: Evidence,
            code: FindingCode, departure: str, hint: str) -> DesignFact:
    """A one-of fact: the ``good`` member follows, any other departs."""
    loc = ("design", key)
    if value is None:
        return DesignFact(key, "program", loc, None, DesignVerdict.NOT_STATED, evidence)
    if value is good:
        return DesignFact(key, "program", loc, value.value, DesignVerdict.FOLLOWS, evidence)
    return DesignFact(key, "program", loc, value.value, DesignVerdict.DEPARTS, evidence, code,
                      departure.format(value.value), hint)


def _methods(d: Design) -> list[DesignFact]:
    """Delivery methods: practice among them, and more than one (two facts, two findings)."""
    loc = ("design", "methods")
    used = tuple(dict.fromkeys(m.value for m in d.methods))
    if not used:
        return [DesignFact("methods", "program", loc, None, DesignVerdict.NOT_STATED, _METHODS)]
    out = []
    if DeliveryMethod.PRACTICE.value not in used:
        out.append(DesignFact("methods", "program", loc, used, DesignVerdict.DEPARTS, _METHODS,
                              FindingCode.DESIGN_NO_PRACTICE,
                              "the delivery methods leave out practice",
                              "add practice: role plays, simulations, leaders applying the "
                              "behaviour and getting feedback on it"))
    if len(used) < MIN_METHODS:
        out.append(DesignFact("methods", "program", loc, used, DesignVerdict.DEPARTS, _METHODS,
                              FindingCode.DESIGN_ONE_METHOD,
                              f"the training uses one delivery method ({used[0]})",
                              "combine information, demonstration and practice"))
    return out or [DesignFact("methods", "program", loc, used, DesignVerdict.FOLLOWS, _METHODS)]


def _training(d: Design) -> list[DesignFact]:
    """The facts Lacerenza et al. (2017) compare training designs on."""
    return [
        _yes_no("needs_analysis", d.needs_analysis, _NEEDS,
                FindingCode.DESIGN_NO_NEEDS_ANALYSIS, "the design has no needs analysis",
                "choose the content from an analysis of the leaders' jobs and the "
                "organisation's needs"),
        _yes_no("feedback", d.feedback, _FEEDBACK, FindingCode.DESIGN_NO_FEEDBACK,
                "leaders get no feedback", "give feedback on practice: trainer, peers or a "
                "360"),
        *_methods(d),
        _choice("spacing", d.spacing, Spacing.SPACED, _SPACING, FindingCode.DESIGN_MASSED,
                "the training is one sitting ({})",
                "spread the sessions over weeks, with work in between"),
        _choice("location", d.location, Location.ON_SITE, _LOCATION,
                FindingCode.DESIGN_OFF_SITE, "the training is {}",
                "hold the sessions at the leaders' workplace"),
        _choice("delivery", d.delivery, Delivery.FACE_TO_FACE, _DELIVERY,
                FindingCode.DESIGN_NOT_FACE_TO_FACE, "the training is {}",
                "deliver the sessions face to face, with a trainer"),
        DesignFact("attendance", "program", ("design", "attendance"),
                   d.attendance.value if d.attendance else None,
                   DesignVerdict.NOT_CHECKED if d.attendance else DesignVerdict.NOT_STATED,
                   _ATTENDANCE),
        DesignFact("duration_hours", "program", ("design", "duration_hours"),
                   d.duration_hours,
                   DesignVerdict.NOT_STATED if d.duration_hours is None
                   else DesignVerdict.NOT_CHECKED,
                   _DURATION),
    ]


def _pilot(p: Program, bundle: Bundle) -> list[DesignFact]:
    """The facts the practitioners' guidance asks of a pilot."""
    d = p.design or Design()
    size, days = p.pilot.cohort_size, p.pilot.duration_days
    return [
        _yes_no("coaching", d.coaching, _PILOT, FindingCode.DESIGN_NO_COACHING,
                "the pilot has no coaching", "give each leader coaching sessions during the "
                "pilot"),
        _yes_no("action_project", d.action_project, _PILOT,
                FindingCode.DESIGN_NO_ACTION_PROJECT, "the pilot has no action project",
                "give each leader an on-the-job action project on a real decision"),
        _pre_post(bundle),
        DesignFact("cohort_size", "program", ("pilot", "cohort_size"), size,
                   DesignVerdict.FOLLOWS if COHORT_MIN <= size <= COHORT_MAX
                   else DesignVerdict.DEPARTS,
                   _COHORT),
        DesignFact("duration_days", "program", ("pilot", "duration_days"), days,
                   DesignVerdict.FOLLOWS if days >= PILOT_MIN_DAYS else DesignVerdict.DEPARTS,
                   _LENGTH),
    ]


def _pre_post(bundle: Bundle) -> DesignFact:
    """Pre/post: a behaviour KPI with a source (its baseline is the pre measure).

    Without ``kpis.yml`` or a behaviour KPI it is not stated: the domain checks'
    ``no-kpis`` and ``no-behavior-kpi`` already say so. A departure is a finding only
    in a program that states its ``design:`` (one that does not is never compared).
    """
    plan = bundle.kpis
    behaviour = [k for k in plan.kpis if k.kind is KpiKind.BEHAVIOR] if plan else []
    loc: Path_ = ("kpis",)
    if not behaviour:
        return DesignFact("pre_post", "kpis", loc, None, DesignVerdict.NOT_STATED, _PRE_POST)
    measured = tuple(k.id for k in behaviour if k.source is not None)
    if measured:
        return DesignFact("pre_post", "kpis", loc, measured, DesignVerdict.FOLLOWS, _PRE_POST)
    stated = bundle.program is not None and bundle.program.design is not None
    return DesignFact("pre_post", "kpis", loc, (), DesignVerdict.DEPARTS, _PRE_POST,
                      FindingCode.DESIGN_NO_PRE_POST if stated else None,
                      "no behaviour KPI names a source, so none is measured after its "
                      "baseline", "give a behaviour KPI a source: a 360 or an observation "
                      "rubric measured before and after the pilot")


def assess(bundle: Bundle) -> DesignEvidence | None:
    """Every design fact of ``bundle``'s program with its evidence (None: no program)."""
    p = bundle.program
    if p is None:
        return None
    return DesignEvidence((*_training(p.design or Design()), *_pilot(p, bundle)),
                          stated=p.design is not None)


def message(fact: DesignFact) -> str:
    """A departing fact's finding message: what departs, then the source and what it says."""
    return f"{fact.departure}; {fact.evidence.source}: {fact.evidence.says}"


def problems(bundle: Bundle) -> list[Problem]:
    """A finding at each stated design fact that departs from its evidence."""
    found = assess(bundle)
    if found is None or ("kpis" in bundle.sources and bundle.kpis is None):
        return []  # kpis.yml did not load: its errors come first
    report = Reporter(bundle)
    for fact in found.facts:
        if fact.code is not None:
            report.add(fact.stem, fact.loc, message(fact), fact.hint, code=fact.code)
    return report.problems
