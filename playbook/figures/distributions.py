"""The distribution functions and fits behind every interval and p-value, on scipy.special.

``scipy.stats`` and ``statsmodels`` cost a build about 0.9 s to import (1,100
modules: every distribution object, pandas, patsy) for a dozen scalar calls. The
calls below are the ones they make: ``scipy.stats`` evaluates the t, normal,
non-central t and hypergeometric distributions with these ``scipy.special``
functions (the hypergeometric through the Boost kernels it calls itself), and
the formulas are those of ``statsmodels`` (``ttest_power``, ``proportions_ztest``,
OLS with a Newey–West covariance) and of ``scipy.stats`` (``linregress``, Welch's
``ttest_ind``, ``fisher_exact``). ``tests/test_distributions.py`` checks each
against the library it stands in for, which is thereby an independent reference.
"""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable
from types import ModuleType

import numpy as np

TINY = 1.0e-20
"""Keeps ``r = ±1`` finite in the slope's t statistic, as ``scipy.stats.linregress``."""


@functools.cache  # imported once; then a call is a lookup, not a trip through importlib
def _special() -> ModuleType:
    """``scipy.special``, imported at the first call, not with this module: ``playbook
    schema`` and ``init`` import the figures for their types and compute nothing, and
    scipy cost each of them 0.5 s of CPU (more where its bytecode is not yet cached)."""
    return importlib.import_module("scipy.special")


@functools.cache
def _ufuncs() -> ModuleType:
    """The Boost hypergeometric kernels ``scipy.stats`` calls (imported as :func:`_special`)."""
    return importlib.import_module("scipy.special._ufuncs")


def t_quantile(q: float, df: float) -> float:
    """Student's t quantile (``scipy.stats.t.ppf``)."""
    return float(_special().stdtrit(df, q))


def t_two_sided_p(t: float, df: float) -> float:
    """Two-sided p of a t statistic (``2 · scipy.stats.t.sf(|t|, df)``)."""
    return float(2 * _special().stdtr(df, -abs(t)))


def normal_quantile(q: float) -> float:
    """Standard normal quantile (``scipy.stats.norm.ppf``)."""
    return float(_special().ndtri(q))


def t_power(d: float, nobs: float, df: float, alpha: float, *, two_sided: bool) -> float:
    """Power of a t-test at standardised effect ``d`` (``statsmodels``' ``ttest_power``).

    Args:
        d: The standardised effect.
        nobs: The effective sample size (``n`` paired; ``1/(1/n1 + 1/n2)`` for two groups).
        df: Degrees of freedom.
        alpha: The significance level.
        two_sided: Both tails at ``alpha / 2``; else the upper tail at ``alpha``.
    """
    tail = alpha / 2 if two_sided else alpha
    nc = d * math.sqrt(nobs)
    upper = -_special().stdtrit(df, tail)
    if math.isnan(upper):
        return math.nan
    power = 1 - float(_special().nctdtr(df, nc, upper))
    if two_sided:
        lower = _special().stdtrit(df, tail)
        power = math.nan if math.isnan(lower) else power + float(_special().nctdtr(df, nc, lower))
    return power


def increasing_root(f: Callable[[float], float], low: float, high: float) -> float:
    """The root of an increasing ``f`` between ``low`` (f ≤ 0) and ``high`` (f ≥ 0).

    Bisection to adjacent floats: a power curve is smooth and monotone, so this
    ends within 1e-15 of ``brentq``'s root, in about 60 steps.
    """
    for _ in range(2000):
        mid = (low + high) / 2
        if mid in (low, high):
            break
        if f(mid) < 0:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def slope_test(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Slope, its standard error and two-sided p of a simple regression (``linregress``)."""
    n = len(x)
    ssxm, ssxym, _, ssym = np.cov(x, y, bias=True).flat
    if ssxm == 0.0 or ssym == 0.0:
        r = math.nan if ssxym == 0 else 0.0
    else:
        r = min(1.0, max(-1.0, float(ssxym / math.sqrt(ssxm * ssym))))
    slope = float(ssxym / ssxm)
    if n == 2:
        return slope, 0.0, 1.0 if y[0] == y[1] else 0.0
    df = n - 2
    t = r * math.sqrt(df / ((1.0 - r + TINY) * (1.0 + r + TINY)))
    return slope, math.sqrt((1 - r**2) * ssym / ssxm / df), t_two_sided_p(t, df)


def welch_p(a: list[float], b: list[float]) -> float:
    """Two-sided p of Welch's t-test (``ttest_ind(a, b, equal_var=False)``)."""
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    t = (np.mean(a) - np.mean(b)) / np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return t_two_sided_p(float(t), float(df))


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """Pooled two-proportion z and its two-sided p (``proportions_ztest``)."""
    pooled = (x1 + x2) / (n1 + n2)
    z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return z, float(_special().ndtr(-abs(z)) * 2)


def hac_ols(y: np.ndarray, x: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and their Newey–West covariance, Bartlett weights, ``lags`` lags.

    As ``statsmodels``' ``OLS(y, x).fit(cov_type="HAC")``: the bread is the
    pseudo-inverse's ``(X'X)⁻¹``; no small-sample correction.
    """
    pinv = np.linalg.pinv(x)
    params = pinv @ y
    scores = x * (y - x @ params)[:, None]
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        gamma = scores[lag:].T @ scores[:-lag]
        meat += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    bread = pinv @ pinv.T
    return params, bread @ meat @ bread


def fisher_two_sided_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p of Fisher's exact test of ``[[a, b], [c, d]]`` (``fisher_exact``)."""
    if 0 in (a + b, c + d, a + c, b + d):
        return 1.0
    total, row, col = a + b + c + d, a + b, a + c
    low, high = max(0, row + col - total), min(row, col)  # the kernels' support

    def pmf(k: int) -> float:
        return float(_ufuncs()._hypergeom_pmf(k, row, col, total)) if low <= k <= high else 0.0

    def cdf(k: int) -> float:
        return 0.0 if k < low else 1.0 if k >= high else float(
            _ufuncs()._hypergeom_cdf(k, row, col, total))

    def sf(k: int) -> float:
        return 1.0 if k < low else 0.0 if k >= high else float(
            _ufuncs()._hypergeom_sf(k, row, col, total))

    mode = int((col + 1) * (row + 1) / (total + 2))
    exact, at_mode = pmf(a), pmf(mode)
    gamma = 1 + 1e-14  # scipy's relative tolerance for "as likely as the table"
    if abs(exact - at_mode) / max(exact, at_mode) <= 1e-14:
        return 1.0
    if a < mode:
        p = cdf(a)
        if pmf(col) > exact * gamma:
            return p
        other = _last_below(lambda k: -pmf(k), -exact * gamma, mode, col)
        p += sf(other)
    else:
        p = sf(a - 1)
        if pmf(0) > exact * gamma:
            return p
        other = _last_below(pmf, exact * gamma, 0, mode)
        p += cdf(other)
    return min(p, 1.0)


def _last_below(f: Callable[[int], float], value: float, lo: int, hi: int) -> int:
    """The ``k`` in ``[lo, hi]`` with ``f(k) ≤ value < f(k + 1)``, ``f`` increasing."""
    while lo < hi:
        mid = lo + (hi - lo) // 2
        got = f(mid)
        if got < value:
            lo = mid + 1
        elif got > value:
            hi = mid - 1
        else:
            return mid
    return lo if f(lo) <= value else lo - 1
