"""The strategy page's *Design evidence* section: each design fact of a program, what
research and the practitioners' guidance say of it, and whether the design follows it.

Reads :class:`playbook.figures.design.DesignEvidence` (computed once, also behind the
findings of ``playbook check``); only words and formatting are added here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from playbook.figures.design import (
    GUIDANCE,
    LACERENZA_REFERENCE,
    RULES,
    DesignFact,
    DesignVerdict,
)
from playbook.figures.site import ProgramView
from playbook.pages.mdtext import (
    Md,
    chip,
    code,
    fmt,
    heading,
    join,
    labels,
    lines,
    number,
    table,
    text,
    words,
)

LABELS: Final = MappingProxyType({
    "needs_analysis": "Needs analysis", "feedback": "Feedback to leaders",
    "methods": "Delivery methods", "spacing": "Spacing of sessions", "location": "Location",
    "delivery": "Delivery", "attendance": "Attendance", "duration_hours": "Duration",
    "coaching": "Coaching", "action_project": "On-the-job action project",
    "pre_post": "Pre/post measures", "cohort_size": "Cohort size",
    "duration_days": "Pilot length",
})
"""The words for each design fact, by its field."""

VERDICTS: Final = MappingProxyType({
    DesignVerdict.FOLLOWS: "Follows", DesignVerdict.DEPARTS: "Departs",
    DesignVerdict.NOT_STATED: "Not stated", DesignVerdict.NOT_CHECKED: "Not compared",
})
"""The words for each verdict, written out beside its colour."""

UNITS: Final = MappingProxyType({"duration_hours": "hours", "cohort_size": "leaders",
                                 "duration_days": "days"})
"""The unit a number of each fact is in."""


def _value(fact: DesignFact) -> Md:
    """What the program states, in words."""
    value = fact.value
    if value is None:
        return Md("*not stated*")
    if isinstance(value, bool):
        return words("yes") if value else words("no")
    if isinstance(value, tuple):
        if fact.key == "pre_post":
            return (fmt("measured: {}", text(", ".join(value))) if value
                    else Md("no behaviour KPI has a source"))
        return text(", ".join(value))
    if isinstance(value, str):
        return text(value)
    return fmt("{} {}", number(value), text(UNITS.get(fact.key, "")))


def _row(fact: DesignFact) -> list[Md]:
    return [text(LABELS.get(fact.key, fact.key)), _value(fact), text(fact.evidence.says),
            chip(fact.verdict.value, VERDICTS[fact.verdict]), text(fact.evidence.source)]


def section(view: ProgramView) -> Md:
    """The *Design evidence* section of a program's strategy page."""
    found = view.figures.design
    if found is None:
        return Md("")
    out = [heading(2, "Design evidence"),
           Md("Each design fact of this program beside what research on leadership "
              "training and the practitioners' guidance say of it. The research compares "
              "many studies: a design that follows it is more like the programs that did "
              "well, not promised their effect (see the methodology). A departure is a "
              "finding of `playbook check`; the program can acknowledge it with a reason.\n")]
    if not found.stated:
        out.append(fmt("This program states no design facts ({} in {}): its training is "
                       "not compared with the research and no design finding is given. The "
                       "pilot's facts below come from {} and {}.\n", code("design:"),
                       code("program.yml"), code("pilot:"), code("kpis.yml")))
    out.append(fmt("{}\n", table(labels("Design fact", "This program",
                                         "What the evidence says", "Follows it?", "Source"),
                                 [_row(f) for f in found.facts])))
    out.append(fmt("**Sources.** {} {}: the minimum viable pilot that the domain checks "
                   "also apply (a cohort size or pilot length that departs is their finding, "
                   "not repeated).\n", text(LACERENZA_REFERENCE), text(GUIDANCE)))
    return lines(out)


def design_rules() -> Md:
    """The methodology's table of design rules, read from the engine (also a macro)."""
    rows = [[text(LABELS[key]), text(evidence.says), text(evidence.source),
             join((code(c.value) for c in codes), Md(", ")) if codes
             else Md("none: shown, not compared")]
            for key, evidence, codes in RULES]
    return fmt("{}\n", table(labels("Design fact", "What the evidence says", "Source",
                                     "Finding when the design departs"), rows))
