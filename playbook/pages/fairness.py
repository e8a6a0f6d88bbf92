"""Fairness section of the measurement page: AI tools and the adverse-impact check.

Reads :class:`playbook.figures.fairness.Fairness` and formats it; every number,
verdict and withheld value comes from the figures. The wording follows the
Uniform Guidelines: a flag is a reason for review, not proof of discrimination.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from playbook.figures.fairness import UNDISCLOSED, WITHHELD, Fairness, FairnessVerdict, GroupRate
from playbook.figures.impact_tests import ALPHA, FLIP_MARGIN, LEVEL, THRESHOLD, ImpactTest
from playbook.figures.rounding import formatted, share
from playbook.figures.site import ProgramView
from playbook.model.base import ROLE_TITLES
from playbook.model.measure import AiOutcomes
from playbook.pages.mdtext import (
    Md,
    cell,
    chip,
    code,
    fmt,
    join,
    labels,
    lines,
    table,
    text,
    words,
)

CHIP_STATES: Final[Mapping[FairnessVerdict, str]] = MappingProxyType({
    FairnessVerdict.REFERENCE: "current", FairnessVerdict.FLAGGED: "off-track",
    FairnessVerdict.FLAGGED_NOT_SIGNIFICANT: "at-risk",
    FairnessVerdict.SIGNIFICANT_ABOVE_THRESHOLD: "off-track",
    FairnessVerdict.NO_ADVERSE_IMPACT: "on-track", FairnessVerdict.CANNOT_ASSESS: "no-data",
    FairnessVerdict.WITHHELD: "at-risk"})
"""Chip colour of each verdict (the verdict is always written out too)."""


def verdict_label(verdict: FairnessVerdict, threshold: float,
                  test: ImpactTest | None = None) -> str:
    """The words a verdict reads as in the result column."""
    below = f"Below {threshold:g}"
    label = {FairnessVerdict.REFERENCE: "Reference",
             FairnessVerdict.FLAGGED: f"{below}: review",
             FairnessVerdict.FLAGGED_NOT_SIGNIFICANT: f"{below}, neither significant nor robust",
             FairnessVerdict.SIGNIFICANT_ABOVE_THRESHOLD: "Significant shortfall: review",
             FairnessVerdict.NO_ADVERSE_IMPACT: "Passes",
             FairnessVerdict.CANNOT_ASSESS: "Cannot assess",
             FairnessVerdict.WITHHELD: "Withheld: review"}[verdict]
    if verdict is FairnessVerdict.FLAGGED and test is not None and not test.robust:
        label += ", not practically robust"
    return label


def p_value(p: float | None) -> str | None:
    """A p-value as shown: three decimals, or "< 0.001"."""
    if p is None:
        return None
    return "< 0.001" if p < 0.001 else formatted(p, 3)


def ratio_text(ratio: float, test: ImpactTest | None, threshold: float) -> str:
    """An impact ratio to two decimals, or more when two would round a flagged ratio up
    to the threshold (0.795 would read 0.80 beside "Below 0.8")."""
    digits = 2
    while (test is not None and test.below_threshold and digits < 9
           and float(f"{ratio:.{digits}f}") >= threshold):
        digits += 1
    return f"{ratio:.{digits}f}"


def adverse_impact_rules() -> Md:
    """The adverse-impact rules, each value read from the engine's constants."""
    rows = [
        ["Reference group", "the disclosed group with the highest selection rate"],
        ["Four-fifths rule", f"impact ratio below {THRESHOLD:g}: below threshold"],
        ["Statistical significance", f"Fisher's exact test, two-sided, p < {ALPHA:g}, "
                                     "with the group's rate below the reference's"],
        ["Two-standard-deviation rule", "pooled two-proportion z statistic, shown"],
        ["Interval", f"{LEVEL:.0%} Katz log interval of the impact ratio"],
        ["Practical significance", f"a flag that {FLIP_MARGIN} or fewer more selections in "
                                   "the group would clear is not practically robust"],
        ["Never the reference", ", ".join(f"“{x}”" for x in sorted(UNDISCLOSED))
                                + ", and a group where everyone or no one was selected"],
        ["Withheld", "a group where everyone or no one was selected: no count, rate, "
                     "ratio or test, and the verdict “withheld: review” whichever it was"],
    ]
    return fmt("{}\n", table(labels("Rule", "Value"),
                             [[words(rule), text(value)] for rule, value in rows]))


def _row(g: GroupRate, threshold: float) -> list[Md]:
    t = g.test
    interval = (f"{formatted(t.ratio_low, 2)}–{formatted(t.ratio_high, 2)}"
                if t is not None and t.ratio_low is not None and t.ratio_high is not None
                else None)
    flips = None if t is None else f"+{t.flips}" if t.below_threshold else f"-{t.flips}"
    return [cell(g.group), text(g.n), cell(g.selected),
            cell(None if g.rate is None else share(g.rate, 1)),
            cell(None if g.impact_ratio is None else ratio_text(g.impact_ratio, t, threshold)),
            cell(interval), cell(p_value(t.fisher_p if t else None)),
            cell(None if t is None or t.z is None else formatted(t.z, 2)), cell(flips),
            chip(CHIP_STATES[g.verdict], verdict_label(g.verdict, threshold, t))]


