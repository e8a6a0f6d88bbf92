"""Markdown injection through values that pass every check: the reported trick, end to end.

A ``source.file`` with a folder named like Markdown resolves to a real file, so
the checker accepts it; the measurement page must show the path as code and
nothing else.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date

import markdown
import pytest
from conftest import TmpPlaybook

from playbook import engine as site
from playbook.engine import load_playbook
from playbook.pages import site_pages as pages

LINK_DIR = "`[click](javascript:alert(1))`"
IMAGE_DIRS = ("`![x](http:", "evil.example", "i.png)`")


@pytest.mark.parametrize("folders", [(LINK_DIR,), IMAGE_DIRS], ids=["link", "image"])
def test_source_file_path_shows_as_code_only(tmp_playbook: TmpPlaybook,
                                             folders: tuple[str, ...]) -> None:
    hostile_dir = tmp_playbook.root / "data" / "mini"
    for folder in folders:
        hostile_dir = hostile_dir / folder
    hostile_dir.mkdir(parents=True)
    ups = "/".join([".."] * len(folders))
    file = f"data/mini/{'/'.join(folders)}/{ups}/board_use.csv"
    tmp_playbook.edit("kpis.yml", "source: {file: data/mini/board_use.csv,",
                      f"source: {{file: {json.dumps(file)},")
    _, problems = load_playbook(tmp_playbook.root)
    assert not problems.errors, "\n".join(str(p) for p in problems.errors)
    data, _ = site.build(tmp_playbook.root, date(2026, 11, 22))
    assert data is not None
    page = next(p.markdown for p in pages.generate(data)
                if p.path == "programs/mini/measurement.md")
    rendered = markdown.markdown(page, extensions=["tables", "admonition", "pymdownx.details"])
    assert "javascript:" not in re.sub(r"<code>.*?</code>", "", rendered)
    # the only links are the program's own downloads, never one made from the path
    assert set(re.findall(r"<a [^>]*>", rendered)) <= {
        '<a href="downloads/competencies.jsonld">', '<a href="downloads/figures.json">'}
    assert "<img" not in rendered
    shown = [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", rendered)]
    assert file in shown
