"""The home page shows the portfolio at a glance; the project's own pages stay its own.

``{{ portfolio_summary() }}`` gives one row per program: status and KPI chips,
next milestone, ROI range (P10 to P90) and what needs attention, read from the
figures. ``playbook init`` writes a home page that calls it, and neither init
nor the plugin gives a new site this repository's benchmark page.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import RunCli, TmpPlaybook

from playbook.commands import init
from playbook.engine import build
from playbook.figures.attention import concerns
from playbook.figures.site import SiteData
from playbook.figures.timeline import next_open
from playbook.pages import site_pages
from playbook.pages.home import portfolio_summary
from playbook.pages.mdtext import percent
from playbook_mkdocs.plugin import site_macros

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
HEADER = "| Program | Status | Next milestone | ROI \\(P10 to P90\\) | Needs attention |"


def _site(root: Path) -> SiteData:
    data, problems = build(root, TODAY)
    assert data is not None, problems.errors
    return data


def _rows(page: str) -> dict[str, list[str]]:
    """Program id → the cells of its row."""
    lines = page.strip().splitlines()
    assert lines[0] == HEADER
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        program = cells[0].split("](programs/")[1].split("/")[0]
        rows[program] = cells
    return rows


def test_every_example_program_has_its_row_from_its_figures() -> None:
    site = _site(REPO)
    rows = _rows(portfolio_summary(site))
    assert list(rows) == [v.id for v in site.programs] == ["approval-velocity",
                                                            "decision-velocity"]
    for view in site.programs:
        program, status, milestone, roi, attention = rows[view.id]
        assert view.bundle.program is not None
        assert program == f"[{view.bundle.program.title}](programs/{view.id}/index.md)"
        assert status.startswith(f"{view.bundle.program.status} · ")
        assert f'>{len(view.figures.kpis)} on track</span>' in status
        nxt = next_open(view.milestones)
        assert nxt is not None
        assert f"](programs/{view.id}/roadmap.md) (due {nxt.due})" in milestone
        assert view.figures.roi is not None and view.figures.roi.headline.range is not None
        band = view.figures.roi.headline.range
        assert roi == f"{percent(band.p10)} to {percent(band.p90)} (median {percent(band.p50)})"
        assert len(concerns(view.figures)) == attention.count('class="pb-chip')
    assert "Four-fifths flag" in rows["approval-velocity"][4]
    assert "Stale data" in rows["decision-velocity"][4]


def test_a_program_without_budget_milestones_or_concerns_says_so(
        tmp_playbook: TmpPlaybook) -> None:
    (tmp_playbook.root / "program" / "mini" / "budget.yml").unlink(missing_ok=True)
    site = _site(tmp_playbook.root)
    for view in site.programs:
        _, _, milestone, roi, attention = _rows(portfolio_summary(site))[view.id]
        assert roi == "no budget yet"
        if next_open(view.milestones) is None:
            assert milestone == "none open"
        if not concerns(view.figures):
            assert attention == "nothing"


def test_the_macro_is_registered_and_reads_the_build() -> None:
    site = _site(REPO)
    assert site_macros(lambda: site)["portfolio_summary"]() == portfolio_summary(site)


@pytest.mark.parametrize("home", [REPO / "docs" / "index.md",
                                  REPO / "playbook" / "templates" / "init" / "docs" / "index.md"])
def test_the_home_pages_call_the_summary_as_templates(home: Path) -> None:
    text = home.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"render_macros": True}
    assert text.count("{{ portfolio_summary() }}") == 1


@pytest.mark.parametrize("title", ["{{ 7 * 7 }}", "{% raw %}", "{# x #}", "*a* [b](c) {{"])
def test_init_escapes_a_title_on_its_templated_home_page(title: str) -> None:
    home = init.repository_files(title, "first-program", TODAY, "1.0.0")["docs/index.md"]
    heading = next(line for line in home.splitlines() if line.startswith("# "))
    assert "{" not in heading and "}" not in heading
    # as Markdown shows it: the title as typed
    shown = markdown.markdown(heading)
    assert html.unescape(shown.removeprefix("<h1>").removesuffix("</h1>")) == title


def test_the_benchmark_page_stays_in_this_repository(run_cli: RunCli, tmp_path: Path) -> None:
    """Only this repository's mkdocs.yml lists it; init and the plugin never add it."""
    root = tmp_path / "ours"
    assert run_cli("init", str(root))[0] == 0
    written = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    # the research benchmarks' schema is the format's (a playbook may add its own file)
    assert not [p for p in written if "bench" in p.lower()
                and p != "schema/benchmark.schema.json"]
    assert "bench" not in (root / "mkdocs.yml").read_text(encoding="utf-8").lower()
    site = _site(root)
    generated = site_pages.generate(site)
    assert not [p.path for p in generated if "bench" in (p.path + p.title).lower()]
    nav = site_pages.splice_nav([{"Home": "index.md"}, {"Programs": "programs/"}],
                                site_pages.nav(site))
    assert "bench" not in repr(nav).lower()
    assert {"Benchmark": "benchmark.md"} in yaml.load(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)["nav"]


class _EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!ENV`` tags are not the test's concern."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: None)
