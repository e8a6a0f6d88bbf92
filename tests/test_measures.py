"""Five raw exports read without SQL through ``measure:``, checked against pandas.

The exports come from ``tests/measure_exports.py`` (a fixed seed); each test
reshapes the same file with pandas, independently of the engine, and compares
every period's value.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import FIXTURES, TmpPlaybook
from measure_exports import write

from playbook.engine import load_playbook
from playbook.load import sql
from playbook.load.bundle import Bundle
from playbook.load.csv_table import Table
from playbook.load.measure_sql import Export, compile_measure
from playbook.model.choices import Cadence
from playbook.model.measure import Source
from playbook.model.measures import TESTS, Aggregate, SourceMeasure
from playbook.pages.measure_examples import EXAMPLES

HEAD = """  - id: {id}
    name: {id}
    kind: {kind}
    unit: {unit}
    direction: increase
    baseline: {{value: 0.5, date: 2025-12-31}}
    target: {{value: 0.6, by: 2026-12-31}}
    cadence: {cadence}
    owner: ld_owner
"""
KPIS = {
    "leader-360": ("behavior", "score (1-5)", "quarterly", """    source:
      file: data/mini/rater_360.csv
      date: Submitted
      value: Q7 Score
      group: Cohort
      read:
        date_format: "%m/%d/%Y %H:%M"
        missing: ["N/A"]
        values: {group: {Control: comparison}}
      measure:
        aggregate: mean
        grain: quarter
        people: Leader ID
        where:
          - {column: Wave, one_of: [Wave 1 - Baseline, Wave 2 - 6 months]}
          - {column: Rater relationship, none_of: [Self]}
"""),
    "start-time": ("business", "leavers per FTE", "monthly", """    source:
      file: data/mini/turnover.csv
      date: Period
      value: Terminations (Voluntary)
      group: Org Unit
      read: {header_row: 3, date_format: "%b-%y", thousands: ","}
      measure:
        aggregate: ratio
        over: Avg FTE
        lookup: {file: data/mini/units.csv, key: Unit, group: Arm}
"""),
    "board-use": ("engagement", "learners", "weekly", """    source:
      file: data/mini/xapi.csv
      date: timestamp
      value: actor.account.name
      measure:
        aggregate: count_distinct
        grain: week
        people: actor.account.name
        where:
          - {column: verb.display.en-US, one_of: [launched, experienced, completed, answered]}
"""),
    "agency-spend": ("business", "EUR per month", "monthly", """    source:
      file: data/mini/ledger.csv
      date: Posting Date
      value: Amount
      read: {date_format: "%d.%m.%Y", currency: ["€"], decimal: ",", thousands: "."}
      measure:
        aggregate: sum
        where:
          - {column: Account, one_of: [6100, 6110]}
          - {column: Cost Centre, none_of: [CC-9999]}
"""),
    "ai-acceptance": ("leading", "share accepted", "monthly", """    source:
      file: data/mini/ai_counts.csv
      date: Week starting
      value: Accepted
      group: Arm
      measure: {aggregate: ratio, over: Suggestions, dated: start}
"""),
    "completions": ("engagement", "completions", "weekly", """    source:
      file: data/mini/xapi.csv
      date: timestamp
      measure:
        aggregate: count
        grain: day
        people: actor.account.name
        where: [{column: verb.display.en-US, equals: completed}]
