"""The methodology's rules tables, read back: every threshold is the engine's constant."""

from __future__ import annotations

import html

import pytest

from playbook.checks import plausible
from playbook.figures import cashflow, chain, effects, montecarlo, roi, timefit, trajectory
from playbook.model.choices import NpvTiming
from playbook.model.money import DEFAULT_DISCOUNT_RATE
from playbook.pages.chain import chain_rules
from playbook.pages.macros import measurement_rules


def rows(table: str) -> dict[str, str]:
    """Rule → threshold of a rendered two-column table, unescaped."""
    out = {}
    for line in table.splitlines()[2:]:
        cells = [html.unescape(c.strip().replace("\\", "")) for c in line.strip("|").split("|")]
        if len(cells) == 2:
            out[cells[0]] = cells[1]
    return out


MEASUREMENT = rows(str(measurement_rules()))
CHAIN = rows(str(chain_rules()))


@pytest.mark.parametrize(("rule", "expected"), [
    ("Difference-in-differences", f"at least {effects.MIN_PRE} periods"),
    ("Parallel pre-trends", f"assessed from {effects.MIN_TREND_PERIODS} pre-periods"),
    ("Parallel pre-trends", f"p < {effects.TREND_ALPHA:g}"),
    ("Parallel pre-trends", f"{timefit.TREND_POWER:.0%} power"),
    ("Interrupted time series", f"at least {effects.MIN_ITS_PRE} periods"),
    ("Data-derived isolation", f"{effects.LEVEL:.0%} interval excludes zero"),
    ("At risk", f"{trajectory.AT_RISK:.0%} of the planned change"),
    ("ROI headline", f"at most {roi.SHORT_PROGRAM_DAYS} days"),
    ("ROI range", f"{montecarlo.DRAWS:,} Monte Carlo draws, seed {montecarlo.SEED}"),
    ("ROI range", f"±{montecarlo.SHARE_SPREAD:g} clipped to 0–1"),
    ("P(ROI > 0)", f"\"< {montecarlo.P_SHOWN:.0%}\""),
    ("Discount rate", f"{DEFAULT_DISCOUNT_RATE:.0%} a year"),
    *[("NPV timing", f"{t.value}: {cashflow.TIMING_SHIFT[t]:g} years before the year's end")
      for t in NpvTiming],
    ("NPV timing", "default end"),
    ("Not computable (error)", f"larger than {plausible.MAX_COMPUTABLE:.0e}"),
    ("Not computable (error)", f"below {plausible.MIN_COMPUTABLE:.0e}"),
    ("Not computable (error)", f"more than {plausible.MAX_CALENDAR_DAYS:,} days"),
    ("Implausible (finding)", f"above {plausible.MAX_MONEY:.0e}"),
    ("Implausible (finding)", f"below {plausible.MIN_MONEY:g}"),
    ("Implausible (finding)", f"more than {plausible.MAX_DAYS:,} days"),
    *[("Implausible (finding)", f"{lo:g} to {hi:g} {unit}")
      for unit, (lo, hi) in plausible.UNIT_RANGES.items()],
    ("Attrition sensitivity", "counted as 0 (intention to treat)"),
    ("Attrition sensitivity", "Horowitz–Manski"),
])
def test_measurement_rules_quote_the_engine(rule: str, expected: str) -> None:
    assert expected in MEASUREMENT[rule]


@pytest.mark.parametrize(("rule", "expected"), [
    ("Level 1 window", "mean over the pilot's periods so far"),
    ("Strong evidence", f"{effects.LEVEL:.0%} interval excludes zero on the better side"),
    ("Strong evidence", "not cancelled by a weaker level below"),
    ("Where it breaks", "no strong evidence above it"),
    ("Level 5 holds", f"ROI above {chain.ROI_HOLDS_ABOVE:g}%"),
])
def test_chain_rules_quote_the_engine(rule: str, expected: str) -> None:
    assert expected in CHAIN[rule]
