"""The pages of a program are listed once (``pages/sections.py``); every other
place that names one by its file names a page of that list."""

from __future__ import annotations

from playbook.pages import portfolio, site_pages
from playbook.pages.sections import PACKET, SECTIONS

FILES = [s.file for s in SECTIONS]


def test_every_section_has_one_renderer_and_no_renderer_is_left_over() -> None:
    assert list(site_pages.RENDERERS) == FILES
    assert [name for name, _, _ in site_pages.SECTIONS] == FILES


def test_pages_named_elsewhere_are_pages_of_the_list() -> None:
    named = {*site_pages.WIDE, *portfolio._PAGE.values()}
    assert named - set(FILES) == set()
    assert PACKET not in FILES
