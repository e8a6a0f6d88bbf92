"""Absurd numbers: a located error when not computable, a finding when implausible, and
no page or report ever shows inf, nan or more digits than a reader can use."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from playbook.checks import plausible
from playbook.commands import cli
from playbook.commands.report import report
from playbook.engine import load_playbook
from playbook.pages.mdtext import MAX_PLAIN, NOT_COMPUTABLE, money, number, percent

ROOT = Path(__file__).resolve().parents[1]
PID = "decision-velocity"
TODAY = date(2026, 11, 22)
BUDGET, KPIS, PROGRAM = (f"program/{PID}/{f}.yml" for f in ("budget", "kpis", "program"))
STRIDEWISE = "amount: 36000, note: Stridewise"
LATENCY_BASELINE = "baseline: {value: 40, date: 2025-12-31}"
_TEXT_NUMBER = re.compile(r"\b(?:inf|infinity|nan)\b|\d[\d,]{19}|\b\d\.?\d*e[+-]?\d{2}\b",
                          re.IGNORECASE)
_CHART = re.compile(r"<template[^>]*>.*?</template>|data-[a-z-]+=\"[^\"]*\"", re.DOTALL)


def example(tmp_path: Path) -> Path:
    for part in ("program", "data"):
        shutil.copytree(ROOT / part / PID, tmp_path / part / PID)
    return tmp_path


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path) -> list[str]:
    return [str(p) for p in load_playbook(root)[1]
            if p.severity in ("error", "finding") and "signoff" not in p.field]


# --- the formatter: one place for every number a page shows -------------------------

@pytest.mark.parametrize(("value", "shown"), [
    (float("inf"), NOT_COMPUTABLE), (float("-inf"), NOT_COMPUTABLE),
    (float("nan"), NOT_COMPUTABLE), (2e303, "2.0 × 10³⁰³"), (-1.234e18, "-1.2 × 10¹⁸"),
    (MAX_PLAIN, "1.0 × 10¹⁵")])
def test_number_never_shows_inf_nan_or_unreadable_digits(value: float, shown: str) -> None:
    assert number(value) == shown
    assert money(value, "USD") == f"USD {shown}"
    assert percent(value) == (shown if shown == NOT_COMPUTABLE else f"{shown}%")


def test_plain_numbers_keep_their_digits() -> None:
    assert number(999_999_999_999_999.0) == "999,999,999,999,999"
    assert money(123_456.4, "EUR") == "EUR 123,456" and percent(-12.4) == "-12%"


# --- not computable: a located error, the program not built -------------------------

ERRORS = [
    (BUDGET, STRIDEWISE, "amount: 1e308, note: Stridewise",
     f"{BUDGET}:4:43: costs[0].amount: 1e+308 is too large to compute with (above 1e+100 in "
     "size): every figure built on it would be infinite or not a number (check the unit and "
     "the value)"),
    (KPIS, "value_per_unit: 40000", "value_per_unit: 1e306",
     f"{KPIS}:18:23: kpis[0].monetization.value_per_unit: 1e+306 is too large to compute "
     "with (above 1e+100 in size): every figure built on it would be infinite or not a "
     "number (check the unit and the value)"),
    (KPIS, LATENCY_BASELINE, "baseline: {value: 1e300, date: 2025-12-31}",
     f"{KPIS}:8:23: kpis[0].baseline.value: 1e+300 is too large to compute with (above 1e+100 "
     "in size): every figure built on it would be infinite or not a number (check the unit "
     "and the value)"),
    (BUDGET, STRIDEWISE, "amount: 1e-300, note: Stridewise",
     f"{BUDGET}:4:43: costs[0].amount: 1e-300 is too small to divide by (below 1e-100): the "
     "ROI would be infinite (give the amount in whole currency units, or 0)"),
    (PROGRAM, "duration_days: 90", "duration_days: 100000000",
     f"{PROGRAM}:49:18: pilot.duration_days: 100,000,000 days is beyond the calendar: dates "
     "reckoned from it pass the year 9999 (give the number of days)"),
    (PROGRAM, "duration_days: 90", "duration_days: " + "9" * 301,
     f"{PROGRAM}:49:18: pilot.duration_days: a 301-digit number is too large to compute with "
     "(above 1e+100 in size): every figure built on it would be infinite or not a number "
     "(check the unit and the value)"),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), ERRORS,
                         ids=["cost", "value-per-unit", "baseline-days", "tiny-cost",
                              "days-beyond-calendar", "301-digit-days"])
def test_numbers_beyond_computing_are_located_errors(tmp_path: Path, name: str, old: str,
                                                     new: str, message: str) -> None:
    root = example(tmp_path)
    edit(root, name, old, new)
    found = problems(root)
    assert message in found, found
    code, text = report(root, PID, TODAY)
    assert code != 0 and message in text


# --- implausible: a finding, and every page and report stays readable -------------------

FINDINGS = [
    (BUDGET, STRIDEWISE, "amount: 1e50, note: Stridewise",
     f"{BUDGET}:4:43: finding implausible: costs[0].amount: 1e+50 is more than 1e+12 for "
     "one line (check whether the unit is cents or thousands, and the value)"),
    (KPIS, "value_per_unit: 40000", "value_per_unit: 1e90",
     f"{KPIS}:18:23: finding implausible: kpis[0].monetization.value_per_unit: 1e+90 is more "
     "than 1e+12 for one line (check whether the unit is cents or thousands, and the value)"),
    (BUDGET, STRIDEWISE, "amount: 0.001, note: Stridewise",
     f"{BUDGET}:4:43: finding implausible: costs[0].amount: 0.001 is less than 0.01 for a "
     "cost (give the amount in whole currency units, or 0)"),
    (PROGRAM, "duration_days: 90", "duration_days: 50000",
     f"{PROGRAM}:49:18: finding implausible: pilot.duration_days: 50,000 days is more than "
     "a century (give the number of days)"),
    (KPIS, LATENCY_BASELINE, "baseline: {value: 1e90, date: 2025-12-31}",
     f"{KPIS}:8:23: finding implausible: kpis[0].baseline.value: 1e+90 days is outside "
     "-36525 to 36525 (check the unit and the value)"),
    ("data", "", "",
     f"{KPIS}:13:7: finding implausible: kpis[0].source: 26 data value(s) outside -36525 "
     "to 36525 days (data line 2, 3, 4) (check the unit and the export of the value "
     "column)"),
]


def _scale_latency(root: Path) -> None:
    path = root / "data" / PID / "decision_latency.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["latency_days"] = repr(float(r["latency_days"]) * 1e300)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def unreadable(page: str) -> list[str]:
    """Numbers a reader cannot use in a page's text (charts' data attributes aside)."""
    return _TEXT_NUMBER.findall(_CHART.sub("", page))


@pytest.mark.parametrize(("name", "old", "new", "message"), FINDINGS,
                         ids=["cost-1e50", "value-per-unit-1e90", "cost-under-a-cent",
                              "pilot-50000-days", "baseline-1e90-days", "data-1e300-days"])
def test_implausible_numbers_are_findings_and_no_page_shows_inf_or_nan(
        tmp_path: Path, name: str, old: str, new: str, message: str) -> None:
    root = example(tmp_path / "src")
    if name == "data":
        _scale_latency(root)
    else:
        edit(root, name, old, new)
    found = problems(root)
    assert message in found, found
    assert not [p for p in found if ": finding " not in p]  # findings only: it builds
    out = tmp_path / "out"
    assert cli.main(["pages", "--out", str(out), "--dir", str(root), "--today",
                     TODAY.isoformat()]) == 0
    pages = sorted(out.rglob("*.md"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # the finding's own message quotes the number as written, and the data contract's
        # jump finding quotes the export's values as they are; nothing else may
        text = "\n".join(line for line in text.splitlines()
                         if "<code>contract-jump</code>" not in line)
        shown = [x for x in unreadable(text) if x not in ("1e+50", "1e+12", "1e+90")]
        assert not shown, (page.name, shown)
    code, text = report(root, PID, TODAY)
    assert code == 0
    json.loads(text)  # no NaN or Infinity: the report refuses them


def test_the_example_is_plausible() -> None:
    assert not [p for p in problems(ROOT) if "implausible" in p]


def test_the_rules_table_quotes_the_thresholds() -> None:
    from playbook.pages.macros import measurement_rules

    rules = str(measurement_rules())
    assert f"above {plausible.MAX_MONEY:.0e}" in rules
    assert f"more than {plausible.MAX_DAYS:,} days" in rules
    assert f"larger than {plausible.MAX_COMPUTABLE:.0e}" in rules
