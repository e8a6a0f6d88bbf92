"""Benchmark files → the published effects each program's effects are placed against.

The package ships ``playbook/benchmarks/*.yml`` (Lacerenza et al., 2017); a
playbook adds its own ``benchmarks/<name>.yml`` files, or replaces the packaged
ones, in ``playbook.yml`` (``benchmarks: {files: […], packaged: false}``). Each
file is read like a program file (never through a link, size-capped) and
validated with located errors; a broken file contributes nothing.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Final

from playbook.load import yaml_source as yamlsrc
from playbook.load.program_files import read_program_file
from playbook.load.validate import validate
from playbook.model.benchmarks import BenchmarkSource
from playbook.model.problems import Problem
from playbook.model.settings import Benchmarks

PACKAGED: Final = ("lacerenza-2017.yml",)
"""The benchmark files shipped in the package, in the order they apply."""


# every program's load asks for the playbook's benchmark files: each is read every time
# (a changed file is never served stale) but parsed and validated once per content
@lru_cache(maxsize=32)
def _parse(raw: bytes, shown: str) -> tuple[BenchmarkSource | None, tuple[Problem, ...]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, (Problem(shown, 1, 1, "", "not UTF-8 text", "save the file as UTF-8"),)
    source, problems = yamlsrc.parse(text, shown)
    if source.data is None:
        return None, tuple(problems) or (Problem(
            shown, 1, 1, "", "the file is empty",
            "copy the packaged lacerenza-2017.yml as a start"),)
    obj, found = validate(BenchmarkSource, source)
    return obj, (*problems, *found)


@lru_cache(maxsize=1)
def packaged() -> tuple[BenchmarkSource, ...]:
    """The benchmark sources shipped in the package (read once per process).

    Raises:
        ValueError: A packaged file is invalid (a defect of the package, caught by its tests).
    """
    out = []
    for name in PACKAGED:
        raw = resources.files("playbook").joinpath("benchmarks", name).read_bytes()
        obj, problems = _parse(raw, f"playbook/benchmarks/{name}")
        if obj is None or problems:
            raise ValueError("; ".join(str(p) for p in problems))
        out.append(obj)
    return tuple(out)


def load_benchmarks(root: Path, settings: Benchmarks
                    ) -> tuple[tuple[BenchmarkSource, ...], list[Problem]]:
    """The benchmark sources that apply, the playbook's own first, and their problems.

    Args:
        root: The playbook folder.
        settings: ``benchmarks:`` of ``playbook.yml``.

    Returns:
        The valid sources (a playbook file before the packaged ones, so its effect for a
        criterion wins) and every problem of the playbook's files.
    """
    found: list[BenchmarkSource] = []
    problems: list[Problem] = []
    for rel in settings.files:
        before = len(problems)
        raw = read_program_file(root / rel, root, rel, problems)
        if raw is None:
            if len(problems) == before:  # absent: a refused file has its problem already
                problems.append(Problem(rel, 1, 1, "", "benchmark file not found",
                                        "create it or remove it from benchmarks.files in "
                                        "playbook.yml"))
            continue
        obj, more = _parse(raw, rel)
        problems.extend(more)
        if obj is not None:
            found.append(obj)
    return (*found, *(packaged() if settings.packaged else ())), problems
