"""Figures → Plotly figure JSON embedded in the page, drawn by one site script.

Charts are plain dicts (no Plotly import): small, deterministic, and the same
on every build. Each embed carries a stable id, the figure JSON in a
``<template>`` block, a one-sentence summary and the numbers in a collapsible
table. ``assets/playbook-charts.js`` draws them from
``document$.subscribe`` so a direct load and instant navigation both work.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any, Final

from playbook.pages.mdtext import Html, html_text

Figure = dict[str, Any]

PALETTE: Final = MappingProxyType({
    "pilot": "#1f77b4",
    "comparison": "#8c8c8c",
    "all": "#1f77b4",
    "baseline": "#9467bd",
    "target": "#2ca02c",
    "pass": "#2e7d32",
    "fail": "#c62828",
})
SERIES_NAMES: Final = MappingProxyType({"pilot": "Pilot group", "comparison": "Comparison group",
                                        "all": "Actual"})


def layout(title: str, *, y_title: str = "", x_type: str = "date", height: int = 360,
           **extra: Any) -> dict[str, Any]:
    """A readable base layout; colours for dark mode are applied by the site script."""
    base: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "xaxis": {"type": x_type, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "zeroline": False},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "x unified" if x_type == "date" else "closest",
    }
    base.update(extra)
    return base


def line(name: str, x: Sequence[Any], y: Sequence[float | None], color: str, *,
         dash: str = "solid", markers: bool = True) -> dict[str, Any]:
    """A line trace (``None`` values leave a gap)."""
    return {
        "type": "scatter",
        "mode": "lines+markers" if markers else "lines",
        "name": name,
        "x": [str(v) for v in x],
        "y": list(y),
        "line": {"color": color, "dash": dash, "width": 2},
        "connectgaps": False,
    }


def band(name: str, x: Sequence[Any], low: Sequence[float], high: Sequence[float],
         color: str) -> list[dict[str, Any]]:
    """A shaded band between ``low`` and ``high`` (two traces: its edges, filled between)."""
    edge = {"type": "scatter", "mode": "lines", "x": [str(v) for v in x],
            "line": {"color": color, "width": 0}, "hoverinfo": "skip", "legendgroup": name}
    return [{**edge, "name": name, "y": list(low), "showlegend": False},
            {**edge, "name": name, "y": list(high), "fill": "tonexty",
             "fillcolor": _tint(color)}]


def _tint(color: str) -> str:
    """``#rrggbb`` as a light translucent fill of the same hue."""
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},0.15)"


def vline(x: str, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A vertical dotted marker with a label (checkpoints, today)."""
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
             "line": {"dash": "dot", "width": 1, "color": "#888"}}
    note = {"x": x, "y": 1.0, "xref": "x", "yref": "paper", "text": label,
            "showarrow": False, "yanchor": "bottom", "font": {"size": 11}}
    return shape, note


TEMPLATE_KEYS = frozenset({"hovertemplate"})
"""Keys whose strings are Plotly markup written by us; every other string is literal text."""


def plot_text(value: str) -> str:
    """Text that Plotly shows literally.

    Plotly reads a subset of HTML in titles, axis titles, legend names, category
    labels and hover text (``<a href>``, ``<span style>``, ``<br>``) and decodes
    entities; written as entities, ``<``, ``>`` and ``&`` are shown as themselves.
    """
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _literal(node: Any, key: str = "") -> Any:
    if isinstance(node, str):
        return node if key in TEMPLATE_KEYS else plot_text(node)
    if isinstance(node, dict):
        return {k: _literal(v, k) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_literal(v, key) for v in node]
    return node


def to_json(figure: Figure) -> str:
    """Serialise a figure for a ``<template>`` block.

    Every string becomes literal text for Plotly (:func:`plot_text`), except our own
    hover templates; then ``<``, ``>`` and ``&`` are escaped as JSON, so the HTML
    parser leaves the text exactly as written.
    """
    text = json.dumps(_literal(figure), ensure_ascii=False, sort_keys=True, allow_nan=False,
                      separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def embed(chart_id: str, figure: Figure, summary: str, headers: Sequence[str],
          rows: Sequence[Sequence[str]]) -> Html:
    """Raw HTML for one chart: plot, summary, numbers table (a block: see ``raw_block``).

    Args:
        chart_id: Stable id, unique in the site (``chart-<program>-<name>``).
        figure: The Plotly figure dict.
        summary: One plain sentence saying what the chart shows (unescaped text).
        headers: Column headers of the numbers table (unescaped text).
        rows: Rows of the numbers table (unescaped text).
    """
    head = "".join(f"<th>{html_text(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html_text(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    traces = len(figure.get("data", []))
    cid = html_text(chart_id)  # ids are kebab-case, escaped all the same
    # "--" cannot occur in a kebab-case id, so the figure's id never collides with a chart's
    # No role="img" on the plot: Plotly puts focusable mode-bar buttons inside it, and
    # an image must not contain controls (axe: nested-interactive). The <figure> takes
    # its accessible name from the <figcaption>, which carries the same summary.
    # The JSON sits in a <template>, not a <script type="application/json">: Material's
    # instant navigation re-creates every inline <script> of the new page as plain
    # JavaScript (dropping type and id), which runs the JSON as code and loses the data.
    # data-search-exclude keeps the JSON and the numbers table out of Material's search
    # index: a search for a KPI should land on its heading and prose, not on rows of
    # dates and values (the figcaption, a sentence, stays searchable).
    return Html(
        f'<figure class="pb-chart" id="{cid}">'
        f'<div class="pb-chart__plot" data-figure="{cid}--figure" data-traces="{traces}">'
        "</div>"
        f'<template id="{cid}--figure" data-search-exclude>{to_json(figure)}</template>'
        f"<figcaption>{html_text(summary)}</figcaption>"
        '</figure>\n<details class="pb-numbers" data-search-exclude>'
        "<summary>Numbers behind the chart</summary>"
        + (f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>' if rows
           else "<p>No data points yet.</p>")
        + "</details>\n"
    )


def print_as_table(block: Html, note: str) -> Html:
    """Wrap a chart taller than a printed sheet: on paper only its numbers table shows,
    running on from sheet to sheet (``.pb-tall`` in playbook.css), under ``note``."""
    return Html(f'<div class="pb-tall">{block}<p class="pb-tall__note">{html_text(note)}'
                "</p></div>\n")
