"""Four-fifths check on AI-tool outcomes by group: reference, verdicts, privacy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook.figures.fairness import (
    ALL_OR_NONE,
    NO_SECOND_GROUP,
    NOTE,
    UNDISCLOSED,
    WITHHELD,
    FairnessVerdict,
    GroupRate,
    disclosed,
    four_fifths,
    outcome_tool,
)
from playbook.figures.impact_tests import REVIEW_DUE, compare
from playbook.load.observations import Outcome
from playbook.model.measure import Ai


def people(group: str | None, n: int, selected: int) -> list[Outcome]:
    # shared objects: a million people cost a million pointers, not a million objects
    yes, no = Outcome(group, True), Outcome(group, False)
    return [yes] * selected + [no] * (n - selected)


def test_hand_worked_four_fifths() -> None:
    # a: 5/10 = 0.5 (reference); b: 2/8 = 0.25 → ratio 0.5, below 0.8, but Fisher p ≈ 0.34
    # and 2 more selections (4/8) would clear it: neither significant nor robust.
    # c: 3 people < 5 → suppressed (its 3/3 takes no part); 2 rows without a group.
    outcomes = (people("b", 8, 2) + people("a", 10, 5) + people("c", 3, 3)
                + people(None, 2, 1))
    f = four_fifths(outcomes, min_group_size=5)
    assert f is not None
    assert f.groups == [
        GroupRate("a", 10, 5, 0.5, 1.0, False, None, FairnessVerdict.REFERENCE),
        GroupRate("b", 8, 2, 0.25, 0.5, True, None, FairnessVerdict.FLAGGED_NOT_SIGNIFICANT, True,
                  compare(2, 8, 5, 10))]
    b = f.groups[1].test
    assert b is not None and (b.flips, b.robust, b.significant) == (2, False, False)
    assert f.reference_group == "a" and f.flagged and f.threshold == 0.8
    assert (f.suppressed_groups, f.suppressed_people, f.no_group) == (1, 3, 2)
    assert (f.note, f.cannot_assess, f.tool) == (NOTE, None, None)


def test_ratio_at_exactly_four_fifths_is_not_flagged() -> None:
    f = four_fifths(people("a", 10, 5) + people("b", 10, 4), 5)
    assert f is not None and not f.flagged
    assert [g.impact_ratio for g in f.groups] == [1.0, 0.8]
    assert [g.verdict for g in f.groups] == [FairnessVerdict.REFERENCE,
                                             FairnessVerdict.NO_ADVERSE_IMPACT]


def test_2000_per_group_at_50_and_42_percent_is_flagged_above_four_fifths() -> None:
    f = four_fifths(people("men", 2000, 1000) + people("women", 2000, 840), 5)
    assert f is not None and f.flagged
    women = f.groups[1]
    assert women.impact_ratio == pytest.approx(0.84)
    assert women.verdict is FairnessVerdict.SIGNIFICANT_ABOVE_THRESHOLD and women.flagged


def test_ties_go_to_the_first_name() -> None:
    tie = four_fifths(people("z", 6, 3) + people("m", 6, 3), 5)
    assert tie is not None and tie.reference_group == "m"


@pytest.mark.parametrize(("outcomes", "reason"), [
    (people("a", 9, 4), NO_SECOND_GROUP),
    (people("a", 9, 4) + people("prefer not to say", 9, 1), NO_SECOND_GROUP),
    (people("a", 9, 4) + people("b", 3, 1), NO_SECOND_GROUP),
    (people("a", 9, 4) + people("b", 7, 0), ALL_OR_NONE),
    (people("a", 9, 4) + people("b", 7, 7), ALL_OR_NONE),
    # a rate in an undisclosed group cannot stand in for a second disclosed one
    (people("a", 6, 3) + people("unknown", 8, 4), NO_SECOND_GROUP),
])
def test_no_comparison_reads_cannot_assess_never_one(outcomes: list[Outcome],
                                                     reason: str) -> None:
    f = four_fifths(outcomes, 5)
    assert f is not None and f.cannot_assess == reason
    assert f.reference_group is None
    assert all((g.verdict, g.impact_ratio, g.test, g.flagged)
               == (FairnessVerdict.CANNOT_ASSESS, None, None, False) for g in f.groups
               if g.withheld is None)


@pytest.mark.parametrize("outcomes", [
    people("a", 6, 0) + people("b", 7, 0),
    people("a", 6, 6) + people("b", 7, 7),
    people("a", 6, 6) + people("b", 7, 0),
    people("a", 6, 0) + people("b", 7, 0) + people("unknown", 8, 4),
    people("a", 6, 6) + people("b", 10, 4),
    people("a", 6, 0) + people("b", 10, 4) + people("c", 10, 9),
    people("a", 6, 6) + people("b", 10, 4) + people("c", 10, 9),
])
def test_a_group_where_everyone_or_no_one_was_selected_gets_one_verdict(
        outcomes: list[Outcome]) -> None:
    f = four_fifths(outcomes, 5)
    assert f is not None
    for g in f.groups:
        if g.withheld is not None:
            # never the reference ("everyone"), never below 0.8 ("no one"): one verdict
            assert (g.selected, g.rate, g.impact_ratio, g.test, g.verdict, g.flagged) == (
                None, None, None, None, FairnessVerdict.WITHHELD, True)
            assert f.reference_group != g.group
    # flipping every withheld group between everyone and no one changes nothing published
    flipped = [Outcome(o.group, not o.selected) if o.group in {
        g.group for g in f.groups if g.withheld} else o for o in outcomes]
    assert four_fifths(flipped, 5) == f


def test_nobody_selected_withholds_counts() -> None:
    none = four_fifths(people("a", 6, 0) + people("b", 7, 0), 5)
    assert none is not None and none.cannot_assess == ALL_OR_NONE
    assert [(g.n, g.selected, g.rate, g.withheld) for g in none.groups] == [
        (6, None, None, WITHHELD), (7, None, None, WITHHELD)]


def test_an_undisclosed_group_with_the_highest_rate_is_not_the_reference() -> None:
    f = four_fifths(people("Prefer_not_to_say", 10, 9) + people("men", 20, 10)
                    + people("women", 20, 4), 5)
    assert f is not None and f.reference_group == "men"
    top, men, women = f.groups
    assert (top.disclosed, top.verdict, top.impact_ratio) == (
        False, FairnessVerdict.NO_ADVERSE_IMPACT, pytest.approx(1.8))
    assert (men.verdict, women.verdict) == (FairnessVerdict.REFERENCE, FairnessVerdict.FLAGGED)


@pytest.mark.parametrize("label", ["undisclosed", "Prefer not to say", "prefer-not-to-say",
                                   "UNKNOWN", " N/A ", "declined_to_state", "--", "not  stated"])
def test_labels_that_disclose_nothing(label: str) -> None:
    assert not disclosed(label)


@pytest.mark.parametrize("label", ["women", "men", "non-binary", "other", "40-49", "Unknownia"])
def test_labels_that_disclose_a_group(label: str) -> None:
    assert disclosed(label)


def test_the_list_of_undisclosed_labels_is_normalised() -> None:
    # each constant must survive the normalisation disclosed() applies
    assert all(not disclosed(x) and x == " ".join(x.split()) and x == x.lower()
               and "_" not in x and "-" not in x for x in UNDISCLOSED)


def test_a_group_where_everyone_was_selected_is_never_the_reference() -> None:
    f = four_fifths(people("a", 6, 6) + people("b", 10, 4), 5)
    assert f is not None and f.reference_group is None and f.flagged
    a, b = f.groups
    assert (a.selected, a.rate, a.impact_ratio, a.withheld, a.verdict) == (
        None, None, None, WITHHELD, FairnessVerdict.WITHHELD)
    # "below 0.8 of a" would say a's rate: b is not compared with a withheld group
    assert (b.selected, b.rate, b.impact_ratio, b.test, b.verdict) == (
        4, 0.4, None, None, FairnessVerdict.CANNOT_ASSESS)
    assert f.cannot_assess == ALL_OR_NONE


def test_a_group_where_no_one_was_selected_shows_its_verdict_only() -> None:
    f = four_fifths(people("a", 20, 10) + people("b", 9, 0), 5)
    assert f is not None
    b = f.groups[1]
    assert (b.selected, b.rate, b.impact_ratio, b.test, b.withheld) == (
        None, None, None, None, WITHHELD)
    assert b.verdict is FairnessVerdict.WITHHELD and b.flagged


def test_empty_and_all_suppressed() -> None:
    assert four_fifths([], 5) is None
    f = four_fifths(people("a", 2, 1) + people(None, 4, 0), 5)
    assert f is not None and f.groups == [] and f.reference_group is None
    assert (f.suppressed_groups, f.suppressed_people, f.no_group) == (1, 2, 4)


def test_huge_groups() -> None:
    # one selection above four-fifths of a 50% rate, at three million people per group:
    # the ratio passes, the shortfall is significant, and two fewer selections flag it
    f = four_fifths(people("a", 3_000_000, 1_500_000) + people("b", 3_000_000, 1_200_001), 5)
    assert f is not None
    b = f.groups[1]
    assert b.test == compare(1_200_001, 3_000_000, 1_500_000, 3_000_000)
    assert (b.verdict, b.test.flips, b.test.below_threshold) == (
        FairnessVerdict.SIGNIFICANT_ABOVE_THRESHOLD, 2, False)


def test_the_tool_is_as_named_or_the_only_one() -> None:
    tool = {"human_in_the_loop": True}
    outcomes = {"file": "x.csv", "group": "g", "selected": "s"}
    one = Ai.model_validate({"tools": [{**tool, "name": "A"}], "outcomes": outcomes})
    two = Ai.model_validate({"tools": [{**tool, "name": "A"}, {**tool, "name": "B"}],
                             "outcomes": outcomes})
    named = Ai.model_validate({"tools": [{**tool, "name": "A"}, {**tool, "name": "B"}],
                               "outcomes": {**outcomes, "tool": "B"}})
    assert (outcome_tool(one), outcome_tool(two), outcome_tool(named)) == ("A", None, "B")
    f = four_fifths(people("a", 9, 4), 5, tool="B")
    assert f is not None and f.tool == "B"


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "unknown", None]), st.booleans())),
       st.integers(1, 10))
def test_published_figures_never_reveal_a_withheld_count(
        rows: list[tuple[str | None, bool]], min_size: int) -> None:
    outcomes = [Outcome(g, s) for g, s in rows]
    f = four_fifths(outcomes, min_size)
    if not outcomes:
        assert f is None
        return
    assert f is not None
    hidden = {g.group for g in f.groups if g.withheld}
    for g in f.groups:
        assert g.n >= min_size
        assert g.flagged == (g.verdict in REVIEW_DUE)
        if g.selected is not None:
            assert 0 < g.selected < g.n  # a published count never reveals everyone's outcome
        if g.test is not None or g.impact_ratio is not None:
            assert f.reference_group not in hidden and g.group not in hidden
        if g.test is not None:
            assert g.impact_ratio == g.test.ratio and g.verdict is g.test.verdict
    if f.cannot_assess is None:
        assert f.reference_group is not None and disclosed(f.reference_group)
        ref = next(g for g in f.groups if g.group == f.reference_group)
        assert ref.verdict is FairnessVerdict.REFERENCE
    else:
        assert all(g.verdict is FairnessVerdict.CANNOT_ASSESS
                   for g in f.groups if g.withheld is None)
    # a withheld group's verdict is one value whatever its members' outcomes
    assert all(g.verdict is FairnessVerdict.WITHHELD for g in f.groups if g.withheld)
    assert sum(g.n for g in f.groups) + f.suppressed_people + f.no_group == len(outcomes)
