"""Unusual but valid programs: whatever ``playbook check`` accepts must build.

Every program here passes the checker with zero errors, so it must give pages
(:func:`playbook.engine.build` + :func:`playbook.pages.site_pages.generate`), a ``playbook
report`` and a strict MkDocs build, and the pages must say "not yet defined" or
"no data yet" instead of crashing or printing ``None``/``nan``.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI, TmpPlaybook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook import engine as site
from playbook.commands import report
from playbook.engine import load_playbook
from playbook.pages import site_pages as pages

TODAY = date(2026, 11, 22)
BAD_VALUE = re.compile(r"(?<![\w-])(None|nan|NaN|-?inf|-?Infinity|null)(?![\w-])")
"""Python's or JSON's name for a missing or non-finite number, shown as a value."""


def _displayed(markdown: str) -> str:
    """The page without chart JSON (``null`` there is how a gap is drawn)."""
    return re.sub(r"<template[^>]*>.*?</template>", "", markdown, flags=re.DOTALL)


def pipeline(root: Path, today: date = TODAY) -> dict[str, str]:
    """Check (zero errors), build, render and report every program; return the texts.

    Keys are page paths (``programs/<id>/<page>.md``) and ``report/<id>``.
    """
    playbook, problems = load_playbook(root)
    assert not problems.errors, "\n".join(str(p) for p in problems.errors)
    data, problems = site.build(root, today)
    assert data is not None
    out = {p.path: p.markdown for p in pages.generate(data)}
    for bundle in playbook.programs:
        code, text = report.report(root, bundle.id, today)
        assert code == 0, text
        json.loads(text)
        out[f"report/{bundle.id}"] = text
    for path, text in out.items():
        found, context = _bad_values(path, text)
        assert not found, f"{path} shows {found}: {context}"
    return out


@functools.cache  # the two reference pages are the same text in every program: scanned once
def _bad_values(path: str, text: str) -> tuple[list[str], str]:
    """The bad values ``text`` shows as the page at ``path``, and where the first is."""
    shown = text if path.startswith("report/") else _displayed(text)
    # JSON's null is a value in a report, and a word of the JSON format's reference
    json_null = path.startswith("report/") or path == "reference/figures.md"
    bad = [m for m in BAD_VALUE.finditer(shown) if not json_null or m.group(0) != "null"]
    return [m.group(0) for m in bad], "".join(
        shown[max(0, m.start() - 120):m.end() + 40] for m in bad[:1])


def dump(data: object) -> str:
    """YAML text of plain data (strings that YAML 1.1 would read as booleans are quoted)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def page(out: dict[str, str], name: str, program: str = "mini") -> str:
    """One generated page of ``program``."""
    return out[f"programs/{program}/{name}.md"]


def remove(pb: TmpPlaybook, *names: str) -> None:
    """Delete program files (bare names are ``program/mini/<name>``)."""
    for name in names:
        pb.path(name).unlink()


def mini_kpis() -> list[dict[str, Any]]:
    """The mini fixture's KPIs as plain data."""
    return [
        {"id": "start-time", "name": "Days from request to project start", "kind": "business",
         "unit": "days", "direction": "decrease",
         "baseline": {"value": 30, "date": "2025-12-31"},
         "target": {"value": 24, "by": "2026-12-31"}, "cadence": "monthly",
         "owner": "business_owner",
         "source": {"file": "data/mini/start_time.csv", "date": "month", "value": "days",
                    "group": "group"}},
        {"id": "board-use", "name": "Projects staffed from the board", "kind": "behavior",
         "unit": "percent", "direction": "increase",
         "baseline": {"value": 10, "date": "2025-12-31"},
         "target": {"value": 60, "by": "2026-06-30"}, "cadence": "monthly",
         "owner": "ld_owner",
         "source": {"file": "data/mini/board_use.csv", "date": "month", "value": "pct"}},
        {"id": "leader-360", "name": "360 score on staffing decisions", "kind": "behavior",
         "unit": "score (1-5)", "direction": "increase",
         "baseline": {"value": 3.2, "date": "2026-01-02"},
         "target": {"value": 3.6, "by": "2026-06-30"}, "cadence": "quarterly",
         "owner": "hr_business_partner",
         "source": {"file": "data/mini/leader_360.csv", "date": "surveyed_on",
                    "value": "score", "subject": "subject", "wave": "wave",
                    "group": "group"}},
    ]


