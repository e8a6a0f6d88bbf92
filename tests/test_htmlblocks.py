"""Charts handed to the page after Markdown: the same HTML as converting them, never stale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import markdown
import pytest

from playbook.engine import build
from playbook.pages import htmlblocks, site_pages
from playbook.pages.mdtext import BLOCK_CLOSE, BLOCK_OPEN, Html, raw_block

REPO = Path(__file__).resolve().parents[1]
EXTENSIONS = ["admonition", "pymdownx.details", "tables", "toc"]
"""The project's Markdown extensions (``mkdocs.yml``)."""


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def unmarked(text: str) -> str:
    """The Markdown as it was before blocks were marked: the block itself on its lines."""
    return text.replace(f"{BLOCK_OPEN}\n", "").replace(f"\n{BLOCK_CLOSE}", "")


@pytest.fixture(scope="module")
def example_pages() -> list[site_pages.Page]:
    data, problems = build(REPO, date(2026, 11, 24))
    assert data is not None, problems.render()
    return site_pages.generate(data)


def test_every_generated_page_converts_to_the_same_html(
        example_pages: list[site_pages.Page]) -> None:
    """Converting the stashed Markdown and restoring the blocks gives exactly the HTML
    that converting the whole page through Markdown gives."""
    blocks = 0
    for page in example_pages:
        stashed = htmlblocks.stash(page.markdown)
        blocks += len(stashed.blocks)
        assert BLOCK_OPEN not in stashed.markdown, page.path
        assert htmlblocks.restore(convert(stashed.markdown), stashed.blocks) == \
            convert(unmarked(page.markdown)), page.path
    assert blocks >= 30  # the example's charts, diagrams and packet breaks


def test_the_markdown_changes_whenever_a_block_does() -> None:
    """``serve --dirty`` re-renders a page when its Markdown changes: a chart's new
    numbers must change it."""
    before = htmlblocks.stash(raw_block(Html("<figure><table><td>1.5</td></table></figure>")))
    after = htmlblocks.stash(raw_block(Html("<figure><table><td>1.6</td></table></figure>")))
    assert before.markdown != after.markdown
    assert before.markdown.count("\n") == 1 and "1.5" not in before.markdown


def test_a_page_gets_only_its_own_blocks() -> None:
    """A comment that looks like a slot, on a page whose Markdown held no such block
    (a hand-written page, another page's slot), stays a comment."""
    stashed = htmlblocks.stash(raw_block(Html("<div>chart</div>")))
    (digest,) = stashed.blocks
    forged = f"<p>x</p>\n<!-- playbook:html {digest} -->\n"
    assert htmlblocks.restore(forged, {}) == forged
    other = f"<!-- playbook:html {'0' * 24} -->"
    assert htmlblocks.restore(other, stashed.blocks) == other
    assert htmlblocks.restore(convert(stashed.markdown), stashed.blocks) == \
        "<div>chart</div>"


def test_a_block_inside_other_text_is_left_in_the_markdown() -> None:
    """Only a block on lines of its own is taken out: the marks mid-line are text."""
    text = f"see {BLOCK_OPEN}\n<div>x</div>\n{BLOCK_CLOSE}\n"
    stashed = htmlblocks.stash(text)
    assert stashed.markdown == text
    assert not stashed.blocks
