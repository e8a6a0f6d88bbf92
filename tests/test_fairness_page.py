"""The fairness section of the measurement page and the report, on the mini playbook."""

from __future__ import annotations

import json
from datetime import date

from conftest import TmpPlaybook

from playbook import engine
from playbook.commands.report import report
from playbook.pages import site_pages

TODAY = date(2026, 11, 22)
HEADER = ("| Group | n | Selected | Selection rate | Impact ratio | Interval | Fisher p | z | "
          "Flips | Result |")


def _outcomes(pb: TmpPlaybook, counts: dict[str, tuple[int, int]], no_group: int = 0) -> None:
    rows = ["group,recommended"]
    for group, (n, selected) in counts.items():
        rows += [f"{group},1"] * selected + [f"{group},0"] * (n - selected)
    rows += [",1"] * no_group
    pb.write("data/mini/recommendations.csv", "\n".join(rows) + "\n")


def _section(pb: TmpPlaybook) -> str:
    data, problems = engine.build(pb.root, TODAY)
    assert data is not None and not problems.errors
    page = next(p.markdown for p in site_pages.generate(data)
                if p.path == "programs/mini/measurement.md")
    return page[page.index("## Fairness of AI tools"):]


def test_the_section_shows_tests_verdicts_and_the_guidelines_wording(
        tmp_playbook: TmpPlaybook) -> None:
    _outcomes(tmp_playbook, {"men": (20, 10), "women": (20, 7),
                             "prefer not to say": (10, 9)}, no_group=3)
    lines = _section(tmp_playbook).splitlines()
    assert lines[6] == "Selections made by Staffing recommender."
    assert lines[8:13] == [
        HEADER,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        "| men | 20 | 10 | 50.0% | 1.00 | — | — | — | — | "
        '<span class="pb-chip pb-chip--current">Reference</span> |',
        "| prefer not to say | 10 | 9 | 90.0% | 1.80 | 1.11–2.92 | 0.049 | 2.14 | -6 | "
        '<span class="pb-chip pb-chip--on-track">Passes</span> |',
        "| women | 20 | 7 | 35.0% | 0.70 | 0.33–1.47 | 0.523 | -0.96 | +1 | "
        '<span class="pb-chip pb-chip--at-risk">Below 0.8, neither significant nor robust'
        "</span> |"]
    assert lines[14] == (
        "Each group is compared with the reference group. **Interval**: 95% Katz log "
        "interval of the impact ratio. **Fisher p**: Fisher's exact test against the "
        "reference, two-sided; a shortfall with p below 0.05 is statistically significant "
        "and is flagged even at a ratio of 0.8 or more. **z**: the two-proportion z "
        "statistic (the two-standard-deviation rule). **Flips**: how many selections in the "
        "group would change whether its ratio is below 0.8: +n more would clear its flag, "
        "-n fewer would raise one; a flag that 2 or fewer would clear is not practically "
        "robust.")
    assert lines[16] == (
        "Reference group: men, the disclosed group with the highest selection rate. Not a "
        "disclosed group, so compared with the reference but never the reference: prefer "
        "not to say. 3 outcome(s) have no group recorded. Under the Uniform Guidelines "
        r"\(29 CFR 1607.4\(D\)\) a ratio below four-fifths is evidence of adverse impact: a "
        "reason to review the tool's outcomes with HR, legal and the DEI reviewer, not proof "
        "of discrimination; a ratio above it, or a test that is not significant, is not "
        "proof of fairness.")


def test_a_significant_flag_one_selection_would_clear_says_so(
        tmp_playbook: TmpPlaybook) -> None:
    # 159/400 over 200/400 is 0.795: shown to three decimals, not rounded up to 0.80
    _outcomes(tmp_playbook, {"men": (400, 200), "women": (400, 159)})
    row = next(x for x in _section(tmp_playbook).splitlines() if x.startswith("| women"))
    assert row == ("| women | 400 | 159 | 39.8% | 0.795 | 0.68–0.93 | 0.004 | -2.91 | +1 | "
                   '<span class="pb-chip pb-chip--off-track">Below 0.8: review, not '
                   "practically robust</span> |")


def test_nobody_selected_cannot_be_assessed(tmp_playbook: TmpPlaybook) -> None:
    _outcomes(tmp_playbook, {"men": (6, 0), "women": (5, 0)})
    section = _section(tmp_playbook)
    assert ("The four-fifths check cannot assess these outcomes: fewer than two disclosed "
            "groups had some people selected and some not, so no ratio can be published "
            "without revealing someone's outcome.\n") in section
    assert ('| men | 6 | — | — | — | — | — | — | — | '
            '<span class="pb-chip pb-chip--at-risk">Withheld: review</span> |') in section
    assert "1.00" not in section and "Reference group" not in section


def test_a_group_where_everyone_was_selected_is_no_reference(
        tmp_playbook: TmpPlaybook) -> None:
    _outcomes(tmp_playbook, {"men": (6, 6), "women": (10, 4)})
    section = _section(tmp_playbook)
    assert ('| men | 6 | — | — | — | — | — | — | — | '
            '<span class="pb-chip pb-chip--at-risk">Withheld: review</span> |') in section
    assert ('| women | 10 | 4 | 40.0% | — | — | — | — | — | '
            '<span class="pb-chip pb-chip--no-data">Cannot assess</span> |') in section
    assert "Reference group" not in section and "Below" not in section


def test_two_tools_and_no_tool_named(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("ai.yml", "outcomes:", "  - name: Coach matcher\n    human_in_the_loop: "
                      "true\n    reviewers: [hr_business_partner, legal_compliance, "
                      "dei_reviewer]\noutcomes:")
    assert ("The outcomes do not say which of the 2 tools made these selections (name it "
            "with `tool:` under `outcomes` in `ai.yml`).\n") in _section(tmp_playbook)
    tmp_playbook.edit("ai.yml", "  selected: recommended\n",
                      "  selected: recommended\n  tool: Coach matcher\n")
    assert "Selections made by Coach matcher.\n" in _section(tmp_playbook)


def test_an_unknown_tool_is_an_error(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("ai.yml", "  selected: recommended\n",
                      "  selected: recommended\n  tool: Ranker\n")
    _, problems = engine.load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems.errors] == [
        "program/mini/ai.yml:12:9: outcomes.tool: unknown tool 'Ranker' "
        "(known: Staffing recommender)"]


def test_the_report_carries_verdicts_and_tests(tmp_playbook: TmpPlaybook) -> None:
    _outcomes(tmp_playbook, {"men": (2000, 1000), "women": (2000, 840)})
    code, text = report(tmp_playbook.root, "mini", TODAY)
    assert code == 0, text
    fair = json.loads(text)["fairness"]
    assert (fair["flagged"], fair["tool"], fair["cannot_assess"]) == (
        True, "Staffing recommender", None)
    men, women = fair["groups"]
    assert (men["verdict"], men["test"]) == ("reference", None)
    assert women["verdict"] == "significant-above-threshold"
    assert women["test"]["flips"] == 41 and round(women["test"]["z"], 4) == -5.0759
