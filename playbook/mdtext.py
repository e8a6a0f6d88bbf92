"""Literal text for generated Markdown: YAML values are never markup.

Every value from a user's file passes through :func:`text` (Markdown body) or
:func:`cell` (table cell) or :func:`html_text` (inside raw HTML). HTML is
escaped, so ``<script>`` shows as text; Markdown link, image and attribute
syntax is escaped, so no value can point the site at another host or add an
event handler; generated pages are marked ``render_macros: false`` so
``{{ … }}`` and ``{% … %}`` stay text too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

_MD_SPECIAL = re.compile(r"([\\`\[\]{}()!#|*_])")
"""Characters with meaning in Markdown that Python-Markdown (with tables) can escape."""


def html_text(value: object) -> str:
    """Escape a value for use inside raw HTML (elements and attributes)."""
    return html.escape(str(value), quote=True)


def text(value: object) -> str:
    """Escape a value so Markdown shows it literally, as one paragraph."""
    raw = " ".join(str(value).split())
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + m.group(1), raw)
    # a backslash before other characters would show: < > & become entities instead
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraphs(value: object) -> str:
    """Escape multi-paragraph text, keeping blank-line paragraph breaks."""
    blocks = re.split(r"\n\s*\n", str(value).strip())
    return "\n\n".join(text(b) for b in blocks if b.strip())


def cell(value: object) -> str:
    """Escape a value for a Markdown table cell."""
    if value is None or value == "":
        return "—"
    return text(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]],
          align: Sequence[str] | None = None) -> str:
    """Build a Markdown table from already-escaped cells.

    Args:
        headers: Header cells (plain words written by us, not user text).
        rows: Rows of escaped cells.
        align: Per column ``"l"`` or ``"r"``; numbers read best right-aligned.
    """
    align = align or ["l"] * len(headers)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def number(value: float | None, digits: int = 1) -> str:
    """Format a number for display: thousands separators, no trailing zeros."""
    if value is None:
        return "—"
    if float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    formatted = f"{value:,.{digits}f}"
    shown = formatted.rstrip("0").rstrip(".") if "." in formatted else formatted
    return "0" if shown == "-0" else shown  # -0.0001 rounds to zero, not to "-0"


def money(value: float | None, currency: str) -> str:
    """Format an amount with its currency code."""
    if value is None:
        return "—"
    return f"{currency} {value:,.0f}"


def percent(value: float | None, digits: int = 0) -> str:
    """Format a percentage figure (25 → '25%')."""
    if value is None:
        return "—"
    shown = f"{value:,.{digits}f}"
    return f"{shown[1:] if shown.startswith('-') and not shown.strip('-0.') else shown}%"


STATE_LABELS = {
    "done": "Done", "late": "Done late", "overdue": "Overdue", "due-soon": "Due soon",
    "upcoming": "Upcoming", "current": "Current", "due": "Due now",
}
"""Words shown for roadmap states."""

MISSING = '!!! note "Not yet defined"\n    This program has no `{file}` yet: {what}\n'


def chip(state: str, label: str | None = None) -> str:
    """A status chip; the state is also written out, never colour alone."""
    shown = label or STATE_LABELS.get(state, state.replace("-", " ").capitalize())
    return f'<span class="pb-chip pb-chip--{html_text(state)}">{html_text(shown)}</span>'


def not_defined(file: str, what: str) -> str:
    """The notice shown where an optional program file is missing."""
    return MISSING.format(file=file, what=what)
