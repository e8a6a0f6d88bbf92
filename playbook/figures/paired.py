"""Paired change and difference in differences, or the stated reason they cannot be had.

Sits under :mod:`playbook.figures.stats`, which pairs the survey waves and calls
these. Formulas (two-sided, at :data:`LEVEL`):

* **Paired change** per group: changes ``d_i = post_i − pre_i`` of subjects
  measured in both waves; mean change ``d̄``, ``s_d`` (n − 1), interval
  ``d̄ ± t(0.975, n−1)·s_d/√n``, Cohen's ``d_z = d̄ / s_d``, paired t-test p.
* **Difference in differences**: ``d̄_pilot − d̄_comparison`` with Welch's
  standard error ``√(s₁²/n₁ + s₂²/n₂)`` and Welch–Satterthwaite degrees of freedom.

Degenerate data never yields a number that looks like evidence: fewer than
:data:`MIN_N` people, changes without spread, a value that is not finite or
beyond :data:`MAX_MAGNITUDE` give a :class:`NoEstimate` reason instead of
p = 0, a zero-width interval or an exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import correlation, fmean, stdev
from types import MappingProxyType
from typing import Final

from playbook.figures.rounding import half_away
from playbook.figures.trajectory import PUBLISHED_DIGITS

LEVEL = 0.95
"""Confidence level of every interval."""
NOISE = 1e-12
"""A spread of changes below this share of the values' size is rounding, taken as 0."""
MIN_N = 3
"""Fewest people in a group for an estimate: with two, a t interval rests on one
degree of freedom and spans nearly any value."""
MAX_MAGNITUDE = 1e12
"""Largest absolute value read as a score or change; larger ones are a unit or export
error, and their squares leave the range of floating point."""


class NoEstimate(StrEnum):
    """Why a figure cannot be estimated from the data at hand."""

    TOO_FEW = "too-few"
    """Fewer than :data:`MIN_N` people in a group."""
    NO_SPREAD = "no-spread"
    """Every change is the same, so there is no spread to measure uncertainty by."""
    NOT_FINITE = "not-finite"
    """A value is missing, infinite or not a number."""
    TOO_LARGE = "too-large"
    """A value is larger in size than :data:`MAX_MAGNITUDE`."""


REASONS: Final[Mapping[NoEstimate, str]] = MappingProxyType({
    NoEstimate.TOO_FEW: f"fewer than {MIN_N} people in a group",
    NoEstimate.NO_SPREAD: "every change is the same, so there is no spread to measure "
                          "uncertainty by",
    NoEstimate.NOT_FINITE: "a value is not a finite number",
    NoEstimate.TOO_LARGE: f"a value is larger than {MAX_MAGNITUDE:.0e} in size, "
                          "likely a unit or export error",
})
"""The reason for each :class:`NoEstimate`, as a clause for pages and ``playbook check``."""

VALUE_REASONS: Final = frozenset({NoEstimate.NOT_FINITE, NoEstimate.TOO_LARGE})
"""Reasons that say the data itself is wrong, not merely thin."""


@dataclass(frozen=True)
class Interval:
    """A confidence interval."""

    low: float
    """Lower bound, in the unit of the estimate."""
    high: float
    """Upper bound, in the unit of the estimate."""
    level: float = LEVEL
    """Confidence level, as a share (0.95)."""


@dataclass(frozen=True)
class PairedEffect:
    """Mean pre→post change of one group's matched subjects (None where not estimable)."""

    group: str
    """``pilot``, ``comparison`` or ``all``."""
    n: int
    """People measured in both waves (the matched subjects)."""
    mean_pre: float | None
    """Mean of the pre wave over the matched subjects, rounded to the site's precision."""
    mean_post: float | None
    """Mean of the post wave over the matched subjects, rounded likewise."""
    mean_change: float | None
    """Mean post − pre change, in the KPI's unit; None when the data cannot carry it
    (``reason``)."""
    sd_change: float | None
    """Sample standard deviation of the changes (n − 1), in the KPI's unit; 0 without spread; None
    when the data cannot carry it."""
    ci: Interval | None
    """95 % t interval of the mean change; None when not estimable (``reason``)."""
    d_z: float | None
    """Cohen's d_z: the mean change over the standard deviation of the changes; None when not
    estimable."""
    p_value: float | None
    """Two-sided p of the paired t-test, never 0; None when not estimable."""
    reason: NoEstimate | None = None
    """Why the interval, d_z and p are missing; None when they are estimated."""
    r: float | None = None
    """Pearson correlation of the matched people's pre and post values: it converts d_z
    to the metric of the scores, for the research benchmark; None when a wave has no
    spread."""
    sd_pre: float | None = None
    """Standard deviation (n − 1) of the pre wave over the matched people: it
    standardises a difference in differences."""


@dataclass(frozen=True)
class DidEffect:
    """Difference in differences: pilot change minus comparison change (Welch)."""

    estimate: float | None
    """Pilot mean change minus comparison mean change, in the KPI's unit; None when the data cannot
    carry it (``reason``)."""
    ci: Interval | None
    """95 % Welch t interval of the estimate; None when not estimable (``reason``)."""
    n_pilot: int
    """Pilot people measured in both waves."""
    n_comparison: int
    """Comparison people measured in both waves."""
    p_value: float | None
    """Two-sided p of the Welch t-test, never 0; None when not estimable."""
    df: float | None = None
    """Welch–Satterthwaite degrees of freedom."""
    se: float | None = None
    """Welch standard error of the estimate."""
    reason: NoEstimate | None = None
    """Why the interval and p are missing; None when they are estimated."""


