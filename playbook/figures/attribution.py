"""The states of an aggregate effect, and the rule by which it earns attribution.

Sits under :mod:`playbook.figures.effects`, which estimates the effects and
labels each with these states. :func:`credibility` is the gate a data-derived
isolation share must pass before it replaces the declared share in the ROI
(:mod:`playbook.figures.benefits`): the effect's interval excludes zero, and
for a difference-in-differences the pre-trends were tested, found parallel,
on a test that could have detected a drift as large as the effect.
"""

from __future__ import annotations

from enum import StrEnum


class EffectMethod(StrEnum):
    """How an effect was estimated, strongest first."""

    DID = "difference-in-differences"
    """Pilot − comparison gap regressed on an after-start indicator."""
    ITS = "interrupted-time-series"
    """Segmented regression: mean departure from the pre-start trend."""
    BEFORE_AFTER = "before-after"
    """Mean after minus mean before (or the baseline): unattributed, no interval."""
    NOT_ESTIMATED = "not-estimated"
    """Nothing measured since the start, or values too large to estimate."""


class TrendCheck(StrEnum):
    """Whether pilot and comparison moved in parallel before the start."""

    PARALLEL = "parallel"
    """No significant slope in the gap before the start."""
    DIVERGING = "diverging"
    """The gap already had a significant slope: the effect is not attributable."""
    CANNOT_ASSESS = "cannot-assess"
    """Too few periods before the start to fit a trend."""


class Credibility(StrEnum):
    """Whether an effect's data-derived share may replace the declared share."""

    CREDIBLE = "credible"
    """The interval excludes zero and, for a difference-in-differences, the groups
    moved in parallel before the start on a test that could see a drift the effect's size."""
    UNATTRIBUTED = "unattributed"
    """No comparison group or trend to attribute with (before/after, or nothing measured)."""
    NOT_ESTIMABLE = "not-estimable"
    """The effect has no interval (degenerate variance or too few periods)."""
    INTERVAL_INCLUDES_ZERO = "interval-includes-zero"
    """The effect's interval includes zero: no effect at all is as plausible as this one."""
    DIVERGING = "pre-trends-diverging"
    """The groups were already drifting apart before the start."""
    UNTESTED = "pre-trends-untested"
    """Too few pre-periods to test parallel trends."""
    UNDERPOWERED = "pre-trends-underpowered"
    """The pre-trend test could only have detected a drift larger than the effect."""


def credibility(method: EffectMethod, ci: tuple[float | None, float | None],
                trend: TrendCheck | None, detectable: float | None,
                estimate: float | None) -> Credibility:
    """Judge whether a data-derived share is credible (see the module docstring).

    The reasons are checked in order, so the first one that applies is reported.
    """
    if method not in (EffectMethod.DID, EffectMethod.ITS) or estimate is None:
        return Credibility.UNATTRIBUTED
    low, high = ci
    if low is None or high is None:
        return Credibility.NOT_ESTIMABLE
    if low <= 0 <= high:
        return Credibility.INTERVAL_INCLUDES_ZERO
    if method is EffectMethod.ITS:
        return Credibility.CREDIBLE  # the trend is modelled; no parallel-trends assumption
    if trend is TrendCheck.DIVERGING:
        return Credibility.DIVERGING
    if trend is not TrendCheck.PARALLEL or detectable is None:
        return Credibility.UNTESTED
    if detectable > abs(estimate):
        return Credibility.UNDERPOWERED
    return Credibility.CREDIBLE
