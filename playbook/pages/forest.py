"""Portfolio forest plot: every program's comparable effects against research, cost, ROI.

Renders :func:`playbook.figures.forest.portfolio_values`; computes nothing. One
row per comparable effect (a program without one gets a row that says why,
never a point), the research benchmark of its criterion beside it on the
program's observed scale (δ in its hover and table) and, where a benchmark
gives one, its credibility interval as a band on the same scale; the ROI's 10th–90th
percentile range on a second axis, on the program's first row. The numbers
table under the chart is the same content as text, with the cost per
participant of one standard deviation of improvement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from playbook.figures.benchmark import Comparability
from playbook.figures.forest import NoCost, ProgramValue, portfolio_values
from playbook.figures.paired import LEVEL
from playbook.figures.rounding import formatted, half_away
from playbook.figures.site import SiteData
from playbook.pages import charts
from playbook.pages.mdtext import Md, figure_text, fmt, heading, lines, raw_block, text
from playbook.pages.research import CRITERION_WORDS, HOW, benchmark_cell, note

ROW_PX: Final = 26
"""Height of one row of the forest plot, in pixels: 200 rows stay legible."""
LABEL_CHARS: Final = 42
"""Longest program title on the axis before it is cut with an ellipsis (the table has it whole)."""
TAIL_CHARS: Final = 14
"""Most characters of a cut title kept from its end (where a series numbers its programs)."""
TOP: Final[Mapping[str, int]] = MappingProxyType({"bottom": 60, "top": 170})
"""Top margin in pixels: room for the title, and for the legend and axes placed there."""
BOTTOM: Final[Mapping[str, int]] = MappingProxyType({"bottom": 120, "top": 40})
"""Bottom margin in pixels: room for the axes and legend placed there."""
PRINT_ROWS: Final = 28
"""Most rows of a plot that fits on one printed sheet; a taller one prints as its table."""
TALL: Final = 12
"""Rows beyond which the axes sit at the top of the plot, where its reader starts."""
NO_COST_WORDS: Final[Mapping[NoCost, str]] = MappingProxyType({
    NoCost.NO_EFFECT: "no comparable effect", NoCost.NOT_POSITIVE: "effect may be zero or less",
    NoCost.NO_COST: "no cost per participant"})
"""Why a cost per unit of effect is missing, in a table cell."""


def _short(title: str) -> str:
    """``title`` within :data:`LABEL_CHARS`, cut in the middle.

    Titles of one portfolio often share their start ("Approval velocity for
    engagement leaders 001", "… 003"): cut at the end, rows would read alike.
    """
    if len(title) <= LABEL_CHARS:
        return title
    tail = title[-TAIL_CHARS:]
    if " " in tail[1:] and title[-TAIL_CHARS - 1] != " ":  # from the start of a word
        tail = tail[tail.index(" ", 1) + 1:]
    gap = " " if title[-len(tail) - 1] == " " else ""
    return f"{title[:LABEL_CHARS - 1 - len(gap) - len(tail)].rstrip()}…{gap}{tail}"


def _titles(values: list[ProgramValue]) -> dict[str, str]:
    """Each program's label by id; where two cut titles read alike, their ids instead."""
    short = {v.program_id: _short(v.title) for v in values}
    seen = Counter(short.values())
    return {pid: _short(pid) if seen[label] > 1 else label for pid, label in short.items()}


def _rows(values: list[ProgramValue]) -> list[tuple[int, ProgramValue, int | None]]:
    """``(position, program, effect index or None)`` for each row, top row 0."""
    out: list[tuple[int, ProgramValue, int | None]] = []
    for v in values:
        for i in range(len(v.effects)) or [None]:
            out.append((len(out), v, i))
    return out


def _label(title: str, v: ProgramValue, i: int | None) -> str:
    if i is None:
        return title
    c = v.effects[i].placement.criterion
    return f"{title} · {CRITERION_WORDS[c].split(' ')[0] if c else ''}"


def _r(value: float | None) -> float:
    """A chart coordinate at four decimals, as the site's other charts publish them."""
    return half_away(value or 0.0, 4)


def _traces(rows: list[tuple[int, ProgramValue, int | None]]) -> list[dict[str, Any]]:
    placed = [(y, v.effects[i]) for y, v, i in rows if i is not None]
    effect = {"type": "scatter", "mode": "markers", "name": f"Effect d, {LEVEL:.0%} interval",
              "x": [_r(e.placement.d) for _, e in placed], "y": [y for y, _ in placed],
              "error_x": {"type": "data", "symmetric": False,
                          "array": [_r((e.placement.high or 0) - (e.placement.d or 0))
                                    for _, e in placed],
                          "arrayminus": [_r((e.placement.d or 0) - (e.placement.low or 0))
                                         for _, e in placed]},
              "marker": {"color": charts.PALETTE["pilot"], "size": 8},
              "text": [e.kpi_name for _, e in placed],
              "hovertemplate": "%{text}<br>d = %{x:.2f}<extra></extra>"}
    # the benchmark on the program's observed scale, δ in its hover: like with like
    delta = {"type": "scatter", "mode": "markers", "name": "Research, on the observed scale",
             "x": [_r(e.placement.band.observed) if e.placement.band else None
                   for _, e in placed],
             "y": [y for y, _ in placed],
             "customdata": [e.placement.band.delta if e.placement.band else None
                            for _, e in placed],
             "marker": {"symbol": "diamond-open", "size": 10, "color": "#1f2328"},
             "hovertemplate": "research %{x:.2f} (δ = %{customdata:.2f})<extra></extra>"}
    waiting = [(y, v) for y, v, i in rows if i is None]
    note = {"type": "scatter", "mode": "text", "name": "No comparable effect",
            "x": [0.0] * len(waiting), "y": [y for y, _ in waiting],
            # more data would give a point only where a KPI waits for it
            "text": ["— too little data" if Comparability.TOO_LITTLE_DATA in v.waiting
                     else "— not comparable" for _, v in waiting],
            "textposition": "middle right", "textfont": {"color": "#6e7781"},
            "hoverinfo": "skip", "showlegend": False}  # its text says what it is
    firsts = [(y, v) for y, v, i in rows if i in (None, 0) and v.roi_p50 is not None]
    roi = {"type": "scatter", "mode": "markers", "name": "ROI %, 10th–90th percentile",
           "xaxis": "x2", "x": [_r(v.roi_p50) for _, v in firsts], "y": [y for y, _ in firsts],
           "error_x": {"type": "data", "symmetric": False,
                       "array": [_r((v.roi_p90 or 0) - (v.roi_p50 or 0)) for _, v in firsts],
                       "arrayminus": [_r((v.roi_p50 or 0) - (v.roi_p10 or 0))
                                      for _, v in firsts]},
           "marker": {"color": charts.PALETTE["target"], "size": 8, "symbol": "square"},
           "hovertemplate": "median ROI %{x:.0f}%<extra></extra>"}
    return [t for t in (effect, delta, note, roi) if t["y"]]


def _bands(rows: list[tuple[int, ProgramValue, int | None]]) -> list[dict[str, Any]]:
    """A shaded credibility interval behind each row whose benchmark gives one."""
    out = []
    for y, v, i in rows:
        band = v.effects[i].placement.band if i is not None else None
        if band is not None and band.cr_low is not None and band.cr_high is not None:
            out.append({"type": "rect", "xref": "x", "yref": "y", "x0": _r(band.cr_low),
                        "x1": _r(band.cr_high), "y0": y - 0.4, "y1": y + 0.4, "layer": "below",
                        "line": {"width": 0}, "fillcolor": "rgba(148,103,189,0.18)"})
    return out


def _table(rows: list[tuple[int, ProgramValue, int | None]]) -> list[list[str]]:
    out = []
    for _, v, i in rows:
        roi = (f"{figure_text(v.roi_p10 or 0)}% to {figure_text(v.roi_p90 or 0)}% "
               f"(median {figure_text(v.roi_p50 or 0)}%, "
               f"{'first year' if v.roi_years == 1 else f'{v.roi_years} years'})"
               if v.roi_p50 is not None and i in (None, 0) else "—")
        cost = (f"{v.currency} {figure_text(v.cost_per_sd)}" if v.cost_per_sd is not None
                else NO_COST_WORDS[v.no_cost] if v.no_cost is not None else "—")
        if i is None:
            why = "; ".join(HOW[w] for w in v.waiting) or "no KPI of a training criterion"
            out.append([v.title, "—", why, "—", cost, roi])
            continue
        p = v.effects[i].placement
        effect = (f"d = {formatted(p.d or 0, 2)} ({formatted(p.low or 0, 2)} to "
                  f"{formatted(p.high or 0, 2)})")
        bench = benchmark_cell(p.band) if p.band else "—"
        out.append([v.title, v.effects[i].kpi_name, effect, bench,
                    cost if i == 0 else "—", roi])
    return out


def _legend(side: str, height: int) -> dict[str, Any]:
    """Above the plot; under the title and above the axes when they sit at the top."""
    if side == "bottom":  # under the axis titles: above, a narrow page wraps it onto the title
        return {"orientation": "h", "x": 0, "yref": "container", "y": 6 / height,
                "yanchor": "bottom"}
    return {"orientation": "h", "x": 0, "yref": "container", "y": 1 - 42 / height,
            "yanchor": "top"}


def forest_section(site: SiteData, chart_id: str = "chart-portfolio-forest") -> Md:
    """The portfolio's "Effects against research" section: forest plot and its table."""
    values = portfolio_values(site)
    out = [heading(2, "Effects against research")]
    if not values:
        return lines([*out, Md("No programs yet.\n")])
    rows, titles = _rows(values), _titles(values)
    ticks = [y for y, _, _ in rows]
    # a tall plot is read from the top: its axes go there, under the legend
    side = "top" if len(rows) > TALL else "bottom"
    height = 200 + ROW_PX * len(rows)
    lay = charts.layout(
        "Effects on the research scale, and ROI", x_type="linear", height=height,
        shapes=_bands(rows),
        # both axes keep zero in view: an interval reaching it is an effect that may be none
        xaxis={"domain": [0, 0.62], "title": {"text": "Standardised effect d"}, "side": side,
               "zeroline": True, "rangemode": "tozero", "automargin": True},
        xaxis2={"domain": [0.7, 1], "title": {"text": "ROI (%)"}, "zeroline": True,
                "rangemode": "tozero", "automargin": True, "anchor": "y", "side": side},
        # a fixed range, first row on top: autorange pads for the text of a waiting row
        yaxis={"tickvals": ticks, "ticktext": [_label(titles[v.program_id], v, i)
                                                 for _, v, i in rows],
               "range": [len(rows) - 0.5, -0.5], "automargin": True, "zeroline": False},
        legend=_legend(side, height), margin={"l": 60, "r": 20, "t": TOP[side], "b": BOTTOM[side]})
    figure = {"data": _traces(rows), "layout": lay}
    if side == "top":  # the title first, the legend under it, then the axes
        lay["title"].update({"y": 1 - 12 / height, "yanchor": "top"})
    shown = sum(1 for v in values if v.effects)
    summary = (f"{shown} of {len(values)} programs have an effect comparable with research; "
               f"{len(values) - shown} have too little data or no comparable KPI and show "
               "no point.")
    block = charts.embed(chart_id, figure, summary, [
        "Program", "KPI", f"Effect ({LEVEL:.0%} interval)", "Research benchmark",
        "Cost per participant per SD of effect", "ROI, 10th–90th percentile"], _table(rows))
    if len(rows) > PRINT_ROWS:
        # a plot taller than a sheet is one picture the printer cuts off: paper gets the
        # table, which runs on from sheet to sheet (playbook.css)
        block = charts.print_as_table(block, f"The plot has {len(rows)} rows, more than a "
                                      "printed page holds; the table below lists every row.")
    out.append(raw_block(block))
    out.append(Md("Each effect is put on the research scale as its program's measurement "
                  "page says; the cost per participant of one standard deviation of "
                  "improvement uses the program's primary effect (results, then transfer, "
                  "learning, reactions) and only when its whole interval lies above "
                  "zero.\n"))
    out.append(fmt("{}\n", text(note(e.placement.band.scale for v in values
                                     for e in v.effects if e.placement.band))))
    return lines(out)
