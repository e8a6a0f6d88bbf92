"""Site builds: the example strictly, and tiny sites in tmp_path for the edges."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import warm
from sites import MINI_CONFIG as MINI_CONFIG
from sites import OPT_IN as OPT_IN
from sites import REPO as REPO
from sites import TODAY as TODAY
from sites import Site, copy_tiny, mkdocs_build, tiny_site, tree_digest

from playbook.commands import scaffold

pytestmark = pytest.mark.site

HOSTILE = {
    "jinja": "{{ config }}",
    "block": "{% include 'secret.txt' %}",
    "script": "<script>alert('pwned')</script>",
    "img": '<img src="x" onerror="alert(1)">',
    "link": "[click](javascript:alert(1))",
}


def test_example_builds_strict_with_zero_warnings(example_site: Site) -> None:
    # the fixture (conftest.py) asserts the strict build's exit code and its empty warnings
    assert (example_site.root / "programs" / "decision-velocity" / "measurement" /
            "index.html").is_file()
    assert (example_site.root / "reference" / "format" / "index.html").is_file()


def test_every_program_page_is_generated(example_site: Site) -> None:
    for program in ("decision-velocity", "approval-velocity"):
        for page in ("", "strategy", "competencies", "roadmap", "people", "vendors",
                     "measurement", "budget", "reviews"):
            assert (example_site.root / "programs" / program / page / "index.html").is_file()


_EXTERNAL = re.compile(
    r"""<(script|img|source|iframe|audio|video|embed)\b[^>]*\bsrc\s*=\s*["']?(https?:)?//"""
    # a <link> that loads something (stylesheet, icon, preload, font); rel=canonical names
    # the published address and loads nothing
    r"""|<link\b(?![^>]*\brel\s*=\s*["']?canonical)[^>]*\bhref\s*=\s*["']?(https?:)?//"""
    r"""|url\(\s*["']?(https?:)?//|@import\s+["'](https?:)?//""",
    re.IGNORECASE,
)


def test_no_external_script_style_font_or_image(example_site: Site) -> None:
    offenders = []
    for path in example_site.root.rglob("*"):
        if path.suffix in (".html", ".css") and path.is_file():
            for match in _EXTERNAL.finditer(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(example_site.root)}: {match.group(0)}")
    assert offenders == []


def test_offline_scan_catches_external_resources() -> None:
    assert _EXTERNAL.search('<script src="https://cdn.example.org/x.js">')
    assert _EXTERNAL.search("<link rel=stylesheet href=//fonts.example.org/css>")
    assert _EXTERNAL.search("body { background: url('https://x.example/i.png') }")
    assert _EXTERNAL.search('<img alt="" src="http://x.example/i.png">')
    assert not _EXTERNAL.search('<link rel="canonical" href="https://playbook.example.org/">')
    assert not _EXTERNAL.search('<a href="https://example.org/">a link</a>')


def test_plotly_is_shipped_once_and_never_inlined(example_site: Site) -> None:
    copies = list(example_site.root.rglob("plotly*.js"))
    assert [p.relative_to(example_site.root).as_posix() for p in copies] == [
        "assets/playbook/plotly.min.js"]
    for html in example_site.root.rglob("*.html"):
        assert html.stat().st_size < 400_000, html


