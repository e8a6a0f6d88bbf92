"""Escaped Markdown for generated pages: YAML and CSV values are never markup.

Every value from a user's file reaches a page through one escaping function
chosen for where it lands: :func:`text` (inline text), :func:`paragraphs`,
:func:`cell` (table cell), :func:`code` (code), :func:`heading`, the label of
:func:`link`, :func:`chip`, or :func:`html_text` (inside raw HTML). Their
results have the type :data:`Md` (or :data:`Html`), and every page renderer
takes and returns ``Md``, so ``mypy --strict`` rejects a plain ``str`` wherever
escaped Markdown is required: forgetting to escape a value is a type error.

``Md(...)`` is written only around string literals of our own (the test suite
checks this outside this module); pieces are put together with :func:`fmt`,
:func:`cat`, :func:`join` and :func:`lines`, never with ``+`` or f-strings,
which give a plain ``str``.

What escaping guarantees: HTML is escaped, so ``<script>`` shows as text;
Markdown link, image, code, emphasis, table and attribute syntax is escaped, so
no value can point the site at another host, break out of a code span or add
an event handler; block syntax at the start of a value (lists, admonitions,
details, headings, rules) is neutralised; generated pages are marked
``render_macros: false`` so ``{{ … }}`` and ``{% … %}`` stay text too.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date
from types import MappingProxyType
from typing import Final, LiteralString, NewType

from playbook.figures.rounding import formatted

Md = NewType("Md", str)
"""Markdown safe to place on a page: every user value in it escaped."""

Html = NewType("Html", str)
"""Raw block-level HTML safe to place on a page: every user value in it escaped as HTML.

Python-Markdown leaves a raw HTML block as it is, so text inside is escaped with
:func:`html_text`; put it on a page with :func:`raw_block`.
"""

_MD_SPECIAL = re.compile(r"([\\`\[\]{}()!#|*_])")
"""Characters with meaning in Markdown that Python-Markdown (with tables) can escape."""

_LEADING = re.compile(r"^(?:(\d+)\.(?=\s|$)|([-+])(?![\d.])|([=?:~]))")
"""Block syntax at the start of a value that :data:`_MD_SPECIAL` leaves alone.

