"""A program's design against the evidence: the ``design:`` block, its findings, each
citing its source, the strategy page's Design evidence section, and the examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.engine import check_playbook, load_playbook
from playbook.figures.design import LACERENZA_REFERENCE, RULES, DesignVerdict, assess
from playbook.load.signoffs import digest
from playbook.model.design import COHORT_MAX, COHORT_MIN
from playbook.model.findings import FindingCode
from playbook.pages.design import design_rules

REPO = Path(__file__).resolve().parents[1]
DESIGN_CODES = frozenset(c.value for c in FindingCode if c.value.startswith("design-"))

DEPARTING = """design:
  needs_analysis: false
  feedback: false
  methods: [information]
  spacing: single
  location: off-site
  delivery: self-administered
  attendance: mandatory
  duration_hours: 4
  coaching: false
  action_project: false
"""
"""A design that departs from every rule that has a direction (mini's program.yml has 47
lines, so the block starts on line 48)."""

L17 = "Lacerenza et al. 2017 (abstract, p. 1686): moderator analyses support"
GUIDE = ("Practitioners' guidance (pilot and timing): a 90-day pilot with coaching and an "
         "on-the-job action project is the minimum viable intervention")
F = "program/mini/program.yml"
EXPECTED = [
    f"{F}:49:19: finding design-no-needs-analysis: design.needs_analysis: the design has no "
    f"needs analysis; {L17} basing the training on a needs analysis (choose the content from "
    "an analysis of the leaders' jobs and the organisation's needs)",
    f"{F}:50:13: finding design-no-feedback: design.feedback: leaders get no feedback; {L17} "
    "giving leaders feedback (give feedback on practice: trainer, peers or a 360)",
    f"{F}:51:12: finding design-no-practice: design.methods: the delivery methods leave out "
    f"practice; {L17} multiple delivery methods, especially practice (add practice: role "
    "plays, simulations, leaders applying the behaviour and getting feedback on it)",
    f"{F}:51:12: finding design-one-method: design.methods: the training uses one delivery "
    f"method (information); {L17} multiple delivery methods, especially practice (combine "
    "information, demonstration and practice)",
    f"{F}:52:12: finding design-massed: design.spacing: the training is one sitting "
    f"(single); {L17} spaced training sessions (spread the sessions over weeks, with work in "
    "between)",
    f"{F}:53:13: finding design-off-site: design.location: the training is off-site; {L17} a "
    "location that is on-site (hold the sessions at the leaders' workplace)",
    f"{F}:54:13: finding design-not-face-to-face: design.delivery: the training is "
    f"self-administered; {L17} face-to-face delivery that is not self-administered (deliver "
    "the sessions face to face, with a trainer)",
    f"{F}:57:13: finding design-no-coaching: design.coaching: the pilot has no coaching; "
    f"{GUIDE} (give each leader coaching sessions during the pilot)",
    f"{F}:58:19: finding design-no-action-project: design.action_project: the pilot has no "
    f"action project; {GUIDE} (give each leader an on-the-job action project on a real "
    "decision)",
]


def design_lines(root: Path) -> list[str]:
    """Every design finding of the playbook at ``root``, as ``playbook check`` prints it."""
    return [str(p) for p in check_playbook(root).items if p.code in DESIGN_CODES]


def test_every_departure_is_a_finding_citing_its_source(tmp_playbook: TmpPlaybook) -> None:
    assert len(tmp_playbook.read("program.yml").splitlines()) == 47
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml") + DEPARTING)
    assert design_lines(tmp_playbook.root) == EXPECTED
    problems = check_playbook(tmp_playbook.root)
    assert not problems.errors
    assert all(p.severity == "finding" for p in problems.items if p.code in DESIGN_CODES)


def test_virtual_delivery_departs_too(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml")
                       + "design:\n  delivery: virtual\n")
    assert design_lines(tmp_playbook.root) == [
        f"{F}:49:13: finding design-not-face-to-face: design.delivery: the training is "
        f"virtual; {L17} face-to-face delivery that is not self-administered (deliver the "
        "sessions face to face, with a trainer)"]


def test_no_pre_post_measure_is_a_finding_in_kpis(tmp_playbook: TmpPlaybook) -> None:
    # mini's behaviour KPIs lose their sources: their baselines have nothing after them
    tmp_playbook.edit("kpis.yml", "    source: {file: data/mini/board_use.csv, date: month, "
                      "value: pct}\n", "")
    tmp_playbook.edit("kpis.yml", """    source:
      file: data/mini/leader_360.csv
      date: surveyed_on
      value: score
      subject: subject
      wave: wave
      group: group