def screen(*samples: Sequence[float]) -> NoEstimate | None:
    """Return why these samples cannot carry an estimate, or None when they can.

    Checked in order of how wrong the data is: non-finite, too large, too few.
    """
    values = [x for s in samples for x in s]
    if not all(math.isfinite(x) for x in values):
        return NoEstimate.NOT_FINITE
    if any(abs(x) > MAX_MAGNITUDE for x in values):
        return NoEstimate.TOO_LARGE
    if min((len(s) for s in samples), default=0) < MIN_N:
        return NoEstimate.TOO_FEW
    return None


def spread(values: Sequence[float], scale: float) -> float:
    """Sample standard deviation, 0 when below :data:`NOISE` times ``scale``.

    Equal changes up to rounding (3.52 − 3.12 for everyone) have no real spread;
    without this they would give a t of 10¹⁵ and p = 0.
    """
    sd = stdev(values)
    return 0.0 if sd <= NOISE * scale else sd


def p_two_sided(t: float, df: float) -> float:
    """Two-sided t-test p-value, never 0.

    A p below the smallest positive float underflows to 0; the smallest float
    is reported instead, an upper bound on the true p, so the test never reads
    as certain.
    """
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures import distributions

    return max(distributions.t_two_sided_p(t, df), math.ulp(0.0))


def _interval(centre: float, se: float, df: float, level: float = LEVEL) -> Interval:
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures import distributions

    half = distributions.t_quantile(0.5 + level / 2, df) * se
    return Interval(centre - half, centre + half, level)


def paired_effect(group: str, pre: Sequence[float], post: Sequence[float]) -> PairedEffect:
    """Return the paired pre→post effect of one group.

    Args:
        group: ``pilot``, ``comparison`` or ``all``.
        pre: Each subject's pre-wave value.
        post: The same subjects' post-wave values, in the same order.

    Returns:
        Mean change, its t interval, Cohen's d_z and the paired t-test p-value;
        with a :class:`NoEstimate` reason and None in their place when the data
        cannot carry them.

    Raises:
        ValueError: When the lengths differ (a caller's mistake, not the data's).
    """
    if len(pre) != len(post):
        raise ValueError("paired_effect needs two samples of equal length")
    n = len(pre)
    reason = screen(pre, post)
    if reason is not None:
        return PairedEffect(group, n, None, None, None, None, None, None, None, reason)
    changes = [b - a for a, b in zip(pre, post, strict=True)]
    mean = fmean(changes)
    sd = spread(changes, max(abs(x) for x in (*pre, *post)))
    # the wave means are published at the site's precision (as chart means are)
    mean_pre, mean_post = (half_away(fmean(pre), PUBLISHED_DIGITS),
                           half_away(fmean(post), PUBLISHED_DIGITS))
    if sd == 0:
        return PairedEffect(group, n, mean_pre, mean_post, mean, 0.0, None, None, None,
                            NoEstimate.NO_SPREAD)
    se = sd / math.sqrt(n)
    sd_pre = spread(pre, max(abs(x) for x in pre))
    r = (correlation(pre, post)
         if sd_pre > 0 and spread(post, max(abs(x) for x in post)) > 0 else None)
    return PairedEffect(group, n, mean_pre, mean_post, mean, sd,
                        _interval(mean, se, n - 1), mean / sd, p_two_sided(mean / se, n - 1),
                        r=r, sd_pre=sd_pre if sd_pre > 0 else None)


def did_effect(pilot_changes: Sequence[float],
               comparison_changes: Sequence[float]) -> DidEffect:
    """Return the difference in mean changes, pilot minus comparison, with Welch's interval.

    Args:
        pilot_changes: Per-subject post − pre changes in the pilot group.
        comparison_changes: The same for the comparison group.

    Returns:
        The estimate, its Welch t interval and p-value; with a
        :class:`NoEstimate` reason and None in their place when the data cannot
        carry them.
    """
    n1, n2 = len(pilot_changes), len(comparison_changes)
    reason = screen(pilot_changes, comparison_changes)
    if reason is not None:
        return DidEffect(None, None, n1, n2, None, reason=reason)
    estimate = fmean(pilot_changes) - fmean(comparison_changes)
    scale = max(abs(x) for x in (*pilot_changes, *comparison_changes))
    e1 = spread(pilot_changes, scale) / math.sqrt(n1)
    e2 = spread(comparison_changes, scale) / math.sqrt(n2)
    se = math.hypot(e1, e2)  # √(s₁²/n₁ + s₂²/n₂) without squaring large or tiny values
    if e1 == 0 or e2 == 0:
        # a group with no spread (three people, one change) has a variance of 0 only
        # because it is tiny: Welch would give it no weight and a p as if it were exact
        return DidEffect(estimate, None, n1, n2, None, reason=NoEstimate.NO_SPREAD)
    # Welch–Satterthwaite, divided through by se⁴ so nothing over- or underflows
    df = 1 / ((e1 / se) ** 4 / (n1 - 1) + (e2 / se) ** 4 / (n2 - 1))
    return DidEffect(estimate, _interval(estimate, se, df), n1, n2,
                     p_two_sided(estimate / se, df), df, se)
