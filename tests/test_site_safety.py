"""The site build fails closed: no template runs user text, a failed build keeps the
last good site byte-identical, and ``mkdocs serve`` survives bad edits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import warm
import warm_server
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sites import (
    MINI_CONFIG,
    OPT_IN,
    copy_tiny,
    drop_forecast,
    mkdocs_build,
    tiny_site,
    tree_digest,
)

from playbook.pages.mdtext import yaml_string
from playbook_mkdocs.sandbox import NOT_CLOSED

pytestmark = pytest.mark.site

RCE = "{{ lipsum.__globals__.os.system('touch %s') }}"


def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if "playbook-" in p.name)


@given(st.text())
def test_front_matter_strings_always_parse_back(value: str) -> None:
    assert yaml.safe_load("title: " + yaml_string(value))["title"] == value


def test_the_build_refuses_a_macros_plugin_that_renders_every_page(tmp_path: Path) -> None:
    root = tiny_site(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(MINI_CONFIG.replace("      render_by_default: false\n", ""),
                      encoding="utf-8")
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert NOT_CLOSED in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_page_that_does_not_opt_in_is_never_a_template(tmp_path: Path) -> None:
    proof = tmp_path / "PWNED"
    root = tiny_site(tmp_path, docs="# Home\n\n" + RCE % proof + "\n")
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    assert not proof.exists()
    assert "{{ lipsum." in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("payload", [
    RCE, "{{ config }}", "{{ environment }}", "{{ plugin }}", "{% include 'mkdocs.yml' %}",
    "{{ kpi_table.__globals__ }}", "{{ ''.__class__.__mro__ }}",
])
def test_opted_in_pages_see_a_sandbox_with_only_the_playbook_macros(
        tmp_path: Path, payload: str) -> None:
    proof = tmp_path / "PWNED"
    root = tiny_site(tmp_path, docs=OPT_IN + "# Home\n\n" + payload.replace("%s", str(proof))
                     + "\n")
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0, result.stderr
    assert not proof.exists()
    assert "site_name" not in result.stdout + result.stderr.split("Traceback")[0][-2000:] \
        or "mkdocs.yml" not in payload
    assert not (tmp_path / "site").exists()


def test_generated_pages_are_never_rendered_even_without_front_matter(tmp_path: Path) -> None:
    # a title with every character YAML would choke on if written raw
    proof = tmp_path / "PWNED"
    root = tiny_site(tmp_path)
    program = root / "program" / "tiny" / "program.yml"
    text = program.read_text(encoding="utf-8")
    title = "Tiny \u2028\ufeff\U0001f680 " + RCE % proof
    program.write_text(text.replace("title: Tiny", "title: " + yaml_string(title)),
                       encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    assert not proof.exists()
    page = (site / "programs" / "tiny" / "index.html").read_text(encoding="utf-8")
    assert "lipsum.__globals__.os.system" in page
    assert "<title>Tiny" in page


def test_a_warnings_only_strict_failure_keeps_the_last_site(
        tiny_site_built: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = copy_tiny(tiny_site_built, tmp_path)  # a good build, then a bad edit
    before = tree_digest(site)
    # an MkDocs warning (a playbook's finding is not one: it goes on the page)
    (root / "docs" / "index.md").write_text("# Home\n\n[gone](missing.md)\n",
                                            encoding="utf-8")
    result = mkdocs_build(root, site)
    assert result.returncode != 0
    assert "Aborted with 1 warnings in strict mode!" in result.stdout + result.stderr
    assert tree_digest(site) == before
    assert _leftovers(tmp_path) == []


def test_a_page_time_failure_keeps_the_last_site(tmp_path: Path) -> None:
    root = tiny_site(tmp_path, docs=OPT_IN + '{{ kpi_chart("tiny", "business-kpi") }}\n')
    drop_forecast(root)  # without kpis.yml the program still loads; the page fails
    site = tmp_path / "site"
    first = mkdocs_build(root, site)
    assert first.returncode == 0, first.stderr
    before = tree_digest(site)
    (root / "program" / "tiny" / "kpis.yml").unlink()
    result = mkdocs_build(root, site)
    assert result.returncode != 0
    assert "program 'tiny' has no KPI 'business-kpi'" in result.stderr
    assert tree_digest(site) == before
    assert _leftovers(tmp_path) == []


def test_a_successful_build_replaces_the_site_whole(tmp_path: Path) -> None:
    root = tiny_site(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    assert mkdocs_build(root, site).returncode == 0
    assert not (site / "stale.html").exists()
    assert (site / "programs" / "tiny" / "index.html").is_file()
    assert _leftovers(tmp_path) == []


# --- mkdocs serve -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(url: str, needle: str, proc: subprocess.Popen[str], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        assert proc.poll() is None, "mkdocs serve exited"
        try:
            last = _get(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} not served at {url} within {seconds}s:\n{last[-2000:]}")


@pytest.mark.parametrize("how", [[], ["--dirty"]], ids=["serve", "make-serve-dirty"])
def test_serve_shows_problems_and_recovers(tmp_path: Path, how: list[str]) -> None:
    root = tiny_site(tmp_path, docs=OPT_IN + '# Home\n\n{{ kpi_table("tiny") }}\n\n'
                     '{{ kpi_chart("tiny", "business-kpi") }}\n')
    drop_forecast(root)  # without kpis.yml the program still loads; the macro fails
    port = _free_port()
    # Python's start-up settings as this worker's, so that the warm server's stand-in for
    # the venv's mkdocs (what `make serve` runs) serves it: forked after the imports
    # (2.5 s of CPU each time), where any other start-up would run the real script
    startup = {k: v for k, v in os.environ.items() if k.startswith(warm_server.STARTUP)}
    # ended by a signal, serve leaves its temporary site behind: in the test's folder
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**startup, "PLAYBOOK_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1",
           "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "TMPDIR": str(scratch)}
    proc = subprocess.Popen(
        [warm.shims() / "mkdocs", "serve", "-f",
         str(root / "mkdocs.yml"), *how, "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, env=env)
    url = f"http://127.0.0.1:{port}/"
    kpis = root / "program" / "tiny" / "kpis.yml"
    good = kpis.read_text(encoding="utf-8")
    try:
        _wait_for(url, "The business result the program moves", proc)
        kpis.write_text(good.replace("target:", "tagret:", 1), encoding="utf-8")
        page = _wait_for(url, "The playbook has errors", proc)
        assert "program/tiny/kpis.yml:9:5" in page
        assert "unknown field &#x27;tagret&#x27;" in page or "unknown field 'tagret'" in page
        kpis.unlink()
        _wait_for(url, "has no KPI", proc)  # the macro's error, on the page
        kpis.write_text(good, encoding="utf-8")
        _wait_for(url, "The business result the program moves", proc)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_macro_call_on_a_page_that_does_not_opt_in_is_a_warning(tmp_path: Path) -> None:
    root = tiny_site(tmp_path, docs='# Home\n\n{{ kpi_table("tiny") }}\n')
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert ("docs/index.md calls the playbook macro 'kpi_table' but is not a template: add "
            "'render_macros: true' to its front matter") in result.stderr