def write_kpis(pb: TmpPlaybook, kpis: list[dict[str, Any]], *,
               min_group_size: int = 5) -> None:
    """Replace ``kpis.yml`` with these KPIs, the fixture's attribution and privacy."""
    pb.write("kpis.yml", dump({
        "kpis": kpis,
        "attribution": {"method": "comparison-group",
                        "confounders": ["A new planning tool arrives in Q2"]},
        "privacy": {"min_group_size": min_group_size}}))


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV text with a header line."""
    lines: list[Sequence[object]] = [header, *rows]
    return "\n".join(",".join(str(c) for c in line) for line in lines) + "\n"


def person_rows(subjects: int, group: str, waves: tuple[str, ...] = ("pre", "post"),
                prefix: str = "p") -> list[list[object]]:
    """Rows of a 360 survey: one per subject and wave."""
    days = {"pre": "2026-01-02", "post": "2026-04-03"}
    return [[days[w], f"{3.0 + 0.1 * (i % 4) + (0.4 if w == 'post' else 0):.1f}",
             f"{prefix}-{group}-{i:03d}", w, group]
            for w in waves for i in range(subjects)]


SUBJECT = re.compile(r"p-[a-z]+-\d{3}|p-[0-9a-f]{8}")


# --- hand-made edge cases -------------------------------------------------------------


def only_program(pb: TmpPlaybook) -> None:
    remove(pb, "competencies.yml", "roadmap.yml", "vendors.yml", "kpis.yml", "budget.yml",
           "reviews.yml", "ai.yml")
    shutil.rmtree(pb.root / "data")


def kpis_without_source(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    for k in kpis:
        del k["source"]
    write_kpis(pb, kpis)
    remove(pb, "ai.yml")


def header_only_csvs(pb: TmpPlaybook) -> None:
    pb.write("data/mini/start_time.csv", "month,days,group\n")
    pb.write("data/mini/board_use.csv", "month,pct\n")
    pb.write("data/mini/leader_360.csv", "surveyed_on,score,subject,wave,group\n")
    pb.write("data/mini/recommendations.csv", "group,recommended\n")


def all_increase(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    kpis[0].update(direction="increase", target={"value": 36, "by": "2026-12-31"})
    write_kpis(pb, kpis)


def all_decrease(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    kpis[1].update(direction="decrease", baseline={"value": 60, "date": "2025-12-31"},
                   target={"value": 5, "by": "2026-06-30"})
    kpis[2].update(direction="decrease", target={"value": 2.5, "by": "2026-06-30"})
    write_kpis(pb, kpis)


def weekly_and_quarterly(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    kpis[0]["cadence"] = "weekly"
    kpis[1]["cadence"] = "quarterly"
    write_kpis(pb, kpis)
    start = date(2026, 1, 5)
    pb.write("data/mini/start_time.csv", csv_text(
        ["month", "days", "group"],
        [[start + timedelta(weeks=w), 30 - w * 0.1, g] for w in range(40)
         for g in ("pilot", "comparison")]))


def no_group_column(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    del kpis[0]["source"]["group"]
    del kpis[2]["source"]["group"]
    write_kpis(pb, kpis)
    pb.write("data/mini/start_time.csv", "month,days\n2026-01-31,29\n2026-02-28,27.5\n")
    pb.write("data/mini/leader_360.csv", csv_text(
        ["surveyed_on", "score", "subject", "wave"],
        [r[:4] for r in person_rows(6, "pilot")]))


def small_comparison_group(pb: TmpPlaybook) -> None:
    pb.write("data/mini/leader_360.csv", csv_text(
        ["surveyed_on", "score", "subject", "wave", "group"],
        person_rows(6, "pilot") + person_rows(3, "comparison")))


def only_pre_wave(pb: TmpPlaybook) -> None:
    pb.write("data/mini/leader_360.csv", csv_text(
        ["surveyed_on", "score", "subject", "wave", "group"],
        person_rows(6, "pilot", ("pre",)) + person_rows(6, "comparison", ("pre",))))


def person_level_without_waves(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    del kpis[2]["source"]["wave"]
    write_kpis(pb, kpis)
    pb.write("data/mini/leader_360.csv", csv_text(
        ["surveyed_on", "score", "subject", "group"],
        [r[:3] + r[4:] for r in person_rows(6, "pilot") + person_rows(2, "comparison")]))


def identical_changes(pb: TmpPlaybook) -> None:
    """Every person improves by exactly the same amount: no spread in the changes."""
    rows = [[d, 3.0 + (0.5 if w == "post" else 0.0), f"p-{g}-{i:03d}", w, g]
            for w, d in (("pre", "2026-01-02"), ("post", "2026-04-03"))
            for g in ("pilot", "comparison") for i in range(6)]
    pb.write("data/mini/leader_360.csv", csv_text(
        ["surveyed_on", "score", "subject", "wave", "group"], rows))


def no_change_at_all(pb: TmpPlaybook) -> None:
    """Nobody's score moves: zero mean change and zero spread."""
    rows = [[d, 3.5, f"p-{g}-{i:03d}", w, g]
            for w, d in (("pre", "2026-01-02"), ("post", "2026-04-03"))
            for g in ("pilot", "comparison") for i in range(6)]
    pb.write("data/mini/leader_360.csv", csv_text(
        ["surveyed_on", "score", "subject", "wave", "group"], rows))