def _how_to_read(fair: Fairness) -> Md:
    return fmt(
        "Each group is compared with the reference group. **Interval**: {} Katz log "
        "interval of the impact ratio. **Fisher p**: Fisher's exact test against the "
        "reference, two-sided; a shortfall with p below {} is statistically significant "
        "and is flagged even at a ratio of {} or more. **z**: the two-proportion z "
        "statistic (the two-standard-deviation rule). **Flips**: how many selections in "
        "the group would change whether its ratio is below {}: +n more would clear its "
        "flag, -n fewer would raise one; a flag that {} or fewer would clear is not "
        "practically robust.", words(f"{LEVEL:.0%}"), words(f"{fair.alpha:g}"),
        words(f"{fair.threshold:g}"), words(f"{fair.threshold:g}"), fair.flip_margin)


def _notes(fair: Fairness, min_size: int) -> list[Md]:
    notes = ([fmt("Reference group: {}, the disclosed group with the highest selection "
                  "rate.", text(fair.reference_group))] if fair.reference_group else [])
    undisclosed = [g.group for g in fair.groups if not g.disclosed]
    if undisclosed:
        notes.append(fmt("Not a disclosed group, so compared with the reference but never "
                         "the reference: {}.", text(", ".join(undisclosed))))
    withheld = [g.group for g in fair.groups if g.withheld]
    if withheld:
        notes.append(fmt("For {} {}, so the count and rate are not shown (they would reveal "
                         "each person's outcome), nor its ratio, tests or a verdict that "
                         "would tell which; it is marked for review either way.",
                         text(", ".join(withheld)), words(WITHHELD)))
    if fair.suppressed_groups:
        # the count of people is left out: with one small group it would be its size
        notes.append(fmt("{} group(s) with fewer than {} people are not shown.",
                         fair.suppressed_groups, min_size))
    if fair.no_group:
        notes.append(fmt("{} outcome(s) have no group recorded.", fair.no_group))
    notes.append(text(fair.note))
    return notes


def _tool_line(fair: Fairness, tools: int) -> Md:
    if fair.tool is not None:
        return fmt("Selections made by {}.\n", text(fair.tool))
    if tools > 1:
        return fmt("The outcomes do not say which of the {} tools made these selections "
                   "(name it with `tool:` under `outcomes` in `ai.yml`).\n", tools)
    return Md("")


def _outcomes_line(spec: AiOutcomes) -> Md:
    """Where the outcomes come from, so a reviewer can find the export and its columns."""
    count = fmt(", people per row in {}", code(spec.count)) if spec.count else Md("")
    return fmt("Outcomes are read from {} (group in {}, selected in {}{}).\n",
               code(spec.file), code(spec.group), code(spec.selected), count)


def fairness_section(view: ProgramView) -> Md:
    """AI tools and the four-fifths check, with its tests, on their outcomes."""
    ai = view.bundle.ai
    if ai is None:
        return Md("No AI tools are declared (`ai.yml`).\n")
    vendors = {v.id: v.name for v in view.bundle.vendors.vendors} if view.bundle.vendors else {}
    out = [fmt("{}\n", table(labels("Tool", "Vendor", "Feeds", "Human in the loop",
                                     "Reviewers"), [
        [cell(t.name), cell(vendors.get(t.vendor, t.vendor) if t.vendor else None),
         cell(", ".join(t.affects)), words("yes") if t.human_in_the_loop else Md("**no**"),
         cell(", ".join(ROLE_TITLES[r] for r in t.reviewers))] for t in ai.tools]))
           if ai.tools else Md("No AI tools are listed in `ai.yml` yet.\n")]
    fair = view.figures.fairness
    if fair is None:
        out.append(Md("No selection outcomes are connected yet, so the four-fifths check "
                      "cannot run.\n"))
        return lines(out)
    min_size = view.figures.min_group_size
    out.append(_tool_line(fair, len(ai.tools)))
    if not fair.groups:
        out.append(fmt("No group has {} or more people yet, so no selection rate is "
                       "shown and the four-fifths check cannot run.\n", min_size))
    else:
        if fair.cannot_assess:
            out.append(fmt("The four-fifths check cannot assess these outcomes: {}.\n",
                           words(fair.cannot_assess)))
        out.append(fmt("{}\n", table(
            labels("Group", "n", "Selected", "Selection rate", "Impact ratio", "Interval",
                   "Fisher p", "z", "Flips", "Result"),
            [_row(g, fair.threshold) for g in fair.groups],
            ["l", "r", "r", "r", "r", "r", "r", "r", "r", "l"])))
        if not fair.cannot_assess:
            out.append(fmt("{}\n", _how_to_read(fair)))
    out.append(fmt("{}\n", join(_notes(fair, min_size), Md(" "))))
    if ai.outcomes is not None:  # last: where to check the figures above
        out.append(_outcomes_line(ai.outcomes))
    return lines(out)
