"""Each example program's first year, reported week by week as a sponsor would see it.

The figures object is what ``playbook report`` and the pages read
(:func:`playbook.figures.program.compute`), so the replay asks it once a week
from the start: a synthetic KPI sitting on its line (weekly, with noise a tenth
of its planned change) must keep its status all year, and P(ROI > 0) must be
"not estimable" before one full period after the start and never print 0% or
100%.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from playbook.engine import load_playbook
from playbook.figures.program import compute
from playbook.figures.trajectory import KpiStatus, expected_value
from playbook.load.bundle import Bundle
from playbook.load.observations import Observation
from playbook.model.measure import Kpi
from playbook.pages.budget import chance

REPO = Path(__file__).resolve().parents[1]
JUDGED = (KpiStatus.ON_TRACK, KpiStatus.AT_RISK, KpiStatus.OFF_TRACK)


def _with_a_kpi_on_its_line(bundle: Bundle, seed: int) -> Bundle:
    """``bundle`` with one more KPI: weekly, on its line from the start, noise 0.1 a week."""
    assert bundle.program is not None and bundle.kpis is not None
    start = bundle.program.start
    kpi = Kpi.model_validate({
        "id": "on-its-line", "name": "On its line", "kind": "business", "unit": "points",
        "direction": "increase", "cadence": "weekly",
        "baseline": {"value": 50.0, "date": start},
        "target": {"value": 60.0, "by": start + timedelta(days=364)}})
    rng = np.random.default_rng(seed)
    days = [start + timedelta(days=7 * w + 4) for w in range(53)]
    series = [Observation(d, expected_value(kpi, d) + float(rng.normal(0, 1.0)))
              for d in days]
    kpis = bundle.kpis.model_copy(update={"kpis": [*bundle.kpis.kpis, kpi]})
    return replace(bundle, kpis=kpis, series={**bundle.series, kpi.id: series})


@pytest.mark.parametrize("program_id", ["approval-velocity", "decision-velocity"])
def test_a_first_year_week_by_week(program_id: str) -> None:
    playbook, _ = load_playbook(REPO)
    found = playbook.get(program_id)
    assert found is not None and found.program is not None
    # one seed here; test_status replays many (about one excursion in five years)
    bundle = _with_a_kpi_on_its_line(found, seed=0)
    start = found.program.start
    statuses: list[KpiStatus] = []
    said: list[str] = []
    for week in range(53):
        day = start + timedelta(days=7 * week)
        figures = compute(bundle, day)
        status = figures.kpis["on-its-line"].status
        if status in JUDGED:
            statuses.append(status)
        assert figures.roi is not None and figures.roi.headline.range is not None
        head = figures.roi.headline.range
        shown = str(chance(head))
        said.append(shown)
        assert shown not in ("0%", "100%"), (day, shown)
        if not all(b.full_period for b in figures.roi.kpi_benefits):
            assert shown.startswith("not estimable"), (day, shown)
    assert len(statuses) >= 50 and set(statuses) == {KpiStatus.ON_TRACK}, statuses
    assert sum(a != b for a, b in itertools.pairwise(statuses)) < 1
    assert said[0].startswith("not estimable") and not said[-1].startswith("not estimable")
