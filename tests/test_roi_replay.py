"""A replay of each example program's first year, week by week: what P(ROI > 0) says.

Each week's figures are computed as a report on that day would compute them.
Before one full period of a counted KPI after the start, P(ROI > 0) is not
estimable; on no day is it printed as 0% or 100%; and the headline is the
median of an interval that is not a point once data arrive.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from playbook.engine import load_playbook
from playbook.figures.montecarlo import NotEstimable
from playbook.figures.program import compute
from playbook.figures.trajectory import first_after, one_cadence_later
from playbook.model.choices import Cadence
from playbook.pages.budget import chance

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("program_id", ["approval-velocity", "decision-velocity"])
def test_first_year_replay_of_p_roi_positive(program_id: str) -> None:
    playbook, _ = load_playbook(REPO)
    bundle = playbook.get(program_id)
    assert bundle is not None and bundle.program is not None
    start = bundle.program.start
    # the month holding the start counts as after it when most of its days are
    # (trajectory.first_after): decision-velocity's January, 20 of 31 days, ends on day 20
    first_full = one_cadence_later(first_after(start, Cadence.MONTHLY), Cadence.MONTHLY)
    shown: list[str] = []
    for week in range(0, 53):
        day = start + timedelta(days=7 * week)
        roi = compute(bundle, day).roi
        assert roi is not None
        head = roi.headline.range
        assert head is not None
        said = str(chance(head))
        shown.append(said)
        assert said not in ("0%", "100%"), (day, said)
        if any(not b.full_period for b in roi.kpi_benefits):
            assert head.p_positive is None and head.not_estimable is NotEstimable.SHORT_DATA
        if day < first_full:  # no period that counts as after the start has ended yet
            assert head.p_positive is None, (day, head)
        if head.p_positive is not None:
            assert head.p10 < head.p50 < head.p90, (day, head)
            assert 0 < head.p_positive < 1 or said in ("< 1%", "> 99%")
    assert any(s.startswith("not estimable") for s in shown)
    assert not all(s.startswith("not estimable") for s in shown)
