"""Findings from the practitioners' guidance (``domain.md``).

Each finding names the guidance it rests on, so an editor can decide whether
their program is an exception; ``playbook check --strict`` counts them.
"""

from __future__ import annotations

import re

from playbook.load.reporter import Reporter
from playbook.model.choices import AttributionMethod, KpiKind, ProgramStatus
from playbook.model.design import COHORT_MAX, COHORT_MIN, PILOT_MIN_DAYS
from playbook.model.findings import FindingCode
from playbook.model.roles import AI_REVIEWERS, ROLE_TITLES

MAX_BUSINESS_KPIS = 2
"""Most business KPIs before focus dilutes and measurement becomes inconclusive."""


def check(report: Reporter) -> None:
    """Run the domain findings on ``report.bundle``."""
    b = report.bundle
    p = b.program
    if p is not None:
        has_number, has_time = outcome_is_measurable(p.strategy.outcome)
        if not (has_number and has_time):
            missing = " and no ".join(w for w, ok in (("number", has_number),
                                                      ("time bound", has_time)) if not ok)
            report.add("program", ("strategy", "outcome"),
                       f"outcome statement has no {missing}",
                       "make it auditable, e.g. 'reduce X by 25% within 12 months'",
                       code=FindingCode.OUTCOME_NOT_MEASURABLE)
        size = p.pilot.cohort_size
        if not COHORT_MIN <= size <= COHORT_MAX:
            why = ("too small to tell an effect from noise" if size < COHORT_MIN
                   else "costly for a pilot")
            report.add("program", ("pilot", "cohort_size"),
                       f"pilot cohort of {size} is outside {COHORT_MIN}–{COHORT_MAX}: {why}",
                       f"sample {COHORT_MIN}–{COHORT_MAX} leaders across functions",
                       code=FindingCode.COHORT_SIZE)
        if p.pilot.duration_days < PILOT_MIN_DAYS:
            report.add("program", ("pilot", "duration_days"),
                       f"pilot of {p.pilot.duration_days} days is shorter than the "
                       f"{PILOT_MIN_DAYS}-day minimum viable intervention",
                       "behaviour shifts show in 3–6 months; run pre/post measures over at "
                       f"least {PILOT_MIN_DAYS} days", code=FindingCode.PILOT_SHORT)
        if len(set(p.pilot.functions)) < 2:
            report.add("program", ("pilot", "functions"),
                       "pilot is drawn from fewer than two functions",
                       "sample leaders across functions", code=FindingCode.PILOT_ONE_FUNCTION)
        method = b.kpis.attribution if b.kpis is not None else None
        kpis_unread = "kpis" in b.sources and b.kpis is None  # invalid: cannot tell
        if (p.status is ProgramStatus.PILOT and not p.pilot.comparison_group and method is None
                and not kpis_unread):
            report.add("program", ("pilot", "comparison_group"),
                       "pilot has no comparison group and no attribution method",
                       "add a comparison group or kpis.yml 'attribution.method'",
                       code=FindingCode.NO_COMPARISON)
    k = b.kpis
    if k is None:
        if p is not None and "kpis" not in b.sources:
            report.add("program", (), "no kpis.yml: the program names no measurement plan",
                       "add kpis.yml with business and behaviour KPIs", code=FindingCode.NO_KPIS)
    else:
        _kpis(report)
    c = b.competencies
    if c is not None:
        for i, x in enumerate(c.behaviors):
            gaps = [w for w, v in (("metric", x.metric), ("evidence", x.evidence)) if not v]
            if gaps:
                report.add("competencies", ("behaviors", i),
                           f"behaviour '{x.id}' has no " + " and no ".join(gaps),
                           "say how the behaviour is observed",
                           code=FindingCode.BEHAVIOR_UNOBSERVED)
    _ai(report)


