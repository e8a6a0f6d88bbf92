"""The logic chain as an inline SVG: priority → decisions → behaviours → KPIs.

Drawn in Python so the site needs no diagram library and no network; colours
come from CSS classes so the diagram follows light and dark mode and prints.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from playbook.pages.mdtext import Html, html_text

COL_WIDTH = 190
COL_GAP = 44
LINE = 16
PAD = 10
GAP = 14
WRAP = 27


@dataclass(frozen=True)
class Node:
    """A box in one column of the chain."""

    key: str
    label: str


def _box_height(label: str) -> int:
    return len(textwrap.wrap(label, WRAP) or [""]) * LINE + 2 * PAD


def chain_svg(title: str, columns: list[tuple[str, list[Node]]],
              edges: list[tuple[str, str]]) -> Html:
    """Render columns of boxes joined by edges as an accessible SVG in a wrapping ``<div>``.

    The result is a raw HTML block (every label escaped with ``html_text``).

    Args:
        title: Accessible name of the diagram (plain text).
        columns: ``(heading, nodes)`` per column, left to right.
        edges: ``(from_key, to_key)`` pairs; unknown keys are skipped.
    """
    heights = [sum(_box_height(n.label) + GAP for n in nodes) for _, nodes in columns]
    total_h = max([*heights, 0]) + 40
    total_w = len(columns) * COL_WIDTH + (len(columns) - 1) * COL_GAP
    places: dict[str, tuple[int, int, int]] = {}
    parts: list[str] = []
    for c, (heading, nodes) in enumerate(columns):
        x = c * (COL_WIDTH + COL_GAP)
        parts.append(f'<text class="pb-chain__head" x="{x + COL_WIDTH // 2}" y="16" '
                     f'text-anchor="middle">{html_text(heading)}</text>')
        y = 30 + (total_h - 40 - heights[c]) // 2
        for node in nodes:
            h = _box_height(node.label)
            places[node.key] = (x, y, h)
            parts.append(f'<rect class="pb-chain__box pb-chain__box--{c}" x="{x}" y="{y}" '
                         f'width="{COL_WIDTH}" height="{h}" rx="6"/>')
            for i, row in enumerate(textwrap.wrap(node.label, WRAP) or [""]):
                parts.append(f'<text class="pb-chain__text" x="{x + PAD}" '
                             f'y="{y + PAD + LINE * (i + 1) - 4}">{html_text(row)}</text>')
            y += h + GAP
    lines = []
    for a, b in edges:
        if a not in places or b not in places:
            continue
        ax, ay, ah = places[a]
        bx, by, bh = places[b]
        x1, y1 = ax + COL_WIDTH, ay + ah // 2
        x2, y2 = bx, by + bh // 2
        mid = (x1 + x2) // 2
        lines.append(f'<path class="pb-chain__edge" d="M{x1},{y1} C{mid},{y1} {mid},{y2} '
                     f'{x2 - 4},{y2}" marker-end="url(#pb-arrow)"/>')
    return Html(
        f'<div class="pb-chain-wrap"><svg class="pb-chain" viewBox="0 0 {total_w} {total_h}" '
        f'role="img" aria-labelledby="pb-chain-title">'
        f'<title id="pb-chain-title">{html_text(title)}</title>'
        '<defs><marker id="pb-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" class="pb-chain__tip"/>'
        "</marker></defs>" + "".join(lines) + "".join(parts) + "</svg></div>"
    )
