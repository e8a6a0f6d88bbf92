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
* **Measurement window.** Each level is judged over the window in which it
  can show the program's effect. Reaction and engagement (level 1) are what
  leaders do while in the program: a level-1 KPI read from periods is judged
  on the mean of its periods from the start to the pilot's last day
  (``start`` plus ``duration_days``) or today, against the mean of its
  trajectory on the same days, with the status thresholds of
  :mod:`.trajectory`. Engagement that falls after the pilot ends, or dips for
  some summer weeks inside it, does not break the chain on its own. Levels
  2–4 are judged on their status (a survey's post wave, a business KPI's
  latest period).
* **Verdict of a level** (levels 1–4): not measured when none of its judged
  KPIs has a value yet; else the worst status among those that have one
  decides: any off track → the chain breaks there, any at risk → at risk,
  else it holds. Every KPI of a level is judged, except engagement on a level 1
  that also has a reaction KPI: what leaders say of the program is better
  evidence of their reaction than how often they log in, which is then shown
  as support.
  Level 5 holds when the ROI is above 0 %, breaks at or below it, and is not
  measured without an ROI.
* **Strong evidence.** A KPI is strong evidence when its effect is measured
  against a comparison and credible: a survey's difference in differences
  whose interval excludes zero on the better side, or a credible
  difference-in-differences or interrupted time series (:mod:`.attribution`)
  in the better direction. A level with strong evidence is at worst at risk
  (it moved, short of its plan), never broken.
* **Where it breaks**: the lowest breaking level with no strong evidence on a
  level above it. A level with strong evidence is not cancelled by a weaker
  level below it: such a level is listed as weak, not as the break.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from statistics import fmean
from types import MappingProxyType
from typing import Final

from playbook.figures import trajectory
from playbook.figures.attribution import Credibility
from playbook.figures.effects import KpiEffect
from playbook.figures.nps import NpsScore
from playbook.figures.roi import RoiFigures
from playbook.figures.stats import BehaviourEffect, PairedEffect
from playbook.figures.trajectory import KpiFigures, KpiStatus
from playbook.model.choices import KpiKind, Measure
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
    """Id of the KPI."""
    status: KpiStatus
    """Its status: over ``window`` when that is set, else on its latest value."""
    latest: float | None
    """Its latest published value, in the KPI's unit; None without data."""
    stale: bool
    """Whether its data are stale (no new data for one cadence plus the grace days)."""
    nps: NpsScore | None = None
    """Latest published score of the status group, for an NPS KPI."""
    change: PairedEffect | None = None
    """Pilot's pre→post change (learning gain, behaviour change), for survey waves."""
    judged: bool = True
    """Whether the KPI's status counts toward its level's verdict (else: support)."""
    window: tuple[date, date] | None = None
    """The days its status is judged over, when not its latest period (level 1: the
    pilot's days so far)."""
    window_mean: float | None = None
    """Mean of its periods in ``window``: the value its status is judged on there."""
    strong: tuple[float, float, float] | None = None
    """Estimate, low and high of the credible comparison effect that makes it strong
    evidence; None when it is not."""


@dataclass(frozen=True)
class ChainLevel:
    """One level of the chain with its evidence and verdict."""

    level: int
    """Phillips level: 1 reaction, 2 learning, 3 behaviour, 4 impact, 5 ROI."""
    kpis: list[ChainKpi]
    """The KPIs that are evidence on this level, judged and supporting (none on level 5)."""
    verdict: LevelVerdict
    """Whether the chain holds at this level (level 5: read from the ROI headline)."""
    roi_pct: float | None = None
    """The ROI headline, on level 5 only."""
    strong: bool = False
    """A judged KPI of the level is strong evidence: the level is never broken."""


@dataclass(frozen=True)
class Chain:
    """The chain of impact of one program."""

    levels: list[ChainLevel]
    """Levels 1 to 5, in order, each present even when not measured."""
    leading: list[ChainKpi] = field(default_factory=list)
    """Leading indicators, shown beside the chain and judged on no level."""
    breaks_at: int | None = None
    """The lowest breaking level with no strong evidence above it; None when none."""
    weak: list[int] = field(default_factory=list)
    """Breaking levels below a level with strong evidence: weak, not cancelling it."""


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


def window_status(kpi: Kpi, figs: KpiFigures, first: date, last: date
                  ) -> tuple[KpiStatus, float] | None:
    """Status of ``kpi`` over its periods from ``first`` to ``last``, and their mean: the
    mean against the trajectory's mean on the same days; None when no published period
    falls inside."""
    inside = [p for p in figs.points if p.group == figs.group and p.value is not None
              and not p.fielding and first <= p.period <= last]
    if not inside:
        return None
    actual = fmean(p.value for p in inside if p.value is not None)
    expected = fmean(trajectory.expected_value(kpi, p.last or p.period) for p in inside)
    gap = trajectory.shortfall(kpi, actual, expected)
    status = (KpiStatus.ON_TRACK if gap <= trajectory.ON_TRACK else KpiStatus.AT_RISK
              if gap <= trajectory.AT_RISK else KpiStatus.OFF_TRACK)
    return status, round(actual, trajectory.PUBLISHED_DIGITS)


