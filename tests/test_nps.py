"""Learning NPS: against an independent numpy/scipy computation, privacy and edge cases."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from conftest import TmpPlaybook
from pydantic import ValidationError
from scipy import stats as sps

from playbook.engine import build, load_playbook
from playbook.figures import nps
from playbook.figures.trajectory import KpiStatus
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.model.measure import Kpi

TODAY = date(2026, 11, 22)
TOL = 1e-9


def _independent(answers: np.ndarray) -> tuple[float, float, float, float]:
    """NPS as the mean of +1/0/−1 codes; its se from the codes' (population) variance.

    The codes' variance ``E[x²] − E[x]²`` is ``p_P + p_D − (p_P − p_D)²``: the same
    multinomial variance reached another way, so the test does not repeat the code.
    """
    x = np.where(answers >= 9, 1.0, np.where(answers <= 6, -1.0, 0.0))
    value = 100 * x.mean()
    se = 100 * np.sqrt(x.var(ddof=0) / len(x))
    half = sps.norm.ppf(0.975) * se
    return float(value), float(se), float(value - half), float(value + half)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_score_matches_an_independent_computation(seed: int) -> None:
    answers = np.random.default_rng(seed).integers(0, 11, 41)
    got = nps.score(answers.tolist(), min_group_size=5)
    value, se, low, high = _independent(answers)
    assert got.score == pytest.approx(value, abs=TOL)
    assert got.se == pytest.approx(se, abs=TOL)
    assert got.ci is not None
    assert (got.ci.low, got.ci.high) == (pytest.approx(low, abs=TOL),
                                         pytest.approx(high, abs=TOL))
    assert got.promoters + got.passives + got.detractors == got.n == 41


def test_standard_error_agrees_with_a_bootstrap() -> None:
    rng = np.random.default_rng(20261124)
    answers = rng.choice(11, 60, p=[.02] * 5 + [.05, .1, .15, .2, .2, .2])
    got = nps.score(answers.tolist(), min_group_size=5)
    # 20,000 resamples drawn in one call, each scored as _independent scores its answers
    # (100 × the mean of the +1/0/−1 codes): one _independent call per resample spent
    # 10 s of CPU on the normal quantile, which a bootstrap of the score does not use
    resamples = rng.choice(answers, (20000, len(answers)))
    boot = 100 * np.where(resamples >= 9, 1.0, np.where(resamples <= 6, -1.0, 0.0)).mean(axis=1)
    assert boot.shape == (20000,)
    assert got.se == pytest.approx(float(np.std(boot)), rel=0.03)


def test_categories_at_their_boundaries() -> None:
    assert [nps.category(a) for a in (0, 6, 7, 8, 9, 10)] == [
        "detractor", "detractor", "passive", "passive", "promoter", "promoter"]


def test_all_promoters_give_100_and_no_interval() -> None:
    got = nps.score([9, 10, 10, 9, 10, 9], min_group_size=5)
    assert (got.score, got.se, got.ci, got.note) == (100.0, 0.0, None, nps.ONE_CATEGORY)
    assert nps.ONE_CATEGORY == ("every answer is in one category, so no interval can be "
                                "estimated")


def test_the_interval_is_clipped_to_the_scale() -> None:
    got = nps.score([10] * 9 + [8], min_group_size=5)
    assert got.score == pytest.approx(90.0, abs=TOL)
    assert got.ci is not None and got.ci.high == 100.0
    assert got.ci.low == pytest.approx(_independent(np.array([10] * 9 + [8]))[2], abs=TOL)


def test_fewer_people_than_the_privacy_minimum_get_no_score() -> None:
    got = nps.score([10, 9, 3, 7], min_group_size=5)
    assert (got.n, got.score, got.se, got.ci, got.suppressed) == (4, None, None, None, True)


def test_no_answers_get_no_score() -> None:
    got = nps.score([], min_group_size=5)
    assert (got.n, got.score, got.suppressed) == (0, None, True)


def _kpi(**extra: object) -> Kpi:
    return Kpi.model_validate({
        "id": "learning-nps", "name": "Learning NPS", "kind": "reaction", "measure": "nps",
        "unit": "points", "direction": "increase",
        "baseline": {"value": 20, "date": "2026-01-02"},
        "target": {"value": 40, "by": "2026-06-30"}, "cadence": "quarterly",
        "source": {"file": "data/mini/nps.csv", "date": "day", "value": "answer",
                   "subject": "who"}, **extra})


def test_a_person_counts_once_per_period_with_the_latest_answer() -> None:
    rows = [Observation(date(2026, 2, d), a, None, f"p{i}")
            for i, (d, a) in enumerate([(2, 10), (2, 9), (2, 8), (2, 3), (2, 10)])]
    rows.append(Observation(date(2026, 3, 1), 2, None, "p0"))  # p0 changed their mind
    (got,) = nps.period_scores(rows, Cadence.QUARTERLY, min_group_size=5)
    assert (got.n, got.promoters, got.passives, got.detractors) == (5, 2, 1, 2)
    assert got.score == 0.0


def test_nps_figures_judge_the_score_and_count_people() -> None:
    answers = [10, 10, 9, 9, 9, 8, 7, 6, 3, 10]  # 6 promoters, 2 detractors: NPS 40
    rows = [Observation(date(2026, 5, 4), a, None, f"p{i}") for i, a in enumerate(answers)]
    rows += [Observation(date(2026, 8, 3), 10, None, f"q{i}") for i in range(3)]
    figs, scores = nps.nps_figures(_kpi(), rows, start=date(2026, 1, 2), today=TODAY,
                                   min_group_size=5)
    assert [(p.period, p.value, p.n, p.suppressed) for p in figs.points] == [
        (date(2026, 4, 1), 40.0, 10, False), (date(2026, 7, 1), None, 3, True)]
    assert (figs.latest, figs.status) == (40.0, KpiStatus.ON_TRACK)
    assert [s.score for s in scores] == [pytest.approx(40.0), None]


def test_an_nps_kpi_needs_a_subject() -> None:
    with pytest.raises(ValidationError, match="`measure: nps` reads one 0–10 answer per "
                                              "person: the source needs a `subject` column"):
        _kpi(source={"file": "data/mini/nps.csv", "date": "day", "value": "answer"})


def test_an_nps_target_must_be_on_the_scale() -> None:
    with pytest.raises(ValidationError, match="`measure: nps` is in points from -100 to "
                                              "100; the target is 140"):
        _kpi(target={"value": 140, "by": "2026-06-30"})


NPS_KPI = """  - id: learning-nps
    name: Learning NPS
    kind: reaction
    measure: nps
    unit: points
    direction: increase
    baseline: {value: 20, date: 2026-01-02}
    target: {value: 40, by: 2026-06-30}
    cadence: quarterly
    owner: ld_owner
    source: {file: data/mini/nps.csv, date: day, value: answer, subject: who}