def test_chart_ids_are_stable_and_unique(example_site: Site) -> None:
    page = (example_site.root / "programs" / "decision-velocity" / "measurement" /
            "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<figure class="pb-chart" id="([^"]+)"', page)
    assert "chart-decision-velocity-decision-latency" in ids
    assert len(ids) == len(set(ids)) == 5  # one chart per KPI, no duplicate id


def test_no_person_level_value_reaches_the_site(example_site: Site) -> None:
    import csv

    subjects: set[str] = set()
    for data in (REPO / "data").rglob("*.csv"):
        with data.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for column in ("leader_id", "subject"):
            subjects.update(r[column] for r in rows if r.get(column))
    assert len(subjects) > 100
    for path in example_site.root.rglob("*"):
        if path.is_file() and path.name != "plotly.min.js":
            content = path.read_bytes().decode("utf-8", errors="ignore")
            leaked = [s for s in subjects if s in content]
            assert leaked == [], f"{path}: {leaked[:3]}"


def test_build_is_reproducible(example_site: Site, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert mkdocs_build(REPO, again, env={"SITE_URL": example_site.url}).returncode == 0
    first, second = tree_digest(example_site.root), tree_digest(again)
    first.pop("sitemap.xml.gz", None)
    second.pop("sitemap.xml.gz", None)
    assert first == second


def test_every_build_of_a_run_carries_the_runs_one_date(example_site: Site) -> None:
    """The run pins MkDocs' build date (``SOURCE_DATE_EPOCH``, ``conftest.py``): a run that
    crosses midnight still builds two equal sites, sitemap dates included."""
    day = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC).date()
    sitemap = (example_site.root / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {day.isoformat()}


def test_yaml_text_renders_literally_and_never_executes(tmp_path: Path) -> None:
    root = tiny_site(tmp_path)
    program = root / "program" / "tiny" / "program.yml"
    text = program.read_text(encoding="utf-8")
    text = text.replace("title: Tiny",
                        "title: " + json.dumps(f"Tiny {HOSTILE['jinja']} {HOSTILE['script']}"))
    summary_old = text[text.index("summary: >"):text.index("strategy:")]
    summary_new = "summary: |\n" + "".join(f"  {v}\n\n" for v in HOSTILE.values()) + "\n"
    text = text.replace(summary_old, summary_new)
    text = text.replace("text: The leader decision that moves the priority",
                        "text: " + json.dumps(f"{HOSTILE['block']} {HOSTILE['img']}"))
    program.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    overview = (site / "programs" / "tiny" / "index.html").read_text(encoding="utf-8")
    strategy = (site / "programs" / "tiny" / "strategy" / "index.html").read_text(
        encoding="utf-8")
    # shown as text ...
    assert "{{ config }}" in overview
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in overview or \
        "&lt;script&gt;alert('pwned')&lt;/script&gt;" in overview
    assert "{% include 'secret.txt' %}" in strategy or \
        "{% include &#x27;secret.txt&#x27; %}" in strategy
    # ... and never as markup, anywhere in the site
    for html in site.rglob("*.html"):
        content = html.read_text(encoding="utf-8")
        assert "<script>alert(" not in content, html
        assert '<img src="x"' not in content, html
        assert 'href="javascript:' not in content, html
        assert "site_name" not in content.split("<body", 1)[-1] or html.name == "404.html"


def test_broken_macro_fails_the_strict_build(tmp_path: Path) -> None:
    root = tiny_site(tmp_path, docs=OPT_IN + "# Home\n\n{{ no_such_macro('tiny') }}\n")
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "no_such_macro" in result.stderr


def test_macros_render_engine_tables_on_hand_written_pages(tmp_path: Path) -> None:
    root = tiny_site(tmp_path, docs=OPT_IN + '# Home\n\n{{ competency_matrix("tiny") }}\n\n'
                                    '{{ kpi_table("tiny") }}\n')
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "What success looks like for a senior manager" in home
    assert "The business result the program moves" in home


def test_macro_with_unknown_program_fails_the_build(tmp_path: Path) -> None:
    root = tiny_site(tmp_path, docs=OPT_IN + '{{ kpi_table("nope") }}\n')
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "unknown program 'nope'; known programs: tiny" in result.stderr


def test_bad_program_aborts_the_build_and_keeps_the_last_site(
        tiny_site_built: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = copy_tiny(tiny_site_built, tmp_path)  # a good build, then a bad edit
    before = tree_digest(site)
    kpis = root / "program" / "tiny" / "kpis.yml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("target:", "tagret:", 1),
                    encoding="utf-8")
    result = mkdocs_build(root, site)
    assert result.returncode != 0
    assert ("program/tiny/kpis.yml:9:5: kpis[0]: unknown field 'tagret' in KPI "
            "(did you mean 'target'?)") in result.stderr
    assert tree_digest(site) == before


def test_findings_and_a_stale_sign_off_build_strictly_and_show_on_the_site(
        tmp_path: Path) -> None:
    from playbook.commands import cli

    root = tiny_site(tmp_path)
    assert cli.main(["sign", "tiny", "--role", "sponsor", "--date", "2026-03-02",
                     "--dir", str(root)]) == 0
    program = root / "program" / "tiny" / "program.yml"
    program.write_text(program.read_text(encoding="utf-8").replace(
        "cohort_size: 24", "cohort_size: 8").replace("duration_days: 90", "duration_days: 60")
        + "acknowledgements:\n  - code: pilot-short\n    file: program/tiny/program.yml\n"
        "    field: pilot.duration_days\n    reason: The ward <b>closes</b> in May.\n"
        "    accepted_by: sponsor\n    until: 2027-01-31\n", encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    # the build log names them, at info level
    assert "finding cohort-size: pilot.cohort_size: pilot cohort of 8" in result.stderr
    page = (site / "programs" / "tiny" / "index.html").read_text(encoding="utf-8")
    assert "1 finding(s)" in page and "<code>cohort-size</code>" in page
    assert "pilot cohort of 8 is outside 20–50" in page
    # the stale sign-off, and the day-90 and day-180 reviews (none recorded) overdue
    assert "Pending: 3 item(s)" in page and "<code>signoff-stale</code>" in page
    assert page.count("<code>review-overdue</code>") == 2
    assert "Stale: changed since signed" in page
    assert "Known limitations" in page and "<code>pilot-short</code>" in page
    assert "The ward &lt;b&gt;closes&lt;/b&gt; in May." in page  # escaped, as every value
    # what an editor runs to aim for clean still fails on them
    strict = warm.run("playbook.commands.cli", ["check", "--strict", root],
                      env={**os.environ, "PLAYBOOK_TODAY": TODAY})
    assert strict.returncode == 1
    # (no git here: the sign-off's author is unknown, a notice that never blocks)
    assert strict.stderr == ("playbook check failed: 0 error(s), 1 finding(s), 3 pending, "
                             "1 acknowledged, 1 notice(s) (4 more blocking clean)\n")


def test_a_bad_build_date_stops_the_build(tmp_path: Path) -> None:
    root = tiny_site(tmp_path)
    result = mkdocs_build(root, tmp_path / "site", today="22/11/2026")
    assert result.returncode != 0
    assert "PLAYBOOK_TODAY='22/11/2026' is not a date YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "site").exists()


def test_serve_watches_program_and_data(tmp_path: Path) -> None:
    import importlib.util

    from mkdocs.config import load_config

    root = tiny_site(tmp_path)
    assert (root / "data").is_dir()  # the scaffold writes a sample data file
    spec = importlib.util.spec_from_file_location("playbook_hooks", REPO / "hooks" /
                                                  "playbook_hooks.py")
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    config = load_config(config_file=str(root / "mkdocs.yml"))
    assert hooks.on_serve(server, config=config, builder=None) is server
    assert server.watched == [str(root.resolve() / "program"), str(root.resolve() / "data")]


def test_downloads_are_in_the_built_site_and_linked(example_site: Site) -> None:
    folder = example_site.root / "programs" / "decision-velocity"
    framework = json.loads((folder / "downloads" / "competencies.jsonld").read_text("utf-8"))
    assert framework["@graph"][0]["@type"] == "ceasn:CompetencyFramework"
    assert json.loads((folder / "downloads" / "figures.json").read_text("utf-8"))["kpis"]
    overview = (folder / "index.html").read_text("utf-8")
    assert 'href="downloads/competencies.jsonld"' in overview
    assert 'href="../downloads/figures.json"' in (folder / "measurement" /
                                                  "index.html").read_text("utf-8")


def test_serve_builds_the_other_programs_and_shows_the_broken_one(tmp_path: Path) -> None:
    from datetime import date

    root = tiny_site(tmp_path)
    scaffold.new_program(root, "other", date(2026, 3, 2))
    kpis = root / "program" / "other" / "kpis.yml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("target:", "tagret:", 1),
                    encoding="utf-8")
    site = tmp_path / "site"
    served = warm.run(Path(__file__).with_name("serve_build.py"), [root, site, "clean"],
                      env={**os.environ, "PLAYBOOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    assert served.returncode == 0, served.stderr
    tiny = (site / "programs" / "tiny" / "index.html").read_text(encoding="utf-8")
    assert "Executive summary" in tiny
    other = (site / "programs" / "other" / "index.html").read_text(encoding="utf-8")
    assert "Nothing was built from this program" in other
    assert "program/other/kpis.yml:9:5" in other
    assert not (site / "programs" / "other" / "measurement").exists()
    # a build (not a preview) still fails on the error, whichever program has it
    assert mkdocs_build(root, tmp_path / "built").returncode != 0
