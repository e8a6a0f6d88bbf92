"""AI-tool outcomes by group → the four-fifths (adverse impact) check, as published.

Sits between the outcomes read from ``ai.yml``'s file and the pages; each
comparison is made by :func:`.impact_tests.compare`. Rules:

* Selection rate per group = selected / n. The reference group is the shown
  *disclosed* group with the highest rate (ties: the first by name). A group
  whose label says nothing about the person (:data:`UNDISCLOSED`, such as
  "prefer not to say") is compared with the reference but never is it, since
  it is no group the Guidelines protect. Rows with no group are counted in
  ``no_group``.
* The check cannot run (every verdict :attr:`FairnessVerdict.CANNOT_ASSESS`, no ratio)
  with fewer than two shown disclosed groups, or fewer than two whose rate may be
  published (below).
* Groups with fewer than ``min_group_size`` people are not shown: they are
  counted in ``suppressed_groups`` and ``suppressed_people`` and take no part
  in the reference rate.
* A shown group where everyone or no one was selected would reveal each
  member's outcome: its count, rate, ratio and test are withheld (``None``), it
  is never the reference (a reference has the highest rate, so it would read
  "everyone") and its verdict is :attr:`FairnessVerdict.WITHHELD` whichever it was
  ("below 0.8" would read "no one"). A withheld verdict is a review due, so HR,
  legal and the DEI reviewer still see the group, without learning which.
* No total over groups is published: with the shown counts it would give a
  withheld count back by subtraction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from playbook.figures.impact_tests import (
    ALPHA,
    FLIP_MARGIN,
    REVIEW_DUE,
    THRESHOLD,
    FairnessVerdict,
    ImpactTest,
    compare,
)
from playbook.load.observations import Outcome
from playbook.model.measure import Ai

__all__ = [
    "ALPHA",
    "FLIP_MARGIN",
    "THRESHOLD",
    "Fairness",
    "FairnessVerdict",
    "GroupRate",
    "four_fifths",
    "outcome_tool",
]

NOTE: Final = (
    "Under the Uniform Guidelines (29 CFR 1607.4(D)) a ratio below four-fifths is "
    "evidence of adverse impact: a reason to review the tool's outcomes with HR, legal "
    "and the DEI reviewer, not proof of discrimination; a ratio above it, or a test that "
    "is not significant, is not proof of fairness.")
"""Fixed note shown beside every four-fifths result."""

WITHHELD: Final = "everyone or no one in the group was selected"
"""Why a group's count and rate are not published."""

UNDISCLOSED: Final = frozenset({
    "undisclosed", "not disclosed", "prefer not to say", "prefer not to answer",
    "prefer not to disclose", "declined", "declined to state", "decline to state",
    "not stated", "unknown", "not known", "unspecified", "not specified",
    "n/a", "na", "none", "missing", "blank"})
"""Group labels that say nothing about the person, compared case-insensitively with
``_`` and ``-`` read as spaces (a label of only dashes or spaces counts too): such a
group is shown and compared, but is never the reference."""

NO_SECOND_GROUP: Final = "fewer than two disclosed groups are shown, so there is nothing to compare"
ALL_OR_NONE: Final = ("fewer than two disclosed groups had some people selected and some not, "
                      "so no ratio can be published without revealing someone's outcome")
"""Why the check cannot run (``Fairness.cannot_assess``)."""


def disclosed(label: str) -> bool:
    """Whether a group label names a group rather than a refusal or a gap."""
    key = " ".join(label.lower().replace("_", " ").replace("-", " ").split())
    return bool(key) and key not in UNDISCLOSED


@dataclass(frozen=True)
class GroupRate:
    """Selection rate of one group and its comparison with the reference, as published."""

    group: str
    """The group's label, as the outcomes file writes it."""
    n: int
    """People in the group (outcome rows), at least ``min_group_size``."""
    selected: int | None
    """People selected; ``None`` when withheld."""
    rate: float | None
    """Selected / n; ``None`` when withheld."""
    impact_ratio: float | None
    """Rate over the reference group's rate; ``None`` when withheld or undefined."""
    flagged: bool
    """A review is due: the verdict is one of :data:`.impact_tests.REVIEW_DUE`."""
    withheld: str | None = None
    """Why the count and rate are not published, if they are not."""
    verdict: FairnessVerdict = FairnessVerdict.CANNOT_ASSESS
    """What the comparison with the reference says (always published)."""
    disclosed: bool = True
    """False for a group such as "prefer not to say", which is never the reference."""
    test: ImpactTest | None = None
    """Interval, Fisher and z tests and flip count; ``None`` for the reference, when the
    check cannot run, or when it would reveal a withheld count."""


