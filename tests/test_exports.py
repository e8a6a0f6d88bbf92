"""Five real kinds of export, used unchanged, checked against pandas over the same rows.

The exports come from ``tests/exports.py`` (a fixed seed): a 360 survey tool,
an HRIS turnover report with a unit lookup, an LMS xAPI statement log, a
finance ledger and an AI tool's outcome summary. Each is read through
documented ``read:`` options or a DuckDB query, never reshaped by a script.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, TmpPlaybook
from exports import CENTRES, write

from playbook.engine import load_playbook
from playbook.figures.fairness import four_fifths
from playbook.load.bundle import Bundle

SURVEY = """    source:
      file: data/mini/survey_360.csv
      date: EndDate
      value: Q7
      subject: Respondent
      wave: Round
      group: Cohort
      read:
        skip_rows: 1                  # the question-text row under the header
        date_format: "%m/%d/%Y"
        missing: ["N/A"]
        values:
          wave: {Baseline: pre, "Follow-up (6 mo)": post}
          group: {Pilot: pilot, Control: comparison}
"""
TURNOVER = """    source:
      query: |
        SELECT strptime(h."Period", '%b-%y')::DATE AS month, u.arm AS cohort,
               100.0 * sum(h."Terminations (Voluntary)"::INTEGER)
                     / sum(replace(h."Avg FTE", ',', '')::DOUBLE) AS turnover_pct
        FROM read_csv('data/mini/hris_turnover.csv', skip = 2, all_varchar = true) AS h
        JOIN 'data/mini/units.csv' AS u ON u.unit = h."Org Unit"
        GROUP BY ALL
      date: month
      value: turnover_pct
      group: cohort
"""
ACTIVE = """    source:
      subject: learner
      query: |
        WITH statements AS (
          SELECT actor.account.name AS learner,
                 date_trunc('week', "timestamp"::TIMESTAMP)::DATE AS week,
                 regexp_extract(verb.id, '[^/]+$') AS verb
          FROM read_json('data/mini/xapi_statements.jsonl')),
        active AS (
          SELECT DISTINCT week, learner FROM statements
          WHERE verb IN ('launched', 'experienced', 'completed', 'answered'))
        SELECT w.week AS date, e.account AS learner,
               CASE WHEN a.learner IS NULL THEN 0 ELSE 100 END AS value
        FROM (SELECT DISTINCT week FROM active JOIN 'data/mini/enrolment.csv' e
              ON e.account = active.learner) AS w
        CROSS JOIN 'data/mini/enrolment.csv' AS e
        LEFT JOIN active AS a ON a.week = w.week AND a.learner = e.account
"""
SPEND_KPI = """  - id: agency-spend
    name: Agency and contractor spend
    kind: business
    unit: EUR per month
    direction: decrease
    baseline: {value: 90000, date: 2025-10-31}
    target: {value: 60000, by: 2026-12-31}
    cadence: monthly
    owner: business_owner
    source:
      query: |
        SELECT date_trunc('month', strptime("Posting Date", '%d.%m.%Y'))::DATE AS date,
               sum(CASE WHEN Amount LIKE '(%' THEN -1 ELSE 1 END
                   * replace(regexp_replace(Amount, '[()€]', '', 'g'), ',', '')::DECIMAL(18, 2))
                 AS value
        FROM read_csv('data/mini/gl_export.csv', all_varchar = true)
        WHERE Account IN ('6100 Agency fees', '6110 Contractors')
          AND "Cost Center" IN ({centres})
        GROUP BY ALL
""".replace("{centres}", ", ".join(f"'{c}'" for c in CENTRES))
OUTCOMES = """outcomes:
  file: data/mini/ai_outcomes.csv
  group: Group
  selected: selected
  count: n
