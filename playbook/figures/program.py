"""One loaded program → every figure the site and ``playbook report`` show.

Flow: :class:`playbook.load.loader.Bundle` → :func:`compute` → :class:`ProgramFigures`
(KPI status, behaviour effects, ROI, fairness, vendor scores, phase gates) →
pages and JSON. Everything is computed "as of" one day: observations dated
after it are ignored. :func:`to_jsonable` turns the figures into plain JSON
data (ISO dates, NaN and infinities as null).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from playbook.figures import nps, privacy, timeline
from playbook.figures.benchmark import Placement, placement
from playbook.figures.chain import Chain, chain_of_impact
from playbook.figures.design import DesignEvidence, assess
from playbook.figures.effects import KpiEffect, kpi_effect
from playbook.figures.fairness import Fairness, four_fifths, outcome_tool
from playbook.figures.forecast import ForecastFigures, forecast_figures
from playbook.figures.kpi import kpi_figures
from playbook.figures.roi import RoiFigures, roi_figures
from playbook.figures.stats import BehaviourEffect, behaviour_effect
from playbook.figures.timeline import CheckpointReview, MilestoneStatus, PhaseStatus
from playbook.figures.trajectory import (
    KpiFigures,
    Point,
    first_after,
    status_group,
    value_as_of,
)
from playbook.figures.vendors import VendorFigures, vendor_figures
from playbook.load.bundle import Bundle
from playbook.load.observations import Observation
from playbook.load.signoffs import SignoffState, states
from playbook.model.choices import AttributionMethod, Measure
from playbook.model.measure import MIN_GROUP_SIZE


class GateState(StrEnum):
    """Where a phase gate stands on the build date."""

    PASSED = "passed"
    """Its day has come and the KPI meets the bound."""
    NOT_MET = "not-met"
    """Its day has come and the KPI misses the bound."""
    DUE_LATER = "due-later"
    """The phase has not ended yet."""
    NO_DATA = "no-data"
    """Its day has come but the KPI has no value measured since the start to read (a
    baseline wave or a period before the start never counts)."""


@dataclass(frozen=True)
class GateStatus:
    """One go/no-go criterion of a roadmap phase, read against the KPI."""

    phase_id: str
    """Id of the roadmap phase whose gate this is."""
    kpi_id: str
    """Id of the KPI the gate reads."""
    op: str
    """``>=`` for an ``at_least`` bound, ``<=`` for an ``at_most`` one."""
    threshold: float
    """The bound, in the KPI's unit."""
    due: date
    """The phase's last day: the day the gate is read."""
    actual: float | None
    """The KPI's latest published value since the start, known on the earlier of ``due`` and
    ``today``, in the KPI's unit; None when there is none."""
    passed: bool | None
    """Whether ``actual`` meets the bound; None before ``due`` or without a value."""
    state: GateState
    """The gate's state, read from ``passed`` and the due date."""


@dataclass(frozen=True)
class AttributionInfo:
    """How effects are attributed to the program; shown beside every effect."""

    method: AttributionMethod
    """How the program's effect is separated from everything else, as ``kpis.yml`` declares it."""
    confounders: list[str]
    """Other things that may move the KPIs, as declared."""
    assumptions: list[str]
    """Assumptions the analysis rests on, as declared."""
    data_quality: list[str]
    """Known limits of the data, as declared."""


@dataclass(frozen=True)
class ProgramFigures:
    """Every computed figure of one program, as of ``today``."""

    program_id: str
    """Id of the program (its folder under ``program/``)."""
    today: date
    """The day the figures are as of: observations dated after it are ignored."""
    day: int
    """Days from the program's ``start`` to ``today``; negative before the start."""
    kpis: dict[str, KpiFigures]
    """Each KPI's status, points and checkpoints, by KPI id in the plan's order."""
    behaviour: dict[str, BehaviourEffect]
    """Pre/post effects of each person-level KPI measured in survey waves, by KPI id."""
    roi: RoiFigures | None
    """Costs, ROI cases and their range; None without a ``budget.yml``."""
    fairness: Fairness | None
    """The four-fifths check of the AI tool's outcomes; None without ``ai.yml`` or without outcome
    rows."""
    vendors: VendorFigures | None
    """Vendor scores, ranks and weight sensitivity; None without ``vendors.yml``."""
    gates: list[GateStatus]
    """Each bound of each phase's go/no-go criteria, in the roadmap's order."""
    attribution: AttributionInfo | None = None
    """The measurement plan's attribution method, confounders and assumptions."""
    min_group_size: int = MIN_GROUP_SIZE
    """Privacy threshold every aggregate respects."""
    phases: list[PhaseStatus] = field(default_factory=list)
    """Roadmap phases with their state as of ``today``."""
    milestones: list[MilestoneStatus] = field(default_factory=list)
    """Milestones by due date, each done, late, overdue, due soon or upcoming."""
    reviews: list[CheckpointReview] = field(default_factory=list)
    """The day-90/180/365 reviews: held, overdue or upcoming."""
    signoffs: list[SignoffState] = field(default_factory=list)
    """Latest sign-off per role (required roles first), current or stale."""
    effects: dict[str, KpiEffect] = field(default_factory=dict)
    """Attributable effect per aggregate KPI with data (person-level KPIs: ``behaviour``)."""
    chain: Chain | None = None
    """The chain of impact, Phillips levels 1–5, with a verdict per level."""
    design: DesignEvidence | None = None
    """Each design fact against the evidence (Lacerenza et al. 2017, the guidance)."""
    forecast: ForecastFigures | None = None
    """The forecast made at design time against each checkpoint and the first-year ROI;
    None when the program states no forecast."""
    benchmarks: dict[str, Placement] = field(default_factory=dict)
    """Each KPI's effect on the research scale beside the published benchmark of its
    criterion, or why it cannot be put there."""


