"""Charts handed to the page after Markdown: the same HTML as converting them, never stale."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import markdown
import pytest
from sites import TODAY, Site

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
        restored = htmlblocks.restore(convert(stashed.markdown), stashed.blocks)
        assert htmlblocks.restore_late(restored, stashed.late) == \
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


def test_what_the_search_leaves_out_comes_back_last() -> None:
    """The search reads the page between :func:`restore` and :func:`restore_late`: it sees
    the caption, not the figure's JSON or the numbers (which it would leave out anyway)."""
    block = ('<figure><template id="c--figure" data-search-exclude>{"x":[1]}</template>'
             "<figcaption>It rose.</figcaption></figure>\n"
             '<details class="pb-numbers" data-search-exclude><summary>Numbers</summary>'
             "<table><tr><td>2026-01-01</td></tr></table></details>")
    stashed = htmlblocks.stash(raw_block(Html(block)))
    searched = htmlblocks.restore(convert(stashed.markdown), stashed.blocks)
    assert "It rose." in searched
    assert '{"x":[1]}' not in searched and "2026-01-01" not in searched
    assert len(stashed.late) == 2
    assert htmlblocks.restore_late(searched, stashed.late) == block


def test_a_block_inside_other_text_is_left_in_the_markdown() -> None:
    """Only a block on lines of its own is taken out: the marks mid-line are text."""
    text = f"see {BLOCK_OPEN}\n<div>x</div>\n{BLOCK_CLOSE}\n"
    stashed = htmlblocks.stash(text)
    assert stashed.markdown == text
    assert not stashed.blocks


@pytest.mark.site
def test_the_site_is_the_same_as_converting_every_block(
        example_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example built as it is (once per run, ``conftest.py``) and built with every
    block left in the Markdown (as before blocks were handed over) are the same files,
    search index included."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.setenv("PLAYBOOK_TODAY", TODAY)
    monkeypatch.setenv("SITE_URL", example_site.url)

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    handed_over = files(example_site.root)
    with monkeypatch.context() as patch:
        patch.setattr(htmlblocks, "stash",
                      lambda text: htmlblocks.Stashed(unmarked(text), {}, {}))
        config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "b"))
        mkdocs_build(config)
        converted = files(tmp_path / "b")
    for built in (handed_over, converted):
        built.pop("sitemap.xml.gz", None)
    assert handed_over.keys() == converted.keys()
    assert [name for name in handed_over if handed_over[name] != converted[name]] == []
    assert "search/search_index.json" in handed_over
    everything = b"".join(handed_over.values())
    assert re.search(rb"playbook:(html|late) [0-9a-f]{24}", everything) is None  # all back
