"""Overview sentences: numbers with their units, rounding that never contradicts itself."""

from __future__ import annotations

from datetime import date

import pytest

from playbook.figures.trajectory import KpiFigures, KpiStatus
from playbook.model.measure import Kpi
from playbook.pages.measure import distinct_digits, kpi_sentence


def kpi(unit: str, baseline: float, target: float, by: str = "2026-12-31") -> Kpi:
    return Kpi.model_validate({
        "id": "k", "name": "Spend", "kind": "business", "unit": unit, "direction": "decrease",
        "baseline": {"value": baseline, "date": date(2026, 1, 1)},
        "target": {"value": target, "by": date.fromisoformat(by)}, "cadence": "monthly"},
        strict=False)


def figs(latest: float, on: str = "2026-06-01") -> KpiFigures:
    return KpiFigures("k", KpiStatus.AT_RISK, latest, date.fromisoformat(on), None, None,
                      False, None, [], [], [])


@pytest.mark.parametrize(("unit", "expected"), [
    ("USD", "Spend fell from USD 288,000 to USD 232,886; at risk for USD 230,000 by "
            "2026-12-31."),
    ("EUR per quarter", "Spend fell from EUR 288,000 per quarter to EUR 232,886 per quarter; "
                        "at risk for EUR 230,000 per quarter by 2026-12-31."),
    ("days", "Spend fell from 288,000 days to 232,886 days; at risk for 230,000 days by "
             "2026-12-31."),
    ("percent", "Spend fell from 288,000% to 232,886%; at risk for 230,000% by 2026-12-31."),
])
def test_sentences_say_the_unit_or_currency(unit: str, expected: str) -> None:
    assert kpi_sentence(kpi(unit, 288000, 230000), figs(232886), date(2026, 7, 1)) == expected


def test_a_descriptive_unit_is_named_once() -> None:
    assert kpi_sentence(kpi("score (1-5)", 3.2, 3.7), figs(3.5), date(2026, 7, 1)) == (
        "Spend, in score (1-5), rose from 3.2 to 3.5; at risk for 3.7 by 2026-12-31.")


def test_values_that_round_alike_get_more_digits() -> None:
    # 3.66 and 3.7 both read "3.7" at one decimal: "rose to 3.7; at risk for 3.7" contradicts
    assert kpi_sentence(kpi("points", 3.2, 3.7), figs(3.66), date(2026, 7, 1)) == (
        "Spend rose from 3.2 points to 3.66 points; at risk for 3.7 points by 2026-12-31.")
    assert distinct_digits([3.2, 3.66, 3.7]) == 2
    assert distinct_digits([3.2, 3.6, 3.6]) == 1
    assert distinct_digits([1.00001, 1.00002]) == 4


def test_a_past_target_date_is_due_not_on_track_for() -> None:
    # the latest data predates the target date, but the build date is after it
    sentence = kpi_sentence(kpi("days", 30, 24, by="2026-06-30"), figs(25, on="2026-05-01"),
                            date(2026, 11, 22))
    assert sentence == ("Spend fell from 30 days to 25 days; at risk against the target of "
                        "24 days, due 2026-06-30.")
