"""A series' own noise, estimated from its earlier points (for the status band).

Sits under :mod:`playbook.figures.status`: the noise of one period's value is
the standard deviation of the period-to-period changes over √2 (a change holds
the noise of two values; changes remove a level and a trend). The status module
passes only the points *before* those it judges, so a collapse never widens its
own band. The sample standard deviation, not a median absolute deviation: on the
five changes a young series has, the MAD (× 1.4826) falls below half the true
noise one time in four (the standard deviation one time in thirteen), and each
such time a KPI on its line leaves "on track" for nothing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Final

NOISE_WINDOW: Final = 12
"""Latest earlier points from which an aggregate series' noise is estimated."""
MIN_NOISE_POINTS: Final = 6
"""Fewest earlier points (five changes) from which the noise is estimated."""


def change_noise(values: Sequence[float]) -> tuple[float, int] | None:
    """Noise of one period's value from ``values`` (in time order), with its degrees of
    freedom (the changes less one).

    Uses the latest :data:`NOISE_WINDOW` values; None with fewer than
    :data:`MIN_NOISE_POINTS`.
    """
    window = list(values)[-NOISE_WINDOW:]
    if len(window) < MIN_NOISE_POINTS:
        return None
    steps = [b - a for a, b in itertools.pairwise(window)]
    # scaled by the largest step: squares of values near 1e300 would overflow
    scale = max((abs(s) for s in steps), default=0.0)
    if not math.isfinite(scale):
        return None  # not computable (the values are beyond a float): no band
    if scale == 0:
        return 0.0, len(steps) - 1
    unit = [s / scale for s in steps]
    # floats, not statistics.stdev's exact fractions: the replay calls this once a point
    mean = math.fsum(unit) / len(unit)
    variance = math.fsum([(s - mean) ** 2 for s in unit]) / (len(unit) - 1)
    return scale * math.sqrt(variance / 2), len(steps) - 1
