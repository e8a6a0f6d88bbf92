"""Vendor scorecard: weighted scores, gates, ranks and ±5-point weight sensitivity."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from playbook.figures.vendors import shifted_weights, vendor_figures
from playbook.model.money import Vendors

YES = {"outcome_clauses": "yes", "ai_audit": "yes"}


def vendors(scores: dict[str, dict[str, float]], clauses: dict[str, dict[str, str]],
            weights: dict[str, float] | None = None) -> Vendors:
    weights = weights or {"a": 50, "b": 30, "c": 20}
    data: dict[str, Any] = {
        "criteria": [{"id": k, "name": k.upper(), "weight": w} for k, w in weights.items()],
        "gates": ["outcome_clauses", "ai_audit"],
        "vendors": [{"id": v, "name": v.title(), "scores": s, "clauses": clauses[v]}
                    for v, s in scores.items()],
    }
    return Vendors.model_validate(data)


def test_hand_worked_scores_gates_and_sensitivity() -> None:
    # x: 5×50 + 1×30 + 1×20 = 300 → 3.0; y: 3×50 + 3×30 + 4×20 = 320 → 3.2;
    # z: 5.0 but its ai_audit clause is "partial" and outcome_clauses missing → unranked.
    v = vendors({"x": {"a": 5, "b": 1, "c": 1}, "y": {"a": 3, "b": 3, "c": 4},
                 "z": {"a": 5, "b": 5, "c": 5}},
                {"x": YES, "y": YES, "z": {"ai_audit": "partial"}})
    f = vendor_figures(v)
    assert [(s.vendor_id, s.rank) for s in f.scores] == [("y", 1), ("x", 2), ("z", None)]
    assert [s.weighted for s in f.scores] == [3.2, 3.0, 5.0]
    assert f.scores[2].failed_gates == ["outcome_clauses", "ai_audit"]
    assert f.top == "y" and f.tied_top == ["y"]
    # a +5: weights 55, 30×45/50 = 27, 20×45/50 = 18 → x 2.75+0.27+0.18 = 3.20,
    # y 1.65+0.81+0.72 = 3.18 → x on top. a −5: 45/33/22 → x 2.80, y 3.22 → y.
    shifts = {(s.criterion_id, s.delta): s for s in f.shifts}
    assert len(f.shifts) == 6
    assert shifts[("a", 5)].top_vendor == "x" and shifts[("a", 5)].changes
    assert shifts[("a", -5)].top_vendor == "y" and not shifts[("a", -5)].changes
    assert not f.stable


def test_ties_share_a_rank() -> None:
    # x and y: 4×50 + 2×30 + 2×20 = 300 → 3.0 each; w: 1.0.
    t = vendors({"x": {"a": 4, "b": 2, "c": 2}, "y": {"a": 4, "b": 2, "c": 2},
                 "w": {"a": 1, "b": 1, "c": 1}}, {"x": YES, "y": YES, "w": YES})
    f = vendor_figures(t)
    assert [(s.vendor_id, s.rank) for s in f.scores] == [("x", 1), ("y", 1), ("w", 3)]
    assert f.top == "x" and f.tied_top == ["x", "y"] and f.stable


def test_no_vendor_passes() -> None:
    f = vendor_figures(vendors({"x": {"a": 5, "b": 5, "c": 5}}, {"x": {}}))
    assert f.top is None and f.scores[0].rank is None and f.stable
    assert all(s.top_vendor is None for s in f.shifts)


def test_shifted_weights_keep_the_total_and_proportions() -> None:
    w = shifted_weights({"a": 50, "b": 30, "c": 20}, "a", 5)
    assert w == {"a": 55, "b": 27, "c": 18}
    assert shifted_weights({"a": 2, "b": 98}, "a", -5) == {"a": 0, "b": 100}
    assert shifted_weights({"a": 100, "b": 0, "c": 0}, "a", -5) == {"a": 95, "b": 2.5,
                                                                   "c": 2.5}


@given(st.lists(st.floats(0, 100), min_size=2, max_size=6), st.integers(0, 5),
       st.sampled_from([-5, 5]))
def test_shifted_weights_sum_is_preserved(raw: list[float], pick: int, delta: int) -> None:
    total = sum(raw)
    weights = {f"c{i}": 100 * x / total if total else 100 / len(raw)
               for i, x in enumerate(raw)}
    key = f"c{pick % len(raw)}"
    out = shifted_weights(weights, key, delta)
    assert math.isclose(sum(out.values()), sum(weights.values()), rel_tol=1e-9)
    assert all(x >= 0 for x in out.values())