""", "")
    assert design_lines(tmp_playbook.root) == []  # no design: block, no design finding
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml")
                       + "design:\n  coaching: true\n")
    assert design_lines(tmp_playbook.root) == [
        "program/mini/kpis.yml:3:3: finding design-no-pre-post: kpis: no behaviour KPI names "
        "a source, so none is measured after its baseline; Practitioners' guidance (pilot and "
        "timing): a pilot is measured before and after (pre/post): a behaviour KPI's "
        "baseline, then its data (give a behaviour KPI a source: a 360 or an observation "
        "rubric measured before and after the pilot)"]


def test_following_or_unstated_facts_are_silent(tmp_playbook: TmpPlaybook) -> None:
    assert design_lines(tmp_playbook.root) == []  # mini states no design
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml") + """design:
  needs_analysis: true
  methods: [practice, demonstration]
  attendance: mandatory
  duration_hours: 2
""")
    assert design_lines(tmp_playbook.root) == []


@pytest.mark.parametrize(("line", "error"), [
    ("  spacing: weekly\n", "program/mini/program.yml:49:12: design.spacing: expected one "
                            "of 'single' or 'spaced', got 'weekly'"),
    ("  methods: [practice, lecture]\n", "program/mini/program.yml:49:23: design.methods[1]: "
     "expected one of 'information', 'demonstration' or 'practice', got 'lecture'"),
    ("  duration_hours: 0\n", "program/mini/program.yml:49:19: design.duration_hours: "
                              "expected a value of more than 0.0, got the number 0"),
    ("  needs_anaylsis: true\n", "program/mini/program.yml:49:3: design: unknown field "
                                 "'needs_anaylsis' in design (did you mean 'needs_analysis'?)"),
    ("  coaching: yes\n", "program/mini/program.yml:49:13: design.coaching: expected true "
                           "or false, got 'yes' (YAML 1.2 reads yes/no as text)"),
])
def test_a_wrong_design_fact_is_a_located_error(tmp_playbook: TmpPlaybook, line: str,
                                                error: str) -> None:
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml") + "design:\n" + line)
    assert [str(p) for p in check_playbook(tmp_playbook.root).errors] == [error]


def test_design_facts_are_signed(tmp_playbook: TmpPlaybook) -> None:
    """Leaving the block out, or writing it empty, keeps a sign-off current; a fact
    stated is part of the signed content."""
    before = digest(load_playbook(tmp_playbook.root)[0].programs[0])
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml") + "design: null\n")
    assert digest(load_playbook(tmp_playbook.root)[0].programs[0]) == before
    tmp_playbook.edit("program.yml", "design: null\n", "design:\n  coaching: true\n")
    assert digest(load_playbook(tmp_playbook.root)[0].programs[0]) != before


def test_the_examples_follow_the_evidence() -> None:
    """Every example states every design fact, follows each one that has a direction,
    and gets no design finding."""
    playbook, problems = load_playbook(REPO)
    assert [str(p) for p in problems.items if p.code in DESIGN_CODES] == []
    for bundle in playbook.programs:
        found = assess(bundle)
        assert found is not None and found.stated
        verdicts = {f.key: f.verdict for f in found.facts}
        assert verdicts.pop("attendance") is DesignVerdict.NOT_CHECKED
        assert verdicts.pop("duration_hours") is DesignVerdict.NOT_CHECKED
        assert set(verdicts.values()) == {DesignVerdict.FOLLOWS}, (bundle.id, verdicts)


def test_strategy_page_shows_each_fact_with_its_source(tmp_playbook: TmpPlaybook,
                                                       run_cli: RunCli, tmp_path: Path) -> None:
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml") + DEPARTING)
    out = tmp_path / "pages"
    code, _, err = run_cli("pages", "--out", out, "--dir", tmp_playbook.root,
                           "--today", "2026-06-01")
    assert code == 0, err
    page = (out / "programs/mini/strategy.md").read_text(encoding="utf-8")
    section = page[page.index("## Design evidence"):]
    assert ("| Needs analysis | no | moderator analyses support basing the training on a "
            "needs analysis | <span class=\"pb-chip pb-chip--departs\">Departs</span> | "
            "Lacerenza et al. 2017 \\(abstract, p. 1686\\) |") in section
    assert ("| Delivery methods | information | moderator analyses support multiple delivery "
            "methods, especially practice | <span class=\"pb-chip pb-chip--departs\">Departs"
            "</span> |") in section
    assert ("| Attendance | mandatory | attendance policy influences effectiveness; for "
            "results, mandatory programs had the larger mean effect, and the other criteria's "
            "direction was not read, so it is not compared | <span class=\"pb-chip "
            "pb-chip--not-checked\">Not compared</span> | Lacerenza et al. 2017 \\(abstract, "
            "p. 1686; Table 5\\) |") in section
    assert "| Duration | 4 hours |" in section
    assert ("| Cohort size | 24 leaders | a cohort of 20–50 leaders across functions: smaller "
            "is statistically ambiguous, larger costlier | <span class=\"pb-chip "
            "pb-chip--follows\">Follows</span> | Practitioners' guidance \\(pilot and "
            "timing\\) |") in section
    assert "| Pre/post measures | measured: board-use, " in section
    assert "Journal of Applied Psychology, 102\\(12\\), 1686–1718" in section
    assert LACERENZA_REFERENCE.startswith("Lacerenza, C. N., Reyes, D. L., Marlow, S. L.")


def test_a_program_without_design_says_so(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                          tmp_path: Path) -> None:
    out = tmp_path / "pages"
    assert run_cli("pages", "--out", out, "--dir", tmp_playbook.root,
                   "--today", "2026-06-01")[0] == 0
    page = (out / "programs/mini/strategy.md").read_text(encoding="utf-8")
    assert ("This program states no design facts (<code>design:</code> in "
            "<code>program.yml</code>): its training is not compared with the research and "
            "no design finding is given.") in page
    assert "| Needs analysis | *not stated* |" in page
    assert "pb-chip--departs" not in page


def test_the_rules_table_names_every_finding_the_assessment_gives(
        tmp_playbook: TmpPlaybook) -> None:
    """The methodology's table (``design_rules``) and the check read one list: every
    design code is in it, beside the fact whose departure gives it."""
    named = {c for _, _, codes in RULES for c in codes}
    assert {c.value for c in named} >= DESIGN_CODES
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml") + DEPARTING)
    found = assess(load_playbook(tmp_playbook.root)[0].programs[0])
    assert found is not None
    by_key = {key: codes for key, _, codes in RULES}
    assert [f.key for f in found.facts if f.code is not None] == [
        "needs_analysis", "feedback", "methods", "methods", "spacing", "location", "delivery",
        "coaching", "action_project"]
    assert all(f.code in by_key[f.key] for f in found.facts if f.code is not None)
    table = str(design_rules())
    assert (f"| Cohort size | a cohort of {COHORT_MIN}–{COHORT_MAX} leaders across functions: "
            "smaller is statistically ambiguous, larger costlier | Practitioners' guidance "
            "\\(pilot and timing\\) | <code>cohort-size</code> |") in table
    assert ("| Attendance | attendance policy influences effectiveness; for results, "
            "mandatory programs had the larger mean effect, and the other criteria's direction "
            "was not read, so it is not compared | Lacerenza et al. 2017 \\(abstract, p. 1686; "
            "Table 5\\) | none: shown, not compared |") in table
    assert ("| Duration | duration influences effectiveness; the abstract gives no direction or "
            "threshold and the duration analyses were not read, so it is not compared | "
            "Lacerenza et al. 2017 \\(abstract, p. 1686\\) | none: shown, not compared |") in table


def test_the_report_carries_the_design_evidence(run_cli: RunCli) -> None:
    code, out, err = run_cli("report", "decision-velocity", "--dir", REPO, "--format", "json",
                             "--today", "2026-11-22")
    assert code == 0, err
    design = json.loads(out)["design"]
    assert design["stated"] is True
    assert design["facts"][0] == {
        "key": "needs_analysis", "stem": "program", "loc": ["design", "needs_analysis"],
        "value": True, "verdict": "follows",
        "evidence": {"source": "Lacerenza et al. 2017 (abstract, p. 1686)",
                     "says": "moderator analyses support basing the training on a needs "
                             "analysis"},
        "code": None, "departure": "", "hint": ""}