def _gates(bundle: Bundle, kpis: dict[str, KpiFigures], today: date,
           min_size: int, series: dict[str, list[Observation]]) -> list[GateStatus]:
    """Read each phase gate on the phase's last day, by the checkpoint rule.

    The actual is the latest non-suppressed value of the KPI's status group
    known on ``min(due, today)`` (observations dated on or before it) that could show
    the program's effect: a baseline wave or a period before the start is never read;
    ``passed`` is None until the due day has come or while there is no value.
    """
    program, roadmap, plan = bundle.program, bundle.roadmap, bundle.kpis
    if program is None or roadmap is None:
        return []
    defs = {k.id: k for k in plan.kpis} if plan else {}
    out = []
    for phase in roadmap.phases:
        due = program.start + timedelta(days=phase.days[1])
        for gate in phase.gate:
            fig, kpi = kpis.get(gate.kpi), defs.get(gate.kpi)
            group = status_group(fig.points) if fig else None
            known = None
            if kpi is not None and group is not None:
                # an NPS KPI's published series already holds aggregate period scores
                person = kpi.person_level and kpi.measure is not Measure.NPS
                known = value_as_of(series.get(kpi.id, []), kpi.cadence, group,
                                    min(due, today), person_level=person,
                                    min_group_size=min_size, start=program.start)
            actual = known.value if known else None
            for op, bound in ((">=", gate.at_least), ("<=", gate.at_most)):
                if bound is None:
                    continue
                passed = None
                if actual is not None and due <= today:
                    passed = actual >= bound if op == ">=" else actual <= bound
                state = (GateState.PASSED if passed else GateState.NOT_MET if passed is False
                         else GateState.DUE_LATER if due > today else GateState.NO_DATA)
                out.append(GateStatus(phase.id, gate.kpi, op, bound, due, actual, passed,
                                      state))
    return out


def _with(figs: KpiFigures, fielding: list[Point]) -> KpiFigures:
    """The figures with a "fielding" point for each window still open.

    A window being fielded is data arriving, so the KPI is not stale meanwhile.
    """
    if not fielding:
        return figs
    points = sorted([*figs.points, *fielding], key=lambda p: (p.group, p.period))
    return replace(figs, points=points, stale=False)


