"""Calibration across the portfolio: the summary against numpy and scipy, the thresholds
below which it gives no interval and no share, and the portfolio section at 3 programs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from conftest import TmpPlaybook
from scipy import stats

from bench import generate
from playbook.checks.forecasts import MAX_ROI_PCT, MIN_ROI_PCT
from playbook.engine import build
from playbook.figures.calibration import LEVEL, MIN_INTERVALS, MIN_PROGRAMS, calibration
from playbook.figures.forecast import ForecastCheck, ForecastFigures, ForecastState
from playbook.pages import groups as grouping
from playbook.pages.groups import groups, index
from playbook.pages.portfolio import portfolio


def _check(forecast: float, actual: float | None, half: float | None = None, *,
           day: int = 90, state: ForecastState = ForecastState.COMPARED) -> ForecastCheck:
    low = high = None
    if actual is not None and half is not None:
        low, high = actual - half, actual + half
    return ForecastCheck(
        kpi_id="k", day=day, date=date(2026, 4, 1), state=state, forecast=forecast,
        forecast_low=None, forecast_high=None, actual=actual, actual_low=low, actual_high=high,
        error=None if actual is None else actual - forecast,
        covered=None if low is None or high is None else low <= forecast <= high,
        planned=1.0, forecast_share=forecast, actual_share=actual,
        actual_share_low=low, actual_share_high=high)


def _program(checks: list[ForecastCheck], *, late: bool = False) -> ForecastFigures:
    return ForecastFigures(made=date(2025, 12, 1), late=late, checks=checks, roi=None)


RNG = np.random.default_rng(7)
FORECASTS = [[float(x) for x in RNG.uniform(0.2, 1.2, size=n)] for n in (1, 2, 3, 2, 4, 1, 3)]
ACTUALS = [[f + float(RNG.normal(-0.1, 0.3)) for f in fs] for fs in FORECASTS]


def test_the_summary_matches_numpy_and_scipy() -> None:
    programs = [(f"p{i}", _program([_check(f, a, 0.25, day=(90, 180, 365, 90)[j])
                                    for j, (f, a) in enumerate(zip(fs, acts, strict=True))]))
                for i, (fs, acts) in enumerate(zip(FORECASTS, ACTUALS, strict=True))]
    c = calibration(programs)
    means = np.array([np.mean(np.subtract(a, f)) for f, a in zip(FORECASTS, ACTUALS,
                                                                  strict=True)])
    low, high = stats.t.interval(0.95, len(means) - 1, loc=means.mean(), scale=stats.sem(means))
    assert c.programs == len(FORECASTS) >= MIN_PROGRAMS
    assert len(c.points) == sum(map(len, FORECASTS))
    assert c.mean_error == pytest.approx(means.mean())
    assert (c.error_low, c.error_high) == (pytest.approx(low), pytest.approx(high))
    inside = sum(abs(a - f) <= 0.25 for fs, acts in zip(FORECASTS, ACTUALS, strict=True)
                 for f, a in zip(fs, acts, strict=True))
    assert (c.covered, c.with_interval) == (inside, len(c.points))
    assert c.coverage == pytest.approx(inside / len(c.points))


def test_few_programs_give_a_mean_but_no_interval_and_no_share() -> None:
    many = [_check(0.5, 0.5 + i / 200, 0.1) for i in range(MIN_INTERVALS + 2)]
    c = calibration([("a", _program(many)), ("b", _program([_check(1.0, 0.4, 0.1)])),
                     ("c", None)])
    assert c.programs == 2 < MIN_PROGRAMS
    first = np.mean([i / 200 for i in range(MIN_INTERVALS + 2)])  # program a's mean error
    assert c.mean_error == pytest.approx((first - 0.6) / 2)  # b's is 0.4 - 1.0
    assert (c.error_low, c.error_high, c.coverage) == (None, None, None)
    assert (c.covered, c.with_interval) == (MIN_INTERVALS + 2, MIN_INTERVALS + 3)


def test_late_forecasts_and_checkpoints_without_an_actual_are_left_out() -> None:
    c = calibration([
        ("late", _program([_check(0.5, 0.9, 0.1), _check(0.5, 0.7)], late=True)),
        ("on-time", _program([_check(0.5, None, state=ForecastState.NOT_REACHED),
                              _check(0.5, None, state=ForecastState.NO_DATA),
                              _check(0.4, 0.6)]))])
    assert [(p.program_id, p.forecast, p.actual) for p in c.points] == [("on-time", 0.4, 0.6)]
    assert c.late == 2 and c.programs == 1
    assert (c.with_interval, c.covered) == (0, 0)
    assert c.mean_error == pytest.approx(0.2)


def test_no_forecast_anywhere_is_an_empty_calibration() -> None:
    c = calibration([("a", None)])
    assert (c.points, c.programs, c.mean_error, c.coverage) == ([], 0, None, None)


def test_the_portfolio_plots_three_programs_forecasts(tmp_path: Path) -> None:
    """Three programs (the benchmark's copies, each forecast scaled differently): the plot,
    its summary without an interval, and its numbers table."""
    data, problems = build(generate.make(tmp_path / "three", 3), date(2026, 11, 22))
    assert data is not None, problems.errors
    page = portfolio(data)
    section = page[page.index("## Forecasts against actuals"):]  # the page's last section
    c = calibration([(v.id, v.figures.forecast) for v in data.programs])
    assert c.programs == 3  # and no two copies promise the same
    assert len({(p.kpi_id, p.day, p.forecast) for p in c.points}) == len(c.points)
    assert (f"{len(c.points)} checkpoint\\(s\\) of 3 program\\(s\\). Mean error (actual less "
            "forecast, each program weighing once; above 0 is better than promised): ") \
        in section
    assert (f"with fewer than {MIN_PROGRAMS} programs no interval is given, and the mean is "
            "an example, not a track record") in section
    assert f"(no share below {MIN_INTERVALS} such forecasts from {MIN_PROGRAMS} programs)" \
        in section
    figure = json.loads(section.split("data-search-exclude>", 1)[1].split("</template>")[0])
    names = [t["name"] for t in figure["data"]]
    assert names == ["Forecast = actual", "Day 90", "Day 180"]
    identity = figure["data"][0]
    assert identity["x"] == identity["y"] and identity["x"][0] <= 0 and identity["x"][1] >= 1
    assert figure["layout"]["xaxis"]["type"] == "linear"
    # the numbers table is the chart's accessible equivalent: a row per point
    assert section.count("<tr><td>") == len(c.points)
    assert "<td>Decision velocity for product leaders 000 · Median time from idea to launch " \
           "decision</td><td>Day 90</td>" in section


def test_a_label_reaches_the_chart_as_text(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("kpis.yml", "name: Projects staffed from the board",
                      'name: "<b>Board</b> & <a href=x>use</a>"')
    tmp_playbook.write("program/mini/program.yml",
                       tmp_playbook.read("program/mini/program.yml")
                       + "forecast:\n  made: 2025-12-20\n  kpis:\n    - kpi: board-use\n"
                         "      day_90: {change: 30}\n")
    data, problems = build(tmp_playbook.root, date(2026, 5, 1))
    assert data is not None, problems.errors
    section = portfolio(data).split("## Forecasts against actuals")[1]
    assert "<b>" not in section and "<a href=x>" not in section
    assert "\\u0026lt;b\\u0026gt;Board\\u0026lt;/b\\u0026gt; \\u0026amp;" in section
    assert "<td>Mini staffing program · &lt;b&gt;Board&lt;/b&gt; &amp;" in section


def test_the_rules_table_quotes_the_engine_constants() -> None:
    from test_rules_table import MEASUREMENT

    assert f"a {LEVEL:.0%} interval of the mean error from {MIN_PROGRAMS} programs" in \
        MEASUREMENT["Calibration"]
    assert f"a coverage share from {MIN_INTERVALS} forecasts of {MIN_PROGRAMS} programs" in \
        MEASUREMENT["Calibration"]
    assert (f"a first-year ROI below {MIN_ROI_PCT:g}% or above {MAX_ROI_PCT:,.0f}% "
            "(implausible)") in MEASUREMENT["Forecast findings"]
    assert "not capped" in MEASUREMENT["Forecast against actual"]


def test_beyond_max_bars_points_the_plot_drops_the_bars_and_keeps_its_axes() -> None:
    from playbook.pages.calibration import MAX_BARS, _figure

    few = calibration([("p", _program([_check(0.5, 0.6, 3.0)]))])
    figure = _figure(few, {})
    assert figure["data"][1]["error_y"]["array"] == [3.0]
    # each axis holds its own values, 0 and 1: the wide interval widens y, not x
    assert figure["layout"]["xaxis"]["range"] == pytest.approx([-0.06, 1.06])
    assert figure["layout"]["yaxis"]["range"] == pytest.approx([-2.4 - 0.36, 3.6 + 0.36])
    many = calibration([(f"p{i}", _program([_check(0.5, 0.6, 3.0)]))
                        for i in range(MAX_BARS + 1)])
    figure = _figure(many, {})
    assert "error_y" not in figure["data"][1]
    assert figure["layout"]["yaxis"]["range"] == pytest.approx([-0.06, 1.06])


def test_a_grouped_portfolio_calibrates_every_program_on_its_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past GROUP_SIZE programs the portfolio page lists groups; its calibration still
    takes every program, and with that many it gives the interval and the share."""
    # groups of 5 instead of 20: 7 programs computed instead of 22, still enough
    # programs (5) and forecasts (10) for the interval and the share
    monkeypatch.setattr(grouping, "GROUP_SIZE", 5)
    count = grouping.GROUP_SIZE + 2
    data, problems = build(generate.make(tmp_path / "many", count), date(2026, 11, 22))
    assert data is not None, problems.errors
    found = groups(data)
    assert found
    page = str(index(data, found))
    c = calibration([(v.id, v.figures.forecast) for v in data.programs])
    assert c.programs == count and c.error_low is not None and c.coverage is not None
    section = page[page.index("## Forecasts against actuals"):]
    assert (f"{len(c.points)} checkpoint\\(s\\) of {count} program\\(s\\). Mean error (actual "
            "less forecast, each program weighing once; above 0 is better than promised): ") \
        in section
    assert ", 95% interval " in section and " over programs. " in section
    assert f"{c.covered} of {c.with_interval} forecasts lie inside their actual's 95% " \
           f"interval ({round(c.coverage * 100)}%)." in section
    assert section.count("<tr><td>") == len(c.points)


@pytest.mark.parametrize(("forecast", "expected"), [
    ("", "No program states a forecast yet: <code>forecast:</code> in "
         "<code>program.yml</code> records one."),
    ("forecast:\n  made: 2025-12-20\n  kpis:\n    - kpi: board-use\n"
     "      day_365: {change: 30}\n", "No forecast has reached a checkpoint with data yet."),
    ("forecast:\n  made: 2026-02-01\n  kpis:\n    - kpi: board-use\n"
     "      day_90: {change: 30}\n", "Every forecast that reached a checkpoint (1) was made "
                                     "after its program's start, and is left out."),
    ("forecast:\n  made: 2025-12-20\n  kpis:\n    - kpi: board-use\n"
     "      day_90: {change: 30}\n", "1 checkpoint\\(s\\) of 1 program\\(s\\). Mean error "
     "(actual less forecast, each program weighing once; above 0 is better than promised): "
     "0.3 of the planned change; with fewer than 5 programs no interval is given, and the "
     "mean is an example, not a track record. No actual has an interval yet (too few values "
     "to estimate its noise)."),
])
def test_what_the_section_says_with_little_to_show(tmp_playbook: TmpPlaybook, forecast: str,
                                                   expected: str) -> None:
    tmp_playbook.write("program/mini/program.yml",
                       tmp_playbook.read("program/mini/program.yml") + forecast)
    data, problems = build(tmp_playbook.root, date(2026, 5, 1))
    assert data is not None, problems.errors
    section = portfolio(data).split("## Forecasts against actuals\n", 1)[1]
    said = section.split("\n## ")[0].strip()
    if "Each point is" in said:  # the plot's reading guide comes first
        said = said.split("\n\n", 1)[1]
    assert said.startswith(expected)
