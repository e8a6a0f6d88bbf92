"""Forecasts held to account: the format, its checks, the sign-off, the diff, and each
checkpoint's forecast against the actual, with values computed by hand."""

from __future__ import annotations

import json
import math
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from conftest import RunCli, TmpPlaybook
from scipy import stats

from playbook.engine import build, load_playbook
from playbook.figures.forecast import ForecastState
from playbook.figures.program import compute, to_jsonable
from playbook.load.bundle import Bundle
from playbook.load.signoffs import content_of, digest, digest_of, states
from playbook.pages.budget import budget
from playbook.pages.measure import kpi_chart
from playbook.pages.program import reviews

FORECAST = """
forecast:
  made: 2025-12-20
  kpis:
    - kpi: board-use
      day_90: {change: 30, low: 20, high: 40}
      day_180: {change: 40, low: 30, high: 50}
      day_365: {change: 50}
    - kpi: start-time
      day_90: {change: -3}
      day_180: {change: -4, low: -6, high: -2}
  roi: {first_year_pct: 25, low_pct: -10, high_pct: 60}
"""
BOARD = {  # month end → percent of projects staffed from the board
    "2025-07-31": 10, "2025-08-31": 12, "2025-09-30": 10, "2025-10-31": 12,
    "2025-11-30": 10, "2025-12-31": 12, "2026-01-31": 22, "2026-02-28": 41,
    "2026-03-31": 55, "2026-04-30": 50, "2026-05-31": 58, "2026-06-30": 54,
}


def _bundle(root: Path) -> Bundle:
    playbook, problems = load_playbook(root)
    assert problems.errors == []
    bundle = playbook.get("mini")
    assert bundle is not None
    return bundle


def _with_forecast(book: TmpPlaybook, text: str = FORECAST) -> None:
    book.write("program/mini/program.yml", book.read("program/mini/program.yml") + text)


def _check(run_cli: RunCli, root: Path) -> list[str]:
    _, out, _ = run_cli("check", root)
    return [line for line in out.splitlines() if "forecast" in line]


@pytest.mark.parametrize(("entry", "expected"), [
    ("day_120: {change: -2}", "program/mini/program.yml:{line}:7: forecast.kpis[0]: unknown "
     "field 'day_120' in KPI (did you mean 'day_180'?)"),
    ("day_90: {change: -2, low: -1, high: 0}", "program/mini/program.yml:{line}:15: "
     "forecast.kpis[0].day_90: the range -1 to 0 must hold the expected change -2 "
     "(low ≤ change ≤ high)"),
    ("day_90: {change: -2, low: -3}", "program/mini/program.yml:{line}:15: "
     "forecast.kpis[0].day_90: a forecast's range needs both `low` and `high`, or neither"),
    ("day_90: {change: .inf}", "program/mini/program.yml:{line}:24: "
     "forecast.kpis[0].day_90.change: expected a finite number, got the number inf"),
])
def test_a_bad_forecast_is_a_located_error(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                           entry: str, expected: str) -> None:
    _with_forecast(tmp_playbook, "forecast:\n  made: 2025-12-20\n  kpis:\n"
                                 f"    - kpi: start-time\n      {entry}\n")
    line = tmp_playbook.read("program/mini/program.yml").count("\n")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 1
    assert expected.format(line=line) in out.splitlines()


