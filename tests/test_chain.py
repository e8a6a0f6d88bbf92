"""The chain of impact: levels, verdicts, the sponsor's sentences, and the examples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import TmpPlaybook

from playbook.engine import build
from playbook.figures.chain import (
    Chain,
    ChainKpi,
    ChainLevel,
    LevelVerdict,
    chain_of_impact,
    level_of,
    verdict,
)
from playbook.figures.nps import NpsScore
from playbook.figures.stats import BehaviourEffect, DidEffect, Interval
from playbook.figures.trajectory import KpiFigures, KpiStatus
from playbook.load.loader import load_playbook
from playbook.load.signoffs import digest
from playbook.model.measure import Kpi, Kpis
from playbook.pages.chain import chain_section, summary

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)
ON, RISK, OFF, NONE = (KpiStatus.ON_TRACK, KpiStatus.AT_RISK, KpiStatus.OFF_TRACK,
                       KpiStatus.NO_DATA)
H, R, B, N = (LevelVerdict.HOLDS, LevelVerdict.AT_RISK, LevelVerdict.BREAKS,
              LevelVerdict.NOT_MEASURED)


def _kpi(kpi_id: str, kind: str, **extra: object) -> Kpi:
    return Kpi.model_validate({
        "id": kpi_id, "name": kpi_id.replace("-", " ").capitalize(), "kind": kind,
        "unit": "percent", "direction": "increase",
        "baseline": {"value": 10, "date": "2026-01-01"},
        "target": {"value": 60, "by": "2026-12-31"}, "cadence": "monthly", **extra})


def _figs(kpi_id: str, status: KpiStatus, latest: float | None = 50.0) -> KpiFigures:
    return KpiFigures(kpi_id, status, latest if status != NONE else None, None, None, None,
                      False, None, [], [], [], "all" if status != NONE else None)


def _levels(*verdicts: LevelVerdict) -> list[ChainLevel]:
    return [ChainLevel(i, [], v) for i, v in enumerate(verdicts, start=1)]


@pytest.mark.parametrize(("kind", "level"), [("reaction", 1), ("engagement", 1),
                                             ("learning", 2), ("behavior", 3),
                                             ("business", 4), ("leading", None)])
def test_existing_kinds_map_to_levels(kind: str, level: int | None) -> None:
    assert level_of(_kpi("k", kind)) == level


def test_a_declared_level_wins_over_the_kind() -> None:
    assert level_of(_kpi("k", "leading", level=3)) == 3


@pytest.mark.parametrize(("statuses", "expected"), [
    ([], N), ([NONE], N), ([ON, NONE], H), ([ON, RISK], R), ([RISK, OFF, ON], B)])
def test_the_worst_measured_status_decides(statuses: list[KpiStatus],
                                           expected: LevelVerdict) -> None:
    assert verdict(statuses) == expected


def test_engagement_supports_a_reaction_kpi_and_leading_sits_beside() -> None:
    plan = Kpis(kpis=[_kpi("active", "engagement"), _kpi("nps", "reaction"),
                      _kpi("rubric", "behavior"), _kpi("pipeline", "leading")])
    figs = {"active": _figs("active", OFF), "nps": _figs("nps", ON),
            "rubric": _figs("rubric", OFF), "pipeline": _figs("pipeline", ON)}
    chain = chain_of_impact(plan, figs, {}, None, {})
    assert [(k.kpi_id, k.judged) for k in chain.levels[0].kpis] == [("nps", True),
                                                                   ("active", False)]
    assert [lv.verdict for lv in chain.levels] == [H, N, B, N, N]
    assert ([k.kpi_id for k in chain.leading], chain.breaks_at) == (["pipeline"], 3)


def test_reaction_good_but_behaviour_not_moving_breaks_at_level_3() -> None:
    chain = Chain(_levels(H, N, B, H, H), breaks_at=3)
    assert summary(chain) == (
        "The chain breaks at level 3 (application on the job): leaders are not applying on "
        "the job what the program teaches as planned, so a business result is not shown to "
        "come from the program. Below it, it holds at level 1 (reaction and planned action). "
        "Above it, level 4 (business impact) and level 5 (return on investment) hold, but "
        "with the chain broken below and no credible comparison effect above it, that result "
        "is not shown to come from the program. Not measured yet: level 2 (learning).")


def test_a_second_break_is_named() -> None:
    assert summary(Chain(_levels(B, N, H, H, B), breaks_at=1)) == (
        "The chain breaks at level 1 (reaction and planned action): leaders' reaction or "
        "engagement during the pilot is below plan, so learning and new behaviour are less "
        "likely to follow. Above it, level 3 (application on the job) and level 4 (business "
        "impact) hold, but with the chain broken below and no credible comparison effect "
        "above it, that result is not shown to come from the program. It also breaks at "
        "level 5 (return on investment). Not measured yet: level 2 (learning).")


def test_holding_and_at_risk_and_unmeasured_chains() -> None:
    assert summary(Chain(_levels(H, H, H, H, H))) == (
        "The chain holds at every level measured.")
    assert summary(Chain(_levels(H, N, H, R, N))) == (
        "The chain holds so far, with level 4 (business impact) at risk. Not measured yet: "
        "level 2 (learning) and level 5 (return on investment).")
    assert summary(Chain(_levels(N, N, N, N, N))) == "No level of the chain is measured yet."


def test_the_section_shows_one_row_per_level() -> None:
    score = NpsScore("all", date(2026, 4, 1), 22, 13, 7, 2, 50.0, 14.0,
                     Interval(22.54, 77.46))
    nps = ChainKpi("nps", ON, 50.0, False, nps=score)
    rubric = ChainKpi("rubric", OFF, 31.0, True)
    levels = [ChainLevel(1, [nps], H), ChainLevel(2, [], N), ChainLevel(3, [rubric], B),
              ChainLevel(4, [], N), ChainLevel(5, [], H, roi_pct=12.4)]
    kpis = [_kpi("nps", "reaction", unit="points"), _kpi("rubric", "behavior")]
    page = chain_section(Chain(levels, breaks_at=3), kpis)
    chip = '<span class="pb-chip pb-chip--{}">{}</span>'.format
    assert page.splitlines()[2:] == [
        "| Level | Question | Evidence | Verdict |",
        "| --- | --- | --- | --- |",
        "| 1 · Reaction and planned action | Do leaders value the program and plan to use it? "
        f"| Nps: NPS +50 (95% CI +23 to +77; 22 people) {chip('on-track', 'On track')} "
        f"| {chip('holds', 'Holds')} |",
        "| 2 · Learning | Do they learn what it teaches? | no KPI on this level "
        f"| {chip('not-measured', 'Not measured')} |",
        "| 3 · Application on the job | Do they do it on the job? | Rubric: 31% "
        f"{chip('off-track', 'Off track')} {chip('stale', 'Stale')} "
        f"| {chip('breaks', 'Breaks')} |",
        "| 4 · Business impact | Does the business result move? | no KPI on this level "
        f"| {chip('not-measured', 'Not measured')} |",
        "| 5 · Return on investment | Do the counted benefits exceed the fully loaded costs? "
        f"| ROI headline 12% | {chip('holds', 'Holds')} |"]
    assert page.startswith("The chain breaks at level 3 \\(application on the job\\): ")


def test_the_example_shows_its_learning_nps_on_the_chain() -> None:
    data, problems = build(REPO, TODAY)
    assert data is not None, problems.render()
    chain = data.get("decision-velocity").figures.chain
    assert chain is not None
    # the first-year ROI headline is negative: level 5 breaks
    assert [lv.verdict for lv in chain.levels] == [H, N, H, H, B]
    first = chain.levels[0].kpis[0]
    assert first.kpi_id == "learning-nps" and first.nps is not None
    # the October answers are in a quarter still open on the build day: the latest score
    # published is the third quarter's (the fourth is "fielding" until 31 December)
    assert (first.nps.n, first.nps.promoters, first.nps.detractors, first.nps.score) == (
        24, 14, 3, 45.83)
    # an existing program, not edited, gets a chain: its engagement KPI is level 1
    other = data.get("approval-velocity").figures.chain
    assert other is not None
    # its engagement KPI is within the noise of its line; the ROI breaks the chain
    assert ([lv.verdict for lv in other.levels], other.breaks_at) == ([H, N, H, H, B], 5)


def test_new_fields_at_their_defaults_leave_sign_offs_current(
        tmp_playbook: TmpPlaybook) -> None:
    def now() -> str:
        bundle = load_playbook(tmp_playbook.root)[0].programs[0]
        return digest(bundle)

    before = now()
    tmp_playbook.edit("program/mini/kpis.yml", "    kind: business\n",
                      "    kind: business\n    measure: mean\n    level: null\n")
    assert now() == before
    tmp_playbook.edit("program/mini/kpis.yml", "    level: null\n", "    level: 4\n")
    assert now() != before


def test_a_learning_kpi_shows_its_gain_on_level_2(tmp_playbook: TmpPlaybook) -> None:
    # the mini 360 stands in for a pre/post knowledge test: same waves, same pairing
    tmp_playbook.edit("program/mini/kpis.yml", "    kind: behavior\n    unit: score (1-5)",
                      "    kind: learning\n    unit: score (1-5)")
    data, problems = build(tmp_playbook.root, TODAY)
    assert data is not None, problems.render()
    figs = data.get("mini").figures
    chain = figs.chain
    assert chain is not None
    (gain,) = chain.levels[1].kpis
    effect = figs.behaviour["leader-360"].pilot
    assert gain.kpi_id == "leader-360" and gain.change == effect is not None
    assert chain.levels[1].verdict == verdict([figs.kpis["leader-360"].status])


# --- the scenarios: each level over its own window; strong evidence stands -----

def _weekly(values: list[float], first: date) -> KpiFigures:
    """Weekly engagement points of the pilot group, judged off track on the latest."""
    from datetime import timedelta

    from playbook.figures.trajectory import Point

    points = [Point("pilot", first + timedelta(weeks=i), v, 20, False,
                    first + timedelta(weeks=i, days=6)) for i, v in enumerate(values)]
    return KpiFigures("active", OFF, values[-1], points[-1].last, None, None, False, None,
                      points, [], [], "pilot")


def _flat(kind: str = "engagement") -> Kpi:
    """Planned at 60% from a baseline of 40% on 2026-01-05, reached on day one."""
    return Kpi.model_validate({
        "id": "active", "name": "Active", "kind": kind, "unit": "percent",
        "direction": "increase", "baseline": {"value": 40, "date": "2026-01-04"},
        "target": {"value": 60, "by": "2026-01-05"}, "cadence": "weekly"})


def test_engagement_after_the_pilot_ended_does_not_break_the_chain() -> None:
    # on the line through a 12-week pilot, then it falls to 5% once sessions end
    figs = _weekly([61.0] * 12 + [5.0] * 8, date(2026, 1, 5))
    pilot = (date(2026, 1, 5), date(2026, 3, 29))
    chain = chain_of_impact(Kpis(kpis=[_flat()]), {"active": figs}, {}, None, {},
                            pilot=pilot)
    (active,) = chain.levels[0].kpis
    assert (active.status, active.window, chain.levels[0].verdict) == (ON, pilot, H)
    assert (active.window_mean, active.latest) == (61.0, 5.0)
    row = chain_section(chain, [_flat()])
    assert ("Active: mean 61% over the pilot's periods from 2026-01-05 to 2026-03-29, the "
            "value judged (latest 5%)") in row
    assert chain.breaks_at is None
    # the same series without the window, as before: the latest week breaks the chain
    assert chain_of_impact(Kpis(kpis=[_flat()]), {"active": figs}, {}, None, {}
                           ).breaks_at == 1


def test_eleven_summer_weeks_inside_the_pilot_do_not_break_it() -> None:
    values = [65.0] * 30 + [48.0] * 11
    figs = _weekly(values, date(2026, 1, 5))  # read in the last summer week
    pilot = (date(2026, 1, 5), date(2026, 10, 18))
    chain = chain_of_impact(Kpis(kpis=[_flat()]), {"active": figs}, {}, None, {},
                            pilot=pilot)
    assert chain.levels[0].kpis[0].status == ON  # mean 60.4 against a line at 60
    assert chain.levels[0].verdict == H and chain.breaks_at is None
    # a pilot whose engagement stays low is still judged low over its window
    low = _weekly([45.0] * 20, date(2026, 1, 5))
    assert chain_of_impact(Kpis(kpis=[_flat()]), {"active": low}, {}, None, {},
                           pilot=pilot).breaks_at == 1


def _did(low: float, high: float) -> BehaviourEffect:
    return BehaviourEffect("rubric", None, None,
                           DidEffect((low + high) / 2, Interval(low, high), 30, 28, 0.0004),
                           None, 0, [])


def test_strong_behaviour_evidence_is_not_cancelled_by_a_weak_level_below() -> None:
    plan = Kpis(kpis=[_kpi("active", "engagement"), _kpi("rubric", "behavior"),
                      _kpi("margin", "business")])
    figs = {"active": _figs("active", OFF), "rubric": _figs("rubric", OFF),
            "margin": _figs("margin", ON)}
    chain = chain_of_impact(plan, figs, {"rubric": _did(0.3, 0.7)}, None, {})
    assert [lv.verdict for lv in chain.levels] == [B, N, R, H, N]
    assert (chain.breaks_at, chain.weak, chain.levels[2].strong) == (None, [1], True)
    assert chain.levels[2].kpis[0].strong == (0.5, 0.3, 0.7)
    assert summary(chain) == (
        "Level 1 (reaction and planned action) is below plan, but level 3 (application on "
        "the job) shows a credible change against the comparison group, which a weaker "
        "level below does not cancel. Not measured yet: level 2 (learning) and level 5 "
        "(return on investment).")
    page = chain_section(chain, plan.kpis)
    assert "against the comparison group +0.5 (95% CI +0.3 to +0.7)" in page
    assert "cannot be credited" not in page


@pytest.mark.parametrize(("low", "high"), [(-0.1, 0.7), (-0.7, -0.3)])
def test_an_interval_across_zero_or_the_wrong_way_is_not_strong(low: float,
                                                                 high: float) -> None:
    plan = Kpis(kpis=[_kpi("active", "engagement"), _kpi("rubric", "behavior")])
    figs = {"active": _figs("active", OFF), "rubric": _figs("rubric", OFF)}
    chain = chain_of_impact(plan, figs, {"rubric": _did(low, high)}, None, {})
    assert (chain.breaks_at, chain.weak, chain.levels[2].verdict) == (1, [], B)
