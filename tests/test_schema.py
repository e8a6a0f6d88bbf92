"""The JSON Schemas editors use match the model, and the example playbook meets them.

The schemas are checked with the real validator editors and CI use
(``check-jsonschema``, its own script in its own process), not with the engine, so a file that
the engine accepts but an editor flags (or the reverse) shows up here.
``check-jsonschema`` loads YAML timestamps as strings, so ISO dates meet the
schema's ``"format": "date"`` strings without any conversion.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import warm
from conftest import MINI, RunCli
from pydantic import BaseModel

from playbook.model import FILES, schema

REPO = Path(__file__).resolve().parent.parent
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
"""The validator the editors' hooks run: its script, run by the warm interpreter
(tests/warm.py), which imported it once for every run."""
EXAMPLE_FILES = sorted((REPO / "program").glob("*/*.yml"))
MINI_FILES = sorted((MINI / "program").glob("*/*.yml"))


def test_the_committed_schemas_and_format_reference_are_current(
        run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """``playbook schema --check`` (the one run of it in ``make test``): else it names the
    stale files and says to run ``playbook schema``."""
    monkeypatch.chdir(REPO)
    assert run_cli("schema", "--check") == (0, "", "")


def test_the_schema_check_names_each_stale_file(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "schema"
    shutil.copytree(REPO / "schema", out)
    (out / "kpis.schema.json").write_text("{}\n", encoding="utf-8")
    (out / "format.md").unlink()
    assert run_cli("schema", "--check", "--out", out) == (1, "", (
        f"{out.as_posix()}/kpis.schema.json: stale; run 'playbook schema'\n"
        f"{out.as_posix()}/format.md: stale; run 'playbook schema'\n"))


def test_there_are_example_programs() -> None:
    assert {f.stem for f in EXAMPLE_FILES} == set(FILES)
    assert {f.stem for f in MINI_FILES} == set(FILES)


@pytest.mark.parametrize("file", EXAMPLE_FILES + MINI_FILES,
                         ids=lambda f: f.relative_to(REPO).as_posix())
def test_program_file_starts_with_its_modeline(file: Path) -> None:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first == schema.modeline(file.stem)
    assert first == f"# yaml-language-server: $schema=../../schema/{file.stem}.schema.json"


@pytest.mark.parametrize("file", EXAMPLE_FILES, ids=lambda f: f.relative_to(REPO).as_posix())
def test_example_modeline_points_at_a_schema(file: Path) -> None:
    target = file.read_text(encoding="utf-8").splitlines()[0].split("$schema=", 1)[1]
    assert (file.parent / target).resolve() == REPO / "schema" / f"{file.stem}.schema.json"


@pytest.mark.parametrize("stem", list(FILES))
def test_program_files_meet_their_schema(stem: str) -> None:
    files = [f for f in EXAMPLE_FILES + MINI_FILES if f.stem == stem]
    assert files
    result = warm.run(CHECK_JSONSCHEMA, ["--schemafile",
                                         REPO / "schema" / f"{stem}.schema.json", *files],
                      timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_rejects_what_the_engine_rejects(tmp_path: Path) -> None:
    """Guard the validator itself: a bad date and an unknown key must fail."""
    bad = tmp_path / "program.yml"
    text = (MINI / "program" / "mini" / "program.yml").read_text(encoding="utf-8")
    bad.write_text(text.replace("start: 2026-01-05", "start: 2026-13-01")
                   .replace("status: pilot", "status: pilot\ntagret: 1"), encoding="utf-8")
    result = warm.run(CHECK_JSONSCHEMA, ["--schemafile", REPO / "schema" / "program.schema.json",
                                         bad], timeout=120)
    assert result.returncode == 1
    assert "'2026-13-01' is not a 'date'" in result.stdout
    assert "'tagret' was unexpected" in result.stdout


PACKAGED_BENCHMARK = REPO / "playbook" / "benchmarks" / "lacerenza-2017.yml"


def _check_benchmark(path: Path) -> subprocess.CompletedProcess[str]:
    return warm.run(CHECK_JSONSCHEMA, ["--schemafile",
                                       REPO / "schema" / "benchmark.schema.json", path],
                    timeout=120)


def test_the_packaged_benchmark_file_meets_the_benchmark_schema() -> None:
    result = _check_benchmark(PACKAGED_BENCHMARK)
    assert result.returncode == 0, result.stdout + result.stderr


BENCHMARK_ERRORS = {
    "choice": ("  - criterion: learning\n", "  - criterion: learnin\n",
               "'learnin' is not one of ['reactions', 'learning', 'transfer', 'results']"),
    "number": ("    delta: 0.63\n", "    delta: large\n", "'large' is not of type 'number'"),
    "unknown-field": ("  year: 2017\n", "  year: 2017\n  tagret: 1\n", "'tagret' was unexpected"),
    "id": ("id: lacerenza-2017\n", "id: Lacerenza 2017\n", "'Lacerenza 2017' does not match"),
}
"""A mistake in a playbook's own benchmark file, by name: (text, its mistaken form, the
validator's message)."""


