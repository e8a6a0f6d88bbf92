"""The period that holds the start: assigned by where most of its days are, in one place.

Effects, checkpoints, gates and the ROI's full-period rule all split before from
after with :func:`playbook.figures.trajectory.first_after`; these tests check the
rule against a day count written here, and each of its users.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_trajectory import make_kpi

from playbook.engine import load_playbook
from playbook.figures.kpi import kpi_figures
from playbook.figures.program import GateState, compute
from playbook.figures.status import NOT_SINCE_BASELINE, NOT_SINCE_START
from playbook.figures.trajectory import (
    AFTER_SHARE,
    first_after,
    one_cadence_later,
    period_start,
    value_as_of,
)
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.pages.macros import measurement_rules
from playbook.pages.roadmap import gate_text

REPO = Path(__file__).resolve().parents[1]


def _counted(start: date, cadence: Cadence) -> date:
    """The rule by counting days: the holding period is after when most are."""
    first = period_start(start, cadence)
    days = []
    day = first
    while period_start(day, cadence) == first:
        days.append(day)
        day += timedelta(days=1)
    after = sum(d >= start for d in days)
    return first if after >= AFTER_SHARE * len(days) else day


def test_the_holding_period_goes_where_most_of_its_days_are_on_every_start() -> None:
    day = date(2027, 1, 1)
    while day.year < 2029:
        for cadence in Cadence:
            assert first_after(day, cadence) == _counted(day, cadence), (day, cadence)
        day += timedelta(days=1)


@pytest.mark.parametrize(("start", "cadence", "after"), [
    (date(2026, 3, 2), Cadence.MONTHLY, date(2026, 3, 1)),    # 30 of 31 days after: after
    (date(2026, 1, 12), Cadence.MONTHLY, date(2026, 1, 1)),   # 20 of 31
    (date(2026, 1, 20), Cadence.MONTHLY, date(2026, 2, 1)),   # 12 of 31: before
    (date(2026, 3, 2), Cadence.QUARTERLY, date(2026, 4, 1)),  # 30 of 90: before
    (date(2026, 1, 12), Cadence.QUARTERLY, date(2026, 1, 1)),  # 79 of 90
    (date(2026, 1, 8), Cadence.WEEKLY, date(2026, 1, 5)),     # Thursday: 4 of 7
    (date(2026, 1, 9), Cadence.WEEKLY, date(2026, 1, 12)),    # Friday: 3 of 7
])
def test_examples_of_the_rule(start: date, cadence: Cadence, after: date) -> None:
    assert first_after(start, cadence) == after
    assert period_start(after, cadence) == after
    assert one_cadence_later(period_start(start, cadence), cadence) >= after


@pytest.mark.parametrize("program_id", ["approval-velocity", "decision-velocity"])
def test_effects_and_the_full_period_split_by_the_rule(program_id: str) -> None:
    playbook, _ = load_playbook(REPO)
    bundle = playbook.get(program_id)
    assert bundle is not None and bundle.program is not None and bundle.kpis is not None
    start = bundle.program.start
    figs = compute(bundle, start + timedelta(days=300))
    assert figs.effects
    cadence = {k.id: k.cadence for k in bundle.kpis.kpis}
    for kpi_id, effect in figs.effects.items():
        periods = {p.period for p in figs.kpis[kpi_id].points if p.value is not None
                   and p.group in ("pilot", "all")}
        after = first_after(start, cadence[kpi_id])
        assert effect.pre_periods == sum(p < after for p in periods), kpi_id
        assert effect.post_periods == sum(p >= after for p in periods), kpi_id
    assert figs.roi is not None
    for benefit in figs.roi.kpi_benefits:
        ends = [one_cadence_later(p.period, cadence[benefit.kpi_id])
                for p in figs.kpis[benefit.kpi_id].points
                if p.value is not None and p.period >= first_after(start, cadence[benefit.kpi_id])]
        assert benefit.full_period == any(e <= figs.today for e in ends)


def test_a_checkpoint_on_a_month_mostly_before_the_start_has_no_status() -> None:
    start = date(2026, 1, 20)  # January: 12 of 31 days after the start, a before month
    kpi = make_kpi(baseline={"value": 10, "date": date(2025, 12, 31)},
                   target={"value": 100, "by": start + timedelta(days=180)})
    series = [Observation(date(2026, 1, 31), 50.0)]
    figs = kpi_figures(kpi, series, start=start, today=date(2026, 12, 1), min_group_size=5,
                       person_level=False)
    day90 = figs.checkpoints[0]
    assert (day90.actual, day90.status, day90.note) == (50.0, None, NOT_SINCE_START)
    later = [*series, Observation(date(2026, 2, 28), 60.0)]
    figs = kpi_figures(kpi, later, start=start, today=date(2026, 12, 1), min_group_size=5,
                       person_level=False)
    assert figs.checkpoints[0].status is not None and figs.checkpoints[0].note is None


def _wave(day: date, wave: str, value: float) -> list[Observation]:
    return [Observation(day + timedelta(days=i % 3), value, "pilot", f"s{i}", wave)
            for i in range(6)]


def test_a_gate_never_reads_the_baseline_wave() -> None:
    start = date(2026, 1, 12)
    pre = _wave(date(2026, 1, 5), "pre", 80.0)
    for day in (date(2026, 3, 1), date(2026, 12, 1)):  # only the baseline wave known
        assert value_as_of(pre, Cadence.QUARTERLY, "pilot", day, person_level=True,
                           min_group_size=5, start=start) is None
    post = _wave(date(2026, 6, 1), "post", 40.0)
    found = value_as_of(pre + post, Cadence.QUARTERLY, "pilot", date(2026, 12, 1),
                        person_level=True, min_group_size=5, start=start)
    assert found is not None and (found.value, found.wave) == (40.0, "post")
    # an aggregate series: a month that is mostly before the start is not read either
    months = [Observation(date(2026, 1, 31), 70.0, "pilot")]
    assert value_as_of(months, Cadence.MONTHLY, "pilot", date(2026, 12, 1),
                       person_level=False, min_group_size=5,
                       start=date(2026, 1, 20)) is None
    assert value_as_of(months, Cadence.MONTHLY, "pilot", date(2026, 12, 1),
                       person_level=False, min_group_size=5,
                       start=date(2026, 1, 12)) is not None


def test_a_checkpoint_on_the_baseline_wave_says_so() -> None:
    kpi = make_kpi(cadence="quarterly", baseline={"value": 3.2, "date": date(2026, 1, 1)},
                   target={"value": 3.6, "by": date(2026, 12, 31)})
    figs = kpi_figures(kpi, _wave(date(2026, 1, 20), "pre", 3.2), start=date(2026, 1, 12),
                       today=date(2026, 6, 1), min_group_size=5, person_level=True)
    assert (figs.checkpoints[0].status, figs.checkpoints[0].note) == (None, NOT_SINCE_BASELINE)


def test_the_methodology_states_the_rule_from_the_constant() -> None:
    rules = str(measurement_rules())
    assert (f"counts as after it when at least {AFTER_SHARE:.0%} of its days are on or "
            "after the start") in rules
    assert "read only a value that could show the program's effect" in rules


def test_a_gate_with_only_the_baseline_reads_no_data_since_the_start() -> None:
    playbook, _ = load_playbook(REPO)
    bundle = playbook.get("decision-velocity")
    assert bundle is not None and bundle.program is not None and bundle.roadmap is not None
    start = bundle.program.start
    # every rubric-use value dated before the first after month: the baseline only
    before = [o for o in bundle.series["rubric-use"] if o.date < first_after(start,
                                                                             Cadence.MONTHLY)]
    assert before
    cut = replace(bundle, series={**bundle.series, "rubric-use": before})
    gates = [g for g in compute(cut, start + timedelta(days=200)).gates
             if g.kpi_id == "rubric-use"]
    assert gates and all(g.state is GateState.NO_DATA and g.actual is None for g in gates)
    names = {"rubric-use": "Rubric use"}
    assert str(gate_text(gates[0], names)) == "Rubric use ≥ 60: no data since the start"
