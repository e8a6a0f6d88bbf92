"""Editors' text quoted in the review comment, shown by GitHub exactly as written.

The comment is GitHub Markdown, which does more with text than the site's
Markdown: ``@name`` notifies a person or a team, ``www.`` and ``scheme://``
become links, so do e-mail addresses (``a@b.example``, ``mailto:``), ``:name:``
becomes an emoji, ``#12``, ``GH-12`` and ``owner/repo#12`` link issues,
``~~x~~`` strikes through and ``$x$`` is typeset as math. Each of those, and the
Markdown and HTML the site's escaping already covers
(:func:`playbook.pages.mdtext.text`), is shown literally here.

:func:`text` is the one function every editor-provided value of the comment
goes through (:mod:`.comment`, :mod:`.datadiff`); :func:`cell`, :func:`code`
and :func:`heading` place its result. A zero-width joiner (U+200D) goes after
each ``@``, ``:`` and ``#`` that text follows, and inside ``www.`` and ``GH-``: nothing a reader
sees changes, and no mention, link, emoji or reference pattern can match across
it. (A commit id in the text may still be linked to that commit: it points
inside the repository and notifies no one.)
"""

from __future__ import annotations

import re
from typing import Final

from playbook.pages import mdtext
from playbook.pages.mdtext import Md

JOINER: Final = "\u200d"
"""The zero-width joiner that breaks each pattern GitHub would act on."""

_TRIGGER: Final = re.compile(r"[@:#](?=\S)|www(?=\.)|gh(?=-)", re.IGNORECASE)
"""Where GitHub's patterns start: a mention or e-mail (``@``), a scheme (``http:``,
``mailto:``) or an emoji (``:``), an issue (``#``), ``www.`` and ``GH-``. Each of
``@:#`` starts a pattern only when text follows it: before a space or at the end
(``Risk: high``) it is left alone. Linear: a character class and two fixed words,
each with a one-character look-ahead."""

_GFM_ONLY: Final = re.compile(r"([~$])")
"""Markdown that GitHub reads and the site's escaping leaves (strikethrough, math)."""


def _joined(raw: str) -> str:
    return _TRIGGER.sub(r"\g<0>" + JOINER, raw)


def text(value: object) -> Md:
    """An editor's value as GitHub shows it literally, on one line.

    The value is escaped as for the site (:func:`playbook.pages.mdtext.text`:
    Markdown specials, HTML, block syntax at the start, whitespace collapsed),
    with a zero-width joiner after each character that would start a GitHub pattern
    (mention, autolink, e-mail, emoji, issue reference) and a backslash before
    ``~`` and ``$``. Every raw backslash is doubled by the site's escaping
    first, so the added ones cannot pair with one from the value.
    """
    escaped = mdtext.text(_joined(str(value)))
    return Md(_GFM_ONLY.sub(r"\\\1", escaped))


def cell(value: object) -> Md:
    """An editor's value in a table cell ("—" when empty)."""
    if value is None or value == "":
        return Md("—")
    return text(value)


def code(value: object) -> Md:
    """An editor's value shown as code (GitHub acts on no pattern inside ``<code>``).

    Inline HTML around :func:`text`, as :func:`playbook.pages.mdtext.code`:
    backticks could be closed by a backtick in the value.
    """
    return Md(f"<code>{text(value)}</code>")


def heading(level: int, value: object) -> Md:
    """A heading line with an editor's value as its text (ends with a newline)."""
    if not 1 <= level <= 6:
        raise ValueError(f"heading level {level} is not 1–6")
    return Md(f"{'#' * level} {text(value)}\n")