def test_a_kpi_forecast_without_a_day_and_a_range_without_its_roi(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    _with_forecast(tmp_playbook, "forecast:\n  made: 2025-12-20\n  kpis:\n"
                                 "    - kpi: start-time\n"
                                 "  roi: {first_year_pct: 50, low_pct: 60, high_pct: 90}\n")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 1
    assert [line for line in out.splitlines() if "forecast" in line] == [
        "program/mini/program.yml:51:7: forecast.kpis[0]: a KPI's forecast needs at least one "
        "of `day_90`, `day_180` and `day_365`",
        "program/mini/program.yml:52:8: forecast.roi: the range 60% to 90% must hold the "
        "expected ROI 50%"]


def test_cross_file_errors_and_findings_of_a_forecast(tmp_playbook: TmpPlaybook,
                                                      run_cli: RunCli) -> None:
    _with_forecast(tmp_playbook, """forecast:
  made: 2026-01-20
  kpis:
    - kpi: board-usage
      day_90: {change: 30}
    - kpi: board-use
      day_90: {change: 3000}
    - kpi: board-use
      day_180: {change: 40}
  roi: {first_year_pct: 50, low_pct: -250, high_pct: 20000}
""")
    assert _check(run_cli, tmp_playbook.root) == [
        "program/mini/program.yml:49:9: finding forecast-late: forecast.made: the forecast was "
        "made on 2026-01-20, after the program's start on 2026-01-05: a forecast made once "
        "data is in is not a forecast (keep the forecast made before the start; record a "
        "revised one in a review instead)",
        "program/mini/program.yml:51:12: forecast.kpis[0].kpi: unknown KPI 'board-usage' "
        "(known: board-use, leader-360, start-time)",
        "program/mini/program.yml:54:24: finding implausible: forecast.kpis[1].day_90.change: "
        "a change of 3000 percent from the baseline 10 reaches 3010, outside -1000 to 1000 "
        "percent (give the change from the baseline, not the value reached)",
        "program/mini/program.yml:55:12: forecast.kpis[2].kpi: the forecast names KPI "
        "'board-use' twice (give each KPI's checkpoints in one entry)",
        "program/mini/program.yml:57:38: finding implausible: forecast.roi.low_pct: a "
        "first-year ROI of -250% means benefits below zero (give the ROI in percent: "
        "(benefits − costs) ÷ costs × 100)",
        "program/mini/program.yml:57:54: finding implausible: forecast.roi.high_pct: a "
        "first-year ROI of 20000% means more than 100 times the cost back in a year (give "
        "the ROI in percent: (benefits − costs) ÷ costs × 100)"]


def test_a_forecast_is_signed_with_the_definition(tmp_playbook: TmpPlaybook,
                                                  run_cli: RunCli) -> None:
    root = tmp_playbook.root
    before = _bundle(root)
    # a program without a forecast signs what it signed before the field existed
    plain = content_of(before)
    assert plain["program"]["forecast"] is None
    assert digest(before) == digest_of(
        {**plain, "program": {k: v for k, v in plain["program"].items() if k != "forecast"}})
    _with_forecast(tmp_playbook)
    assert run_cli("sign", "mini", "--role", "sponsor", "--dir", root)[0] == 0
    assert [s.current for s in states(_bundle(root)) if s.role == "sponsor"] == [True]
    tmp_playbook.edit("program.yml", "day_180: {change: 40, low: 30, high: 50}",
                      "day_180: {change: 45, low: 30, high: 50}")
    assert [s.current for s in states(_bundle(root)) if s.role == "sponsor"] == [False]
    _, out, _ = run_cli("check", root)
    assert "pending signoff-stale: signoff[0].digest: sign-off by sponsor (Ada Quill" in out


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def test_diff_calls_out_a_forecast_changed_after_the_start(tmp_playbook: TmpPlaybook,
                                                           run_cli: RunCli) -> None:
    root = tmp_playbook.root
    _with_forecast(tmp_playbook)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "forecast")
    tmp_playbook.edit("program.yml", "day_90: {change: -3}", "day_90: {change: -5}")
    code, out, _ = run_cli("diff", "--dir", root, "--today", "2026-03-01")
    assert code == 0
    assert ("**The forecast changes after the program's start on 2026-01-05:** a forecast "
            "changed once data is in is not a forecast. Keep the one made before the start, "
            "and record a revised expectation in a review.") in out
    assert ("| forecast | program.yml | <code>forecast.kpis\\[start-time\\].day\\_90.change"
            "</code> | -3.0 | -5.0 |") in out
    # before the start a forecast may still change: it is the forecast being made
    _, out, _ = run_cli("diff", "--dir", root, "--today", "2026-01-04")
    assert "after the program's start" not in out
    _, out, _ = run_cli("diff", "--dir", root, "--today", "2026-03-01", "--format", "json")
    assert '"late_forecasts": {\n    "mini": "2026-01-05"\n  }' in out


