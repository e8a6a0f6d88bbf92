"""The portfolio's forest plot: a row per comparable effect, a reason for every other program.

Built from the example's figures, then from 200 copies of its programs (the
scale ``make bench`` measures), and from a program whose survey has too few
people: it gets a row that says so, never a point.
"""

from __future__ import annotations

import copy
import html
import json
import math
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from playbook.engine import build
from playbook.figures.benchmark import Comparability, Placement
from playbook.figures.forest import NoCost, portfolio_values
from playbook.figures.site import ProgramView, SiteData
from playbook.pages import groups
from playbook.pages.forest import LABEL_CHARS, ROW_PX, forest_section
from playbook.pages.portfolio import portfolio

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
_TEMPLATE = re.compile(r'<template id="([^"]+)--figure" data-search-exclude>([^<]*)</template>')


@pytest.fixture(scope="module")
def example() -> SiteData:
    data, problems = build(REPO, TODAY)
    assert data is not None, problems.errors
    return data


def _figure(page: str, chart_id: str = "chart-portfolio-forest") -> dict:
    found = {m.group(1): json.loads(m.group(2)) for m in _TEMPLATE.finditer(page)}
    return found[chart_id]


def _copies(site: SiteData, count: int, title: str = "Program {i}") -> SiteData:
    views = []
    for i in range(count):
        view = site.programs[i % len(site.programs)]
        bundle = copy.copy(view.bundle)
        bundle.id = f"p{i:03d}"
        assert bundle.program is not None
        bundle.program = bundle.program.model_copy(update={"title": title.format(i=i)})
        views.append(ProgramView(bundle, replace(view.figures, program_id=bundle.id)))
    return replace(site, programs=views)


def test_the_example_portfolio_places_each_program(example: SiteData) -> None:
    page = portfolio(example)
    figure = _figure(page)
    effect, delta = figure["data"][0], figure["data"][1]
    assert effect["name"] == "Effect d, 95% interval" and len(effect["x"]) == 2
    # the transfer δ of Lacerenza et al. (2017) on the observed scale, δ·√r̄_yy, δ in hover
    assert delta["x"] == [round(0.82 * math.sqrt(0.96), 2)] * 2  # published at 2 decimals
    assert delta["customdata"] == [0.82, 0.82] and delta["name"] == (
        "Research, on the observed scale")
    assert figure["layout"]["yaxis"]["ticktext"] == [
        "Approval velocity for engagement leaders · transfer",
        "Decision velocity for product leaders · transfer"]
    assert "2 of 2 programs have an effect comparable with research" in page
    assert "<td>0.80 = δ 0.82 × √0.96, Lacerenza et al. (2017)</td>" in page
    assert "times the square root of the studies' mean criterion reliability" in page


def test_two_hundred_programs_stay_legible(example: SiteData) -> None:
    site = _copies(example, 200, "A very long program title that goes on and on {i} <b>x</b>")
    figure = _figure(forest_section(site))
    ticks = [html.unescape(t) for t in figure["layout"]["yaxis"]["ticktext"]]
    assert len(ticks) == 200 and len(set(figure["layout"]["yaxis"]["tickvals"])) == 200
    assert figure["layout"]["height"] == 200 + ROW_PX * 200
    assert figure["layout"]["xaxis"]["side"] == "top"
    # titles are cut on the axis (whole in the table) and shown literally by Plotly
    assert all(len(t.split(" · ")[0]) <= LABEL_CHARS for t in ticks)
    # cut in the middle: the end of a numbered series' titles tells its rows apart
    assert ticks[17] == "A very long program title… on 17 <b>x</b> · transfer"
    assert len(set(ticks)) == 200
    table = forest_section(site)
    assert table.count("<tr><td>A very long program title") == 200
    # too tall for a sheet: paper gets the table (playbook.css hides the plot in print)
    assert '<div class="pb-tall">' in table and "The plot has 200 rows" in table
    assert "pb-tall" not in forest_section(example)
    assert "&lt;b&gt;x&lt;/b&gt;" in table and "<b>x</b>" not in table