def _ai(report: Reporter) -> None:
    a = report.bundle.ai
    if a is None:
        return
    for i, tool in enumerate(a.tools):
        if not tool.human_in_the_loop:
            report.add("ai", ("tools", i, "human_in_the_loop"),
                       f"AI tool '{tool.name}' has no human in the loop",
                       "a person reviews every recommendation that affects role assignment "
                       "or promotion", code=FindingCode.AI_NO_HUMAN)
        missing = [ROLE_TITLES[r] for r in AI_REVIEWERS if r not in tool.reviewers]
        if missing:
            report.add("ai", ("tools", i, "reviewers"),
                       f"AI tool '{tool.name}' is not reviewed by " + ", ".join(missing),
                       "HR, legal and a DEI reviewer review every AI tool that affects people",
                       code=FindingCode.AI_REVIEWERS)
    if a.tools and a.outcomes is None:
        report.add("ai", ("tools",), "no selection outcomes for the four-fifths check",
                   "add 'outcomes:' naming a CSV with a group and a selected column",
                   code=FindingCode.AI_NO_OUTCOMES)


def _kpis(report: Reporter) -> None:
    k = report.bundle.kpis
    assert k is not None
    business = [i for i, x in enumerate(k.kpis) if x.kind is KpiKind.BUSINESS]
    if len(business) > MAX_BUSINESS_KPIS:
        report.add("kpis", ("kpis", business[MAX_BUSINESS_KPIS], "kind"),
                   f"{len(business)} business KPIs dilute focus and make measurement "
                   "inconclusive", "keep one or two business KPIs",
                   code=FindingCode.BUSINESS_KPIS_MANY)
    if not business:
        report.add("kpis", ("kpis",), "no business KPI: the program names no outcome",
                   "add one business KPI the program moves", code=FindingCode.NO_BUSINESS_KPI)
    if not any(x.kind is KpiKind.BEHAVIOR for x in k.kpis):
        report.add("kpis", ("kpis",), "no behaviour metric",
                   "add a behavioural indicator (360 item, observation rubric)",
                   code=FindingCode.NO_BEHAVIOR_KPI)
    for i, x in enumerate(k.kpis):
        if x.owner is None:
            report.add("kpis", ("kpis", i), f"KPI '{x.id}' has no owner",
                       "name the stakeholder role accountable for it",
                       code=FindingCode.KPI_NO_OWNER)
    _comparison(report)


def _comparison(report: Reporter) -> None:
    """A comparison-group attribution needs comparison data to compare with."""
    b = report.bundle
    k = b.kpis
    assert k is not None
    if k.attribution is None or k.attribution.method is not AttributionMethod.COMPARISON_GROUP:
        return
    sourced = [x.id for x in k.kpis if x.source is not None]
    if any(kpi_id not in b.series for kpi_id in sourced) or not any(
            b.series[kpi_id] for kpi_id in sourced):
        return  # no data yet, or a source did not load: its own problem says so
    if not any(o.group == "comparison" for kpi_id in sourced for o in b.series[kpi_id]):
        report.add("kpis", ("attribution", "method"),
                   "attribution is by comparison group, but no KPI data has a comparison group",
                   "add a group column with 'comparison' rows, or state another method",
                   code=FindingCode.COMPARISON_DATA_MISSING)


_NUMBER = re.compile(r"\d")
_TIME_BOUND = re.compile(
    r"\b(within|in|over|by|before|after|inside)\s+(the\s+)?(next\s+|first\s+)?"
    r"(\d+|one|two|three|four|six|nine|twelve|eighteen|a)\s*+(-\s*+)?(days?|weeks?|months?|"
    r"quarters?|years?)\b|\bby\s+(\d{4}|q[1-4]|(the\s+)?end\s+of|[a-z]+\s+\d{4})"
    r"|\byear[- ]over[- ]year\b|\b20\d\d\b|\bper\s+(quarter|year)\b",
    re.IGNORECASE,
)
"""A time bound in an outcome statement (``within 6 months``, ``by Q3``, ``2027``).

The spaces around a dash are taken whole (``*+``): as ``\\s*-?\\s*`` they could be
split between the two runs in as many ways as there are spaces, so ``within 3``
followed by a long run of spaces took time quadratic in its length."""


def outcome_is_measurable(text: str) -> tuple[bool, bool]:
    """Return whether an outcome statement has a number and a time bound."""
    return bool(_NUMBER.search(text)), bool(_TIME_BOUND.search(text))
