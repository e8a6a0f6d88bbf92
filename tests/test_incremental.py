"""``mkdocs serve --dirty`` re-renders only what a save changed, and is never stale.

Each scenario edits a copy of the example playbook step by step, rebuilding
as the server does after each save, and compares every file of the served
site with a clean build of the same sources (``serve_build.py`` runs both).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import warm

REPO = Path(__file__).resolve().parents[1]
HELPER = Path(__file__).with_name("serve_build.py")
ENV = {**os.environ, "PLAYBOOK_TODAY": "2026-11-24", "NO_MKDOCS_2_WARNING": "1"}
ENV.pop("REPO_URL", None)
ENV.pop("SITE_URL", None)

pytestmark = pytest.mark.site

Step = list[list[str | None]]
STEPS: list[Step] = [
    # a value in one program file
    [["program/decision-velocity/program.yml", "within 12 months", "within twelve months"]],
    # a measurement appended to one KPI's data
    [["data/decision-velocity/platform_engagement.csv", "2026-11-15,63.1\n",
      "2026-11-15,63.1\n2026-11-22,49.0\n"]],
    # a program's title: it is in every page's navigation
    [["program/approval-velocity/program.yml", "title: Approval velocity",
      "title: Faster approvals"]],
    # a hand-written page
    [["docs/methodology.md", "# ", "# Revised: "]],
    # a program removed: its pages must not be served any more
    [["program/approval-velocity", None, None], ["data/approval-velocity", None, None]],
]


def _copy_example(to: Path) -> Path:
    to.mkdir()
    for name in ("mkdocs.yml", "docs", "hooks", "program", "data"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, to / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, to / name)
    return to


def _run(root: Path, site: Path, mode: str, steps: list[Step]) -> list[dict[str, Any]]:
    plan = root.parent / f"{mode}-steps.json"
    plan.write_text(json.dumps(steps), encoding="utf-8")
    result = warm.run(HELPER, [root, site, mode, plan], env=ENV, cwd=root, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The dirty server's site after its first build and after each step."""
    base = tmp_path_factory.mktemp("dirty")
    return _run(_copy_example(base / "pb"), base / "site", "dirty", STEPS)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, Any]]:
    """A clean build of the same sources after each step, by step: the server without
    ``--dirty``, which rebuilds every page on each save. One run serves every step: what
    its build after step ``n`` makes depends only on the first ``n`` steps. It makes no
    build before the first step, which nothing compares (``serve_build.py``)."""
    base = tmp_path_factory.mktemp("clean")
    return {s["step"]: s for s in _run(_copy_example(base / "pb"), base / "site", "clean",
                                        STEPS)}


def test_both_servers_built_once_per_step(served: list[dict[str, Any]],
                                          clean: dict[int, dict[str, Any]]) -> None:
    assert [s["step"] for s in served] == list(range(len(STEPS) + 1))
    assert list(clean) == list(range(1, len(STEPS) + 1))


@pytest.mark.parametrize("step", range(1, len(STEPS) + 1))
def test_each_rebuild_serves_exactly_what_a_clean_build_makes(
        served: list[dict[str, Any]], clean: dict[int, dict[str, Any]], step: int) -> None:
    dirty, fresh = served[step], clean[step]
    assert dirty["site"].keys() == fresh["site"].keys()
    differ = [k for k in fresh["site"] if dirty["site"][k] != fresh["site"][k]]
    assert differ == []


def test_a_value_edit_re_renders_only_that_programs_pages(served: list[dict[str, Any]]) -> None:
    written = [p for p in served[1]["written"] if p.endswith(".html")]
    assert "programs/decision-velocity/index.html" in written
    assert "programs/index.html" in written  # the portfolio shows every program
    assert "index.html" in written  # a hand-written page with macros: always rendered
    assert not [p for p in written if p.startswith("programs/approval-velocity/")]
    assert not [p for p in written if p.startswith("reference/")]


def test_a_title_edit_re_renders_every_page(served: list[dict[str, Any]]) -> None:
    pages = [p for p in served[3]["site"] if p.endswith(".html")]
    written = set(served[3]["written"])
    assert [p for p in pages if p not in written] == []


def test_a_removed_programs_pages_are_no_longer_served(served: list[dict[str, Any]]) -> None:
    assert any(p.startswith("programs/approval-velocity/") for p in served[4]["site"])
    assert not [p for p in served[5]["site"] if p.startswith("programs/approval-velocity/")]
