"""Four-fifths rule on AI-tool outcomes by group, with small groups suppressed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playbook.figures.fairness import NOTE, GroupRate, four_fifths
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
    assert none is not None and [g.impact_ratio for g in none.groups] == [1.0, 1.0]
    assert not none.flagged


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
        assert 0.0 <= g.impact_ratio <= 1.0 and g.n >= min_size
        assert g.flagged == (g.impact_ratio < 0.8)
    if f.groups:
        assert max(g.impact_ratio for g in f.groups) == 1.0
    assert sum(g.n for g in f.groups) + f.suppressed_people + f.no_group == len(outcomes)
