"""Who answered which survey wave, and whether those who left differed at baseline.

Sits beside :mod:`playbook.figures.paired`; :mod:`playbook.figures.stats` calls
it with each group's per-person wave values. Effects are computed on the people
measured in both waves only, so leaders who leave or skip the post wave drop out
of them; when those leaders differ (the least engaged, the lowest gains), the
effect over those who stayed overstates the program. Per group:

* how many answered the pre wave, the post wave, and both; the **dropouts**
  answered pre but not post;
* the dropouts' mean pre score against the completers' (those with both waves),
  their difference and a Welch t-test p (scipy's ``ttest_ind``, unequal variances);
* a flag when more than :data:`MAX_DROPOUT_SHARE` of the pre answerers are
  dropouts, or when the dropouts differ at :data:`DROPOUT_ALPHA`.

Nothing is judged before anyone has answered the post wave. The baseline
comparison is withheld when the dropouts or the completers are fewer than the
privacy threshold: a mean over two leaders would reveal them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import fmean

from playbook.figures.paired import NoEstimate, screen, spread

MAX_DROPOUT_SHARE = 0.20
"""Share of a group's pre-wave answerers without a post answer above which to warn."""
DROPOUT_ALPHA = 0.05
"""Significance level at which dropouts' pre scores count as differing from completers'."""


class AttritionFlag(StrEnum):
    """Why a group's attrition may bias the effects."""

    MANY_DROPPED = "many-dropped"
    """More than :data:`MAX_DROPOUT_SHARE` of the pre answerers have no post answer."""
    DROPOUTS_DIFFER = "dropouts-differ"
    """The dropouts' mean pre score differs from the completers' at :data:`DROPOUT_ALPHA`."""


@dataclass(frozen=True)
class GroupAttrition:
    """Answers per wave of one group, and the dropouts against the completers."""

    group: str
    """``pilot``, ``comparison`` or ``all``."""
    pre: int
    """People who answered the pre wave."""
    post: int
    """People who answered the post wave."""
    both: int
    """People who answered both: the completers, the n of every effect."""
    dropouts: int
    """People who answered pre but not post."""
    share: float | None
    """Dropouts over pre answerers; None before the post wave or without pre answers."""
    dropout_mean_pre: float | None
    """Dropouts' mean pre score, in the KPI's unit; None before the post wave, when withheld, or
    when the data cannot carry it."""
    completer_mean_pre: float | None
    """Completers' mean pre score, in the KPI's unit; None in the same cases."""
    difference: float | None
    """Dropouts' mean pre score minus completers'."""
    p_value: float | None
    """Welch t-test of the dropouts' against the completers' pre scores."""
    withheld: bool = False
    """The comparison is withheld: dropouts or completers are under the privacy threshold."""
    reason: NoEstimate | None = None
    """Why the t-test cannot be made, when it is not withheld."""
    flags: list[AttritionFlag] = field(default_factory=list)
    """Why this group's attrition may bias the effects; empty when it may not."""


@dataclass(frozen=True)
class Attrition:
    """Attrition of every group of one person-level KPI."""

    groups: list[GroupAttrition]
    """Each group with answers, pilot first."""
    post_started: bool
    """Someone has answered the post wave; before that, nobody has dropped out yet."""
    planned: int
    """The pilot's planned cohort size, beside the matched n the figures use."""
    flagged: bool
    """Some group's attrition may bias the effects."""


def _compare(dropped: list[float], kept: list[float], min_group_size: int
             ) -> tuple[float | None, float | None, float | None, float | None, bool,
                        NoEstimate | None]:
    """Means, difference, Welch p, withheld and reason of dropouts against completers."""
    if not dropped or not kept:
        return None, None, None, None, False, None
    if min(len(dropped), len(kept)) < min_group_size:
        return None, None, None, None, True, None
    reason = screen(dropped, kept)
    if reason is not None:
        return None, None, None, None, False, reason
    a, b = fmean(dropped), fmean(kept)
    scale = max(abs(x) for x in (*dropped, *kept))
    if spread(dropped, scale) == 0 and spread(kept, scale) == 0:
        return a, b, a - b, None, False, NoEstimate.NO_SPREAD
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures import distributions

    p = distributions.welch_p(dropped, kept)
    # a p under the smallest float is reported as that float, never as 0
    return a, b, a - b, max(p, math.ulp(0.0)), False, None


def group_attrition(group: str, pre: Mapping[str, float], post: Mapping[str, float], *,
                    post_started: bool, min_group_size: int) -> GroupAttrition:
    """Return who answered which wave in one group, and the dropouts' baseline.

    Args:
        group: ``pilot``, ``comparison`` or ``all``.
        pre: Each person's pre-wave value, by pseudonymous id.
        post: Each person's post-wave value, by pseudonymous id.
        post_started: Someone (in any group) has answered the post wave.
        min_group_size: Privacy threshold on the people a mean is taken over.

    Returns:
        Counts, the baseline comparison and the flags raised.
    """
    both = sorted(pre.keys() & post.keys())
    gone = sorted(pre.keys() - post.keys())
    dropouts = len(gone) if post_started else 0
    share = dropouts / len(pre) if post_started and pre else None
    a, b, diff, p, withheld, reason = (
        _compare([pre[s] for s in gone], [pre[s] for s in both], min_group_size)
        if post_started else (None, None, None, None, False, None))
    flags = []
    if share is not None and share > MAX_DROPOUT_SHARE:
        flags.append(AttritionFlag.MANY_DROPPED)
    if p is not None and p < DROPOUT_ALPHA:
        flags.append(AttritionFlag.DROPOUTS_DIFFER)
    return GroupAttrition(group, len(pre), len(post), len(both), dropouts, share, a, b,
                          diff, p, withheld, reason, flags)


def attrition(waves: Mapping[str, tuple[Mapping[str, float], Mapping[str, float]]], *,
              planned: int, min_group_size: int) -> Attrition:
    """Return the attrition of every group.

    Args:
        waves: For each group, each person's pre and post values by pseudonymous id.
        planned: The pilot's planned cohort size.
        min_group_size: Privacy threshold on the people a mean is taken over.

    Returns:
        One :class:`GroupAttrition` per group, in the order given.
    """
    started = any(post for _, post in waves.values())
    groups = [group_attrition(g, pre, post, post_started=started,
                              min_group_size=min_group_size)
              for g, (pre, post) in waves.items()]
    return Attrition(groups, started, planned, any(g.flags for g in groups))
