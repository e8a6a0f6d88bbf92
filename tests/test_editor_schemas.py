"""Editors find the schemas: the YAML language server, in a repository made by ``init``.

The server (npm ``yaml-language-server``, as VS Code's YAML extension runs it)
opens every file of a new playbook: each modeline's schema loads and the file
is clean. Then one unknown field is injected into every file, and the server
flags each at the line and column ``playbook check`` names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import warm
from yamlls import SERVER, YamlLanguageServer

from playbook.commands import init
from playbook.model import schema

pytestmark = pytest.mark.browser
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$")
"""A located line of ``playbook check``."""
INJECTED = "tagret"
"""The unknown field appended to every file: a misspelt ``target``."""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, YamlLanguageServer]]:
    if not SERVER.is_file():
        pytest.fail(f"{SERVER} is missing: run `npm ci` (make browser-deps)")
    root = tmp_path / "ours"
    init.init(root, init.DEFAULT_TITLE, "pilot", date(2026, 3, 2))
    ls = YamlLanguageServer(root)
    try:
        yield root, ls
    finally:
        ls.close()


def _files(root: Path) -> list[Path]:
    return sorted([*root.glob("program/*/*.yml"), root / "playbook.yml"])


def test_every_schema_loads_and_every_new_file_is_clean(
        server: tuple[Path, YamlLanguageServer]) -> None:
    root, ls = server
    files = _files(root)
    assert len(files) == 9
    for path in files:
        assert ls.open(path) == [], path
    # the control: a modeline naming a schema that is not there is reported, so the
    # empty lists above are schemas found, not schemas skipped
    playbook = root / "playbook.yml"
    text = playbook.read_text(encoding="utf-8").replace("playbook.schema.json",
                                                        "missing.schema.json", 1)
    (message,) = [d["message"] for d in ls.edit(playbook, text)]
    assert message.startswith("Unable to load schema from"), message


def test_an_injected_error_is_flagged_where_check_locates_it(
        server: tuple[Path, YamlLanguageServer]) -> None:
    root, ls = server
    files = _files(root)
    for path in files:
        ls.open(path)
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{INJECTED}: 1\n")
    done = warm.run("playbook.commands.cli", ["check"], cwd=root, timeout=120)
    assert done.returncode == 1
    located = {m["file"]: (int(m["line"]), int(m["column"]))
               for m in map(LOCATED.match, done.stdout.splitlines())
               if m and f"unknown field '{INJECTED}'" in m["rest"]}
    assert sorted(located) == sorted(p.relative_to(root).as_posix() for p in files)
    for path in files:
        found = [(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1)
                 for d in ls.edit(path, path.read_text(encoding="utf-8"))
                 if d["message"] == f"Property {INJECTED} is not allowed."]
        assert found == [located[path.relative_to(root).as_posix()]], path


def test_this_repositorys_files_find_their_schemas_too() -> None:
    if not SERVER.is_file():
        pytest.fail(f"{SERVER} is missing: run `npm ci` (make browser-deps)")
    repo = Path(__file__).resolve().parents[1]
    ls = YamlLanguageServer(repo)
    try:
        files = _files(repo)
        assert len(files) >= 17
        for path in files:
            assert ls.open(path) == [], path
    finally:
        ls.close()


def test_a_benchmark_file_finds_its_schema_and_an_error_is_flagged_where_check_locates_it(
        server: tuple[Path, YamlLanguageServer]) -> None:
    """A playbook's own ``benchmarks/<name>.yml``, started with its modeline, is checked by
    the editor as ``playbook check`` checks it."""
    root, ls = server
    packaged = Path(__file__).resolve().parents[1] / "playbook" / "benchmarks" / \
        "lacerenza-2017.yml"
    text = packaged.read_text(encoding="utf-8").replace("id: lacerenza-2017\n",
                                                        "id: ours-2024\n", 1)
    path = root / "benchmarks" / "ours-2024.yml"
    path.parent.mkdir()
    path.write_text(f"{schema.modeline('benchmark')}\n{text}", encoding="utf-8")
    with (root / "playbook.yml").open("a", encoding="utf-8") as out:
        out.write("benchmarks:\n  files: [benchmarks/ours-2024.yml]\n")
    assert ls.open(path) == []
    assert ls.open(root / "playbook.yml") == []
    bad = path.read_text(encoding="utf-8").replace("  year: 2017\n",
                                                   f"  year: 2017\n  {INJECTED}: 1\n", 1)
    path.write_text(bad, encoding="utf-8")
    done = warm.run("playbook.commands.cli", ["check"], cwd=root, timeout=120)
    (located,) = [(int(m["line"]), int(m["column"]))
                  for m in map(LOCATED.match, done.stdout.splitlines())
                  if m and m["file"] == "benchmarks/ours-2024.yml"
                  and f"unknown field '{INJECTED}'" in m["rest"]]
    found = [(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1)
             for d in ls.edit(path, bad) if d["message"] == f"Property {INJECTED} is not allowed."]
    assert found == [located], done.stdout
