"""Raw HTML blocks handed to the page after Markdown, not through it.

A chart's figure JSON and its table of numbers are most of a program page's
bytes, and they are finished HTML (every value escaped by
:func:`~playbook.pages.mdtext.html_text`). Python-Markdown would run each of
them through its HTML block parser, tag by tag, and store them back unchanged:
at 200 programs that was about a tenth of the build, and most of what a long
series added to it. So a page's Markdown, as the site builds it, holds a
one-line comment in place of each block (:func:`stash`), and the built HTML
gets the block back (:func:`restore`).

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


@dataclass(frozen=True)
class Stashed:
    """A page's Markdown with its blocks taken out, and the blocks by slot."""

    markdown: str
    """The Markdown MkDocs converts: one comment line in place of each block."""
    blocks: Mapping[str, str]
    """Digest in a slot → the HTML block it stands for."""


def _slot(digest: str) -> str:
    return f"<!-- playbook:html {digest} -->"


def stash(markdown: str) -> Stashed:
    """Take the raw HTML blocks out of a generated page's Markdown."""
    blocks: dict[str, str] = {}

    def take(match: re.Match[str]) -> str:
        block = match.group(1)
        digest = hashlib.blake2b(block.encode("utf-8"), digest_size=12).hexdigest()
        blocks[digest] = block
        return _slot(digest)

    return Stashed(_BLOCK.sub(take, markdown), MappingProxyType(blocks))


def restore(html: str, blocks: Mapping[str, str]) -> str:
    """Put the blocks of :func:`stash` back into the page's converted HTML."""
    if not blocks:
        return html
    return _SLOT.sub(lambda m: blocks.get(m.group(1), m.group(0)), html)
