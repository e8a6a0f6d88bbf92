"""The engine's folders are its stages: no upward import, no import cycle anywhere.

``make lint`` runs import-linter with the contracts in ``pyproject.toml`` (once:
these tests check that it does, not run it again) and these tests add what a
layers contract cannot see: a cycle between two modules of one stage.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parents[1]
STAGES = ("model", "load", "checks", "figures", "pages", "review", "commands")


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.find_modules_directly_imported_by(node)):
            if not nxt.startswith("playbook"):
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return out


def test_no_import_cycle_between_engine_modules() -> None:
    assert _cycles(grimp.build_graph("playbook")) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("playbook.a", "playbook.b", "playbook.c"):
        graph.add_module(name)
    graph.add_import(importer="playbook.a", imported="playbook.b")
    graph.add_import(importer="playbook.b", imported="playbook.a")
    graph.add_import(importer="playbook.c", imported="playbook.a")
    assert _cycles(graph) == [["playbook.a", "playbook.b"]]


def test_the_layers_contract_names_every_stage_in_order() -> None:
    """``make lint`` runs import-linter on this contract (once: no test runs it again)."""
    with (REPO / "pyproject.toml").open("rb") as f:
        contracts = tomllib.load(f)["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    assert layers == ["hooks", "playbook_mkdocs", "playbook.commands", "playbook.review",
                      "playbook.pages", "playbook.engine", "playbook.figures", "playbook.checks",
                      "playbook.load", "playbook.model"]
    assert {f"playbook.{stage}" for stage in STAGES} <= set(layers)


def test_a_command_that_loads_by_itself_breaks_the_one_door_contract(tmp_path: Path) -> None:
    """The forbidden contract can fail: a command importing the loader is named."""
    for name in ("playbook", "playbook_mkdocs", "hooks"):
        shutil.copytree(REPO / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "playbook" / "commands" / "sneaky.py").write_text(
        '"""A command that wires the stages itself."""\n\n'
        "from playbook.checks.runner import run\n", encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")],
                            cwd=tmp_path, capture_output=True, text=True, check=False,
                            timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "playbook.commands is not allowed to import playbook.checks.runner" in result.stdout
    assert "playbook.commands.sneaky -> playbook.checks.runner" in result.stdout


def test_make_lint_keeps_the_contracts() -> None:
    """``make lint`` (which ``make test`` runs beside the tests) runs import-linter on the
    contracts."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "\t$(BIN)/lint-imports\n" in lint + "\n"
    test = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"^\t.*\$\(MAKE\) -s --no-print-directory lint\b", test, re.MULTILINE)
    assert tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["importlinter"]["contracts"]


def test_every_stage_is_a_package_with_a_docstring() -> None:
    for stage in STAGES:
        init = REPO / "playbook" / stage / "__init__.py"
        text = init.read_text(encoding="utf-8")
        assert text.startswith('"""') and len(text.split("\n\n")[0]) > 40, stage


def test_no_engine_function_is_longer_than_sixty_lines() -> None:
    import ast

    long = []
    for package in ("playbook", "playbook_mkdocs"):
        for path in sorted((REPO / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = (node.end_lineno or node.lineno) - node.lineno + 1
                    if lines > 60:
                        long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert long == []


def test_wide_records_are_built_by_keyword() -> None:
    """A dataclass of fifteen fields or more is never filled by position: a field added or
    moved would shift every value after it without a type error when types agree."""
    import ast

    trees = {path: ast.parse(path.read_text(encoding="utf-8"))
             for package in ("playbook", "playbook_mkdocs")
             for path in sorted((REPO / package).rglob("*.py"))}
    wide = {node.name for tree in trees.values() for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and any((isinstance(d, ast.Name) and d.id == "dataclass")
                    or (isinstance(d, ast.Call) and getattr(d.func, "id", "") == "dataclass")
                    for d in node.decorator_list)
            and sum(isinstance(s, ast.AnnAssign) for s in node.body) >= 15}
    assert {"ProgramFigures", "RoiFigures", "KpiBenefit", "KpiEffect"} <= wide
    positional = [f"{path.relative_to(REPO)}:{node.lineno} {node.func.id}"
                  for path, tree in trees.items() for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in wide and len(node.args) > 2]
    assert positional == []
