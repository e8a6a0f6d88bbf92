"""Provenance: the footer and printout name the commit; the overview lists the history."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from test_site import mkdocs_build, tiny_site

from playbook.review import history

pytestmark = pytest.mark.site


def git(repo: Path, *args: str, author: str = "Ada Quill") -> str:
    """Run git in ``repo`` as ``author``; return its output."""
    return subprocess.run(
        ["git", "-C", str(repo), "-c", f"user.name={author}",
         "-c", "user.email=editor@example.invalid", *args],
        check=True, capture_output=True, text=True).stdout


def _two_commits(root: Path) -> str:
    """Commit the tiny site, then a version bump by another author; return HEAD's short id."""
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Tiny program")
    program = root / "program/tiny/program.yml"
    text = program.read_text(encoding="utf-8")
    version = re.search(r"^version: (.+)$", text, re.M)
    assert version is not None
    program.write_text(text.replace(version.group(0), "version: 0.2.0"), encoding="utf-8")
    (root / "README.md").write_text("not a program file\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Bump to 0.2.0 <b>& friends</b>", author="Bo *Lind*")
    git(root, "commit", "-q", "--allow-empty", "-m", "Touches no program file")
    return git(root, "rev-parse", "--short", "HEAD").strip()


def test_the_footer_names_the_commit_and_the_overview_lists_the_history(
        tmp_path: Path) -> None:
    root = tiny_site(tmp_path)
    commit = _two_commits(root)
    site = tmp_path / "site"
    done = mkdocs_build(root, site)
    assert done.returncode == 0, done.stderr
    page = (site / "programs/tiny/index.html").read_text(encoding="utf-8")
    line = (f'<span class="pb-provenance">commit: <code>{commit}</code> · built 2026-11-22 · '
            "site version unversioned · program version 0.2.0</span>")
    assert page.count(line) == 2  # the footer, and the printout's copy after the content
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (f'<span class="pb-provenance">commit: <code>{commit}</code> · built 2026-11-22 · '
            "site version unversioned</span>") in home
    rows = re.findall(r"<tr>\s*<td>(\d{4}-\d\d-\d\d)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>"
                      r"\s*<td>(.*?)</td>", page)
    assert [(who, what, version) for _, who, what, version in rows[-2:]] == [
        ("Bo *Lind*", "Bump to 0.2.0 &lt;b&gt;&amp; friends&lt;/b&gt;", "0.2.0"),
        ("Ada Quill", "Tiny program", "0.1.0")]
    assert "Touches no program file" not in page
    assert 'rel="edit"' not in page  # no repo_url: no forge to link to


def test_a_site_without_git_says_commit_unknown(tiny_site_built: tuple[Path, Path]) -> None:
    # built as if unpacked from a tarball: git finds no repository at or above the folder
    _, site = tiny_site_built
    page = (site / "programs/tiny/index.html").read_text(encoding="utf-8")
    assert "commit: <code>unknown</code> · built 2026-11-22" in page
    assert "No change history: this build had no git to read it from" in page


def test_edit_links_lead_to_the_program_file_when_a_repo_url_is_set(tmp_path: Path) -> None:
    root = tiny_site(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text("repo_url: https://forge.example.invalid/team/playbook\n"
                      "edit_uri: edit/main/docs/\n" + config.read_text(encoding="utf-8")
                      .replace("features: [navigation.instant]",
                               "features: [navigation.instant, content.action.edit]"),
                      encoding="utf-8")
    site = tmp_path / "site"
    done = mkdocs_build(root, site)
    assert done.returncode == 0, done.stderr
    page = (site / "programs/tiny/vendors/index.html").read_text(encoding="utf-8")
    assert ('href="https://forge.example.invalid/team/playbook/edit/main/program/tiny/'
            'vendors.yml"') in page


def test_history_is_empty_without_a_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    found = history.provenance(tmp_path, date(2026, 1, 2), None, ["x"])
    assert (found.commit, found.built, dict(found.history)) == (None, date(2026, 1, 2), {})
