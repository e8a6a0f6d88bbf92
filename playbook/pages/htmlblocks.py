"""Raw HTML blocks handed to the page after Markdown, not through it.

A chart's figure JSON and its table of numbers are most of a program page's
bytes, and they are finished HTML (every value escaped by
:func:`~playbook.pages.mdtext.html_text`). Python-Markdown would run each of
them through its HTML block parser, tag by tag, and store them back unchanged:
at 200 programs that was about a tenth of the build, and most of what a long
series added to it. So a page's Markdown, as the site builds it, holds a
one-line comment in place of each block (:func:`stash`), and the built HTML
gets the block back (:func:`restore`).

Within a block, what the site search leaves out anyway (a chart's JSON and its
table of numbers, marked ``data-search-exclude``) waits one step longer: it is
put back into the written page (:func:`restore_late`), after Material's search
has read the page, which saves its HTML parser the same work again. The search
index is the same.

The slot names the digest of its block, so the Markdown changes whenever a
block does (the ``serve --dirty`` loop writes, so re-renders, a page exactly
then), and a page can only receive the blocks its own generated Markdown held:
a hand-written page's comment that looks like a slot is left as it is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from playbook.pages.mdtext import BLOCK_CLOSE, BLOCK_OPEN

_BLOCK: Final = re.compile(f"^{re.escape(BLOCK_OPEN)}\n(.*?)\n{re.escape(BLOCK_CLOSE)}$",
                           re.DOTALL | re.MULTILINE)
"""A block as :func:`~playbook.pages.mdtext.raw_block` writes it, from the line start
(escaped text never holds ``<!--``, so the first closing line is the block's own)."""
_SLOT: Final = re.compile(r"<!-- playbook:html ([0-9a-f]{24}) -->")
_LATE_SLOT: Final = re.compile(r"<!-- playbook:late ([0-9a-f]{24}) -->")
_UNSEARCHED: Final = re.compile(
    r"<(template|details)(?=[\s>])[^>]*\sdata-search-exclude(?=[\s>])[^>]*>.*?</\1>",
    re.DOTALL)
"""An element the search leaves out, whole (its text is escaped, so it holds no element
of its own kind: the first closing tag is its own)."""


@dataclass(frozen=True)
class Stashed:
    """A page's Markdown with its blocks taken out, and the blocks by slot."""

    markdown: str
    """The Markdown MkDocs converts: one comment line in place of each block."""
    blocks: Mapping[str, str]
    """Digest in a slot → the HTML block it stands for (with late slots in it)."""
    late: Mapping[str, str]
    """Digest in a late slot → the element the search leaves out."""


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def stash(markdown: str) -> Stashed:
    """Take the raw HTML blocks out of a generated page's Markdown."""
    blocks: dict[str, str] = {}
    late: dict[str, str] = {}

    def wait(match: re.Match[str]) -> str:
        digest = _digest(match.group(0))
        late[digest] = match.group(0)
        return f"<!-- playbook:late {digest} -->"

    def take(match: re.Match[str]) -> str:
        block = _UNSEARCHED.sub(wait, match.group(1))
        digest = _digest(block)
        blocks[digest] = block
        return f"<!-- playbook:html {digest} -->"

    text = _BLOCK.sub(take, markdown)
    return Stashed(text, MappingProxyType(blocks), MappingProxyType(late))


def restore(html: str, blocks: Mapping[str, str]) -> str:
    """Put the blocks of :func:`stash` back into the page's converted HTML."""
    return _SLOT.sub(lambda m: blocks.get(m.group(1), m.group(0)), html) if blocks else html


def restore_late(page: str, late: Mapping[str, str]) -> str:
    """Put the elements the search leaves out back into the written page."""
    return _LATE_SLOT.sub(lambda m: late.get(m.group(1), m.group(0)), page) if late else page
