"""The MkDocs plugin, named in ``mkdocs.yml`` by its entry point: no copied file needed.

A repository that installs the package writes ``- playbook`` under ``plugins:``
and keeps ``program/`` and ``data/`` beside ``mkdocs.yml`` (MkDocs itself
insists on a ``docs/`` folder, which may stay empty). The plugin registers the
macros itself, so hand-written pages that opt in can call them.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import entry_points
from pathlib import Path

from sites import mkdocs_build

from playbook.commands import scaffold
from playbook_mkdocs.plugin import PlaybookPlugin

PLUGIN_CONFIG = """\
site_name: Our playbook
strict: true
theme: {name: material, font: false}
plugins:
  - search
  - macros: {render_by_default: false, on_undefined: strict, on_error_fail: true}
  - playbook
"""


def test_the_plugin_is_registered_under_its_name() -> None:
    found = {e.name: e.value for e in entry_points(group="mkdocs.plugins")}
    assert found["playbook"] == "playbook_mkdocs.plugin:PlaybookPlugin"
    (entry,) = entry_points(group="mkdocs.plugins", name="playbook")
    assert entry.load() is PlaybookPlugin


def test_a_fresh_repository_builds_with_only_the_plugin_named(tmp_path: Path) -> None:
    root = tmp_path / "ours"
    root.mkdir()
    (root / "mkdocs.yml").write_text(PLUGIN_CONFIG, encoding="utf-8")
    (root / "docs").mkdir()
    scaffold.new_program(root, "first", date(2026, 3, 2))
    (root / "docs" / "matrix.md").write_text(
        "---\nrender_macros: true\n---\n\n# Matrix\n\n{{ competency_matrix('first') }}\n",
        encoding="utf-8")
    site = tmp_path / "site"
    done = mkdocs_build(root, site, today="2026-06-01", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    assert not (root / "hooks").exists()
    overview = (site / "programs" / "first" / "index.html").read_text(encoding="utf-8")
    assert "Executive summary" in overview
    matrix = (site / "matrix" / "index.html").read_text(encoding="utf-8")
    assert "competency_matrix" not in matrix  # the macro ran: a table, not the call
    assert "<table>" in matrix