@dataclass(frozen=True)
class Fairness:
    """The four-fifths check over one AI tool's outcomes."""

    groups: list[GroupRate]
    """Each group shown (at least ``min_group_size`` people), by name."""
    reference_group: str | None
    """The disclosed group with the highest publishable rate, which the others are compared with;
    None when the check cannot run."""
    threshold: float
    """Impact ratio below which a group is flagged (0.8: four-fifths)."""
    flagged: bool
    """Whether some group's review is due."""
    suppressed_groups: int
    """Groups with fewer than ``min_group_size`` people: not shown."""
    suppressed_people: int
    """People in those groups."""
    no_group: int
    """Outcome rows with no group."""
    note: str
    """Fixed note on what a ratio below or above four-fifths means under the Uniform Guidelines."""
    tool: str | None = None
    """The tool whose selections these are (``None``: the outcomes do not say)."""
    cannot_assess: str | None = None
    """Why no group could be compared with a reference, if none could."""
    alpha: float = ALPHA
    """Significance level of the tests."""
    flip_margin: int = FLIP_MARGIN
    """A flag this many selections or fewer would clear is not practically robust."""


def outcome_tool(ai: Ai) -> str | None:
    """The tool the outcomes belong to: as named, else the only tool listed."""
    if ai.outcomes is not None and ai.outcomes.tool is not None:
        return ai.outcomes.tool
    return ai.tools[0].name if len(ai.tools) == 1 else None


def four_fifths(outcomes: list[Outcome], min_group_size: int, threshold: float = THRESHOLD,
                tool: str | None = None) -> Fairness | None:
    """Run the four-fifths rule, with its tests, on selection outcomes by group.

    Args:
        outcomes: One row per person: their group (or None) and whether selected.
        min_group_size: Smallest group shown; smaller groups are suppressed.
        threshold: Impact ratio below which a group is flagged.
        tool: Name of the tool whose selections these are, if known.

    Returns:
        Rates, ratios, tests and verdicts per shown group (sorted by name), or None
        when there are no outcomes.
    """
    if not outcomes:
        return None
    sizes: Counter[str] = Counter()
    chosen: Counter[str] = Counter()
    for o in outcomes:
        if o.group is not None:
            sizes[o.group] += 1
            chosen[o.group] += int(o.selected)
    shown = sorted(g for g, n in sizes.items() if n >= min_group_size)
    small = [g for g in sizes if sizes[g] < min_group_size]
    hidden = {g for g in shown if chosen[g] in (0, sizes[g])}
    candidates = [g for g in shown if disclosed(g) and g not in hidden]
    # rates as fractions, so a tie is exact even at millions of people
    reference = min(candidates, key=lambda g: (-Fraction(chosen[g], sizes[g]), g),
                    default=None)
    reason = (NO_SECOND_GROUP if sum(disclosed(g) for g in shown) < 2
              else ALL_OR_NONE if len(candidates) < 2 else None)
    groups = [_group(g, sizes, chosen, None if reason else reference, hidden, threshold)
              for g in shown]
    return Fairness(groups, None if reason else reference, threshold,
                    any(x.flagged for x in groups), len(small), sum(sizes[g] for g in small),
                    len(outcomes) - sum(sizes.values()), NOTE, tool, reason)


def _group(g: str, sizes: Counter[str], chosen: Counter[str], reference: str | None,
           hidden: set[str], threshold: float) -> GroupRate:
    n, selected = sizes[g], chosen[g]
    if g in hidden:
        # every member's outcome is one value: no verdict may tell which
        return GroupRate(g, n, None, None, None, True, WITHHELD, FairnessVerdict.WITHHELD,
                         disclosed(g))
    if reference is None:
        verdict, test = FairnessVerdict.CANNOT_ASSESS, None
    elif g == reference:
        verdict, test = FairnessVerdict.REFERENCE, None
    else:
        test = compare(selected, n, chosen[reference], sizes[reference], threshold)
        verdict = test.verdict
    ratio = 1.0 if g == reference else test.ratio if test else None
    return GroupRate(g, n, selected, selected / n, ratio, verdict in REVIEW_DUE, None,
                     verdict, disclosed(g), test)