def tiny_cohort(pb: TmpPlaybook) -> None:
    pb.edit("program.yml", "cohort_size: 24", "cohort_size: 1")


def huge_cohort(pb: TmpPlaybook) -> None:
    pb.edit("program.yml", "cohort_size: 24", "cohort_size: 100000000")


def future_start(pb: TmpPlaybook) -> None:
    pb.edit("program.yml", "start: 2026-01-05", "start: 2027-03-01")
    pb.edit("roadmap.yml", "    done: 2026-01-12\n", "")
    pb.write("reviews.yml", "reviews: []\n")  # none held before the start


def long_ago_start(pb: TmpPlaybook) -> None:
    pb.edit("program.yml", "start: 2026-01-05", "start: 2024-06-03")


def targets_passed(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    kpis[0]["target"] = {"value": 24, "by": "2026-02-01"}
    write_kpis(pb, kpis)


def vendors_none_pass(pb: TmpPlaybook) -> None:
    pb.write("vendors.yml", """\
criteria:
  - {id: outcomes, name: Outcome-based pricing, weight: 60}
  - {id: cost, name: Three-year cost, weight: 40}
gates: [data_ownership, ai_audit]
vendors:
  - id: acme
    name: Acme Coaching
    scores: {outcomes: 4, cost: 3}
    clauses: {data_ownership: yes, ai_audit: partial}
  - id: beta
    name: Beta Learning
    scores: {outcomes: 5, cost: 5}
    clauses: {data_ownership: no}
""")


def vendors_tie(pb: TmpPlaybook) -> None:
    pb.write("vendors.yml", """\
criteria:
  - {id: outcomes, name: Outcome-based pricing, weight: 50}
  - {id: cost, name: Three-year cost, weight: 50}
gates: [data_ownership]
vendors:
  - id: acme
    name: Acme Coaching
    scores: {outcomes: 4, cost: 2}
    clauses: {data_ownership: yes}
  - id: beta
    name: Beta Learning
    scores: {outcomes: 2, cost: 4}
    clauses: {data_ownership: yes}
  - id: gamma
    name: Gamma Growth
    scores: {outcomes: 1, cost: 1}
    clauses: {data_ownership: yes}
""")


def vendors_shift_to_tie(pb: TmpPlaybook) -> None:
    """Acme leads 4.1 to 3.9; five points off `outcomes` make it a 4.0 tie."""
    pb.write("vendors.yml", """\
criteria:
  - {id: outcomes, name: Outcome-based pricing, weight: 55}
  - {id: cost, name: Three-year cost, weight: 45}
vendors:
  - {id: acme, name: Acme Coaching, scores: {outcomes: 5, cost: 3}}
  - {id: beta, name: Beta Learning, scores: {outcomes: 3, cost: 5}}
""")
    pb.edit("ai.yml", "    vendor: acme\n", "")


def vendors_without_gates(pb: TmpPlaybook) -> None:
    pb.write("vendors.yml", """\
criteria:
  - {id: everything, name: Everything, weight: 100}
vendors:
  - id: acme
    name: Acme Coaching
    scores: {everything: 3}
""")


def vendors_empty(pb: TmpPlaybook) -> None:
    pb.write("vendors.yml", "criteria:\n  - {id: cost, name: Cost, weight: 100}\nvendors: []\n")
    pb.edit("ai.yml", "    vendor: acme\n", "")


def budget_year_one(pb: TmpPlaybook) -> None:
    pb.write("budget.yml", "currency: GBP\ncosts:\n  - {category: coaching, year: 1, "
             "amount: 40000}\n")


LOADED_AT_ZERO = "".join(f"  - {{category: {c}, year: 1, amount: 0}}\n"
                         for c in ("participant_time", "measurement", "operations"))
"""The fully loaded checklist stated at zero: an odd budget, but not a warning."""


def budget_zero_costs(pb: TmpPlaybook) -> None:
    pb.write("budget.yml", "costs:\n  - {category: coaching, year: 1, amount: 0}\n"
             + LOADED_AT_ZERO)


def budget_benefits_only(pb: TmpPlaybook) -> None:
    pb.write("budget.yml", "currency: EUR\nbenefits:\n  - {name: Faster starts, year: 1, "
             "amount: 50000, isolation: 0.5, confidence: 0.5}\ncosts:\n" + LOADED_AT_ZERO)


def budget_beyond_horizon(pb: TmpPlaybook) -> None:
    pb.write("budget.yml", """\
currency: EUR
horizon_years: 2
costs:
  - {category: coaching, year: 1, amount: 10000}
  - {category: participant_time, year: 1, amount: 4000}
  - {category: measurement, year: 1, amount: 1000}
  - {category: operations, year: 1, amount: 1000}
  - {category: platform, year: 3, amount: 5000}
  - {category: platform, year: 10, amount: 5000}
benefits:
  - {name: Later gains, year: 5, amount: 90000}
""")


def budget_empty_file(pb: TmpPlaybook) -> None:
    pb.write("budget.yml", "")


def monetised_kpi_without_data(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    del kpis[0]["source"]
    kpis[0]["monetization"] = {"value_per_unit": 1000, "currency": "EUR"}
    kpis[1]["monetization"] = {"value_per_unit": 10, "currency": "JPY"}
    write_kpis(pb, kpis)


def reviews_empty(pb: TmpPlaybook) -> None:
    pb.write("reviews.yml", "reviews: []\n")


def ai_without_outcomes(pb: TmpPlaybook) -> None:
    pb.edit("ai.yml", "outcomes:\n  file: data/mini/recommendations.csv\n  group: group\n"
            "  selected: recommended\n", "")


def ai_groups_all_small(pb: TmpPlaybook) -> None:
    pb.write("data/mini/recommendations.csv", "group,recommended\nwomen,1\nwomen,0\nmen,1\n"
             "other,0\n,1\n")


def ai_nobody_selected(pb: TmpPlaybook) -> None:
    pb.write("data/mini/recommendations.csv",
             "group,recommended\n" + "women,0\n" * 6 + "men,0\n" * 5)


def ai_no_tools(pb: TmpPlaybook) -> None:
    pb.write("ai.yml", "tools: []\n")


def roadmap_no_milestones(pb: TmpPlaybook) -> None:
    pb.write("roadmap.yml", "phases:\n  - {id: pilot, name: Pilot, days: [0, 365]}\n")


def behaviour_without_criteria(pb: TmpPlaybook) -> None:
    pb.edit("competencies.yml", "    criteria:\n      team-lead: Posts every staffing request "
            "on the board\n      manager: Sends back requests that bypass the board\n", "")


def no_behaviours(pb: TmpPlaybook) -> None:
    pb.write("competencies.yml", "levels: [team-lead]\nbehaviors: []\n")
    pb.edit("program.yml", "      behaviors: [board-staffing]\n", "")


def no_decisions_or_hypotheses(pb: TmpPlaybook) -> None:
    remove(pb, "competencies.yml")
    text = pb.read("program.yml")
    start = text.index("  decisions:")
    pb.write("program.yml", text[:start] + text[text.index("\nstakeholders:"):])


def empty_kpi_list(pb: TmpPlaybook) -> None:
    pb.write("kpis.yml", "kpis: []\n")
    remove(pb, "competencies.yml", "roadmap.yml")
    pb.edit("program.yml", "      kpis: [start-time]\n", "")


def unicode_and_long_text(pb: TmpPlaybook) -> None:
    long = "Führungskräfte entscheiden schneller — 決定を早く " * 12
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 3
    pb.edit("program.yml", "title: Mini staffing program", f"title: {json.dumps(long.strip())}")
    pb.edit("program.yml", "text: Staff a new project with people from several teams",
            f"text: {json.dumps(word + ' ' + long)}")
    pb.edit("program.yml", "{name: Ada Quill,", "{name: \"Åsa Ñúñez-Øberg 李小龍 👩‍💼\",")
    kpis = mini_kpis()
    kpis[0]["name"] = "Délai ⏱ " + long
    kpis[1]["unit"] = "%"
    kpis[2]["unit"] = "Punkte auf der Skala von eins bis fünf"
    write_kpis(pb, kpis)
    pb.edit("competencies.yml", "text: Staffs every new project from the shared board",
            f"text: {json.dumps(long)}")


def units(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    kpis[0]["unit"] = "%"
    kpis[1]["unit"] = "PERCENT"
    kpis[2]["unit"] = "pts"
    write_kpis(pb, kpis)


def negative_and_fractional_values(pb: TmpPlaybook) -> None:
    kpis = mini_kpis()
    kpis[0].update(unit="net promoter score", direction="increase",
                   baseline={"value": -12.5, "date": "2025-12-31"},
                   target={"value": 0, "by": "2026-12-31"})
    write_kpis(pb, kpis)
    pb.write("data/mini/start_time.csv", "month,days,group\n2026-01-31,-0.04,pilot\n"
             "2026-02-28,-0.0001,pilot\n2026-03-31,0.00004,comparison\n")


EDGE_CASES: dict[str, Callable[[TmpPlaybook], None]] = {
    f.__name__: f for f in (
        only_program, kpis_without_source, header_only_csvs, all_increase, all_decrease,
        weekly_and_quarterly, no_group_column, small_comparison_group, only_pre_wave,
        person_level_without_waves, identical_changes, no_change_at_all, tiny_cohort,
        huge_cohort, future_start, long_ago_start, targets_passed, vendors_none_pass,
        vendors_tie, vendors_shift_to_tie, vendors_without_gates, vendors_empty, budget_year_one,
        budget_zero_costs, budget_benefits_only, budget_beyond_horizon, budget_empty_file,
        monetised_kpi_without_data, reviews_empty, ai_without_outcomes, ai_groups_all_small,
        ai_nobody_selected, ai_no_tools, roadmap_no_milestones, behaviour_without_criteria,
        no_behaviours, no_decisions_or_hypotheses, empty_kpi_list, unicode_and_long_text,
        units, negative_and_fractional_values)
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_case_program_builds(case: str, tmp_playbook: TmpPlaybook) -> None:
    EDGE_CASES[case](tmp_playbook)
    out = pipeline(tmp_playbook.root)
    leaked = {p: SUBJECT.findall(t) for p, t in out.items() if SUBJECT.search(t)}
    assert leaked == {}


def test_wording_of_edge_cases(tmp_path: Path) -> None:
    """The pages say what is missing instead of leaving empty tables or odd figures."""

    def build(*changes: Callable[[TmpPlaybook], None]) -> dict[str, str]:
        root = tmp_path / "_".join(c.__name__ for c in changes)
        shutil.copytree(MINI, root)
        for change in changes:
            change(TmpPlaybook(root))
        return pipeline(root)

    out = build(only_program)
    for name in ("competencies", "roadmap", "vendors", "measurement", "budget", "reviews"):
        assert "Not yet defined" in page(out, name), name
    out = build(header_only_csvs)
    assert page(out, "measurement").count("No data yet") >= 3
    assert "No one has answered both the pre and the post wave yet." in page(out, "measurement")
    assert "fewer than" not in page(out, "measurement")
    out = build(small_comparison_group)
    assert "| Comparison | fewer than 5 |" in page(out, "measurement")
    assert "<td>Comparison group</td><td>fewer than 5</td>" in page(out, "measurement")
    out = build(only_pre_wave)
    assert "| Pilot | no data yet |" in page(out, "measurement")
    out = build(no_group_column)
    assert "| Everyone measured | 6 |" in page(out, "measurement")
    assert "| Comparison |" not in page(out, "measurement")
    out = build(identical_changes)
    # every change is +0.5: no spread, so no interval (never one of zero width)
    assert "| Pilot | 6 | 3 → 3.5 | +0.50 | cannot estimate (no spread) | — |" in page(
        out, "measurement")
    out = build(future_start)
    assert "starts in 99 days (on 2027-03-01)" in page(out, "index")
    assert "| starts in 99 days |" in out["programs/index.md"]
    # March 2026 (55%) is before the start: a gate reads only what could show the effect
    assert "Projects staffed from the board ≥ 50: due later" in page(out, "roadmap")
    assert "due later (55)" not in page(out, "roadmap")
    out = build(vendors_tie)
    assert "Acme Coaching and Beta Learning tie for first with 3.00" in page(out, "vendors")
    assert "(then Acme Coaching leads)" in page(out, "vendors")
    out = build(vendors_shift_to_tie)
    assert "(then Acme Coaching and Beta Learning tie)" in page(out, "vendors")
    # the MDE is for the people measured in both waves, whatever cohort was planned
    tiny = page(build(tiny_cohort), "measurement")
    assert "the pilot cohort was planned at 1):" in tiny
    assert "**Minimum detectable effect** at α = 0.05 and power 0.8" in tiny
    out = build(vendors_none_pass)
    assert "No vendor passes every gate, so none is ranked." in page(out, "vendors")
    assert "No ranking to test." in page(out, "vendors")
    assert "No vendors are listed yet." in page(build(vendors_empty), "vendors")
    out = build(budget_benefits_only)
    assert "| no costs |" in page(out, "budget")
    assert "no costs to pay back" in page(out, "index")
    assert "No benefits are estimated yet" in page(build(budget_year_one), "budget")
    assert "after the horizon are left out" in page(build(budget_beyond_horizon), "budget")
    assert "No review has been held yet." in page(build(reviews_empty), "reviews")
    assert "No group has 5 or more people yet" in page(build(ai_groups_all_small),
                                                       "measurement")
    assert "so the count and rate are not shown" in page(build(ai_nobody_selected), "measurement")
    assert "No AI tools are listed" in page(build(ai_no_tools), "measurement")
    out = build(roadmap_no_milestones)
    assert "No milestones are planned yet." in page(out, "roadmap")
    assert "No milestones yet; current phase: Pilot." in page(out, "roadmap")
    assert "No behaviours are defined yet." in page(build(no_behaviours), "competencies")
    assert "No decisions are stated yet." in page(build(no_decisions_or_hypotheses),
                                                  "strategy")
    assert "No KPIs are defined yet." in page(build(empty_kpi_list), "measurement")
    out = build(negative_and_fractional_values)
    # the latest value is -0.0001 and the target 0: enough digits to tell them apart
    assert "rose from -12.5 to -0.0001;" in page(out, "measurement")
    assert not re.search(r"(?<![\w-])-0(?![.\d])", _displayed(page(out, "measurement")))
    out = build(units)
    assert "| 30% | 24% by 2026-12-31 | 25% |" in page(out, "measurement")
    assert "| 3.2 pts | 3.6 pts by 2026-06-30 | 3.6 pts |" in page(out, "measurement")


def test_non_finite_numbers_are_check_errors(tmp_playbook: TmpPlaybook) -> None:
    """YAML reads `.inf`/`.nan` as numbers; the checker must stop them, not the build."""
    tmp_playbook.edit("kpis.yml", "baseline: {value: 10,", "baseline: {value: -.inf,")
    tmp_playbook.edit("budget.yml", "amount: 10000}", "amount: .inf}")
    tmp_playbook.edit("vendors.yml", "weight: 60}", "weight: .nan}")
    _, problems = load_playbook(tmp_playbook.root)
    messages = sorted(f"{p.field}: {p.message}" for p in problems.errors)
    assert messages == [
        "costs[1].amount: expected a finite number, got the number inf",
        "criteria[0].weight: expected a finite number, got the number nan",
        "kpis[1].baseline.value: expected a finite number, got the number -inf",
    ]


# --- several programs at once ---------------------------------------------------------


def add_program(root: Path, program_id: str, *changes: Callable[[TmpPlaybook], None]) -> None:
    """Add ``program/<program_id>`` (and its data) to ``root``: the mini program, changed."""
    scratch = root.parent / f"scratch-{program_id}"
    shutil.copytree(MINI, scratch)
    for change in changes:
        change(TmpPlaybook(scratch))
    (root / "program").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(parents=True, exist_ok=True)
    folder = root / "program" / program_id
    shutil.move(scratch / "program" / "mini", folder)
    if (scratch / "data" / "mini").is_dir():
        shutil.move(scratch / "data" / "mini", root / "data" / program_id)
    for file in folder.glob("*.yml"):
        text = file.read_text(encoding="utf-8").replace("data/mini/", f"data/{program_id}/")
        file.write_text(text.replace("id: mini\n", f"id: {program_id}\n", 1),
                        encoding="utf-8")
    shutil.rmtree(scratch)


def test_portfolio_of_odd_programs(tmp_path: Path) -> None:
    root = tmp_path / "pb"
    add_program(root, "bare", only_program)
    add_program(root, "future", future_start, vendors_tie, budget_benefits_only)
    add_program(root, "no-data", header_only_csvs, kpis_without_source, reviews_empty)
    add_program(root, "long-ago", long_ago_start, weekly_and_quarterly, unicode_and_long_text)
    out = pipeline(root)
    portfolio = out["programs/index.md"]
    for program_id in ("bare", "future", "no-data", "long-ago"):
        assert f"]({program_id}/index.md)" in portfolio
        assert f"report/{program_id}" in out
    assert "starts in 99 days" in portfolio and "day 902" in portfolio
    # the future program's milestones come first among the open ones, oldest overdue first
    assert portfolio.index("Day-365 review decides") < portfolio.index("First cohort workshop")
    assert not any(SUBJECT.search(t) for t in out.values())


# --- random KPI series ----------------------------------------------------------------


PROGRAM_START = date(2026, 1, 5)
SUBJECT_ID = "zq{:04d}x"
"""Person ids of the generated series: distinctive, so any leak is found."""


@st.composite
def kpi_specs(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """One KPI definition with a random plan and a random series (as CSV rows)."""
    direction = draw(st.sampled_from(["increase", "decrease"]))
    cadence = draw(st.sampled_from(["weekly", "monthly", "quarterly"]))
    baseline = draw(st.one_of(st.integers(-1000, 1000).map(float),
                              st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)))
    change = draw(st.one_of(st.floats(1e-6, 1e6), st.integers(1, 100).map(float)))
    target = baseline + change if direction == "increase" else baseline - change
    if target == baseline:  # the change vanished in rounding: a bigger one does not
        target = baseline + (1 if direction == "increase" else -1) * max(1.0, abs(baseline))
    base_day = PROGRAM_START + timedelta(days=draw(st.integers(-400, 300)))
    by = base_day + timedelta(days=draw(st.integers(1, 800)))
    person = draw(st.booleans())
    grouped = draw(st.booleans())
    waves = person and draw(st.booleans())
    rows = []
    for _ in range(draw(st.integers(0, 40))):
        day = PROGRAM_START + timedelta(days=draw(st.integers(-200, 600)))
        value = draw(st.one_of(
            st.floats(-2e6, 2e6, allow_nan=False, allow_infinity=False),
            st.integers(-5, 5).map(float), st.just(baseline), st.just(target)))
        row: dict[str, object] = {"date": day.isoformat(), "value": repr(value)}
        if grouped:
            row["group"] = draw(st.sampled_from(["pilot", "comparison", "Pilot"]))
        if person:
            row["subject"] = SUBJECT_ID.format(draw(st.integers(0, 12)))
        if waves:
            row["wave"] = draw(st.sampled_from(["pre", "post"]))
        rows.append(row)
    if waves:  # survey panels: most people answer both waves, some only one
        for group in ("pilot", "comparison") if grouped else ("",):
            for i in range(draw(st.integers(0, 9))):
                pre = PROGRAM_START + timedelta(days=draw(st.integers(-30, 10)))
                post = pre + timedelta(days=draw(st.integers(30, 200)))
                score = draw(st.floats(1, 5))
                change = draw(st.sampled_from([0.0, 0.5, draw(st.floats(-2, 2))]))
                for wave, day, value in (("pre", pre, score), ("post", post, score + change)):
                    if draw(st.integers(0, 9)) == 0:
                        continue  # this person skipped this wave
                    row = {"date": day.isoformat(), "value": repr(value), "wave": wave,
                           "subject": SUBJECT_ID.format(100 * len(group) + i)}
                    if grouped:
                        row["group"] = group
                    rows.append(row)
    rows = consistent(rows, person)
    source = {"file": f"data/mini/k{index}.csv", "date": "date", "value": "value"}
    source.update({k: k for k in ("group", "subject", "wave")
                   if {"group": grouped, "subject": person, "wave": waves}[k]})
    kpi: dict[str, Any] = {
        "id": f"k{index}", "name": f"KPI number {index}",
        "kind": "business" if index == 0 else draw(st.sampled_from(
            ["behavior", "engagement", "leading"])),
        "unit": draw(st.sampled_from(["days", "percent", "%", "score (1-5)", "EUR", "pts"])),
        "direction": direction,
        "baseline": {"value": baseline, "date": base_day.isoformat()},
        "target": {"value": target, "by": by.isoformat()},
        "cadence": cadence, "owner": "business_owner"}
    if draw(st.booleans()) or rows:
        kpi["source"] = source
    if draw(st.booleans()):
        kpi["monetization"] = {"value_per_unit": draw(st.floats(0, 1e5)), "currency": "EUR",
                               "isolation": draw(st.floats(0, 1)),
                               "confidence": draw(st.floats(0, 1))}
    return {"kpi": kpi, "rows": rows, "columns": ["date", "value", *[
        c for c in ("group", "subject", "wave") if c in source]]}


def consistent(rows: list[dict[str, object]], person: bool) -> list[dict[str, object]]:
    """The rows ``playbook check`` accepts (:mod:`playbook.load.integrity`): one per subject
    and wave (or date), or per date and group; a person in one group."""
    seen: set[tuple[object, object]] = set()
    group_of: dict[object, str] = {}
    out = []
    for row in rows:
        group = str(row.get("group", "")).lower()
        key = (row["subject"], row.get("wave", row["date"])) if person else (row["date"], group)
        if key in seen or (person and group_of.setdefault(row["subject"], group) != group):
            continue
        seen.add(key)
        out.append(row)
    return out


@st.composite
def programs(draw: st.DrawFn) -> dict[str, Any]:
    """A few KPIs, a privacy threshold, a cohort size, a gate and a build date."""
    specs = [draw(kpi_specs(i)) for i in range(draw(st.integers(1, 3)))]
    return {
        "specs": specs,
        "min_group_size": draw(st.integers(2, 6)),
        "cohort_size": draw(st.integers(1, 60)),
        "today": PROGRAM_START + timedelta(days=draw(st.integers(-100, 800))),
        "gate": draw(st.one_of(st.none(), st.tuples(
            st.sampled_from(["at_least", "at_most"]), st.floats(-1e6, 1e6)))),
        "outcomes": draw(st.lists(st.tuples(st.sampled_from(["a", "b", "c", ""]),
                                            st.booleans()), max_size=30)),
    }


def write_program(root: Path, spec: dict[str, Any]) -> None:
    """The mini program with only program, roadmap, budget, ai and the generated KPIs."""
    shutil.copytree(MINI, root)
    pb = TmpPlaybook(root)
    remove(pb, "competencies.yml", "vendors.yml", "reviews.yml")
    for csv in (root / "data" / "mini").glob("*.csv"):
        csv.unlink()
    pb.edit("program.yml", "kpis: [start-time]", "kpis: [k0]")
    pb.edit("program.yml", "cohort_size: 24", f"cohort_size: {spec['cohort_size']}")
    for s in spec["specs"]:
        pb.write(s["kpi"]["source"]["file"] if "source" in s["kpi"] else "data/mini/x.csv",
                 csv_text(s["columns"], [[r[c] for c in s["columns"]] for r in s["rows"]]))
    write_kpis(pb, [s["kpi"] for s in spec["specs"]], min_group_size=spec["min_group_size"])
    gate = ([{"kpi": "k0", spec["gate"][0]: spec["gate"][1]}] if spec["gate"] else [])
    pb.write("roadmap.yml", dump({"phases": [
        {"id": "pilot", "name": "Pilot", "days": [0, 90], "gate": gate},
        {"id": "scale", "name": "Scale", "days": [91, 365]}]}))
    pb.write("ai.yml", dump({
        "tools": [{"name": "Recommender", "human_in_the_loop": True}],
        "outcomes": {"file": "data/mini/outcomes.csv", "group": "group",
                     "selected": "selected"}}))
    pb.write("data/mini/outcomes.csv", csv_text(
        ["group", "selected"], [[g, int(s)] for g, s in spec["outcomes"]]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=programs())
def test_random_kpi_series_never_break_the_pipeline(spec: dict[str, Any],
                                                    tmp_path_factory: pytest.TempPathFactory
                                                    ) -> None:
    root = tmp_path_factory.mktemp("random") / "pb"
    write_program(root, spec)
    out = pipeline(root, spec["today"])
    leaked = {p: re.findall(r"zq\d{4}x", t) for p, t in out.items() if "zq" in t}
    assert leaked == {}


# --- the oddest programs through a strict MkDocs build --------------------------------


@pytest.mark.site
def test_odd_programs_build_a_strict_mkdocs_site(tmp_path: Path) -> None:
    from test_site import MINI_CONFIG, REPO, mkdocs_build

    root = tmp_path / "pb"
    add_program(root, "future", future_start, vendors_tie, budget_benefits_only,
                ai_nobody_selected)
    add_program(root, "unicode", unicode_and_long_text, roadmap_no_milestones,
                ai_groups_all_small, reviews_empty, behaviour_without_criteria)
    add_program(root, "no-data", header_only_csvs, vendors_none_pass, budget_zero_costs,
                no_decisions_or_hypotheses)
    add_program(root, "edge-stats", weekly_and_quarterly, identical_changes, vendors_empty,
                budget_beyond_horizon)
    shutil.copytree(REPO / "hooks", root / "hooks",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    _, problems = load_playbook(root)
    assert not problems.errors and not problems.findings, problems.render()

    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    programs = tmp_path / "site" / "programs"
    for program_id in ("future", "unicode", "no-data", "edge-stats"):
        for name in ("", "strategy", "competencies", "roadmap", "people", "vendors",
                     "measurement", "budget", "reviews"):
            assert (programs / program_id / name / "index.html").is_file()
    assert "決定を早く" in (programs / "unicode" / "index.html").read_text(encoding="utf-8")
    for html in (tmp_path / "site").rglob("*.html"):
        content = html.read_text(encoding="utf-8")
        assert not SUBJECT.search(content), html
