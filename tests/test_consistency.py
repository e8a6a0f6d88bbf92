"""The site and `playbook report` show the same figures, from the same objects."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from playbook import engine as site
from playbook.commands import report
from playbook.pages import site_pages as pages
from playbook.pages.mdtext import money, number

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
PROGRAMS = sorted(p.name for p in (REPO / "program").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    data, problems = site.build(REPO, TODAY)
    assert data is not None, problems.render()
    return {p.path: p.markdown for p in pages.generate(data)}


def _report(program: str) -> dict[str, Any]:
    code, text = report.report(REPO, program, TODAY)
    assert code == 0, text
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def _check_roi(roi: dict[str, Any], budget: str, overview: str) -> None:
    """The money figures on the budget page and the overview are the report's."""
    cur = roi["currency"]
    assert money(roi["tco"], cur) in budget and money(roi["tco"], cur) in overview
    for case in (roi["headline"], roi["sensitivity"]):
        assert money(case["benefits"], cur) in budget and money(case["npv"], cur) in budget
        if case["roi_pct"] is not None:
            assert f"{case['roi_pct']:,.0f}%" in budget
        if case["range"] is not None:
            assert f"{case['range']['p10']:,.0f}% to {case['range']['p90']:,.0f}%" in budget
    if roi["headline"]["range"] is not None:  # the headline is the median of the draws
        assert f"ROI {roi['headline']['range']['p50']:,.0f}% (median" in overview
    if roi["actual"] is not None:
        assert money(roi["actual"]["benefits"], cur) in budget


@pytest.mark.parametrize("program", ["decision-velocity", "approval-velocity"])
def test_pages_show_the_reported_figures(rendered: dict[str, str], program: str) -> None:
    figs = _report(program)
    overview = rendered[f"programs/{program}/index.md"]
    measurement = rendered[f"programs/{program}/measurement.md"]
    budget = rendered[f"programs/{program}/budget.md"]
    vendors = rendered[f"programs/{program}/vendors.md"]
    labels = {"on-track": "On track", "at-risk": "At risk", "off-track": "Off track",
              "no-data": "No data yet", "baseline-only": "Not measured since baseline"}
    for kpi_id, kpi in figs["kpis"].items():
        assert f"chart-{program}-{kpi_id}" in measurement
        if kpi["latest"] is not None:
            assert number(kpi["latest"]) in measurement, kpi_id
        assert f'pb-chip--{kpi["status"]}">{labels[kpi["status"]]}' in overview
    for effect in figs["behaviour"].values():
        if effect["did"] is not None:
            did = effect["did"]
            assert f"{did['estimate']:+.2f}" in measurement
            assert f"{number(did['ci']['low'], 2)} to {number(did['ci']['high'], 2)}" in \
                measurement
        if effect["pilot"] is not None:
            assert f"{effect['pilot']['d_z']:.2f}" in measurement
        for mde in (effect["mde"], effect["mde_did"]):
            if mde is not None:
                assert f"| {mde['d']:.2f} | {number(mde['raw'], 2)} |" in measurement
    _check_roi(figs["roi"], budget, overview)
    for group in figs["fairness"]["groups"]:
        assert f"{group['impact_ratio']:.2f}" in measurement
        assert f"{group['rate']:.1%}" in measurement
    top = figs["vendors"]["scores"][0]
    assert f"{top['weighted']:.2f}" in vendors
    roadmap = rendered[f"programs/{program}/roadmap.md"]
    for gate in figs["gates"]:
        shown = f"{'≥' if gate['op'] == '>=' else '≤'} {number(gate['threshold'])}: "
        verdict = {"passed": "passed", "not-met": "not met", "due-later": "due later",
                   "no-data": "no data"}[gate["state"]]
        assert shown + verdict in roadmap
        if gate["actual"] is not None:
            assert f"{verdict} ({number(gate['actual'])})" in roadmap


@pytest.mark.parametrize("program", ["decision-velocity", "approval-velocity"])
def test_pages_show_the_reported_states(rendered: dict[str, str], program: str) -> None:
    """The roadmap, review and sign-off states the pages show are the report's."""
    figs = _report(program)
    roadmap = rendered[f"programs/{program}/roadmap.md"]
    for m in figs["milestones"]:
        row = next(line for line in roadmap.splitlines() if m["milestone_id"] in line
                   and line.startswith(f"| {m['due']} "))
        assert f'pb-chip--{m["state"]}"' in row, (m, row)
    for ph in figs["phases"]:
        row = next(line for line in roadmap.splitlines() if line.startswith("| ")
                   and f"{ph['first']} – {ph['last']}" in line)
        assert f'pb-chip--{ph["state"]}"' in row, (ph, row)
    reviews = rendered[f"programs/{program}/reviews.md"]
    for r in figs["reviews"]:
        row = next(line for line in reviews.splitlines() if line.startswith(f"| Day {r['day']} "))
        assert (r["held"] in row) if r["state"] == "held" else (f'pb-chip--{r["state"]}"' in row)
    people = rendered[f"programs/{program}/people.md"]
    for so in figs["signoffs"]:
        if so["name"] is None:
            continue
        row = next(line for line in people.splitlines() if line.startswith("| ")
                   and str(so["date"]) in line and so["version"] in line)
        assert ("Current" if so["current"] else "Stale") in row, (so, row)


def test_one_program_fails_the_four_fifths_check_and_the_page_says_so(
        rendered: dict[str, str]) -> None:
    flagged = {p: _report(p)["fairness"]["flagged"]
               for p in ("decision-velocity", "approval-velocity")}
    assert flagged == {"decision-velocity": False, "approval-velocity": True}
    assert "An AI tool fails the four-fifths check" in \
        rendered["programs/approval-velocity/index.md"]
    assert "Below 0.8" in rendered["programs/approval-velocity/measurement.md"]
    assert "Below 0.8" not in rendered["programs/decision-velocity/measurement.md"]


def test_a_non_credible_share_falls_back_on_the_page_and_in_the_report(
        rendered: dict[str, str]) -> None:
    """Both shares and the rule reach the budget page and ``playbook report`` alike."""
    fallbacks = 0
    for program in PROGRAMS:
        roi = _report(program)["roi"]
        if roi is None:
            continue
        budget = rendered[f"programs/{program}/budget.md"]
        for b in roi["kpi_benefits"]:
            if b["credibility"] == "credible":
                assert b["basis"] == "data" and b["isolation"] == b["data_isolation"]
                continue
            assert b["basis"] == "estimate" and b["isolation"] == b["declared_isolation"]
            if b["data_isolation"] is not None:
                fallbacks += 1
                assert (f"the declared share {b['declared_isolation']:.0%} is used, not the "
                        f"data-derived {b['data_isolation']:.0%} (") in budget
    approval = _report("approval-velocity")["roi"]["kpi_benefits"][0]
    # the case: a data-derived 0.86 against a declared 0.4, on three pre-periods
    # (March 2026, 30 of its 31 days after the start, is an after month)
    assert (approval["kpi_id"], approval["credibility"]) == ("approval-time",
                                                             "pre-trends-untested")
    assert approval["isolation"] == 0.4 and round(approval["data_isolation"], 2) == 0.86
    assert fallbacks >= 2
