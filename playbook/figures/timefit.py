"""The fits behind :mod:`playbook.figures.effects`, for the 10–30 points a KPI series has.

Three rules, each stated on the methodology page from the constants below:

* **The more conservative standard error.** Newey–West (HAC) errors are
  anti-conservative on a dozen monthly points (the same series gives p 0.0055
  with HAC and 0.073 with ordinary least squares), and plain OLS errors ignore
  autocorrelation. Each contrast gets both, and the larger is used with
  ``T − k`` degrees of freedom; the page says which one it was.
* **Degenerate variance is not estimable.** A standard error below
  :data:`NOISE` times the size of the values is rounding, not information:
  the effect has no interval and no p-value, never p = 0.
* **The noise of a before/after change** comes from the series itself: the
  spread of the values around their before and after means, pooled.
* **The pre-trend test's power** (after Roth 2022): the smallest linear drift
  in the pre-start gap that the slope test detects with probability
  :data:`TREND_POWER` at ``TREND_ALPHA``, expressed as the bias it would put into
  the difference-in-differences (drift × distance between the mean after and the
  mean before). A check that could only see a drift larger than the effect
  itself had no power to clear it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np

from playbook.figures import distributions

NOISE: Final = 1e-9
"""A standard error below this share of the values' size is rounding: not estimable."""
TREND_POWER: Final = 0.8
"""Power at which the pre-trend test's smallest detectable drift is reported."""


class SeMethod(StrEnum):
    """Which standard error an effect's interval uses: the larger of the two."""

    HAC = "newey-west"
    """Newey–West (Bartlett kernel) errors, which allow for autocorrelation."""
    OLS = "ols"
    """Classic OLS errors, larger than HAC on this series."""


@dataclass(frozen=True)
class Contrast:
    """One linear combination of regression coefficients and its uncertainty."""

    estimate: float
    se: float | None
    """The larger of the HAC and OLS standard errors; None when degenerate."""
    dof: int
    method: SeMethod | None


def hac_lags(n: int) -> int:
    """Newey–West lag ``floor(4 (T/100)^(2/9))`` (Newey and West 1994), at least 1."""
    lags: float = 4 * (n / 100) ** (2 / 9)
    return max(1, math.floor(lags))


def contrast(y: np.ndarray, x: np.ndarray, weights: np.ndarray) -> Contrast:
    """Fit ``y`` on ``x`` by OLS and return ``weights @ params`` with the larger error.

    Args:
        y: The responses.
        x: The design matrix (one row per period).
        weights: The contrast of the coefficients to estimate.

    Returns:
        The estimate, its standard error (None when degenerate), ``T − k`` and
        which error was the larger.
    """
    params, hac = distributions.hac_ols(y, x, hac_lags(len(y)))
    dof = len(y) - x.shape[1]
    estimate = float(weights @ params)
    if dof < 1:
        return Contrast(estimate, None, dof, None)
    resid = y - x @ params
    pinv = np.linalg.pinv(x)
    ols = float(resid @ resid) / dof * (pinv @ pinv.T)
    se_hac = math.sqrt(max(float(weights @ hac @ weights), 0.0))
    se_ols = math.sqrt(max(float(weights @ ols @ weights), 0.0))
    se, method = (se_hac, SeMethod.HAC) if se_hac >= se_ols else (se_ols, SeMethod.OLS)
    scale = float(np.max(np.abs(y))) if len(y) else 0.0
    if not math.isfinite(se) or se <= NOISE * max(scale, 1.0):
        return Contrast(estimate, None, dof, None)
    return Contrast(estimate, se, dof, method)


def change_noise(before: list[float], after: list[float]) -> tuple[float, int] | None:
    """Standard error and degrees of freedom of ``mean(after) − mean(before)``.

    The spread is pooled around each side's own mean; with nothing before, the
    reference is a fixed baseline and only the after side counts. None when no
    spread can be measured (one value on each side, or one value after and
    nothing before).
    """
    sides = [s for s in (before, after) if s]
    dof = sum(len(s) for s in sides) - len(sides)
    if dof < 1:
        return None
    ss = sum(float(np.sum((np.asarray(s) - np.mean(s)) ** 2)) for s in sides)
    return math.sqrt(ss / dof * sum(1 / len(s) for s in sides)), dof


def detectable_drift(pre_gap: np.ndarray, pre_index: np.ndarray,
                     post_index: np.ndarray, alpha: float) -> float | None:
    """The smallest pre-start drift the slope test detects, as bias on the DiD.

    Args:
        pre_gap: The pilot − comparison gap in each pre-start period.
        pre_index: Those periods' positions in the series.
        post_index: The after-start periods' positions.
        alpha: The slope test's two-sided level.

    Returns:
        ``(t₁₋α/₂ + t_power) × se(slope) × (mean post position − mean pre position)``
        at ``n − 2`` degrees of freedom; None with fewer than three pre-periods.
    """
    n = len(pre_gap)
    if n < 3:
        return None
    _, stderr, _ = distributions.slope_test(pre_index.astype(float), pre_gap)
    df = n - 2
    crit = (distributions.t_quantile(1 - alpha / 2, df)
            + distributions.t_quantile(TREND_POWER, df))
    return crit * stderr * float(np.mean(post_index) - np.mean(pre_index))