attribution:"""


def _with_nps(pb: TmpPlaybook, answers: list[float]) -> None:
    pb.edit("program/mini/kpis.yml", "attribution:", NPS_KPI)
    pb.write("data/mini/nps.csv", "day,answer,who\n" + "".join(
        f"2026-04-0{1 + i % 5},{a:g},p{i}\n" for i, a in enumerate(answers)))


def test_answers_off_the_scale_are_an_error(tmp_playbook: TmpPlaybook) -> None:
    _with_nps(tmp_playbook, [10, 7.5, 11, 9, 3, -1, 8])
    problems = load_playbook(tmp_playbook.root)[1]
    assert [str(p) for p in problems.errors] == [
        "program/mini/kpis.yml:46:14: kpis[3].measure: KPI 'learning-nps' is an NPS of 0–10 "
        "answers, but data/mini/nps.csv has 3 other values: 7.5 at line 3, 11 at line 4, "
        "-1 at line 7 (each row is one person's whole-number answer from 0 to 10)"]


def test_a_small_survey_is_never_published(tmp_playbook: TmpPlaybook) -> None:
    _with_nps(tmp_playbook, [10, 10, 9, 2])  # four people, under the minimum of five
    data, problems = build(tmp_playbook.root, TODAY)
    assert data is not None, problems.render()
    figs = data.get("mini").figures
    assert figs.kpis["learning-nps"].latest is None
    chain = figs.chain
    assert chain is not None
    (evidence,) = [k for k in chain.levels[0].kpis if k.kpi_id == "learning-nps"]
    assert (evidence.nps, evidence.status) == (None, KpiStatus.NO_DATA)