def strong_effect(kpi: Kpi, behaviour: BehaviourEffect | None, effect: KpiEffect | None
                  ) -> tuple[float, float, float] | None:
    """The credible comparison effect in the better direction that makes ``kpi`` strong
    evidence: estimate, low, high; None when there is none."""
    did = behaviour.did if behaviour is not None else None
    if (did is not None and did.estimate is not None and did.ci is not None
            and kpi.sign * did.ci.low > 0 and kpi.sign * did.ci.high > 0):
        return did.estimate, did.ci.low, did.ci.high
    if (effect is not None and effect.credibility is Credibility.CREDIBLE
            and effect.estimate is not None and kpi.sign * effect.estimate > 0
            and effect.ci_low is not None and effect.ci_high is not None):
        return effect.estimate, effect.ci_low, effect.ci_high
    return None


def _evidence(kpi: Kpi, figs: KpiFigures, effect: BehaviourEffect | None,
              scores: list[NpsScore], measured: KpiEffect | None,
              pilot: tuple[date, date] | None) -> ChainKpi:
    latest = next((s for s in reversed(scores)
                   if s.group == figs.group and s.score is not None), None)
    status, window, mean = figs.status, None, None
    periods = kpi.measure is Measure.MEAN and (kpi.source is None or kpi.source.wave is None)
    found = (window_status(kpi, figs, *pilot)
             if pilot is not None and periods and level_of(kpi) == 1 else None)
    if found is not None and pilot is not None:
        (status, mean), window = found, pilot
    return ChainKpi(kpi.id, status, figs.latest, figs.stale, latest,
                    effect.pilot if effect is not None else None, window=window,
                    window_mean=mean, strong=strong_effect(kpi, effect, measured))


def _judge(level: int, kpis: list[ChainKpi]) -> ChainLevel:
    judged = [k for k in kpis if k.judged]
    strong = any(k.strong is not None for k in judged)
    found = verdict([k.status for k in judged])
    if strong and found is LevelVerdict.BREAKS:
        found = LevelVerdict.AT_RISK  # it moved, short of its plan: not a broken link
    return ChainLevel(level, kpis, found, strong=strong)


def chain_of_impact(plan: Kpis | None, kpis: dict[str, KpiFigures],
                    behaviour: dict[str, BehaviourEffect], roi: RoiFigures | None,
                    nps: dict[str, list[NpsScore]], *,
                    effects: dict[str, KpiEffect] | None = None,
                    pilot: tuple[date, date] | None = None) -> Chain:
    """Place every KPI on its level and judge each link of the chain.

    Args:
        plan: The measurement plan (None when ``kpis.yml`` is missing).
        kpis: Each KPI's figures, by id.
        behaviour: Pre/post effects of person-level KPIs with waves, by id.
        roi: The ROI figures, if the program has a budget.
        nps: Period scores of each NPS KPI, by id.
        effects: Each aggregate KPI's effect, by id (for strong evidence).
        pilot: The pilot's days so far (start to its last day or today): level 1's window.

    Returns:
        The chain, levels 1 to 5 in order.
    """
    on: dict[int, list[ChainKpi]] = {level: [] for level in LEVEL_NAMES}
    leading: list[ChainKpi] = []
    for kpi in plan.kpis if plan else []:
        evidence = _evidence(kpi, kpis[kpi.id], behaviour.get(kpi.id), nps.get(kpi.id, []),
                             (effects or {}).get(kpi.id), pilot)
        level = level_of(kpi)
        (leading if level is None else on[level]).append(evidence)
    kinds = {k.id: k.kind for k in plan.kpis} if plan else {}
    if any(kinds[k.kpi_id] is not KpiKind.ENGAGEMENT for k in on[1]):
        # judged evidence first, support after it
        on[1] = sorted((replace(k, judged=kinds[k.kpi_id] is not KpiKind.ENGAGEMENT)
                        for k in on[1]),
                       key=lambda k: not k.judged)
    levels = [_judge(level, on[level]) for level in range(1, 5)]
    levels.append(ChainLevel(5, [], roi_verdict(roi),
                             roi.headline.central_pct if roi is not None else None))
    top = max((lv.level for lv in levels if lv.strong), default=0)
    broken = [lv.level for lv in levels if lv.verdict == LevelVerdict.BREAKS]
    return Chain(levels, leading, next((b for b in broken if b > top), None),
                 [b for b in broken if b < top])
