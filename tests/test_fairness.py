"""Four-fifths rule on AI-tool outcomes by group, with small groups suppressed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playbook.figures.fairness import NOTE, WITHHELD, GroupRate, four_fifths
from playbook.load.observations import Outcome


def people(group: str | None, n: int, selected: int) -> list[Outcome]:
    return [Outcome(group, i < selected) for i in range(n)]


def test_hand_worked_four_fifths() -> None:
    # a: 5/10 = 0.5 (reference); b: 2/8 = 0.25 → ratio 0.25/0.5 = 0.5, flagged;
    # c: 3 people < 5 → suppressed (its 3/3 takes no part); 2 rows without a group.
    outcomes = (people("b", 8, 2) + people("a", 10, 5) + people("c", 3, 3)
                + people(None, 2, 1))
    f = four_fifths(outcomes, min_group_size=5)
    assert f is not None
    assert f.groups == [GroupRate("a", 10, 5, 0.5, 1.0, False),
                        GroupRate("b", 8, 2, 0.25, 0.5, True)]
    assert f.reference_group == "a" and f.flagged and f.threshold == 0.8
    assert (f.suppressed_groups, f.suppressed_people, f.no_group) == (1, 3, 2)
    assert f.note == NOTE


def test_ratio_at_exactly_four_fifths_is_not_flagged() -> None:
    # 4/10 over 5/10 = 0.8: the rule flags ratios below 0.8 only.
    f = four_fifths(people("a", 10, 5) + people("b", 10, 4), 5)
    assert f is not None and not f.flagged
    assert [g.impact_ratio for g in f.groups] == [1.0, 0.8]


def test_ties_and_nobody_selected() -> None:
    tie = four_fifths(people("z", 6, 3) + people("m", 6, 3), 5)
    assert tie is not None and tie.reference_group == "m"
    none = four_fifths(people("a", 6, 0) + people("b", 7, 0), 5)
    assert none is not None and not none.flagged
    # 0% in a group reveals each member's outcome: only size and flag are published
    assert [(g.n, g.selected, g.rate, g.impact_ratio, g.withheld) for g in none.groups] == [
        (6, None, None, None, WITHHELD), (7, None, None, None, WITHHELD)]


def test_a_group_where_everyone_was_selected_is_withheld_with_every_ratio() -> None:
    f = four_fifths(people("a", 6, 6) + people("b", 10, 4), 5)
    assert f is not None and f.reference_group == "a" and f.flagged
    a, b = f.groups
    assert (a.selected, a.rate, a.impact_ratio, a.withheld) == (None, None, None, WITHHELD)
    # b's own rate is published; its ratio over a 100% reference would equal it and
    # reveal the reference, so it is withheld, but the flag (0.4 < 0.8) still stands
    assert (b.selected, b.rate, b.impact_ratio, b.flagged) == (4, 0.4, None, True)


def test_empty_and_all_suppressed() -> None:
    assert four_fifths([], 5) is None
    f = four_fifths(people("a", 2, 1) + people(None, 4, 0), 5)
    assert f is not None and f.groups == [] and f.reference_group is None
    assert (f.suppressed_groups, f.suppressed_people, f.no_group) == (1, 2, 4)


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", None]), st.booleans())),
       st.integers(1, 10))
def test_ratios_in_unit_interval_and_counts_add_up(rows: list[tuple[str | None, bool]],
                                                   min_size: int) -> None:
    outcomes = [Outcome(g, s) for g, s in rows]
    f = four_fifths(outcomes, min_size)
    if not outcomes:
        assert f is None
        return
    assert f is not None
    for g in f.groups:
        assert g.n >= min_size
        if g.impact_ratio is not None:
            assert 0.0 <= g.impact_ratio <= 1.0
            assert g.flagged == (g.impact_ratio < 0.8)
        if g.selected is not None:
            assert 0 < g.selected < g.n  # a published count never reveals everyone's outcome
    ratios = [g.impact_ratio for g in f.groups if g.impact_ratio is not None]
    if ratios and all(g.withheld is None for g in f.groups):
        assert max(ratios) == 1.0
    assert sum(g.n for g in f.groups) + f.suppressed_people + f.no_group == len(outcomes)