def _spread(values: list[float]) -> float:
    """The checkpoint's 95% half-width by hand: the noise of the values before the judged
    one and the one before it (period-to-period changes' SD over √2), Student's t."""
    steps = np.diff(values)
    sigma = float(np.std(steps, ddof=1)) / math.sqrt(2)
    return float(stats.t.ppf(0.975, len(steps) - 1)) * sigma


def test_each_checkpoint_against_its_forecast_by_hand(tmp_playbook: TmpPlaybook) -> None:
    _with_forecast(tmp_playbook)
    tmp_playbook.write("data/mini/board_use.csv", "month,pct\n" + "".join(
        f"{d},{v}\n" for d, v in BOARD.items()))
    figs = compute(_bundle(tmp_playbook.root), date(2026, 8, 1))
    assert figs.forecast is not None and not figs.forecast.late
    got = {(c.kpi_id, c.day): c for c in figs.forecast.checks}
    values = list(BOARD.values())
    # board-use (percent, increase, baseline 10, target 60: planned change 50)
    day90 = got[("board-use", 90)]  # 2026-04-05: March's 55 is the latest known
    half = _spread(values[:7])  # Jul–Jan: the points before March and February
    assert day90.state is ForecastState.COMPARED
    assert day90.actual == 45 and day90.error == 15
    assert day90.actual_low == pytest.approx(45 - half)
    assert day90.actual_high == pytest.approx(45 + half)
    assert day90.covered is (45 - half <= 30 <= 45 + half)
    assert (day90.forecast_share, day90.actual_share) == (0.6, 0.9)
    day180 = got[("board-use", 180)]  # 2026-07-04: June's 54
    half = _spread(values[:10])  # Jul–Apr
    assert (day180.actual, day180.error) == (44, 4)
    assert day180.actual_low == pytest.approx(44 - half)
    assert day180.covered is True
    assert day180.actual_share_high == pytest.approx((44 + half) / 50)
    day365 = got[("board-use", 365)]  # 2027-01-05, after the build day
    assert day365.state is ForecastState.NOT_REACHED
    assert (day365.actual, day365.error, day365.covered) == (None, None, None)
    # start-time (days, decrease, baseline 30, target 24: planned change 6); the pilot's
    # March value 25 is the latest known on both days, on too few points for a noise
    for day, forecast in ((90, -3), (180, -4)):
        c = got[("start-time", day)]
        assert (c.actual, c.error, c.actual_low, c.covered) == (-5, -5 - forecast, None, None)
        assert c.forecast_share == pytest.approx(-forecast / 6)
        assert c.actual_share == pytest.approx(5 / 6)
    roi = figs.forecast.roi
    assert roi is not None and roi.forecast_pct == 25 and roi.complete is False
    assert roi.estimate_pct is not None and roi.error_pct == pytest.approx(
        roi.estimate_pct - 25)
    data = to_jsonable(figs)["forecast"]
    assert isinstance(data, dict) and data["checks"][0]["state"] == "compared"


def test_a_checkpoint_reached_without_data_shows_no_actual(tmp_playbook: TmpPlaybook) -> None:
    _with_forecast(tmp_playbook)
    tmp_playbook.write("data/mini/board_use.csv", "month,pct\n2025-12-31,10\n")
    figs = compute(_bundle(tmp_playbook.root), date(2026, 4, 10))
    assert figs.forecast is not None
    c = next(c for c in figs.forecast.checks if (c.kpi_id, c.day) == ("board-use", 90))
    assert (c.state, c.actual, c.note) == (ForecastState.NO_DATA, None,
                                           "no measurement since the start")


