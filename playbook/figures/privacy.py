"""What may be published from person-level data, beyond the minimum group size.

Two aggregates of the same measure over sets of people that differ by one
person give that person's value by subtraction: a wave's mean over everyone
who answered it, and the pre/post table's mean over those who answered both.
So when, in a group's wave, fewer than ``min_group_size`` people (but some)
answered that wave only, they are left out of the published means of that
wave: the chart and the status then read the same people as the paired
effect. With ``min_group_size`` or more such people both sets are published;
they differ by enough people that no one's value can be worked out.

Published means of person-level data are rounded to
:data:`~playbook.figures.trajectory.PUBLISHED_DIGITS` decimals,
the precision the site shows, in the chart data and ``playbook report`` alike.
"""

from __future__ import annotations

from collections import defaultdict

from playbook.load.observations import Observation


def publishable(series: list[Observation], min_group_size: int
                ) -> tuple[list[Observation], int]:
    """The observations whose means may be published beside the paired effect.

    Args:
        series: A person-level KPI's observations (with subjects and waves).
        min_group_size: The privacy minimum of the measurement plan.

    Returns:
        The observations to aggregate for charts and status, and how many
        people's single-wave answers were left out.
    """
    waves: dict[tuple[str, str], set[str]] = defaultdict(set)
    for o in series:
        if o.subject is not None and o.wave is not None:
            waves[(o.group or "all", o.wave)].add(o.subject)
    groups = {g for g, _ in waves}
    drop: set[tuple[str, str, str]] = set()
    for group in groups:
        mine = {w: s for (g, w), s in waves.items() if g == group}
        both = set.intersection(*mine.values()) if len(mine) > 1 else set()
        for wave, subjects in mine.items():
            only = subjects - both
            if 0 < len(only) < min_group_size:
                drop.update((group, wave, s) for s in only)
    if not drop:
        return series, 0
    kept = [o for o in series
            if (o.group or "all", o.wave or "", o.subject or "") not in drop]
    return kept, len({(g, s) for g, _, s in drop})