def _measured(bundle: Bundle, today: date, min_size: int) -> tuple[
        dict[str, KpiFigures], dict[str, BehaviourEffect], dict[str, list[Observation]],
        dict[str, KpiEffect], dict[str, list[nps.NpsScore]], dict[str, Placement]]:
    """Status, behaviour effect, attributable effect, NPS and research placement of every
    KPI."""
    program, k = bundle.program, bundle.kpis
    assert program is not None
    kpis: dict[str, KpiFigures] = {}
    behaviour: dict[str, BehaviourEffect] = {}
    published: dict[str, list[Observation]] = {}
    effects: dict[str, KpiEffect] = {}
    scores: dict[str, list[nps.NpsScore]] = {}
    placed: dict[str, Placement] = {}
    for kpi in k.kpis if k else []:
        series = [o for o in bundle.series.get(kpi.id, []) if o.date <= today]
        person = kpi.person_level
        fielding: list[Point] = []
        if person:
            # only windows closed before today: no figure moves by one late respondent
            split = privacy.windows(kpi, series, today)
            series, fielding = split.closed, split.fielding
        if kpi.measure is Measure.NPS:
            # each row is one person's 0–10 answer: the value judged is a period's NPS
            figs, found = nps.nps_figures(
                kpi, series, start=program.start, today=today, min_group_size=min_size)
            kpis[kpi.id] = _with(figs, fielding)
            scores[kpi.id] = [privacy.published(score) for score in found]
            published[kpi.id] = nps.as_observations(series, kpi.cadence,
                                                    min_group_size=min_size)
            placed[kpi.id] = placement(kpi, bundle.benchmarks, None, None)
            continue
        published[kpi.id] = series
        kpis[kpi.id] = _with(kpi_figures(kpi, series, start=program.start, today=today,
                                         min_group_size=min_size, person_level=person),
                             fielding)
        effect = behaviour_effect(kpi, series, cohort_size=program.pilot.cohort_size,
                                  min_group_size=min_size)
        if effect is not None:
            behaviour[kpi.id] = privacy.published(effect)
        # a person-level series without waves is judged on its published points, as an
        # aggregate one is (its waves' effects are the behaviour effects instead)
        waves = kpi.source is not None and kpi.source.wave is not None
        if not waves and kpis[kpi.id].points:
            effects[kpi.id] = kpi_effect(kpi.id, kpis[kpi.id].points,
                                         first_after(program.start, kpi.cadence),
                                         kpi.baseline.value)
        # converted from the exact effect, then published at the site's precision as it is
        placed[kpi.id] = privacy.published(placement(kpi, bundle.benchmarks, effect,
                                                     effects.get(kpi.id)))
    return kpis, behaviour, published, effects, scores, placed


def compute(bundle: Bundle, today: date) -> ProgramFigures:
    """Compute every figure of one program as of ``today``.

    Args:
        bundle: A program loaded without errors (``program.yml`` must be present).
        today: The day the figures are for.

    Returns:
        The program's figures.

    Raises:
        ValueError: When the bundle has no program model.
    """
    program = bundle.program
    if program is None:
        raise ValueError(f"program '{bundle.id}' has no valid program.yml")
    k = bundle.kpis
    min_size = k.privacy.min_group_size if k else MIN_GROUP_SIZE
    kpis, behaviour, published, effects, scores, placed = _measured(bundle, today, min_size)
    roi = (roi_figures(bundle.budget, k, kpis, effects, start=program.start, today=today,
                       pilot_days=program.pilot.duration_days,
                       cohort_size=program.pilot.cohort_size) if bundle.budget else None)
    fair = (four_fifths(bundle.outcomes, min_size, tool=outcome_tool(bundle.ai))
            if bundle.ai else None)
    vendors = vendor_figures(bundle.vendors) if bundle.vendors else None
    a = k.attribution if k else None
    attribution = (AttributionInfo(a.method, list(a.confounders), list(a.assumptions),
                                   list(a.data_quality)) if a else None)
    roadmap, start = bundle.roadmap, program.start
    return ProgramFigures(
        program_id=program.id, today=today, day=(today - start).days, kpis=kpis,
        behaviour=behaviour, roi=roi, fairness=fair, vendors=vendors,
        gates=_gates(bundle, kpis, today, min_size, published), attribution=attribution,
        min_group_size=min_size, phases=timeline.phases(roadmap, start, today) if roadmap else [],
        milestones=timeline.milestones(roadmap, start, today) if roadmap else [],
        reviews=timeline.checkpoint_reviews(bundle.reviews, start, today),
        signoffs=states(bundle), effects=effects,
        benchmarks=placed,
        chain=chain_of_impact(k, kpis, behaviour, roi, scores, effects=effects,
                              pilot=_pilot_window(program.start, program.pilot.duration_days,
                                                  today)),
        design=assess(bundle),
        forecast=forecast_figures(program.forecast, k.kpis if k else [], kpis, roi,
                                  start=start, today=today))


def _pilot_window(start: date, days: int, today: date) -> tuple[date, date] | None:
    """The pilot's days so far, level 1's window: from the start to its last day or
    ``today``, whichever is earlier; None before the start."""
    if today < start:
        return None
    return start, min(today, start + timedelta(days=days - 1))


def _plain(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {(k.isoformat() if isinstance(k, date) else str(k)): _plain(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


SCHEMA_VERSION: Final = 1
"""The version of the JSON the figures are written as (``figures.json``, ``playbook report``):
it rises when a field is removed or changes meaning, never for a field added."""


def to_jsonable(figs: ProgramFigures) -> dict[str, object]:
    """Return the figures as plain JSON data: ISO dates, NaN/inf as None, str keys.

    Args:
        figs: Figures from :func:`compute`.

    Returns:
        Nested dicts, lists, strings, numbers, booleans and None.
    """
    data = _plain(figs)
    assert isinstance(data, dict)
    return {"schema_version": SCHEMA_VERSION, **data}
