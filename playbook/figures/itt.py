"""Completers' pre/post changes → intention-to-treat sensitivity to attrition.

Sits beside :mod:`playbook.figures.attrition`; :mod:`playbook.figures.stats`
calls it with each group's per-person wave values. The effects count only the
people who answered both waves (completers). Over everyone who answered the pre
wave, per group with ``n`` pre answerers of whom ``k`` dropped out:

* **Dropouts as no change** (intention to treat, last observation carried
  forward): each dropout's change is 0, so the group's mean change is the sum
  of the completers' changes over ``n``. The difference in differences is the
  pilot's mean minus the comparison's.
* **Worst/best-case bounds** (Horowitz–Manski): each dropout's post answer is
  anywhere on the KPI's declared ``scale``, so their change lies between
  ``low − pre`` and ``high − pre``. The group's lower bound puts every dropout
  at the scale's bottom, the upper at its top; the difference in differences
  runs from pilot low − comparison high to pilot high − comparison low. These
  bounds assume nothing about why people left, so they are wide; without a
  declared scale they are not estimated.

Lee bounds were not chosen: they trim the completers' changes, and a trimmed
mean beside the full mean gives the sum of the few trimmed people's changes.
A group is included only when its own effect is published (the privacy rules of
:mod:`playbook.figures.stats`), so these figures use only its published means
and counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from playbook.model.measure import Scale


class BoundGap(StrEnum):
    """Why worst/best-case bounds are not estimated."""

    NO_SCALE = "no-scale"
    """The KPI declares no ``scale``: a dropout's answer has no bound."""
    OUTSIDE_SCALE = "outside-scale"
    """An answer lies outside the declared scale: the scale or the data is wrong."""


@dataclass(frozen=True)
class IttGroup:
    """One group's mean change over everyone who answered the pre wave."""

    group: str
    """``pilot``, ``comparison`` or ``all``."""
    n: int
    """People who answered the pre wave: the denominator."""
    dropouts: int
    """Of them, people with no post answer."""
    completer_change: float
    """Mean change of the completers, the effect as shown."""
    no_change: float
    """Mean change with each dropout's change counted as 0."""
    low: float | None
    """Mean change with each dropout at the bottom of the scale; None with a gap."""
    high: float | None
    """Mean change with each dropout at the top of the scale; None with a gap."""


@dataclass(frozen=True)
class Itt:
    """Intention-to-treat sensitivity of one person-level KPI's effects."""

    groups: list[IttGroup]
    """Each group whose effect is published, pilot first."""
    did_no_change: float | None
    """Pilot minus comparison, dropouts as no change; None without both groups."""
    did_low: float | None
    """Pilot low minus comparison high: the worst case of the difference."""
    did_high: float | None
    """Pilot high minus comparison low: the best case of the difference."""
    gap: BoundGap | None
    """Why the bounds are missing; None when they are estimated."""
    scale: tuple[float, float] | None = None
    """The KPI's declared scale (low, high) the bounds put the dropouts at."""


def _group(group: str, pre: Mapping[str, float], post: Mapping[str, float],
           scale: Scale | None) -> tuple[IttGroup, BoundGap | None]:
    both = [s for s in pre if s in post]
    gone = [s for s in pre if s not in post]
    n = len(pre)
    total = sum(post[s] - pre[s] for s in both)
    gap = BoundGap.NO_SCALE if scale is None else None
    if scale is not None and not all(scale.low <= v <= scale.high
                                     for v in (*pre.values(), *post.values())):
        gap = BoundGap.OUTSIDE_SCALE
    low = high = None
    if scale is not None and gap is None:
        dropped_pre = sum(pre[s] for s in gone)
        low = (total + len(gone) * scale.low - dropped_pre) / n
        high = (total + len(gone) * scale.high - dropped_pre) / n
    return IttGroup(group, n, len(gone), total / len(both), total / n, low, high), gap


def itt(waves: Mapping[str, tuple[Mapping[str, float], Mapping[str, float]]],
        published: set[str], scale: Scale | None) -> Itt | None:
    """Return the intention-to-treat sensitivity of the published groups' changes.

    Args:
        waves: For each group, each person's pre and post values by pseudonymous id.
        published: Groups whose paired effect is published with a mean change.
        scale: The KPI's declared answer scale, if any.

    Returns:
        The figures, or None when no published group has a dropout (nothing to
        be sensitive to) or no group is published.
    """
    found = [_group(g, *waves[g], scale) for g in waves if g in published]
    if not any(g.dropouts for g, _ in found):
        return None
    groups = [g for g, _ in found]
    gap = next((gap for _, gap in found if gap is not None), None)
    bounds = (scale.low, scale.high) if scale is not None else None
    by = {g.group: g for g in groups}
    pilot, comparison = by.get("pilot"), by.get("comparison")
    if pilot is None or comparison is None:
        return Itt(groups, None, None, None, gap, bounds)
    low = high = None
    if gap is None:
        assert pilot.low is not None and pilot.high is not None
        assert comparison.low is not None and comparison.high is not None
        low, high = pilot.low - comparison.high, pilot.high - comparison.low
    return Itt(groups, pilot.no_change - comparison.no_change, low, high, gap, bounds)
