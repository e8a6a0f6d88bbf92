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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from playbook.pages.mdtext import BLOCK_CLOSE, BLOCK_OPEN

_OPEN: Final = BLOCK_OPEN + "\n"
_CLOSE: Final = "\n" + BLOCK_CLOSE
_SLOT: Final = re.compile(r"<!-- playbook:html ([0-9a-f]{24}) -->")
_LATE_SLOT: Final = re.compile(r"<!-- playbook:late ([0-9a-f]{24}) -->")
_UNSEARCHED_TAGS: Final = ("template", "details")
"""Elements the search may be told to leave out."""
_EXCLUDED: Final = re.compile(r"\sdata-search-exclude(?=[\s>])")
"""The attribute that leaves an element out of the search, in an opening tag."""

Span = tuple[int, int, str]
"""Where a found piece of text starts and ends, and the part of it that is replaced."""


def _blocks(markdown: str) -> Iterator[Span]:
    """Each block as :func:`~playbook.pages.mdtext.raw_block` writes it, with its inside.

    Its opening line starts a line; its closing line is the first after it that is
    whole (escaped text never holds ``<!--``, so that is the block's own). Found by
    plain search, each character is read a bounded number of times: a pattern with
    ``.*?`` read from each opening line to the end when none closed.
    """
    at = 0
    while (start := markdown.find(_OPEN, at)) >= 0:
        if start and markdown[start - 1] != "\n":
            at = start + 1
            continue
        inside = close = start + len(_OPEN)
        while (close := markdown.find(_CLOSE, close)) >= 0:
            end = close + len(_CLOSE)
            if end == len(markdown) or markdown[end] == "\n":
                break
            close += 1
        if close < 0:
            return  # no later opening line can be closed either
        yield start, end, markdown[inside:close]
        at = end


def _unsearched(block: str) -> Iterator[Span]:
    """Each element the search leaves out, whole (its text is escaped, so it holds no
    element of its own kind: the first closing tag is its own)."""
    at, unclosed = 0, set()
    while (start := block.find("<", at)) >= 0:
        at = start + 1
        name = next((n for n in _UNSEARCHED_TAGS if block.startswith(n, at)), None)
        if name is None or name in unclosed:
            continue
        tag_end = block.find(">", at)
        if tag_end < 0:
            return  # no later tag ends either
        after = at + len(name)
        if not (block[after] == ">" or block[after].isspace()):
            continue  # another element (<detailsx>)
        if not _EXCLUDED.search(block, after, tag_end + 1):
            at = tag_end + 1  # nor does any tag that starts inside this one hold it
            continue
        closing = block.find(f"</{name}>", tag_end)
        if closing < 0:
            unclosed.add(name)  # nor is any later one of its kind
            continue
        end = closing + len(name) + 3
        yield start, end, block[start:end]
        at = end


def _replace(text: str, spans: Iterator[Span], by: Callable[[str], str]) -> str:
    """``text`` with each span replaced by ``by`` of its part."""
    out, at = [], 0
    for start, end, part in spans:
        out += [text[at:start], by(part)]
        at = end
    return "".join(out) + text[at:]


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

    def wait(element: str) -> str:
        digest = _digest(element)
        late[digest] = element
        return f"<!-- playbook:late {digest} -->"

    def take(inside: str) -> str:
        block = _replace(inside, _unsearched(inside), wait)
        digest = _digest(block)
        blocks[digest] = block
        return f"<!-- playbook:html {digest} -->"

    text = _replace(markdown, _blocks(markdown), take)
    return Stashed(text, MappingProxyType(blocks), MappingProxyType(late))


def restore(html: str, blocks: Mapping[str, str]) -> str:
    """Put the blocks of :func:`stash` back into the page's converted HTML."""
    return _SLOT.sub(lambda m: blocks.get(m.group(1), m.group(0)), html) if blocks else html


def restore_late(page: str, late: Mapping[str, str]) -> str:
    """Put the elements the search leaves out back into the written page."""
    return _LATE_SLOT.sub(lambda m: late.get(m.group(1), m.group(0)), page) if late else page
