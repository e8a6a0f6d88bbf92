"""KPI figures, pre/post effects and ROI → the chain of impact (Phillips levels 1–5).

Sits after every other figure of a program (:mod:`playbook.figures.program`) and
returns plain frozen figures that :mod:`playbook.pages.chain` puts in words.

Rules, each a module constant so the methodology page can quote them:

* **Levels.** A KPI's level is its ``level`` when given, else its kind's
  (:data:`LEVEL_OF_KIND`): reaction and engagement → 1, learning → 2,
  behaviour → 3, business → 4. Engagement sits at level 1 because taking part
  is the least a reaction can show (Phillips counts attendance as "input",
  below level 1); a ``leading`` indicator is listed beside the chain, on no
  level, because it forecasts a result rather than evidencing one. Level 5 is
  the program's ROI headline.
* **LevelVerdict of a level** (levels 1–4): not measured when none of its judged
  KPIs has a value yet; else the worst status among those that have one
  decides: any off track → the chain breaks there, any at risk → at risk,
  else it holds. Every KPI of a level is judged, except engagement on a level 1
  that also has a reaction KPI: what leaders say of the program is better
  evidence of their reaction than how often they log in, which is then shown
  as support.
  Level 5 holds when the ROI is above 0 %, breaks at or below it, and is not
  measured without an ROI.
* **Where it breaks**: the lowest level whose verdict is "breaks".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from playbook.figures.nps import NpsScore
from playbook.figures.roi import RoiFigures
from playbook.figures.stats import BehaviourEffect, PairedEffect
from playbook.figures.trajectory import KpiFigures, KpiStatus
from playbook.model.choices import KpiKind
from playbook.model.measure import Kpi, Kpis

LEVEL_NAMES: Final = MappingProxyType({
    1: "Reaction and planned action", 2: "Learning", 3: "Application on the job",
    4: "Business impact", 5: "Return on investment"})
"""Phillips' name of each level of the chain."""
LEVEL_OF_KIND: Final = MappingProxyType({
    KpiKind.REACTION: 1, KpiKind.ENGAGEMENT: 1, KpiKind.LEARNING: 2, KpiKind.BEHAVIOR: 3,
    KpiKind.BUSINESS: 4})
"""The level a KPI's kind places it on; a kind not listed (``leading``) is on none."""
ROI_HOLDS_ABOVE = 0.0
"""ROI (%) above which level 5 holds: the counted benefits exceed the costs."""


class LevelVerdict(StrEnum):
    """Whether the chain holds at one level."""

    HOLDS = "holds"
    """Every measured KPI of the level is on track (level 5: ROI above 0 %)."""
    AT_RISK = "at-risk"
    """None is off track, but at least one is at risk."""
    BREAKS = "breaks"
    """At least one is off track (level 5: ROI at or below 0 %)."""
    NOT_MEASURED = "not-measured"
    """No KPI of the level has a value yet (level 5: no ROI)."""


@dataclass(frozen=True)
class ChainKpi:
    """One KPI as evidence on the chain."""

    kpi_id: str
    status: KpiStatus
    latest: float | None
    stale: bool
    nps: NpsScore | None = None
    """Latest published score of the status group, for an NPS KPI."""
    change: PairedEffect | None = None
    """Pilot's pre→post change (learning gain, behaviour change), for survey waves."""
    judged: bool = True
    """Whether the KPI's status counts toward its level's verdict (else: support)."""


@dataclass(frozen=True)
class ChainLevel:
    """One level of the chain with its evidence and verdict."""

    level: int
    kpis: list[ChainKpi]
    verdict: LevelVerdict
    roi_pct: float | None = None
    """The ROI headline, on level 5 only."""


@dataclass(frozen=True)
class Chain:
    """The chain of impact of one program."""

    levels: list[ChainLevel]
    """Levels 1 to 5, in order, each present even when not measured."""
    leading: list[ChainKpi] = field(default_factory=list)
    """Leading indicators, shown beside the chain and judged on no level."""
    breaks_at: int | None = None
    """The lowest level whose verdict is "breaks"; None when none breaks."""


def level_of(kpi: Kpi) -> int | None:
    """Return the chain level of ``kpi``: its ``level``, else its kind's; None if leading."""
    return kpi.level if kpi.level is not None else LEVEL_OF_KIND.get(kpi.kind)


def verdict(statuses: list[KpiStatus]) -> LevelVerdict:
    """Return a level's verdict from its KPIs' statuses (the worst measured one decides)."""
    measured = [s for s in statuses if s != KpiStatus.NO_DATA]
    if not measured:
        return LevelVerdict.NOT_MEASURED
    if KpiStatus.OFF_TRACK in measured:
        return LevelVerdict.BREAKS
    return LevelVerdict.AT_RISK if KpiStatus.AT_RISK in measured else LevelVerdict.HOLDS


def roi_verdict(roi: RoiFigures | None) -> LevelVerdict:
    """Return level 5's verdict from the ROI headline."""
    pct = roi.headline.central_pct if roi is not None else None
    if pct is None:
        return LevelVerdict.NOT_MEASURED
    return LevelVerdict.HOLDS if pct > ROI_HOLDS_ABOVE else LevelVerdict.BREAKS


def _evidence(kpi: Kpi, figs: KpiFigures, effect: BehaviourEffect | None,
              scores: list[NpsScore]) -> ChainKpi:
    latest = next((s for s in reversed(scores)
                   if s.group == figs.group and s.score is not None), None)
    return ChainKpi(kpi.id, figs.status, figs.latest, figs.stale, latest,
                    effect.pilot if effect is not None else None)


def chain_of_impact(plan: Kpis | None, kpis: dict[str, KpiFigures],
                    behaviour: dict[str, BehaviourEffect], roi: RoiFigures | None,
                    nps: dict[str, list[NpsScore]]) -> Chain:
    """Place every KPI on its level and judge each link of the chain.

    Args:
        plan: The measurement plan (None when ``kpis.yml`` is missing).
        kpis: Each KPI's figures, by id.
        behaviour: Pre/post effects of person-level KPIs with waves, by id.
        roi: The ROI figures, if the program has a budget.
        nps: Period scores of each NPS KPI, by id.

    Returns:
        The chain, levels 1 to 5 in order.
    """
    on: dict[int, list[ChainKpi]] = {level: [] for level in LEVEL_NAMES}
    leading: list[ChainKpi] = []
    for kpi in plan.kpis if plan else []:
        evidence = _evidence(kpi, kpis[kpi.id], behaviour.get(kpi.id), nps.get(kpi.id, []))
        level = level_of(kpi)
        (leading if level is None else on[level]).append(evidence)
    kinds = {k.id: k.kind for k in plan.kpis} if plan else {}
    if any(kinds[k.kpi_id] is not KpiKind.ENGAGEMENT for k in on[1]):
        # judged evidence first, support after it
        on[1] = sorted((replace(k, judged=kinds[k.kpi_id] is not KpiKind.ENGAGEMENT)
                        for k in on[1]),
                       key=lambda k: not k.judged)
    levels = [ChainLevel(level, on[level],
                         verdict([k.status for k in on[level] if k.judged]))
              for level in range(1, 5)]
    levels.append(ChainLevel(5, [], roi_verdict(roi),
                             roi.headline.central_pct if roi is not None else None))
    breaks = next((lv.level for lv in levels if lv.verdict == LevelVerdict.BREAKS), None)
    return Chain(levels, leading, breaks)
