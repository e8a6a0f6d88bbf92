"""The macros without the playbook plugin: mkdocs-macros loads ``playbook_mkdocs.macros``.

A configuration that runs mkdocs-macros but not the plugin (or hook) has no site data
handed over: the macros build it through the engine, and give the Markdown the
plugin's macros give for the same playbook and day.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli, TmpPlaybook
from sites import mkdocs_build

from playbook import engine
from playbook.figures.site import SiteData
from playbook.pages.macros import MacroError
from playbook_mkdocs import macros as module
from playbook_mkdocs import provenance
from playbook_mkdocs.plugin import site_macros

TODAY = "2026-03-01"
NO_PLUGIN = """\
site_name: Ours
strict: true
theme: {name: material, font: false}
plugins:
  - macros:
      render_by_default: false
      on_undefined: strict
      on_error_fail: true
      modules: [playbook_mkdocs.macros]
"""


class FakeEnv:
    """What ``define_env`` reads of mkdocs-macros' plugin: the config and ``macro``."""

    def __init__(self, conf: dict[str, Any]) -> None:
        self.conf = conf
        self.macros: dict[str, Callable[..., Any]] = {}

    def macro(self, fn: Callable[..., Any], name: str) -> None:
        assert name not in self.macros, name
        self.macros[name] = fn


def _calls(site: SiteData) -> dict[str, tuple[str, ...]]:
    """Arguments for every macro: the first program, its first KPI."""
    view = site.programs[0]
    kpi = view.bundle.kpis.kpis[0].id if view.bundle.kpis else ""
    given = {"program": view.id, "kpi": kpi}
    return {name: tuple(given[p] for p in inspect.signature(fn).parameters)
            for name, fn in site_macros(lambda: site).items()}


def _env(root: Path, **state: Any) -> FakeEnv:
    env = FakeEnv({"config_file_path": str(root / "mkdocs.yml"), **state})
    module.define_env(env)
    return env


def test_define_env_without_the_plugin_gives_what_the_plugin_gives(
        tmp_playbook: TmpPlaybook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine.TODAY_ENV, TODAY)
    data, problems = engine.build(tmp_playbook.root, date.fromisoformat(TODAY))
    assert data is not None, problems.errors
    site = provenance.stamp(data)  # what the plugin hands the macros
    plugin = site_macros(lambda: site)
    alone = _env(tmp_playbook.root).macros
    assert sorted(alone) == sorted(plugin)
    calls = _calls(site)
    assert {"portfolio_summary", "kpi_chart", "competency_matrix"} <= set(calls)
    for name, args in calls.items():
        expected = plugin[name](*args)
        assert expected.strip(), name
        assert alone[name](*args) == expected, name


def test_the_plugins_site_data_is_read_when_the_plugin_ran(
        tmp_playbook: TmpPlaybook, monkeypatch: pytest.MonkeyPatch) -> None:
    data, _ = engine.build(tmp_playbook.root, date.fromisoformat(TODAY))
    assert data is not None

    def no_build(*args: object) -> None:
        raise AssertionError("built again although the plugin handed its site data over")

    monkeypatch.setattr(module.engine, "build", no_build)
    env = _env(tmp_playbook.root, **{module.STATE_KEY: data})
    assert env.macros["kpi_table"]("mini") == site_macros(lambda: data)["kpi_table"]("mini")


def test_the_engine_builds_once_per_build(tmp_playbook: TmpPlaybook,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine.TODAY_ENV, TODAY)
    builds: list[Path] = []
    real = module.engine.build

    def counted(root: Path, today: date) -> object:
        builds.append(root)
        return real(root, today)

    monkeypatch.setattr(module.engine, "build", counted)
    env = _env(tmp_playbook.root)
    env.macros["kpi_table"]("mini")
    env.macros["roadmap"]("mini")
    assert builds == [tmp_playbook.root.resolve()]


def test_a_playbook_with_errors_is_a_macro_error_naming_them(
        tmp_playbook: TmpPlaybook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine.TODAY_ENV, TODAY)
    tmp_playbook.edit("program/mini/kpis.yml", "  - id: start-time", "  - id: Start Time")
    env = _env(tmp_playbook.root)
    with pytest.raises(MacroError) as caught:
        env.macros["kpi_table"]("mini")
    first = str(caught.value).splitlines()
    assert first[0] == "playbook check failed; the macros have no figures:"
    assert first[1].startswith("program/mini/kpis.yml:3:9: kpis[0].id: "), first


@pytest.mark.site
def test_mkdocs_without_the_plugin_renders_the_macros_in_the_sandbox(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_playbook.root
    (root / "mkdocs.yml").write_text(NO_PLUGIN, encoding="utf-8")
    # the generated pages the macros link to, as an engine without the plugin gets them
    code, _, err = run_cli("pages", "--dir", root, "--out", root / "docs", "--today", TODAY)
    assert code == 0, err
    (root / "docs" / "summary.md").write_text(
        "---\nrender_macros: true\n---\n\n# Summary\n\n{{ portfolio_summary() }}\n\n"
        "{{ kpi_table('mini') }}\n", encoding="utf-8")
    (root / "docs" / "config.md").write_text(
        "---\nrender_macros: true\n---\n\n# Config\n\n{{ config.site_name }}\n",
        encoding="utf-8")
    done = mkdocs_build(root, tmp_path / "site", today=TODAY, cwd=root)
    # mkdocs-macros' own variables are out of the sandbox: `config` is undefined
    assert done.returncode != 0
    assert "'config' is undefined" in done.stdout + done.stderr
    (root / "docs" / "config.md").unlink()
    done = mkdocs_build(root, tmp_path / "site", today=TODAY, cwd=root)
    assert done.returncode == 0, done.stderr
    summary = (tmp_path / "site" / "summary" / "index.html").read_text(encoding="utf-8")
    assert "portfolio_summary" not in summary and "kpi_table" not in summary
    assert "Days from request to project start" in summary  # the KPI table ran
