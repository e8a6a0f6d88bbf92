"""One group against the reference group → impact ratio, tests and verdict.

Sits under :mod:`.fairness`, which picks the groups and the reference and
decides what may be published; this module only compares two counts. The
rules follow the Uniform Guidelines (29 CFR 1607.4(D)) and the practice built
on them:

* The impact ratio is the group's selection rate over the reference's. Below
  :data:`THRESHOLD` (four-fifths) it is evidence of adverse impact. The
  comparison is exact (fractions), so 4/10 against 5/10 is exactly 0.8 and
  passes.
* Statistical significance: Fisher's exact test on the 2×2 table (group and
  reference × selected and not), two-sided, at :data:`ALPHA`. It is exact at
  any sample size, so it decides; the pooled two-proportion z statistic (the
  "two standard deviations" rule) is shown beside it. A shortfall is
  significant when Fisher's p is below :data:`ALPHA` and the group's rate is
  below the reference's.
* Interval: the Katz log interval for a ratio of two proportions,
  ``exp(log r ± z·sqrt(1/a − 1/n₁ + 1/c − 1/n₂))``; it has no finite bound
  when either group selected no one.
* Practical significance (the "flip-flop" rule): how many selections in the
  group would change whether its ratio is below the threshold, added when it
  is, taken away when it is not. A flag that :data:`FLIP_MARGIN` or fewer
  selections would clear is not practically robust.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

THRESHOLD: Final = 0.8
"""The four-fifths rule: an impact ratio below this is evidence of adverse impact."""
ALPHA: Final = 0.05
"""Significance level of the two-sided tests (about two standard deviations)."""
FLIP_MARGIN: Final = 2
"""A flag that this many selections or fewer would clear is not practically robust."""
LEVEL: Final = 0.95
"""Confidence level of the impact-ratio interval."""


class FairnessVerdict(StrEnum):
    """What the comparison of one group with the reference group says."""

    REFERENCE = "reference"
    """The highest-rate disclosed group, which every other group is compared with."""
    FLAGGED = "flagged"
    """Ratio below the threshold, and the shortfall is statistically significant or
    practically robust (more than :data:`FLIP_MARGIN` selections would clear it)."""
    FLAGGED_NOT_SIGNIFICANT = "flagged-not-significant"
    """Ratio below the threshold, but neither statistically significant nor practically
    robust: still a reason for review, on weak evidence."""
    SIGNIFICANT_ABOVE_THRESHOLD = "significant-above-threshold"
    """Ratio at or above the threshold, but the shortfall is statistically significant."""
    NO_ADVERSE_IMPACT = "no-adverse-impact"
    """Ratio at or above the threshold and no significant shortfall."""
    CANNOT_ASSESS = "cannot-assess"
    """No comparison is possible: fewer than two disclosed groups can be compared."""
    WITHHELD = "withheld"
    """Everyone or no one in the group was selected: any verdict against the reference
    would tell which, so the group gets this one, and a review, whichever it was."""


REVIEW_DUE: Final = frozenset({
    FairnessVerdict.FLAGGED, FairnessVerdict.FLAGGED_NOT_SIGNIFICANT,
    FairnessVerdict.SIGNIFICANT_ABOVE_THRESHOLD, FairnessVerdict.WITHHELD})
"""Verdicts that call for review by HR, legal and the DEI reviewer."""


@dataclass(frozen=True)
class ImpactTest:
    """One group's selections compared with the reference group's."""

    ratio: float
    """Group's selection rate over the reference's."""
    ratio_low: float | None
    """Lower bound of the Katz log interval (``None`` when a group selected no one)."""
    ratio_high: float | None
    """Upper bound of the Katz log interval (``None`` when a group selected no one)."""
    fisher_p: float
    """Two-sided p of Fisher's exact test on the 2×2 table."""
    z: float | None
    """Pooled two-proportion z statistic (``None`` when both groups' outcomes are all
    the same, so the pooled variance is zero)."""
    z_p: float | None
    """Two-sided p of the z test."""
    significant: bool
    """Fisher's p below :data:`ALPHA` and the group's rate below the reference's."""
    below_threshold: bool
    """Impact ratio below :data:`THRESHOLD`, compared exactly."""
    flips: int
    """Selections in the group that would change ``below_threshold``: added when it is
    below, taken away when it is not."""
    robust: bool
    """More than :data:`FLIP_MARGIN` selections would be needed to change the result."""
    verdict: FairnessVerdict
    """What the comparison says, read from the ratio and the tests."""


def compare(selected: int, n: int, ref_selected: int, ref_n: int,
            threshold: float = THRESHOLD) -> ImpactTest:
    """Compare a group's selections with the reference group's.

    Args:
        selected: People selected in the group.
        n: People in the group (at least 1).
        ref_selected: People selected in the reference group (at least 1, so the
            ratio is defined).
        ref_n: People in the reference group.
        threshold: Impact ratio below which the group is flagged.

    Returns:
        The ratio, its interval, both tests, the flip count and the verdict.
    """
    assert 0 <= selected <= n and 0 < ref_selected <= ref_n
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures import distributions

    fisher_p = distributions.fisher_two_sided_p(selected, n - selected, ref_selected,
                                                ref_n - ref_selected)
    z, z_p = _z_test(selected, n, ref_selected, ref_n)
    # exact arithmetic: the rate the group needs to reach the threshold, in selections
    need = Fraction(repr(threshold)) * ref_selected * n / ref_n
    below = selected < need
    flips = math.ceil(need) - selected if below else math.floor(selected - need) + 1
    significant = fisher_p < ALPHA and selected * ref_n < ref_selected * n
    robust = flips > FLIP_MARGIN
    if below:
        verdict = (FairnessVerdict.FLAGGED if significant or robust
                   else FairnessVerdict.FLAGGED_NOT_SIGNIFICANT)
    else:
        verdict = (FairnessVerdict.SIGNIFICANT_ABOVE_THRESHOLD if significant
                   else FairnessVerdict.NO_ADVERSE_IMPACT)
    low, high = katz_interval(selected, n, ref_selected, ref_n)
    return ImpactTest((selected / n) / (ref_selected / ref_n), low, high, fisher_p, z, z_p,
                      significant, below, flips, robust, verdict)


def katz_interval(selected: int, n: int, ref_selected: int,
                  ref_n: int) -> tuple[float | None, float | None]:
    """Katz log interval of the ratio of two proportions, at :data:`LEVEL`.

    Args:
        selected: People selected in the group.
        n: People in the group.
        ref_selected: People selected in the reference group.
        ref_n: People in the reference group.

    Returns:
        Lower and upper bounds, or ``(None, None)`` when either count selected is
        zero (the log of the ratio is then not finite).
    """
    if selected == 0 or ref_selected == 0:
        return None, None
    log_ratio = math.log(selected / n) - math.log(ref_selected / ref_n)
    se = math.sqrt(1 / selected - 1 / n + 1 / ref_selected - 1 / ref_n)
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures import distributions

    z = distributions.normal_quantile(0.5 + LEVEL / 2)
    return math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)


def _z_test(selected: int, n: int, ref_selected: int,
            ref_n: int) -> tuple[float | None, float | None]:
    """Pooled two-proportion z test; ``(None, None)`` when the pooled variance is zero."""
    if selected + ref_selected in (0, n + ref_n):
        # everyone (or no one) in both groups: no variance, so no statistic; statsmodels
        # would divide by zero and return NaN with a warning
        return None, None
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures import distributions

    return distributions.two_proportion_z(selected, n, ref_selected, ref_n)
