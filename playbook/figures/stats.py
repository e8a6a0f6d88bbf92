"""Person-level pre/post waves → behaviour-change effects with intervals and power.

Sits between the loaded observations and the pages. Formulas (two-sided, 95 %):

* **Paired change** per group: changes ``d_i = post_i − pre_i`` of subjects
  measured in both waves; mean change ``d̄``, ``s_d`` (n − 1), interval
  ``d̄ ± t(0.975, n−1)·s_d/√n``, Cohen's ``d_z = d̄ / s_d``, paired t-test p.
* **Difference in differences**: ``d̄_pilot − d̄_comparison`` with Welch's
  standard error ``√(s₁²/n₁ + s₂²/n₂)`` and Welch–Satterthwaite degrees of freedom.
* **Minimum detectable effect** of a paired t-test with the pilot's cohort size
  at α and power: the ``d_z`` where statsmodels' ``TTestPower`` power equals
  the target (solved by Brent's method to machine precision), and, times the pilot's
  observed ``s_d``, in the KPI's unit; ``detectable`` when that is no larger
  than the change the program targets, ``|target − baseline|``.

Distributions come from scipy and statsmodels; nothing here hand-writes one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, stdev

from scipy import stats as sps
from scipy.optimize import brentq
from statsmodels.stats.power import TTestPower

from playbook.figures.trajectory import PUBLISHED_DIGITS
from playbook.load.observations import Observation
from playbook.model.measure import Kpi

LEVEL = 0.95
"""Confidence level of every interval."""
NOISE = 1e-12
"""A spread of changes below this share of the values' size is rounding, taken as 0."""
MDE_WARNING = "This pilot cannot detect the change it aims for."
"""Fixed note attached to an MDE larger than the targeted change."""


@dataclass(frozen=True)
class Interval:
    """A confidence interval."""

    low: float
    high: float
    level: float = LEVEL


@dataclass(frozen=True)
class PairedEffect:
    """Mean pre→post change of one group's matched subjects."""

    group: str
    n: int
    mean_pre: float
    """Mean of the pre wave over the matched subjects, rounded to the site's precision."""
    mean_post: float
    """Mean of the post wave over the matched subjects, rounded likewise."""
    mean_change: float
    sd_change: float
    ci: Interval
    d_z: float
    p_value: float


@dataclass(frozen=True)
class DidEffect:
    """Difference in differences: pilot change minus comparison change (Welch)."""

    estimate: float
    ci: Interval
    n_pilot: int
    n_comparison: int
    p_value: float
    df: float = math.nan
    """Welch–Satterthwaite degrees of freedom."""
    se: float = math.nan
    """Welch standard error of the estimate."""


@dataclass(frozen=True)
class Mde:
    """Minimum detectable effect of the pilot's paired design."""

    n: int
    alpha: float
    power: float
    d: float
    raw: float | None
    targeted: float
    detectable: bool
    warning: str | None = None
    """:data:`MDE_WARNING` when not detectable, else None."""


@dataclass(frozen=True)
class BehaviourEffect:
    """Pre/post effects of one person-level KPI, with the pilot's power."""

    kpi_id: str
    pilot: PairedEffect | None
    comparison: PairedEffect | None
    did: DidEffect | None
    mde: Mde | None
    unmatched: int
    suppressed_groups: list[str]


def _ratio(num: float, den: float) -> float:
    if den > 0:
        return num / den
    return math.nan if num == 0 else math.copysign(math.inf, num)


def _p_value(t: float, df: float) -> float:
    return math.nan if math.isnan(t) else float(2 * sps.t.sf(abs(t), df))


def _interval(centre: float, se: float, df: float, level: float = LEVEL) -> Interval:
    half = float(sps.t.ppf(0.5 + level / 2, df)) * se
    return Interval(centre - half, centre + half, level)


def paired_effect(group: str, pre: Sequence[float], post: Sequence[float]) -> PairedEffect:
    """Return the paired pre→post effect of one group.

    Args:
        group: ``pilot``, ``comparison`` or ``all``.
        pre: Each subject's pre-wave value.
        post: The same subjects' post-wave values, in the same order.

    Returns:
        Mean change, its t interval, Cohen's d_z and the paired t-test p-value.

    Raises:
        ValueError: When the lengths differ or there are fewer than two pairs.
    """
    if len(pre) != len(post) or len(pre) < 2:
        raise ValueError("paired_effect needs two equal-length samples of at least 2")
    n = len(pre)
    changes = [b - a for a, b in zip(pre, post, strict=True)]
    mean, sd = fmean(changes), stdev(changes)
    if sd <= NOISE * max(abs(x) for x in (*pre, *post)):
        sd = 0.0  # equal changes up to rounding (3.52 − 3.12 each) have no spread
    se = sd / math.sqrt(n)
    # the wave means are published at the site's precision (as chart means are)
    return PairedEffect(group, n, round(fmean(pre), PUBLISHED_DIGITS),
                        round(fmean(post), PUBLISHED_DIGITS), mean, sd,
                        _interval(mean, se, n - 1), _ratio(mean, sd),
                        _p_value(_ratio(mean, se), n - 1))