An ordered-list marker (``1.``), a list, rule or setext marker (``-``, ``+``; a
signed number such as ``+0.5`` is left as it is: no block starts that way), a setext
underline (``=``), a ``???`` details block (pymdownx.details), a definition
(``:``) and a ``~~~`` fence. ``-``, ``+`` and ``.`` take a backslash (Python-Markdown's
``ESCAPED_CHARS``); ``=``, ``?``, ``:`` and ``~`` do not, so they become numeric
entities.
"""

_LINK_TARGET = re.compile(r"^[a-z0-9][a-z0-9./-]*\.md(#[a-z0-9-]+)?$")
"""An internal link built by the engine: a relative ``.md`` path, optionally an anchor."""

_CSS_NAME = re.compile(r"[^a-z0-9-]")
_BLANK_LINE = re.compile(r"\n\s*\n")
"""Where one paragraph ends and the next begins (white space around the blank line too)."""
_BACKTICKS = re.compile(r"`+")


def _neutralise_start(escaped: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1) + "\\."
        if m.group(2) is not None:
            return "\\" + m.group(2)
        return f"&#{ord(m.group(3))};"

    return _LEADING.sub(sub, escaped, count=1)


def html_text(value: object) -> Html:
    """Escape a value for use inside raw HTML (elements and attributes)."""
    return Html(html.escape(str(value), quote=True))


def text(value: object) -> Md:
    """Escape a value so Markdown shows it literally, on one line.

    Whitespace collapses to single spaces; Markdown specials take a backslash;
    ``&``, ``<`` and ``>`` become entities; block syntax at the start is
    neutralised, so the value is safe at the start of a line or a list item.
    """
    raw = " ".join(str(value).split())
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + m.group(1), raw)
    # a backslash before other characters would show: < > & become entities instead
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Md(_neutralise_start(escaped))


def words(value: str) -> Md:
    """Our own constant words, escaped like user text (``words("Not ranked")``).

    Like :func:`text`, one line with surrounding whitespace dropped: spaces
    between pieces belong in the :func:`fmt` template.
    """
    return text(value)


def labels(*values: str) -> list[Md]:
    """Our own constant words for table headers, each escaped with :func:`words`."""
    return [words(v) for v in values]


def paragraphs(value: object) -> Md:
    """Escape multi-paragraph text, keeping blank-line paragraph breaks."""
    blocks = _BLANK_LINE.split(str(value).strip())
    return Md("\n\n".join(text(b) for b in blocks if b.strip()))


def cell(value: object) -> Md:
    """Escape a value for a Markdown table cell ("—" when empty)."""
    if value is None or value == "":
        return Md("—")
    return text(value)


def code(value: object) -> Md:
    """A value shown as code, with no way to break out of it.

    Written as inline HTML, ``<code>`` + :func:`text` + ``</code>``: Python-Markdown
    still processes Markdown inside inline HTML, so the escaped text shows
    literally. Backticks around a value could be closed by a backtick in it.
    """
    return Md(f"<code>{text(value)}</code>")


def code_block(value: str, language: LiteralString = "") -> Md:
    """A fenced code block showing ``value`` verbatim, on lines of its own.

    The fence is longer than any run of backticks in the value, so nothing in it
    can close the block; Markdown is not processed inside.
    """
    runs = [len(m) for m in _BACKTICKS.findall(value)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return Md(f"{fence}{language}\n{value.rstrip()}\n{fence}\n")


def link(label: Md, target: str) -> Md:
    """An internal link to a page the engine generates.

    Args:
        label: The escaped link text.
        target: A relative ``.md`` path built by the engine (``my-id/index.md``,
            ``roadmap.md#phases``); anything else (a scheme, ``//``, spaces,
            parentheses, upper case) raises ``ValueError``.
    """
    if not _LINK_TARGET.match(target) or "//" in target:
        raise ValueError(f"not an internal page link: {target!r}")
    return Md(f"[{label}]({target})")


def heading(level: int, value: object) -> Md:
    """A heading line with its text escaped, as a block (ends with a newline)."""
    if not 1 <= level <= 6:
        raise ValueError(f"heading level {level} is not 1–6")
    return Md(f"{'#' * level} {text(value)}\n")


def fmt(template: LiteralString, /, *args: Md | int | date) -> Md:
    """Fill the ``{}`` fields of our own literal template with escaped pieces.

    Whole numbers and dates need no escaping (digits, ``-``, ``:`` and a space);
    everything else must already be :data:`Md`.
    """
    return Md(template.format(*args))


def cat(*parts: Md) -> Md:
    """Escaped pieces, one after the other."""
    return Md("".join(parts))


def join(parts: Iterable[Md], sep: Md) -> Md:
    """Escaped pieces with ``sep`` between them."""
    return Md(sep.join(parts))


def lines(parts: Iterable[Md]) -> Md:
    """Escaped pieces, one per line."""
    return Md("\n".join(parts))


BLOCK_OPEN: Final = "<!-- playbook:html -->"
"""The line above each raw block (the site hands blocks to the page after Markdown:
:mod:`playbook.pages.htmlblocks`); escaped text never holds ``<!--``."""
BLOCK_CLOSE: Final = "<!-- /playbook:html -->"
"""The line below each raw block."""


def raw_block(block: Html) -> Md:
    """A raw HTML block on a page, on lines of its own between two marking comments."""
    return Md(f"{BLOCK_OPEN}\n{block.rstrip()}\n{BLOCK_CLOSE}\n")


_NOT_YAML_TEXT = re.compile(
    "[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]")
"""Characters a YAML reader rejects or reads as a line break (NEL, LS, PS, BOM)."""


def yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML scalar that always parses back to ``value``.

    A JSON string is a YAML scalar; characters YAML does not accept raw (C0 and C1
    controls, line breaks, a byte-order mark, lone surrogates) are written as
    escapes, so no value can make front matter unparseable (MkDocs would drop it
    silently, and with it ``render_macros: false``).
    """
    quoted = json.dumps(value, ensure_ascii=False)

    def escape(m: re.Match[str]) -> str:
        c = ord(m.group(0))
        return f"\\u{c:04x}" if c <= 0xFFFF else f"\\U{c:08x}"

    return _NOT_YAML_TEXT.sub(escape, quoted)


