"""AI-tool outcomes by group → the four-fifths (disparate impact) check.

Sits between the outcomes read from ``ai.yml``'s file and the pages. Rules:

* Selection rate per group = selected / n. The reference group is the shown
  group with the highest rate (ties: the first by name); each group's impact
  ratio is its rate over the reference rate (1 for every group when no group
  selects anyone). A ratio below ``threshold`` (0.8) is flagged.
* Groups with fewer than ``min_group_size`` people are not shown: they are
  counted in ``suppressed_groups`` and ``suppressed_people`` and take no part
  in the reference rate. Rows with no group are counted in ``no_group``.
* A shown group where everyone or no one was selected would reveal each
  member's outcome: its count, rate and ratio are withheld (``None``) and only
  its size and flag are published. When the reference group is withheld, every
  ratio is (a ratio over a 100% reference is the group's own rate, and the
  rates would reveal the reference). The flag is still computed from the full
  counts, so HR, legal and the DEI reviewer still see that a review is due.
* Small samples are noisy: the fixed :data:`NOTE` says so next to every result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from playbook.load.observations import Outcome

THRESHOLD = 0.8
"""The four-fifths rule: an impact ratio below this is flagged."""
NOTE = ("Selection rates of small groups are noisy: a ratio below 0.8 is a reason to "
        "review the tool's outcomes with HR, legal and the DEI reviewer, not proof of "
        "bias, and a ratio above it is not proof of fairness.")
"""Fixed note shown beside every four-fifths result."""


WITHHELD = "everyone or no one in the group was selected"
"""Why a group's count and rate are not published."""


@dataclass(frozen=True)
class GroupRate:
    """Selection rate of one group and its ratio to the reference group, as published."""

    group: str
    n: int
    selected: int | None
    """People selected; ``None`` when withheld."""
    rate: float | None
    """Selected / n; ``None`` when withheld."""
    impact_ratio: float | None
    """Rate over the reference group's rate; ``None`` when it would reveal a withheld rate."""
    flagged: bool
    """Impact ratio below the threshold (computed from the full counts)."""
    withheld: str | None = None
    """Why the count and rate are not published, if they are not."""


@dataclass(frozen=True)
class Fairness:
    """The four-fifths check over one AI tool's outcomes."""

    groups: list[GroupRate]
    reference_group: str | None
    threshold: float
    flagged: bool
    suppressed_groups: int
    suppressed_people: int
    no_group: int
    note: str


def four_fifths(outcomes: list[Outcome], min_group_size: int,
                threshold: float = THRESHOLD) -> Fairness | None:
    """Run the four-fifths rule on selection outcomes by group.

    Args:
        outcomes: One row per person: their group (or None) and whether selected.
        min_group_size: Smallest group shown; smaller groups are suppressed.
        threshold: Impact ratio below which a group is flagged.

    Returns:
        Rates and impact ratios per shown group (sorted by name), or None when
        there are no outcomes.
    """
    if not outcomes:
        return None
    sizes: Counter[str] = Counter()
    chosen: Counter[str] = Counter()
    no_group = 0
    for o in outcomes:
        if o.group is None:
            no_group += 1
            continue
        sizes[o.group] += 1
        chosen[o.group] += int(o.selected)
    shown = sorted(g for g, n in sizes.items() if n >= min_group_size)
    small = [g for g in sizes if sizes[g] < min_group_size]
    rates = {g: chosen[g] / sizes[g] for g in shown}
    reference = min(shown, key=lambda g: (-rates[g], g), default=None)
    top = rates[reference] if reference is not None else 0.0
    groups = []
    hidden = {g for g in shown if chosen[g] in (0, sizes[g])}
    for g in shown:
        ratio = rates[g] / top if top > 0 else 1.0
        if g in hidden:
            groups.append(GroupRate(g, sizes[g], None, None, None, ratio < threshold,
                                    WITHHELD))
        else:
            groups.append(GroupRate(g, sizes[g], chosen[g], rates[g],
                                    None if reference in hidden else ratio,
                                    ratio < threshold))
    return Fairness(groups, reference, threshold, any(x.flagged for x in groups), len(small),
                    sum(sizes[g] for g in small), no_group, NOTE)
