"""The ROI range from uncertainty: a seeded Monte Carlo over effects and estimates.

Sits under :mod:`playbook.figures.roi`. Each draw takes

* for every monetised KPI whose benefit rests on a data-derived effect, an
  effect from a normal distribution matching the effect's 95% interval, credited
  as the benefit module credits the point estimate (never beyond the change
  observed, nothing for an effect the wrong way);
* for every declared benefit with ``amount_low``/``amount_high``, a gross
  amount from a triangular distribution between them, peaking at ``amount``;

and holds everything else (costs, hand-set shares, confidence, benefits with
no range) at its value. The generator is numpy's ``default_rng`` seeded with
:data:`SEED`, and the inputs are drawn in a fixed order, so two builds of the
same files show the same range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from playbook.figures.benefits import IsolationBasis, KpiBenefit
from playbook.model.money import Benefit

SEED: Final = 20261124
"""Seed of the generator: fixed, so the range is the same on every build."""
DRAWS: Final = 10_000
"""Draws per program: the percentiles move by well under a percentage point between seeds."""
PERCENTILES: Final = (10, 50, 90)
"""Percentiles of the ROI shown as its range."""


@dataclass(frozen=True)
class RoiRange:
    """The spread of one ROI case over the draws."""

    p10: float
    p50: float
    p90: float
    p_positive: float
    """Share of draws with ROI above 0."""
    draws: int
    seed: int
    varied: list[str]
    """Names of the inputs drawn; empty when nothing is uncertain (the range is a point)."""


def _kpi_draws(rng: np.random.Generator, b: KpiBenefit) -> np.ndarray:
    """Counted benefit per year of one KPI in each draw."""
    assert b.effect is not None and b.effect_sd is not None and b.observed is not None
    effect = rng.normal(b.effect, b.effect_sd, DRAWS)
    if b.observed == 0:
        return np.zeros(DRAWS)
    # the same crediting as benefits.counted_improvement, vectorised
    improvement = b.observed * np.clip(effect / b.observed, 0.0, 1.0)
    return improvement * b.confidence * b.value_per_unit


def benefit_draws(kpis: list[KpiBenefit], explicit: list[Benefit], decay: float,
                  horizon: int) -> tuple[np.ndarray, list[str]]:
    """Draw the yearly benefits of the forecast.

    Args:
        kpis: Monetised KPI benefits, in the plan's order.
        explicit: Declared benefits within the horizon, in the file's order.
        decay: Share of a KPI benefit lost each year after the first.
        horizon: Years of the budget.

    Returns:
        An array of shape ``(DRAWS, horizon)`` (column ``y − 1`` is year ``y``)
        and the names of the inputs that vary.
    """
    rng = np.random.default_rng(SEED)
    out = np.zeros((DRAWS, horizon))
    factors = np.array([(1.0 - decay) ** (y - 1) for y in range(1, horizon + 1)])
    varied: list[str] = []
    for b in kpis:
        if (b.basis is IsolationBasis.DATA and b.effect_sd is not None and b.effect_sd > 0
                and b.effect is not None):
            per_year = _kpi_draws(rng, b)
            varied.append(f"effect on {b.name}")
        else:
            per_year = np.full(DRAWS, b.per_year)
        out += per_year[:, None] * factors[None, :]
    for x in explicit:
        share = x.isolation * x.confidence
        low, high = x.amount_low, x.amount_high
        if low is not None and high is not None and high > low:
            gross = rng.triangular(low, x.amount, high, DRAWS)
            varied.append(f"{x.name} (year {x.year})")
        else:
            gross = np.full(DRAWS, x.amount)
        out[:, x.year - 1] += gross * share
    return out, varied


def roi_range(draws: np.ndarray, costs_by_year: dict[int, float], years: int,
              varied: list[str]) -> RoiRange | None:
    """Summarise the ROI of the first ``years`` years over the draws.

    Args:
        draws: Yearly benefits per draw, from :func:`benefit_draws`.
        costs_by_year: Costs per program year.
        years: Years the case counts (1 for the first-year case).
        varied: Names of the inputs that vary.

    Returns:
        P10/P50/P90 ROI % and P(ROI > 0), or None without costs.
    """
    costs = sum(costs_by_year.get(y, 0.0) for y in range(1, years + 1))
    if costs <= 0:
        return None
    roi = (draws[:, :years].sum(axis=1) - costs) / costs * 100
    p10, p50, p90 = (float(v) for v in np.percentile(roi, PERCENTILES))
    return RoiRange(p10, p50, p90, float(np.mean(roi > 0)), DRAWS, SEED, list(varied))