def front_matter(title: object, *, hide_toc: bool = False, searchable: bool = True) -> Md:
    """YAML front matter of a generated page: its title, macros off, optionally no toc.

    Themes print the meta title unescaped (in ``<title>`` too): it is escaped as
    HTML here, then quoted so that it parses back whatever it holds.

    Args:
        title: The page title (plain text).
        hide_toc: Hide the table of contents (Material's ``hide: [toc]``).
        searchable: ``False`` keeps the page out of Material's search index.
    """
    shown = yaml_string(html_text(title))
    hide = "hide:\n  - toc\n" if hide_toc else ""
    search = "" if searchable else "search:\n  exclude: true\n"
    return Md(f"---\ntitle: {shown}\nrender_macros: false\n{hide}{search}---\n\n")


def table(headers: Sequence[Md], rows: Iterable[Sequence[Md]],
          align: Sequence[str] | None = None) -> Md:
    """Build a Markdown table from escaped cells.

    Args:
        headers: Header cells.
        rows: Rows of escaped cells.
        align: Per column ``"l"`` or ``"r"``; numbers read best right-aligned.
    """
    align = align or ["l"] * len(headers)
    marks = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks) + " |"]
    for row in rows:
        out.append("| " + " | ".join(row) + " |")
    return Md("\n".join(out))


MAX_PLAIN: Final = 1e15
"""Largest size written out digit by digit; beyond it a number reads ``2.1 × 10¹⁸``: a
reader cannot use more than fifteen digits, and a float does not hold more."""
NOT_COMPUTABLE: Final = "not computable"
"""What a number that is not finite reads (never ``inf`` or ``nan``)."""
_SUPERSCRIPT: Final = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _unreadable(value: float) -> Md | None:
    """The words for a number no reader can use as digits, or None for a plain one.

    Every number on a page passes here (through :func:`number`, :func:`money` or
    :func:`percent`), so no page shows ``inf``, ``nan`` or a 301-digit figure.
    """
    if not math.isfinite(value):
        return Md(NOT_COMPUTABLE)
    if abs(value) < MAX_PLAIN:
        return None
    mantissa, exponent = f"{value:.1e}".split("e")
    return Md(f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}")


def figure_text(value: float, digits: int = 0) -> str:
    """``value`` as plain text for a chart's numbers table (which escapes it as HTML):
    :func:`formatted`, or the words :func:`number` uses for an unreadable number."""
    odd = _unreadable(value)
    return str(odd) if odd is not None else formatted(value, digits)


def number(value: float | None, digits: int = 1) -> Md:
    """Format a number for display: thousands separators, no trailing zeros."""
    if value is None:
        return Md("—")
    if (odd := _unreadable(value)) is not None:
        return odd
    if float(value).is_integer() and abs(value) >= 1:
        return Md(f"{value:,.0f}")
    written = formatted(value, digits)  # a half away from zero, as every published figure
    shown = written.rstrip("0").rstrip(".") if "." in written else written
    return Md("0" if shown == "-0" else shown)  # -0.0001 rounds to zero, not to "-0"


def money(value: float | None, currency: str) -> Md:
    """Format an amount with its currency code (escaped, though the model checks it)."""
    if value is None:
        return Md("—")
    if (odd := _unreadable(value)) is not None:
        return Md(f"{text(currency)} {odd}")
    return Md(f"{text(currency)} {formatted(value)}")


def percent(value: float | None, digits: int = 0) -> Md:
    """Format a percentage figure (25 → '25%')."""
    if value is None:
        return Md("—")
    if (odd := _unreadable(value)) is not None:
        return odd if odd == NOT_COMPUTABLE else Md(f"{odd}%")
    shown = formatted(value, digits)
    return Md(f"{shown[1:] if shown.startswith('-') and not shown.strip('-0.') else shown}%")


STATE_LABELS: Final = MappingProxyType({
    "done": "Done", "late": "Done late", "overdue": "Overdue", "due-soon": "Due soon",
    "upcoming": "Upcoming", "current": "Current", "due": "Due now",
})
"""Words shown for roadmap states."""


def chip(state: str, label: str | None = None) -> Md:
    """A status chip; the state is also written out, never colour alone.

    Inline HTML inside Markdown: the class keeps only ``a-z0-9-`` of the state,
    and the label is escaped Markdown (Python-Markdown processes the span's content).
    """
    shown = label or STATE_LABELS.get(state, state.replace("-", " ").capitalize())
    css = _CSS_NAME.sub("-", state.lower())
    return Md(f'<span class="pb-chip pb-chip--{css}">{text(shown)}</span>')


def not_defined(file: str, what: str) -> Md:
    """The notice shown where an optional program file is missing."""
    return Md(f'!!! note "Not yet defined"\n    This program has no {code(file)} yet: '
              f"{text(what)}\n")
