"""pre-commit: this repository's hooks, and the ``playbook-check`` hook other playbooks use.

The hooks run tools already installed (this repository's ``.venv``; for other
repositories, pre-commit's own environment), so ``pre-commit run`` is tested
here offline, in a throwaway git repository holding the mini playbook.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import warm
import yaml
from conftest import MINI, TmpPlaybook

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TAGRET = ("    target: {value: 24, by: 2026-12-31}", "    tagret: {value: 24, by: 2026-12-31}")
"""A misspelt key in the mini program's first KPI: an error both checks must find."""
LOCATED = ("program/mini/kpis.yml:9:5: kpis[0]: unknown field 'tagret' in KPI "
           "(did you mean 'target'?)")


def manifest() -> dict[str, dict[str, Any]]:
    """The hooks this repository offers to others, by id."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def own_hooks() -> dict[str, dict[str, Any]]:
    """This repository's own hooks, by id."""
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_the_playbook_check_hook_checks_the_whole_playbook() -> None:
    hook = manifest()["playbook-check"]
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "playbook check --for pre-commit", "python", False)
    files = re.compile(hook["files"])
    # allowed_signers too: a key replaced there can make a signed sign-off unverifiable
    for path in ("program/demo/kpis.yml", "data/demo/start_time.csv", "playbook.yml",
                 "allowed_signers"):
        assert files.search(path), path
    for path in ("docs/index.md", "playbook/engine.py", "tests/fixtures/mini/program/x.yml",
                 "playbook.yml.bak", "allowed_signers.old"):
        assert not files.search(path), path


def test_every_schema_validates_its_program_files() -> None:
    hooks = own_hooks()
    # figures.schema.json describes what the engine writes, not a file an editor does
    stems = sorted(p.name.removesuffix(".schema.json") for p in (REPO / "schema").glob(
        "*.schema.json") if p.name != "figures.schema.json")
    for stem in stems:
        hook = hooks[f"schema-{stem}"]
        assert hook["entry"] == (".venv/bin/check-jsonschema --schemafile "
                                 f"schema/{stem}.schema.json")
        target = {"playbook": "playbook.yml", "benchmark": "benchmarks/ours.yml"}.get(
            stem, f"program/demo/{stem}.yml")
        assert re.search(hook["files"], target), stem
        assert not re.search(hook["files"], f"program/demo/x{stem}.yml"), stem
    assert {h["entry"] for h in hooks.values()} >= {".venv/bin/ruff check",
                                                    ".venv/bin/playbook check --for pre-commit"}


def test_the_hook_entry_fails_on_a_bad_edit_with_the_located_error(
        tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("kpis.yml", *TAGRET)
    # what pre-commit runs: the entry, from the repository root, without file names
    argv = shlex.split(manifest()["playbook-check"]["entry"])
    assert argv[0] == "playbook"
    result = warm.run("playbook.commands.cli", argv[1:], cwd=tmp_playbook.root, timeout=120)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [LOCATED]


def _git_repo(tmp_path: Path) -> Path:
    """The mini playbook, the schemas and this repository's hook config, in a fresh repo."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    shutil.copytree(REPO / "schema", root / "schema")
    # the hooks name .venv/bin/<tool>; here the tools are in the interpreter's bin folder,
    # the Python ones as stand-ins that run them on the worker's warm interpreter
    # (tests/warm_shim.py): what is tested is the hooks' configuration, not how Python starts
    config = (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for tool in ("playbook", "check-jsonschema"):
        config = config.replace(f".venv/bin/{tool} ", f"{warm.shims() / tool} ")
    (root / ".pre-commit-config.yaml").write_text(config.replace(".venv/bin/", f"{BIN}/"),
                                                  encoding="utf-8")
    (root / ".github").mkdir()
    out = warm.run("playbook.commands.cli", ["codeowners"], cwd=root)
    assert out.returncode == 0, out.stderr
    (root / ".github" / "CODEOWNERS").write_text(out.stdout, encoding="utf-8")
    lock = warm.run("playbook.commands.cli", ["lock"], cwd=root)
    assert lock.returncode == 0, lock.stderr  # the data contract, as committed
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def _pre_commit(root: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return subprocess.run([str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
                          cwd=root, env=env, capture_output=True, text=True, check=False,
                          timeout=300)


@pytest.mark.skipif(not (BIN / "pre-commit").is_file(), reason="pre-commit not installed")
def test_pre_commit_passes_a_good_playbook_and_fails_a_bad_edit(tmp_path: Path) -> None:
    root = _git_repo(tmp_path)
    good = _pre_commit(root, tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^playbook check\.+Passed$", good.stdout, re.MULTILINE)
    assert re.search(r"^schema kpis\.yml\.+Passed$", good.stdout, re.MULTILINE)
    assert re.search(r"^playbook lock --check\.+Passed$", good.stdout, re.MULTILINE)

    kpis = root / "program" / "mini" / "kpis.yml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace(*TAGRET), encoding="utf-8")
    bad = _pre_commit(root, tmp_path)
    assert bad.returncode == 1
    assert re.search(r"^playbook check\.+Failed$", bad.stdout, re.MULTILINE)
    assert LOCATED in bad.stdout.splitlines()
    assert re.search(r"^schema kpis\.yml\.+Failed$", bad.stdout, re.MULTILINE)
    assert ("program/mini/kpis.yml::$.kpis[0]: 'target' is a required property"
            in bad.stdout)
    assert re.search(r"^schema program\.yml\.+Passed$", bad.stdout, re.MULTILINE)