def did_effect(pilot_changes: Sequence[float],
               comparison_changes: Sequence[float]) -> DidEffect:
    """Return the difference in mean changes, pilot minus comparison, with Welch's interval.

    Args:
        pilot_changes: Per-subject post − pre changes in the pilot group.
        comparison_changes: The same for the comparison group.

    Returns:
        The estimate, its Welch t interval and p-value.

    Raises:
        ValueError: When either group has fewer than two subjects.
    """
    n1, n2 = len(pilot_changes), len(comparison_changes)
    if min(n1, n2) < 2:
        raise ValueError("did_effect needs at least two changes per group")
    v1, v2 = stdev(pilot_changes) ** 2 / n1, stdev(comparison_changes) ** 2 / n2
    estimate = fmean(pilot_changes) - fmean(comparison_changes)
    se = math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)) if se > 0 else n1 + n2 - 2.0
    return DidEffect(estimate, _interval(estimate, se, df), n1, n2,
                     _p_value(_ratio(estimate, se), df), df, se)


def paired_power(d: float, n: int, alpha: float = 0.05) -> float:
    """Return the power of a two-sided paired t-test of ``n`` pairs at effect ``d_z`` ≥ 0.

    statsmodels' ``TTestPower``; where scipy's non-central t returns NaN for the
    far (lower) tail of a tiny sample, that tail is below 1e-10 and only the
    upper tail (``larger`` at α/2) is used.
    """
    power = float(TTestPower().power(effect_size=d, nobs=n, alpha=alpha,
                                     alternative="two-sided"))
    if math.isnan(power):
        power = float(TTestPower().power(effect_size=d, nobs=n, alpha=alpha / 2,
                                         alternative="larger"))
    return power


def _solve_d(n: int, alpha: float, power: float) -> float:
    # TTestPower.solve_power stops at about 1e-7 in power; bracket the root of
    # statsmodels' own power function and solve it to machine precision instead.
    if n < 2:
        raise ValueError("the MDE needs at least 2 pairs")
    high = 1.0
    while paired_power(high, n, alpha) < power:
        high *= 2
    return float(brentq(lambda d: paired_power(d, n, alpha) - power, 0.0, high,
                        xtol=1e-15, rtol=4 * 2.220446049250313e-16, maxiter=200))


def mde_paired(n: int, sd_change: float | None, targeted: float, alpha: float = 0.05,
               power: float = 0.8) -> Mde:
    """Return the smallest paired effect a cohort of ``n`` detects at ``alpha`` and ``power``.

    Args:
        n: Number of subjects measured pre and post (the pilot cohort size).
        sd_change: Standard deviation of the per-subject change, for the raw-unit MDE.
        targeted: The change the program aims for, in the KPI's unit (positive).
        alpha: Two-sided significance level.
        power: Probability of detecting an effect of the MDE's size.

    Returns:
        The MDE in d_z and, when ``sd_change`` is known, in the KPI's unit.
    """
    d = _solve_d(n, alpha, power)
    raw = d * sd_change if sd_change is not None and math.isfinite(sd_change) else None
    detectable = raw is not None and raw <= abs(targeted)
    return Mde(n, alpha, power, d, raw, abs(targeted), detectable,
               None if detectable else MDE_WARNING)


def _pairs(series: list[Observation]) -> tuple[dict[str, tuple[list[float], list[float]]],
                                                  int]:
    waves: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list))
    for o in series:
        if o.subject is not None and o.wave is not None:
            waves[(o.group or "all", o.subject)][o.wave].append(o.value)
    pairs: dict[str, tuple[list[float], list[float]]] = {}
    unmatched = 0
    for (group, _), by_wave in sorted(waves.items()):
        if by_wave.get("pre") and by_wave.get("post"):
            pre, post = pairs.setdefault(group, ([], []))
            pre.append(fmean(by_wave["pre"]))
            post.append(fmean(by_wave["post"]))
        else:
            unmatched += 1
    return pairs, unmatched


def behaviour_effect(kpi: Kpi, series: list[Observation], *, cohort_size: int,
                     min_group_size: int) -> BehaviourEffect | None:
    """Return the pre/post effects of a person-level KPI.

    Subjects are matched within their group; a subject with several rows in a
    wave counts with the mean of those rows. A group with fewer matched
    subjects than ``min_group_size`` (or than 2) is suppressed.

    Args:
        kpi: The KPI; its source must name ``subject`` and ``wave`` columns.
        series: Its observations.
        cohort_size: The pilot's planned cohort size, for the MDE.
        min_group_size: Privacy threshold on matched subjects.

    Returns:
        The effects, or None when the KPI is not person-level with waves.
    """
    if kpi.source is None or kpi.source.subject is None or kpi.source.wave is None:
        return None
    pairs, unmatched = _pairs(series)
    effects: dict[str, PairedEffect] = {}
    suppressed = []
    for group, (pre, post) in pairs.items():
        if len(pre) < max(2, min_group_size):
            suppressed.append(group)
        else:
            effects[group] = paired_effect(group, pre, post)
    pilot = effects.get("pilot", effects.get("all"))
    comparison = effects.get("comparison")
    did = None
    if pilot is not None and comparison is not None:
        p_pre, p_post = pairs[pilot.group]
        c_pre, c_post = pairs["comparison"]
        did = did_effect([b - a for a, b in zip(p_pre, p_post, strict=True)],
                         [b - a for a, b in zip(c_pre, c_post, strict=True)])
    targeted = abs(kpi.target.value - kpi.baseline.value)
    # the MDE of a paired test needs two pairs: a cohort of one has none
    mde = (mde_paired(cohort_size, pilot.sd_change, targeted)
           if pilot is not None and cohort_size >= 2 else None)
    return BehaviourEffect(kpi.id, pilot, comparison, did, mde, unmatched, suppressed)
