"""Minimum detectable effects of the paired and the difference-in-differences designs.

Sits beside :mod:`playbook.figures.paired`; :mod:`playbook.figures.stats` calls
it with the people actually measured in both waves (the matched n), never the
planned cohort size: a cohort of 200 with 30 measured has the power of 30.

* **Paired** (pilot change): one-sample t-test on the changes, as statsmodels'
  ``TTestPower``; the MDE in the KPI's unit is ``d × s_d`` of the pilot's changes.
* **Difference in differences**: two-sample t-test of pilot against comparison
  changes, as statsmodels' ``TTestIndPower`` with ``ratio = n_comparison / n_pilot``;
  in the KPI's unit ``d × s_pooled`` of the two groups' changes.

Both at :data:`ALPHA` (two-sided) and :data:`POWER`. ``detectable`` only when the
targeted change ``|target − baseline|`` is at least the MDE in the KPI's unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from playbook.figures.paired import MIN_N, NoEstimate

ALPHA = 0.05
"""Two-sided significance level of every minimum detectable effect."""
POWER = 0.8
"""Probability of detecting an effect the size of the MDE."""
MDE_WARNING = "This pilot cannot detect the change it aims for."
"""Fixed note attached to an MDE larger than the targeted change."""


class Design(StrEnum):
    """Which comparison an MDE is for."""

    PAIRED = "paired"
    """The pilot's own pre→post change (one-sample t on the changes)."""
    DID = "did"
    """Pilot change against comparison change (two-sample t on the changes)."""


@dataclass(frozen=True)
class Mde:
    """Minimum detectable effect of one design, for the matched n."""

    design: Design
    """Which comparison the MDE is for: the pilot's paired change or the difference in
    differences."""
    n: int
    """Pilot subjects measured in both waves."""
    n_comparison: int | None
    """Comparison subjects measured in both waves (difference in differences only)."""
    alpha: float
    """Two-sided significance level of the test (0.05)."""
    power: float
    """Probability of detecting an effect of the MDE's size (0.8)."""
    d: float | None
    """The MDE as a standardised effect (d_z for paired, Cohen's d for DiD)."""
    sd: float | None
    """The observed SD of the changes that turns ``d`` into the KPI's unit."""
    raw: float | None
    """The MDE in the KPI's unit; None when the SD is unknown or zero."""
    targeted: float
    """The change the program aims for, ``|target − baseline|``, in the KPI's unit."""
    detectable: bool
    """Whether ``raw`` is at most ``targeted``: the design can detect the change aimed for."""
    warning: str | None = None
    """:data:`MDE_WARNING` when the MDE is larger than the targeted change, else None."""
    reason: NoEstimate | None = None
    """Why the MDE cannot be stated; None when it can."""


def _guarded(power: Callable[[float], float], upper_tail: Callable[[float], float],
             d: float) -> float:
    # scipy's non-central t returns NaN for the far (lower) tail of a tiny sample;
    # that tail is below 1e-10, so only the upper tail (one-sided at α/2) counts
    value = power(d)
    return upper_tail(d) if math.isnan(value) else value


def paired_power(d: float, n: int, alpha: float = ALPHA) -> float:
    """Return the power of a two-sided paired t-test of ``n`` pairs at effect ``d_z`` ≥ 0."""
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures.distributions import t_power

    return _guarded(lambda x: t_power(x, n, n - 1, alpha, two_sided=True),
                    lambda x: t_power(x, n, n - 1, alpha / 2, two_sided=False), d)


def did_power(d: float, n1: int, n2: int, alpha: float = ALPHA) -> float:
    """Return the power of a two-sided two-sample t-test (n1, n2) at Cohen's ``d`` ≥ 0."""
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures.distributions import t_power

    nobs = 1 / (1 / n1 + 1 / n2)  # statsmodels' TTestIndPower: pooled, df = n1 + n2 − 2
    return _guarded(lambda x: t_power(x, nobs, n1 + n2 - 2, alpha, two_sided=True),
                    lambda x: t_power(x, nobs, n1 + n2 - 2, alpha / 2, two_sided=False), d)


def _solve(power_of: Callable[[float], float], power: float) -> float:
    # solve_power stops at about 1e-7 in power; bracket the root of the power
    # function and solve it to machine precision instead
    from playbook.figures.distributions import increasing_root

    high = 1.0
    while power_of(high) < power:
        high *= 2
    return increasing_root(lambda d: power_of(d) - power, 0.0, high)


def _mde(design: Design, n: int, n2: int | None, d: float | None, sd: float | None,
         targeted: float, alpha: float, power: float) -> Mde:
    reason = (NoEstimate.TOO_FEW if d is None
              else NoEstimate.NO_SPREAD if sd == 0
              else NoEstimate.NOT_FINITE if sd is not None and not math.isfinite(sd)
              else None)
    raw = d * sd if reason is None and d is not None and sd is not None else None
    # with no spread every MDE would be 0 and "detectable": that is no evidence
    detectable = raw is not None and raw <= abs(targeted)
    # the warning is a finding: it needs an MDE to compare, not just a missing one
    warning = MDE_WARNING if raw is not None and not detectable else None
    return Mde(design, n, n2, alpha, power, d, sd, raw, abs(targeted), detectable, warning,
               reason)


def mde_paired(n: int, sd_change: float | None, targeted: float, alpha: float = ALPHA,
               power: float = POWER) -> Mde:
    """Return the smallest pilot change ``n`` matched pairs detect at ``alpha`` and ``power``.

    Args:
        n: Pilot subjects measured in both waves.
        sd_change: SD of their changes, for the MDE in the KPI's unit (None: unknown).
        targeted: The change the program aims for, in the KPI's unit.
        alpha: Two-sided significance level.
        power: Probability of detecting an effect of the MDE's size.

    Returns:
        The MDE, or a :class:`NoEstimate` reason (fewer than :data:`MIN_N` pairs, no spread).
    """
    d = _solve(lambda x: paired_power(x, n, alpha), power) if n >= MIN_N else None
    return _mde(Design.PAIRED, n, None, d, sd_change, targeted, alpha, power)


def pooled_sd(sd1: float, n1: int, sd2: float, n2: int) -> float:
    """Pooled SD of two groups, the scale of Cohen's d for two samples."""
    # hypot keeps the squares of large SDs in range: √((n1−1)s1² + (n2−1)s2²) / √(n1+n2−2)
    return math.hypot(sd1 * math.sqrt(n1 - 1), sd2 * math.sqrt(n2 - 1)) / math.sqrt(
        n1 + n2 - 2)


def mde_did(n1: int, n2: int, sd: float | None, targeted: float, alpha: float = ALPHA,
            power: float = POWER) -> Mde:
    """Return the smallest pilot-minus-comparison change the two groups detect.

    Args:
        n1: Pilot subjects measured in both waves.
        n2: Comparison subjects measured in both waves.
        sd: Pooled SD of both groups' changes (:func:`pooled_sd`); None when unknown.
        targeted: The change the program aims for, in the KPI's unit.
        alpha: Two-sided significance level.
        power: Probability of detecting an effect of the MDE's size.

    Returns:
        The MDE, or a :class:`NoEstimate` reason (a group under :data:`MIN_N`, no spread).
    """
    d = (_solve(lambda x: did_power(x, n1, n2, alpha), power) if min(n1, n2) >= MIN_N
         else None)
    return _mde(Design.DID, n1, n2, d, sd, targeted, alpha, power)
