"""One rounding rule for every published figure: a half goes away from zero.

SQL's ``round()`` takes 2.5 to 3; Python's ``round`` takes it to 2 (half to
even), and ``f"{x:.2f}"`` rounds the binary value, so 2.675 (stored as
2.67499…) shows as 2.67. A figure rounded in a query, in the figures and on a
page would then differ in its last digit by where it was rounded. Here every
rounding reads the number as it is written (its shortest decimal form, as
``repr`` gives it) and takes a half away from zero, as a person, a
spreadsheet and SQL on decimals do: 2.5 → 3, 2.675 → 2.68, −0.125 → −0.13.
The figures (:func:`playbook.figures.privacy.published`) and the pages'
number formatting (:mod:`playbook.pages.mdtext`) both go through it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

RULE: Final = "half away from zero"
"""The rule, in words."""

STATEMENT: Final = (f"{RULE}, on the number as written (2.5 → 3, 2.675 → 2.68, −0.125 → "
                    "−0.13), in figures.json, the report and on every page, as SQL's round() "
                    "does on decimals")
"""The rule as the methodology page states it."""


def _quantized(value: float, digits: int) -> Decimal:
    """``value`` written in decimal and rounded to ``digits`` decimals, a half away from 0."""
    # ROUND_HALF_UP is Decimal's name for a half away from zero (−2.5 → −3)
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits),
                                                rounding=ROUND_HALF_UP)


WHOLE: Final = 2.0**52
"""From this size on a float holds no fraction: there is nothing to round (and a decimal
of 10³⁰⁰ to two places would pass the decimal module's precision)."""


def half_away(value: float, digits: int = 0) -> float:
    """``value`` rounded to ``digits`` decimals by :data:`RULE` (not finite: unchanged)."""
    if not math.isfinite(value) or abs(value) >= WHOLE:
        return value
    return float(_quantized(value, digits))


def formatted(value: float, digits: int = 0, thousands: bool = True,
              sign: bool = False) -> str:
    """``value`` written with ``digits`` decimals by :data:`RULE` (``1,234.57``; with
    ``sign``, ``+0.13`` as ``f"{x:+.2f}"`` writes it)."""
    spec = f"{'+' if sign else ''}{',' if thousands else ''}.{digits}f"
    if not math.isfinite(value) or abs(value) >= WHOLE:
        return format(value, spec)
    return format(_quantized(value, digits), spec)


def share(value: float, digits: int = 0) -> str:
    """A share written as a percentage by :data:`RULE` (``0.4125`` → ``41.3%``, as
    ``f"{x:.1%}"`` writes it)."""
    return formatted(value * 100, digits, thousands=False) + "%"