"""


def _replace_source(book: TmpPlaybook, kpi_file: str, source: str) -> None:
    text = book.read("kpis.yml")
    start = text.index(f"    source:\n      file: data/mini/{kpi_file}") if kpi_file != \
        "board_use.csv" else text.index("    source: {file: data/mini/board_use.csv")
    end = text.index("\n  - id:", start) + 1 if "\n  - id:" in text[start:] else \
        text.index("attribution:")
    book.write("kpis.yml", text[:start] + source + text[end:])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Bundle, dict[str, Path]]:
    """The mini program reading every export, loaded once."""
    import shutil
    root = tmp_path_factory.mktemp("exports") / "playbook"
    shutil.copytree(FIXTURES / "mini", root)
    book = TmpPlaybook(root)
    for old in ("start_time.csv", "board_use.csv", "leader_360.csv", "recommendations.csv"):
        book.path(f"data/mini/{old}").unlink()
    files = write(root / "data" / "mini")
    _replace_source(book, "start_time.csv", TURNOVER)
    _replace_source(book, "board_use.csv", ACTIVE)
    _replace_source(book, "leader_360.csv", SURVEY)
    kpis = book.read("kpis.yml")
    at = kpis.index("attribution:")
    book.write("kpis.yml", kpis[:at] + SPEND_KPI + kpis[at:])
    ai = book.read("ai.yml")
    book.write("ai.yml", ai[:ai.index("outcomes:")] + OUTCOMES)
    playbook, problems = load_playbook(root)
    assert problems.errors == [], problems.render()
    bundle = playbook.get("mini")
    assert bundle is not None
    return bundle, files


def _series(bundle: Bundle, kpi: str) -> dict[tuple[str, str | None], float]:
    return {(o.date.isoformat(), o.group): o.value for o in bundle.series[kpi]}


def test_the_survey_tools_export(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["survey_360.csv"], skiprows=[1], na_values=["N/A"])
    raw = raw.dropna(subset=["Q7"])
    raw["wave"] = raw["Round"].map({"Baseline": "pre", "Follow-up (6 mo)": "post"})
    raw["group"] = raw["Cohort"].map({"Pilot": "pilot", "Control": "comparison"})
    expected = raw.groupby(["group", "wave"])["Q7"].agg(["mean", "count"])
    series = bundle.series["leader-360"]
    assert len(series) == len(raw)
    for (group, wave), row in expected.iterrows():
        mine = [o.value for o in series if o.group == group and o.wave == wave]
        assert len(mine) == row["count"]
        assert sum(mine) / len(mine) == pytest.approx(row["mean"], abs=1e-12)


def test_the_hris_turnover_report(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["hris_turnover.csv"], skiprows=2, thousands=",")
    raw = raw.merge(pd.read_csv(files["units.csv"]), left_on="Org Unit", right_on="unit")
    raw["month"] = pd.to_datetime(raw["Period"], format="%b-%y").dt.date.astype(str)
    pooled = raw.groupby(["month", "arm"])[["Terminations (Voluntary)", "Avg FTE"]].sum()
    expected = {k: 100 * r["Terminations (Voluntary)"] / r["Avg FTE"]
                for k, r in pooled.iterrows()}
    assert _series(bundle, "start-time") == pytest.approx(expected, rel=1e-12)
    assert len(expected) == 28


def test_the_lms_statement_log(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    log = pd.json_normalize(pd.read_json(files["xapi_statements.jsonl"], lines=True)
                            .to_dict("records"))
    enrolled = set(pd.read_csv(files["enrolment.csv"])["account"])
    log["verb"] = log["verb.id"].str.rsplit("/", n=1).str[-1]
    log = log[log["verb"].isin(["launched", "experienced", "completed", "answered"])
              & log["actor.account.name"].isin(enrolled)]
    stamp = pd.to_datetime(log["timestamp"]).dt.tz_localize(None)
    log["week"] = (stamp.dt.normalize() - pd.to_timedelta(stamp.dt.day_of_week, unit="D")).dt.date
    active = set(zip(log["week"], log["actor.account.name"], strict=True))
    # one row per enrolled learner and week: the engine, not the query, aggregates people
    expected = sorted((str(w), who, 100.0 if (w, who) in active else 0.0)
                      for w in {w for w, _ in active} for who in enrolled)
    assert sorted((o.date.isoformat(), o.subject, o.value)
                  for o in bundle.series["board-use"]) == expected


def test_the_finance_ledger(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["gl_export.csv"], dtype=str)
    raw = raw[raw["Account"].isin(["6100 Agency fees", "6110 Contractors"])
              & raw["Cost Center"].isin(CENTRES)]
    sign = raw["Amount"].str.startswith("(").map({True: -1, False: 1})
    amount = raw["Amount"].str.replace(r"[()€,]", "", regex=True).astype(float) * sign
    month = pd.to_datetime(raw["Posting Date"], format="%d.%m.%Y").dt.to_period("M")
    spend = amount.groupby(month.dt.start_time.dt.date).sum()
    expected = {(str(m), None): v for m, v in spend.items()}
    assert _series(bundle, "agency-spend") == pytest.approx(expected, abs=1e-6)
    assert len(expected) == 12


def test_the_ai_tools_outcome_summary(loaded: tuple[Bundle, dict[str, Path]]) -> None:
    bundle, files = loaded
    raw = pd.read_csv(files["ai_outcomes.csv"])
    assert len(bundle.outcomes) == raw["n"].sum()
    fairness = four_fifths(bundle.outcomes, 5)
    rates = {g.group: g.rate for g in fairness.groups if g.rate is not None}
    expected = dict(zip(raw["Group"], raw["selected"] / raw["n"], strict=True))
    assert rates == pytest.approx({g: expected[g] for g in rates}, rel=1e-12)
    assert rates["Women"] == pytest.approx(0.42)


def test_the_committed_exports_are_the_generators(tmp_path: Path) -> None:
    fresh = write(tmp_path)
    for name, path in fresh.items():
        assert (FIXTURES / "exports" / name).read_bytes() == path.read_bytes(), name