def test_titles_that_differ_only_in_the_middle_are_labelled_by_id(example: SiteData) -> None:
    site = _copies(example, 3, "Program for the sales team in region {i} of the firm, 2026 cohort")
    ticks = _figure(forest_section(site))["layout"]["yaxis"]["ticktext"]
    assert ticks == ["p000 · transfer", "p001 · transfer", "p002 · transfer"]
    site = _copies(example, 2, "Leadership program for the sales team, cohort {i}")
    ticks = _figure(forest_section(site))["layout"]["yaxis"]["ticktext"]
    assert ticks == ["Leadership program for the… team, cohort 0 · transfer",
                     "Leadership program for the… team, cohort 1 · transfer"]


def test_the_group_index_at_portfolio_scale_has_every_program(example: SiteData) -> None:
    site = _copies(example, groups.GROUP_SIZE * 2 + 1)
    page = groups.index(site, groups.groups(site))
    assert len(_figure(page)["layout"]["yaxis"]["ticktext"]) == groups.GROUP_SIZE * 2 + 1


def _starved(view: ProgramView) -> ProgramView:
    placed = {k: (Placement(p.kpi_id, p.criterion, Comparability.TOO_LITTLE_DATA, p.band)
                  if p.comparable else p) for k, p in view.figures.benchmarks.items()}
    return replace(view, figures=replace(view.figures, benchmarks=placed))


def test_a_program_with_too_little_data_says_so_instead_of_a_point(example: SiteData) -> None:
    site = replace(example, programs=[example.programs[0], _starved(example.programs[1])])
    value = portfolio_values(site)[1]
    assert value.effects == [] and value.no_cost is NoCost.NO_EFFECT
    assert Comparability.TOO_LITTLE_DATA in value.waiting
    page = forest_section(site)
    figure = _figure(page)
    effect, note = figure["data"][0], figure["data"][2]
    assert effect["y"] == [0] and note["y"] == [1] and note["text"] == ["— too little data"]
    assert "1 have too little data or no comparable KPI and show no point" in page
    assert "too little data yet: the effect, its spread or the pre–post correlation" in page


def test_cost_per_unit_needs_an_effect_clear_of_zero(example: SiteData) -> None:
    view = example.programs[0]
    first = next(p for p in view.figures.benchmarks.values() if p.comparable)
    near_zero = replace(first, low=-0.1)
    starved = replace(view, figures=replace(view.figures, benchmarks={
        **view.figures.benchmarks, first.kpi_id: near_zero}))
    (value,) = portfolio_values(replace(example, programs=[starved]))
    assert value.cost_per_sd is None and value.no_cost is NoCost.NOT_POSITIVE
    (value,) = portfolio_values(replace(example, programs=[view]))
    roi = view.figures.roi
    assert roi is not None and roi.cost_per_participant is not None and first.d is not None
    assert value.cost_per_sd == pytest.approx(roi.cost_per_participant / first.d)


def test_a_credibility_interval_is_drawn_as_a_band(example: SiteData) -> None:
    view = example.programs[0]
    first = next(p for p in view.figures.benchmarks.values() if p.comparable)
    assert first.band is not None
    banded = replace(first, band=replace(first.band, cr_low=0.2, cr_high=1.4, cr_level=0.8))
    site = replace(example, programs=[replace(view, figures=replace(
        view.figures, benchmarks={**view.figures.benchmarks, first.kpi_id: banded}))])
    (shape,) = _figure(forest_section(site))["layout"]["shapes"]
    assert (shape["type"], shape["x0"], shape["x1"], shape["y0"], shape["y1"]) == (
        "rect", 0.2, 1.4, -0.4, 0.4)
    assert _figure(forest_section(replace(example, programs=[view])))["layout"]["shapes"] == []
