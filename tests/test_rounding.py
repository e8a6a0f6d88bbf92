"""One rounding rule for every published figure: a half away from zero, as SQL rounds."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pytest

from playbook.figures.privacy import published
from playbook.figures.rounding import RULE, formatted, half_away, share
from playbook.pages.macros import privacy_rules
from playbook.pages.mdtext import money, number, percent

HALVES = [(0.5, 0, 1.0), (1.5, 0, 2.0), (2.5, 0, 3.0), (-2.5, 0, -3.0), (0.125, 2, 0.13),
          (-0.125, 2, -0.13), (2.675, 2, 2.68), (1.005, 2, 1.01), (0.045, 2, 0.05),
          (1234.5675, 3, 1234.568), (0.25, 1, 0.3)]
"""Halves written in decimal: Python's round() and f-strings take several of them down."""


@pytest.mark.parametrize(("value", "digits", "expected"), HALVES)
def test_a_half_goes_away_from_zero(value: float, digits: int, expected: float) -> None:
    assert half_away(value, digits) == expected
    assert formatted(value, digits, thousands=False) == f"{expected:.{digits}f}"


@pytest.mark.parametrize(("value", "digits", "expected"), HALVES)
def test_the_rule_is_sqls_on_the_number_as_written(value: float, digits: int,
                                                   expected: float) -> None:
    decimal = duckdb.sql(f"SELECT round(CAST('{value!r}' AS DECIMAL(18, 6)), {digits})")
    assert float(decimal.fetchone()[0]) == half_away(value, digits) == expected  # type: ignore[index]


def test_pythons_round_would_differ() -> None:
    assert [round(v, d) for v, d, _ in HALVES] != [e for _, _, e in HALVES]


@dataclass(frozen=True)
class _Figures:
    mean: float
    p_value: float
    points: list[float]


def test_published_figures_and_pages_round_alike() -> None:
    figures = published(_Figures(2.675, 0.0125, [0.125, -0.125, 2.5]))
    assert figures == _Figures(2.68, 0.013, [0.13, -0.13, 2.5])  # p: 2 significant digits
    assert (number(0.25), number(2.675, 2), number(-0.125, 2)) == ("0.3", "2.68", "-0.13")
    assert percent(12.5) == "13%" and percent(-0.4) == "0%"
    assert money(2.5, "EUR") == "EUR 3" and money(1234567.5, "EUR") == "EUR 1,234,568"


def test_the_methodology_states_the_rule() -> None:
    assert f"| Rounding | {RULE}, on the number as written \\(2.5 → 3, 2.675 → 2.68, " \
        "−0.125 → −0.13\\), in figures.json" in privacy_rules()


def test_signed_and_percent_forms_round_alike() -> None:
    assert formatted(0.125, 2, sign=True) == "+0.13" and formatted(-0.125, 2, sign=True) == "-0.13"
    assert share(0.41125, 2) == "41.13%" and share(0.0125, 1) == "1.3%"
    assert formatted(float("nan"), 2) == f"{float('nan'):.2f}"
    assert formatted(1e300, 2) == f"{1e300:,.2f}" and half_away(-1e300, 2) == -1e300