"""),
}


def kpis_yml(kpis: dict[str, tuple[str, str, str, str]] = KPIS) -> str:
    """A ``kpis.yml`` with ``kpis``."""
    body = "".join(HEAD.format(id=k, kind=kind, unit=unit, cadence=cadence) + source
                   for k, (kind, unit, cadence, source) in kpis.items())
    return f"kpis:\n{body}privacy:\n  min_group_size: 5\n"


def measured_playbook(root: Path) -> tuple[TmpPlaybook, dict[str, Path]]:
    """The mini playbook reading the five exports through measures."""
    shutil.copytree(FIXTURES / "mini", root)
    book = TmpPlaybook(root)
    for old in ("start_time.csv", "board_use.csv", "leader_360.csv"):
        book.path(f"data/mini/{old}").unlink()
    files = write(root / "data" / "mini")
    book.write("program/mini/kpis.yml", kpis_yml())
    return book, files


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Bundle, dict[str, Path]]:
    """The playbook loaded once, with no error."""
    _, files = measured_playbook(tmp_path_factory.mktemp("measures") / "playbook")
    playbook, problems = load_playbook(files["ledger.csv"].parents[2])
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    return bundle, files


def _series(bundle: Bundle, kpi: str) -> dict[tuple[str, str | None], float]:
    return {(o.date.isoformat(), o.group): o.value for o in bundle.series[kpi]}


def _people(bundle: Bundle, kpi: str) -> dict[tuple[str, str | None], int | None]:
    return {(o.date.isoformat(), o.group): o.people for o in bundle.series[kpi]}


def test_a_360_tools_rows_per_rater(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["rater_360.csv"], dtype=str)
    raw = raw[raw["Wave"].str.startswith("Wave") & (raw["Rater relationship"] != "Self")
              & (raw["Q7 Score"] != "N/A")]
    day = pd.to_datetime(raw["Submitted"], format="%m/%d/%Y %H:%M")
    raw = raw.assign(score=raw["Q7 Score"].astype(float),
                     group=raw["Cohort"].map({"Pilot": "pilot", "Control": "comparison"}),
                     date=(day.dt.to_period("Q").dt.end_time.dt.date).astype(str))
    expected = raw.groupby(["date", "group"])["score"].mean()
    people = raw.groupby(["date", "group"])["Leader ID"].nunique()
    assert _series(bundle, "leader-360") == pytest.approx(expected.to_dict(), rel=1e-12)
    assert _people(bundle, "leader-360") == people.to_dict()
    assert len(expected) == 4


def test_an_hris_report_per_unit_with_a_lookup(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["turnover.csv"], skiprows=2, thousands=",")
    arms = pd.read_csv(files["units.csv"]).drop_duplicates()
    raw = raw.merge(arms, left_on="Org Unit", right_on="Unit", validate="many_to_one")
    month = pd.to_datetime(raw["Period"], format="%b-%y").dt.to_period("M")
    raw["date"] = month.dt.end_time.dt.date.astype(str)
    raw["group"] = raw["Arm"].str.lower()
    pooled = raw.groupby(["date", "group"])[["Terminations (Voluntary)", "Avg FTE"]].sum()
    expected = pooled["Terminations (Voluntary)"] / pooled["Avg FTE"]
    assert _series(bundle, "start-time") == pytest.approx(expected.to_dict(), rel=1e-12)
    assert len(expected) == 24


def test_an_lms_xapi_log_distinct_learners_per_week(
        loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["xapi.csv"], dtype=str)
    raw = raw[raw["verb.display.en-US"].isin(["launched", "experienced", "completed",
                                              "answered"])]
    stamp = pd.to_datetime(raw["timestamp"], utc=True)
    sunday = stamp.dt.normalize() + pd.to_timedelta(6 - stamp.dt.day_of_week, unit="D")
    raw = raw.assign(date=sunday.dt.date.astype(str))
    learners = raw.groupby("date")["actor.account.name"].nunique()
    expected = {(d, None): float(n) for d, n in learners.items()}
    assert _series(bundle, "board-use") == expected
    assert _people(bundle, "board-use") == {k: int(v) for k, v in expected.items()}
    assert len(expected) == 16


def test_the_same_log_completions_a_day(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["xapi.csv"], dtype=str)
    raw = raw[raw["verb.display.en-US"] == "completed"]
    day = pd.to_datetime(raw["timestamp"], utc=True).dt.date.astype(str)
    expected = {(d, None): float(n) for d, n in raw.groupby(day).size().items()}
    assert _series(bundle, "completions") == expected
    people = raw.groupby(day)["actor.account.name"].nunique()
    assert _people(bundle, "completions") == {(d, None): n for d, n in people.items()}


def test_a_general_ledger_with_accounting_negatives(
        loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["ledger.csv"], dtype=str)
    raw = raw[raw["Account"].isin(["6100", "6110"]) & (raw["Cost Centre"] != "CC-9999")]
    text = raw["Amount"].str.replace(r"[()€ .]", "", regex=True).str.replace(",", ".")
    amount = text.astype(float) * raw["Amount"].str.startswith("(").map({True: -1, False: 1})
    month = pd.to_datetime(raw["Posting Date"], format="%d.%m.%Y").dt.to_period("M")
    spend = amount.groupby(month.dt.end_time.dt.date.astype(str)).sum()
    expected = {(d, None): v for d, v in spend.items()}
    assert _series(bundle, "agency-spend") == pytest.approx(expected, abs=1e-6)
    assert len(expected) == 12 and len(raw) > 12 * 20  # many rows per period
    assert (raw["Amount"].str.startswith("(")).any()


def test_ai_tool_counts_pooled_per_arm(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["ai_counts.csv"])
    month = pd.to_datetime(raw["Week starting"]).dt.to_period("M")
    raw["date"] = month.dt.start_time.dt.date.astype(str)
    raw["group"] = raw["Arm"].str.lower()
    pooled = raw.groupby(["date", "group"])[["Accepted", "Suggestions"]].sum()
    expected = pooled["Accepted"] / pooled["Suggestions"]
    assert _series(bundle, "ai-acceptance") == pytest.approx(expected.to_dict(), rel=1e-12)
    mean_of_ratios = (raw["Accepted"] / raw["Suggestions"]).groupby(
        [raw["date"], raw["group"]]).mean()
    assert mean_of_ratios.to_dict() != pytest.approx(expected.to_dict(), rel=1e-6)


def test_every_measure_example_reads_its_export(tmp_path: Path) -> None:
    used: set[str] = set()
    tests: set[str] = set()
    aggregates: set[str] = set()
    for example in EXAMPLES:
        data = yaml.safe_load(example.source)["source"]
        source = Source.model_validate(data, strict=False)
        assert source.measure is not None and source.file is not None
        used |= set(data["measure"])
        tests |= {f.test[0] for f in source.measure.where}
        aggregates.add(source.measure.aggregate)
        export, _, lookup = example.export.partition("\nunits.csv:\n")
        folder = tmp_path / "data" / "my-program"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / source.file.rsplit("/", 1)[1]).write_text(export, encoding="utf-8")
        (folder / "units.csv").write_text(lookup, encoding="utf-8")
        looked_up = Export("data/my-program/units.csv") if source.measure.lookup else None
        query = compile_measure(source, Export(source.file, header_row=source.read.header_row),
                                looked_up, False, source.measure.period(Cadence.MONTHLY))
        result = sql.run(query.sql, tmp_path, [source.file, "data/my-program/units.csv"],
                         example.title, params=query.params)
        assert isinstance(result, Table), (example.title, result)
        assert result.rows, example.title
    assert used == set(SourceMeasure.model_fields)
    assert tests == set(TESTS)
    assert aggregates == set(Aggregate)
