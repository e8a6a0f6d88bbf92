"""Intention-to-treat sensitivity against an independent numpy computation."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from test_attrition import CSV, PID, TODAY, example, lowest_gain, measurement_page, rewrite

from playbook.commands.report import report
from playbook.figures.itt import BoundGap, itt
from playbook.model.measure import Scale
from playbook.pages.macros import measurement_rules


def _waves(rng: np.random.Generator, n: int, kept: int, shift: float
           ) -> tuple[dict[str, float], dict[str, float]]:
    pre = {f"p{i}": float(v) for i, v in enumerate(rng.integers(1, 4, n))}
    post = {k: min(5.0, v + float(rng.integers(0, 3)) * shift)
            for k, v in list(pre.items())[:kept]}
    return pre, post


def _reference(pre: dict[str, float], post: dict[str, float], low: float, high: float
               ) -> tuple[float, float, float]:
    """Dropouts as no change, all at the bottom, all at the top: plain numpy."""
    ids = list(pre)
    before = np.array([pre[i] for i in ids])
    answered = np.array([i in post for i in ids])
    after = np.array([post.get(i, np.nan) for i in ids])
    change = np.where(answered, after - before, 0.0)
    worst = np.where(answered, after - before, low - before)
    best = np.where(answered, after - before, high - before)
    return float(change.mean()), float(worst.mean()), float(best.mean())


@pytest.mark.parametrize("seed", range(20))
def test_itt_and_bounds_match_numpy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n1, n2 = (int(x) for x in rng.integers(8, 40, 2))
    waves = {"pilot": _waves(rng, n1, n1 - int(rng.integers(1, 6)), 1.0),
             "comparison": _waves(rng, n2, n2 - int(rng.integers(0, 6)), 0.5)}
    found = itt(waves, {"pilot", "comparison"}, Scale(low=1, high=5))
    assert found is not None and found.gap is None
    ref = {g: _reference(*waves[g], 1.0, 5.0) for g in waves}
    for g in found.groups:
        assert (g.no_change, g.low, g.high) == pytest.approx(ref[g.group], abs=1e-12)
        stayed = [waves[g.group][1][k] - v for k, v in waves[g.group][0].items()
                  if k in waves[g.group][1]]
        assert g.completer_change == pytest.approx(np.mean(stayed), abs=1e-12)
    p, c = ref["pilot"], ref["comparison"]
    assert found.did_no_change == pytest.approx(p[0] - c[0], abs=1e-12)
    assert found.did_low == pytest.approx(p[1] - c[2], abs=1e-12)
    assert found.did_high == pytest.approx(p[2] - c[1], abs=1e-12)
    assert found.did_low <= found.did_no_change <= found.did_high


def test_issue_example_shrinks_by_the_share_who_stayed() -> None:
    """A DiD of 0.5 with a fifth of the pilot gone reads 0.4 with dropouts as no change."""
    pre = {f"p{i}": 3.0 for i in range(10)}
    post = {f"p{i}": 3.5 for i in range(8)}
    comp = ({f"c{i}": 3.0 for i in range(10)}, {f"c{i}": 3.0 for i in range(10)})
    found = itt({"pilot": (pre, post), "comparison": comp}, {"pilot", "comparison"}, None)
    assert found is not None
    assert found.did_no_change == pytest.approx(0.4)
    assert (found.did_low, found.did_high, found.gap) == (None, None, BoundGap.NO_SCALE)


def test_answers_outside_the_scale_give_no_bounds() -> None:
    pre = {"a": 1.0, "b": 7.0, "c": 2.0}
    post = {"a": 2.0, "b": 7.0}
    found = itt({"all": (pre, post)}, {"all"}, Scale(low=1, high=5))
    assert found is not None and found.gap is BoundGap.OUTSIDE_SCALE
    assert found.groups[0].low is None and found.did_no_change is None


def test_nothing_without_dropouts_or_unpublished_groups() -> None:
    both = ({"a": 1.0, "b": 2.0}, {"a": 2.0, "b": 2.0})
    assert itt({"all": both}, {"all"}, Scale(low=1, high=5)) is None
    gone = ({"a": 1.0, "b": 2.0, "c": 3.0}, {"a": 2.0, "b": 2.0})
    assert itt({"all": gone}, set(), Scale(low=1, high=5)) is None


def test_scale_must_rise() -> None:
    with pytest.raises(ValueError, match=r"the scale's high \(1\) must be above its low \(5\)"):
        Scale(low=5, high=1)


# --- end to end: the example with dropouts, on the page and in `report` --------------

def _reference_did(root: Path, scale: tuple[float, float]) -> tuple[float, float, float]:
    """Dropouts as no change and the bounds, straight from the CSV with numpy."""
    with (root / CSV).open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for group in ("pilot", "comparison"):
        pre = {r["leader_id"]: float(r["score"]) for r in rows
               if r["wave"] == "pre" and r["cohort"] == group}
        post = {r["leader_id"]: float(r["score"]) for r in rows
                if r["wave"] == "post" and r["cohort"] == group}
        out.append(_reference(pre, post, *scale))
    (p0, plo, phi), (c0, clo, chi) = out
    return p0 - c0, plo - chi, phi - clo


def test_the_example_with_dropouts_shows_itt_everywhere(tmp_path: Path) -> None:
    root = example(tmp_path)
    rewrite(root, lambda r, rows: None if r["wave"] == "post" and r["leader_id"]
            in lowest_gain(rows, 8) else r)
    kpis = root / "program" / PID / "kpis.yml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace(
        "    unit: score (1-5)\n", "    unit: score (1-5)\n    scale: {low: 1, high: 5}\n"),
        encoding="utf-8")
    no_change, low, high = _reference_did(root, (1.0, 5.0))
    code, text = report(root, PID, TODAY)
    assert code == 0, text
    itt_json = json.loads(text)["behaviour"]["leader-360"]["itt"]
    # published at the site's precision: two decimals
    assert itt_json["did_no_change"] == pytest.approx(no_change, abs=0.005)
    assert (itt_json["did_low"], itt_json["did_high"]) == pytest.approx((low, high), abs=0.005)
    assert itt_json["gap"] is None and itt_json["scale"] == [1.0, 5.0]
    pilot = itt_json["groups"][0]
    assert (pilot["group"], pilot["n"], pilot["dropouts"]) == ("pilot", 30, 8)
    page = measurement_page(root)
    assert (f"**Difference-in-differences with dropouts as no change:** {no_change:+.2f} "
            f"score \\(1-5\\); worst to best case {low:+.2f} to {high:+.2f}.") in page
    assert f"| Pilot | 30 | 8 | {pilot['completer_change']:+.2f} | " \
           f"{pilot['no_change']:+.2f} | {pilot['low']:+.2f} to {pilot['high']:+.2f} |" in page
    assert "The worst case puts every leader who left at 1, the bottom of the" in page


def test_without_a_scale_the_page_says_why_no_bounds(tmp_path: Path) -> None:
    root = example(tmp_path)
    rewrite(root, lambda r, rows: None if r["wave"] == "post" and r["leader_id"]
            in lowest_gain(rows, 8) else r)
    page = measurement_page(root)
    assert ("No worst/best-case bounds: the KPI declares no scale \\(scale: \\{low: …, "
            "high: …\\}\\), so a dropout's answer has no bound.") in page
    # the completers' 0.5 shrinks to a third less with the 8 dropouts as no change
    assert "**Difference-in-differences with dropouts as no change:** +0.34 score" in page
    rules = str(measurement_rules())
    assert "Attrition sensitivity" in rules and "Horowitz–Manski" in rules
