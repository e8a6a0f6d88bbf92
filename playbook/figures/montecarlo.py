"""The ROI range from uncertainty: a seeded Monte Carlo over every uncertain input.

Sits under :mod:`playbook.figures.roi`. Each draw takes, in this order:

* for every monetised KPI, in the plan's order: the improvement, either the
  credible effect drawn from its sampling distribution (``estimate + se · t``
  with the effect's degrees of freedom) or the observed before/after change
  drawn with the series' own noise (``observed + se · t``) times the declared
  isolation share drawn over ± :data:`SHARE_SPREAD`; then its confidence share
  over ± :data:`SHARE_SPREAD`;
* for every declared benefit, in the file's order: the gross amount, from a
  triangular distribution between ``amount_low`` and ``amount_high`` peaking at
  ``amount`` when a range is declared (else the amount); its isolation and its
  confidence over ± :data:`SHARE_SPREAD`;
* the forecast's yearly ``benefit_decay`` over ± :data:`SHARE_SPREAD`.

Shares are drawn uniformly and clipped to 0–1. Nothing is capped at the change
observed. Costs are held at their value. The page's headline is the median
ROI with the P10–P90 range. P(ROI > 0), the share of draws with ROI above 0,
is *not estimable* when nothing varies, or when a monetised KPI has less than
one full period of data after the start (none at all included) or no noise
estimate for its change. The generator is numpy's ``default_rng`` seeded with :data:`SEED`,
and the inputs are drawn in a fixed order, so two builds of the same files
show the same range.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np

from playbook.figures.benefits import IsolationBasis, KpiBenefit
from playbook.model.money import Benefit

SEED: Final = 20261124
"""Seed of the generator: fixed, so the range is the same on every build."""
DRAWS: Final = 10_000
"""Draws per program: the percentiles move by well under a percentage point between seeds."""
PERCENTILES: Final = (10, 50, 90)
"""Percentiles of the ROI shown: the range and, in the middle, the headline median."""
SHARE_SPREAD: Final = 0.2
"""Isolation, confidence and decay shares are drawn uniformly this far either side."""
P_SHOWN: Final = 0.01
"""P(ROI > 0) below this is shown as "< 1%", above ``1 − P_SHOWN`` as "> 99%"."""


class NotEstimable(StrEnum):
    """Why P(ROI > 0) is not estimated."""

    NOTHING_VARIES = "nothing-varies"
    """No input of the case is uncertain, so every draw gives the same ROI."""
    SHORT_DATA = "short-data"
    """A counted KPI has less than one full period of data after the start, or its
    change has no noise estimate: one value cannot carry a probability."""


@dataclass(frozen=True)
class RoiRange:
    """The spread of one ROI case over the draws."""

    p10: float
    """10th percentile of the ROI over the draws, in percent."""
    p50: float
    """The median ROI: the headline figure."""
    p90: float
    """90th percentile of the ROI over the draws, in percent."""
    p_positive: float | None
    """Share of draws with ROI above 0; None when not estimable."""
    not_estimable: NotEstimable | None
    """Why ``p_positive`` is None."""
    draws: int
    """Number of draws (10,000)."""
    seed: int
    """Seed of the random generator, fixed so every build shows the same range."""
    varied: list[str]
    """Names of the inputs drawn; empty when nothing is uncertain (the range is a point)."""


@dataclass(frozen=True)
class Draws:
    """The yearly benefits of every draw and what they rest on."""

    benefits: np.ndarray
    """Shape ``(DRAWS, horizon)``; column ``y − 1`` is program year ``y``."""
    varied: list[str]
    """Names of the inputs drawn (an effect, a series' noise, an isolation, a confidence)."""
    short: list[str]
    """KPIs the forecast counts whose data cannot carry a probability yet."""


def share(rng: np.random.Generator, value: float) -> np.ndarray:
    """A share drawn uniformly over ``value ± SHARE_SPREAD``, clipped to 0–1."""
    return np.clip(rng.uniform(value - SHARE_SPREAD, value + SHARE_SPREAD, DRAWS), 0.0, 1.0)


def _t(rng: np.random.Generator, centre: float, se: float | None,
       dof: int | None) -> np.ndarray:
    """``centre + se · t(dof)``; the centre alone without a standard error."""
    if se is None or dof is None or se <= 0:
        return np.full(DRAWS, centre)
    return centre + se * rng.standard_t(dof, DRAWS)


def _kpi(rng: np.random.Generator, b: KpiBenefit, varied: list[str]) -> np.ndarray:
    """Counted benefit per year of one KPI in each draw."""
    if b.basis is IsolationBasis.DATA and b.effect is not None:
        improvement = _t(rng, b.effect, b.effect_se, b.effect_dof)
        varied.append(f"effect on {b.name} (t, {b.effect_dof} degrees of freedom)")
    else:
        observed = _t(rng, b.observed or 0.0, b.observed_se, b.observed_dof)
        if b.observed_se:
            varied.append(f"change in {b.name} (its series' noise)")
        improvement = observed * share(rng, b.isolation)
        varied.append(f"isolation of {b.name}")
    varied.append(f"confidence in {b.name}")
    counted: np.ndarray = improvement * share(rng, b.confidence) * b.value_per_unit
    return counted


def benefit_draws(kpis: list[KpiBenefit], explicit: list[Benefit], decay: float,
                  horizon: int) -> Draws:
    """Draw the yearly benefits of the forecast (see the module docstring).

    Args:
        kpis: Monetised KPI benefits, in the plan's order.
        explicit: Declared benefits within the horizon, in the file's order.
        decay: Share of a KPI benefit lost each year after the first.
        horizon: Years of the budget.

    Returns:
        The draws, the names of the inputs that vary and the KPIs whose data
        are too short for a probability.
    """
    rng = np.random.default_rng(SEED)
    varied: list[str] = []
    short: list[str] = []
    per_year = np.zeros(DRAWS)
    for b in kpis:
        # a KPI with no full period since the start is a forecast input not measured yet
        if not b.full_period or (b.basis is IsolationBasis.ESTIMATE and not b.observed_se):
            short.append(b.name)
        if b.observed is not None:  # nothing measured since the start counts nothing
            per_year += _kpi(rng, b, varied)
    out = np.zeros((DRAWS, horizon))
    for x in explicit:
        low, high = x.amount_low, x.amount_high
        gross = np.full(DRAWS, x.amount)
        if low is not None and high is not None and high > low:
            gross = rng.triangular(low, x.amount, high, DRAWS)
            varied.append(f"{x.name} (year {x.year})")
        out[:, x.year - 1] += gross * share(rng, x.isolation) * share(rng, x.confidence)
    if explicit:
        varied.append("isolation and confidence of each declared benefit")
    kept = 1.0 - share(rng, decay)
    if horizon > 1 and per_year.any():
        varied.append("yearly benefit decay")
    for y in range(1, horizon + 1):
        out[:, y - 1] += per_year * kept ** (y - 1)
    return Draws(out, varied, short)


def roi_range(draws: Draws, costs_by_year: dict[int, float], years: int) -> RoiRange | None:
    """Summarise the ROI of the first ``years`` years over the draws.

    Args:
        draws: Yearly benefits per draw, from :func:`benefit_draws`.
        costs_by_year: Costs per program year.
        years: Years the case counts (1 for the first-year case).

    Returns:
        P10/P50/P90 ROI % and P(ROI > 0) or why it is not estimable; None
        without costs.
    """
    costs = sum(costs_by_year.get(y, 0.0) for y in range(1, years + 1))
    if costs <= 0:
        return None
    roi = (draws.benefits[:, :years].sum(axis=1) - costs) / costs * 100
    p10, p50, p90 = (float(v) for v in np.percentile(roi, PERCENTILES))
    why = (NotEstimable.NOTHING_VARIES if float(np.ptp(roi)) == 0
           else NotEstimable.SHORT_DATA if draws.short else None)
    p = None if why else float(np.mean(roi > 0))
    return RoiRange(p10, p50, p90, p, why, DRAWS, SEED, list(draws.varied))