@pytest.fixture(scope="module")
def benchmark_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each mistaken benchmark file's error lines, from one run of the validator over all
    of them (a run is a second of CPU, nearly all of it start-up)."""
    text = PACKAGED_BENCHMARK.read_text(encoding="utf-8")
    files = {}
    for name, (old, new, _) in BENCHMARK_ERRORS.items():
        assert text.count(old) == 1, old
        bad = tmp_path_factory.mktemp(name) / "benchmarks" / "ours.yml"
        bad.parent.mkdir()
        bad.write_text(schema.modeline("benchmark") + "\n" + text.replace(old, new),
                       encoding="utf-8")
        files[name] = bad
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(REPO / "schema" / "benchmark.schema.json"),
         *map(str, files.values())], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    return {name: [line for line in result.stdout.splitlines()
                   if line.strip().startswith(f"{bad}::")] for name, bad in files.items()}


@pytest.mark.parametrize("name", list(BENCHMARK_ERRORS))
def test_an_error_in_a_benchmark_file_is_reported(benchmark_errors: dict[str, list[str]],
                                                  name: str) -> None:
    """What a playbook's own ``benchmarks/<name>.yml`` gets wrong, an editor flags."""
    message = BENCHMARK_ERRORS[name][2]
    assert any(message in line for line in benchmark_errors[name]), benchmark_errors[name]


def test_a_benchmark_file_modeline_finds_the_schema_from_benchmarks() -> None:
    line = schema.modeline("benchmark")
    assert line == "# yaml-language-server: $schema=../schema/benchmark.schema.json"
    target = REPO / "benchmarks" / line.split("$schema=", 1)[1]
    assert target.resolve() == REPO / "schema" / "benchmark.schema.json"
    assert (REPO / "playbook.yml").read_text(encoding="utf-8").splitlines()[0] == \
        schema.modeline("playbook")
    page = (REPO / "schema" / "format.md").read_text(encoding="utf-8")
    assert "## benchmarks/&lt;name&gt;.yml \\(a playbook's own research benchmarks" in page
    assert "### BenchmarkSource" in page and "### CriterionEffect" in page


def _models(tp: Any) -> list[type[BaseModel]]:
    """The model classes inside an annotation (Optional, list, dict, tuple, Annotated)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    if get_origin(tp) in (typing.Annotated, typing.Union, types.UnionType, list, dict, tuple):
        return [m for arg in get_args(tp) for m in _models(arg)]
    return []


def _all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = list(FILES.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for field in model.model_fields.values():
            todo.extend(_models(field.annotation))
    return sorted(seen, key=lambda m: m.__name__)


def test_the_model_walk_reaches_nested_models() -> None:
    names = {m.__name__ for m in _all_models()}
    assert {"Program", "Person", "RaciRow", "Hypothesis", "Kpi", "Target", "Source", "Gate",
            "Phase", "Vendor", "Cost", "AiTool", "AiOutcomes"} <= names


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    assert (model.__doc__ or "").strip(), f"{model.__name__} has no docstring"
    undocumented = [name for name, field in model.model_fields.items()
                    if not (field.description or "").strip()]
    assert undocumented == [], f"{model.__name__}: add a docstring under {undocumented}"


def test_example_playbook_checks_clean(run_cli: RunCli) -> None:
    code, out, err = run_cli("check", REPO)
    assert code == 0, out + err