def test_a_forecast_too_large_to_compute_with_is_an_error(tmp_playbook: TmpPlaybook,
                                                          run_cli: RunCli) -> None:
    _with_forecast(tmp_playbook, "forecast:\n  made: 2025-12-20\n  kpis:\n"
                                 "    - kpi: start-time\n      day_90: {change: 1e300}\n"
                                 "  roi: {first_year_pct: -1e200}\n")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 1
    assert [line for line in out.splitlines() if "forecast" in line] == [
        "program/mini/program.yml:52:24: forecast.kpis[0].day_90.change: 1e+300 is too large "
        "to compute with (above 1e+100 in size): every figure built on it would be infinite "
        "or not a number (check the unit and the value)",
        "program/mini/program.yml:53:25: forecast.roi.first_year_pct: -1e+200 is too large "
        "to compute with (above 1e+100 in size): every figure built on it would be infinite "
        "or not a number (check the unit and the value)"]


def test_report_and_the_reviews_page_show_the_forecast(tmp_playbook: TmpPlaybook,
                                                       run_cli: RunCli) -> None:
    _with_forecast(tmp_playbook)
    root = tmp_playbook.root
    code, out, _ = run_cli("report", "mini", "--dir", root, "--today", "2026-05-01")
    assert code == 0
    forecast = json.loads(out)["forecast"]
    assert forecast["made"] == "2025-12-20" and forecast["late"] is False
    by_check = {(c["kpi_id"], c["day"]): c["state"] for c in forecast["checks"]}
    assert by_check == {("board-use", 90): "compared", ("board-use", 180): "not-reached",
                      ("board-use", 365): "not-reached", ("start-time", 90): "compared",
                      ("start-time", 180): "not-reached"}
    data, problems = build(root, date(2026, 5, 1))
    assert data is not None, problems.errors
    page = reviews(data.get("mini"), data)
    assert ("| Projects staffed from the board | Day 90 | +30 pp \\(+20 pp to +40 pp\\) | "
            "+45 pp \\(no interval: too few values to estimate its noise\\) | "
            '<span class="pb-chip pb-chip--on-track">Better than forecast \\(noise '
            "unknown\\)</span> |") in page
    assert ("| Projects staffed from the board | Day 180 | +40 pp \\(+30 pp to +50 pp\\) | "
            "not reached yet \\(day 180 is 2026-07-04\\) | — |") in page
    assert "**First-year ROI.** Forecast 25% (-10% to 60%); the ROI page's first-year " \
           "case now estimates" in page
    promised = data.get("mini").figures.forecast
    roi = promised.roi if promised is not None else None
    assert roi is not None and roi.estimate_high_pct is not None and roi.estimate_high_pct < 25
    assert ("the first-year case above now estimates" in budget(data.get("mini"), data))
    assert "the forecast is above that range: the business case promised more. The first " \
           "year is not over: the estimate projects the run rates measured so far, and will " \
           "move." in page


def test_the_kpi_chart_shows_the_value_promised_at_each_checkpoint(
        tmp_playbook: TmpPlaybook) -> None:
    _with_forecast(tmp_playbook)
    data, problems = build(tmp_playbook.root, date(2026, 5, 1))
    assert data is not None, problems.errors
    view = data.get("mini")
    kpi = next(k for k in view.bundle.kpis.kpis if k.id == "board-use") if view.bundle.kpis \
        else None
    assert kpi is not None
    chart = str(kpi_chart(view, kpi))
    figure = json.loads(chart.split("data-search-exclude>", 1)[1].split("</template>")[0])
    promised = next(t for t in figure["data"] if t["name"].startswith("Forecast"))
    assert promised["name"] == "Forecast (made 2025-12-20)"
    # baseline 10 plus each forecast change, at each checkpoint's day, with its range
    assert promised["x"] == ["2026-04-05", "2026-07-04", "2027-01-05"]
    assert promised["y"] == [40, 50, 60]
    assert promised["error_y"]["array"] == [10, 10, None]
    assert promised["error_y"]["arrayminus"] == [10, 10, None]
    assert "<tr><td>2026-04-05</td><td>Forecast, day 90</td><td>40</td><td></td></tr>" in chart
