"""`playbook --version`: the version a deploy publishes, from the package metadata."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from conftest import RunCli

from playbook.commands import cli

REPO = Path(__file__).resolve().parents[1]


def test_version_prints_the_version_in_pyproject(run_cli: RunCli) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    code, out, err = run_cli("--version")
    assert (code, out, err) == (0, f"playbook {project['version']}\n", "")


def test_version_needs_no_subcommand_and_other_verbs_still_parse(run_cli: RunCli) -> None:
    # the version is read when asked, never while the parser is built
    assert run_cli("--version")[0] == 0
    assert cli.parser().parse_args(["check"]).command == "check"


def test_a_source_tree_without_metadata_says_how_to_install(
        run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(cli.metadata, "version", missing)
    code, out, err = run_cli("--version")
    assert (code, out) == (1, "")
    assert err == ("playbook: the 'mkdocs-playbook' package is not installed; "
                   "run 'pip install -e .' to give it a version\n")
    # a missing version never stops the commands that do not print it
    assert cli.parser().parse_args(["codeowners"]).command == "codeowners"


def test_a_reader_that_leaves_early_is_no_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(f"{sys.executable} -m playbook.commands.cli report decision-velocity"
                          " | head -1", shell=True, capture_output=True, text=True,
                          cwd=Path(__file__).parents[1], check=False)
    assert done.stdout == "{\n"
    assert "BrokenPipeError" not in done.stderr and "Traceback" not in done.stderr
