"""Across the portfolio: each program's effects on the research scale, cost and ROI.

Reads the :class:`~playbook.figures.site.SiteData` a build renders and returns one
:class:`ProgramValue` per program for the portfolio's forest plot and its table:
every comparable effect (:mod:`.benchmark`) with its interval and benchmark, the
cost per participant of one standard deviation of improvement, and the ROI's
Monte Carlo spread (:mod:`.montecarlo`). A program without a comparable effect
carries the reason instead of a point.

**Cost per unit of effect** is the loaded cost per participant divided by the
program's *primary* effect (its comparable effect at the highest criterion:
results, then transfer, learning, reactions). It is stated only when the
effect's whole interval lies above zero: an effect that may be zero or negative
has no finite cost per unit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from playbook.figures.benchmark import Comparability, Placement
from playbook.figures.site import ProgramView, SiteData
from playbook.model.benchmarks import Criterion

RANK = (Criterion.RESULTS, Criterion.TRANSFER, Criterion.LEARNING, Criterion.REACTIONS)
"""Which criterion's effect is a program's primary one, first first."""


class NoCost(StrEnum):
    """Why a program has no cost per unit of effect."""

    NO_EFFECT = "no-effect"
    """No comparable effect."""
    NOT_POSITIVE = "not-positive"
    """The primary effect's interval reaches zero or below."""
    NO_COST = "no-cost"
    """No budget, or no participant count to divide its cost by."""


@dataclass(frozen=True)
class EffectRow:
    """One comparable effect of a program."""

    kpi_id: str
    kpi_name: str
    placement: Placement


@dataclass(frozen=True)
class ProgramValue:
    """One program's row group in the portfolio's forest plot and table."""

    program_id: str
    title: str
    effects: list[EffectRow]
    """Comparable effects, primary first, then in KPI order."""
    waiting: list[Comparability]
    """For each KPI of a criterion with no comparable effect, why (deduplicated, sorted)."""
    currency: str | None = None
    cost_per_sd: float | None = None
    """Loaded cost per participant divided by the primary effect's d."""
    no_cost: NoCost | None = None
    roi_years: int | None = None
    """Years of the ROI case shown (the headline's)."""
    roi_p10: float | None = None
    roi_p50: float | None = None
    roi_p90: float | None = None


def _primary(rows: list[EffectRow]) -> list[EffectRow]:
    def rank(row: EffectRow) -> int:
        c = row.placement.criterion
        return RANK.index(c) if c is not None else len(RANK)

    return sorted(rows, key=rank)  # stable: KPI order within a criterion


def program_value(view: ProgramView) -> ProgramValue:
    """The forest-plot figures of one program."""
    p, k = view.bundle.program, view.bundle.kpis
    assert p is not None
    rows, waiting = [], set()
    for kpi in k.kpis if k else []:
        placed = view.figures.benchmarks.get(kpi.id)
        if placed is None or placed.criterion is None:
            continue
        if placed.comparable:
            rows.append(EffectRow(kpi.id, kpi.name, placed))
        else:
            waiting.add(placed.comparability)
    rows = _primary(rows)
    roi = view.figures.roi
    spread = roi.headline.range if roi is not None else None
    out = ProgramValue(program_id=view.id, title=p.title, effects=rows, waiting=sorted(waiting),
                       currency=roi.currency if roi is not None else None,
                       roi_years=roi.headline.years if spread is not None and roi else None,
                       roi_p10=spread.p10 if spread else None,
                       roi_p50=spread.p50 if spread else None,
                       roi_p90=spread.p90 if spread else None)
    if not rows:
        return _with_cost(out, None, NoCost.NO_EFFECT)
    first = rows[0].placement
    if first.low is None or first.low <= 0 or first.d is None:
        return _with_cost(out, None, NoCost.NOT_POSITIVE)
    per_person = roi.cost_per_participant if roi is not None else None
    if per_person is None:
        return _with_cost(out, None, NoCost.NO_COST)
    return _with_cost(out, per_person / first.d, None)


def _with_cost(value: ProgramValue, cost: float | None, why: NoCost | None) -> ProgramValue:
    return replace(value, cost_per_sd=cost, no_cost=why)


def portfolio_values(site: SiteData) -> list[ProgramValue]:
    """Every program's forest-plot figures, in the site's program order."""
    return [program_value(v) for v in site.programs]
