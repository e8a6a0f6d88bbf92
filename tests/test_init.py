"""``playbook init`` and ``playbook migrate``: a new organisation's repository, and its format.

The slow test is the one a new organisation lives through: the wheel built from
this repository, installed (not editable) into a fresh virtual environment with
the pinned constraints, ``playbook init`` in an empty folder, and there
``check``, ``schema --check``, ``mkdocs build --strict`` and ``pre-commit run
--all-files`` with the hooks ``init`` wrote (pre-commit installs the package
into an environment of its own, from the wheel built here).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import RunCli
from mkdocs.config import load_config

from playbook.commands import init
from playbook.model.settings import FORMAT_VERSION

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
START = date(2026, 3, 2)


def _init(run_cli: RunCli, folder: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("init", str(folder), "--start", START.isoformat(), *extra)


def test_init_writes_a_repository_that_checks_clean(run_cli: RunCli, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ours"
    code, out, err = _init(run_cli, root, "--title", 'Acme: "lead" playbook')
    assert (code, err) == (0, "")
    written = out.splitlines()
    assert written[-2:] == [".github/CODEOWNERS", "data/first-program/contracts.lock.yml"]
    assert {".gitignore", ".pre-commit-config.yaml", ".github/dependabot.yml",
            ".github/workflows/publish.yml", ".github/workflows/pull-request.yml",
            "README.md", "docs/index.md", "mkdocs.yml", "playbook.yml", "requirements.txt",
            "schema/format.md", "schema/kpis.schema.json", "schema/playbook.schema.json",
            "program/first-program/program.yml",
            "data/first-program/business_kpi.csv"} <= set(written)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == \
        sorted(written)
    config = load_config(str(root / "mkdocs.yml"))  # as MkDocs reads it (!ENV tags included)
    assert config["site_name"] == 'Acme: "lead" playbook'  # quoted, whatever the title
    assert "playbook" in config["plugins"] and config["strict"] is True
    assert yaml.safe_load((root / "playbook.yml").read_text("utf-8")) == {
        "format_version": FORMAT_VERSION}
    assert (root / "requirements.txt").read_text("utf-8").splitlines()[-1] == \
        f"mkdocs-playbook[site]=={init.version()}"
    monkeypatch.chdir(root)
    monkeypatch.setenv("PLAYBOOK_TODAY", START.isoformat())  # on day 0: no review due yet
    assert run_cli("lock", "--check")[0] == 0
    assert run_cli("check") == (0, "", "playbook check ok: 0 error(s), 0 finding(s), "
                                       "0 pending, 0 acknowledged\n")
    assert run_cli("schema", "--check")[0] == 0
    assert run_cli("codeowners", "--check")[0] == 0


def test_every_modeline_finds_its_schema_in_the_new_repository(tmp_path: Path) -> None:
    root = tmp_path / "ours"
    init.init(root, init.DEFAULT_TITLE, "pilot", START)
    files = [*root.glob("program/*/*.yml"), root / "playbook.yml"]
    assert len(files) == 9
    for path in files:
        first = path.read_text("utf-8").splitlines()[0]
        found = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert found, path
        assert (path.parent / found[1]).resolve().is_file(), path


def test_the_hooks_init_writes_are_the_published_hooks(tmp_path: Path) -> None:
    init.init(tmp_path / "ours", init.DEFAULT_TITLE, "pilot", START)
    config = yaml.safe_load((tmp_path / "ours" / ".pre-commit-config.yaml").read_text("utf-8"))
    written = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    for hook in published:
        mine = written[hook["id"]]
        assert {k: mine[k] for k in ("entry", "language", "pass_filenames", "files")} == \
            {k: hook[k] for k in ("entry", "language", "pass_filenames", "files")}
        assert mine["additional_dependencies"] == [f"mkdocs-playbook=={init.version()}"]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_init_refuses_a_folder_with_anything_in_it(run_cli: RunCli, tmp_path: Path,
                                                   what: str) -> None:
    root = tmp_path / "ours"
    root.mkdir()
    (root / "keep").mkdir() if what == "folder" else (root / "notes.txt").write_text("x")
    assert _init(run_cli, root) == (2, "", f"playbook init: '{root}' is not empty; nothing "
                                    "was written (init writes a new playbook into an empty "
                                    "or new folder; 'playbook new' adds a program to an "
                                    "existing one)\n")
    assert [p.name for p in root.rglob("*")] == ["keep" if what == "folder" else "notes.txt"]


@pytest.mark.parametrize(("args", "message"), [
    (("--title", "two\nlines"), "--title must be one line of text, at most 80 characters"),
    (("--title", "x" * 81), "--title must be one line of text, at most 80 characters"),
    (("--program", "Not An Id"),
     "'Not An Id' is not a lowercase kebab-case id such as 'decision-velocity'"),
])
def test_init_refuses_bad_values_and_writes_nothing(run_cli: RunCli, tmp_path: Path,
                                                    args: tuple[str, str], message: str) -> None:
    assert _init(run_cli, tmp_path / "ours", *args) == (2, "", f"playbook init: {message}\n")
    assert not (tmp_path / "ours").exists()


def test_init_refuses_a_file_and_a_link(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    for name in ("file", "link"):
        assert _init(run_cli, tmp_path / name) == (
            2, "", f"playbook init: '{tmp_path / name}' is not a folder; nothing was written\n")
    assert list((tmp_path / "empty").iterdir()) == []


def test_migrate_leaves_a_current_playbook_as_it_is(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "ours"
    init.init(root, init.DEFAULT_TITLE, "pilot", START)
    before = (root / "playbook.yml").read_bytes()
    assert run_cli("migrate", "--dir", str(root)) == (
        0, f"format version {FORMAT_VERSION} is current; nothing to migrate\n", "")
    assert (root / "playbook.yml").read_bytes() == before
    (root / "playbook.yml").write_text("publish: {}\n", encoding="utf-8")
    assert run_cli("migrate", "--dir", str(root)) == (
        0, f"format version {FORMAT_VERSION} is current; nothing to migrate\n",
        f"playbook.yml: format_version: not named, read as {FORMAT_VERSION}; add "
        f"'format_version: {FORMAT_VERSION}' to playbook.yml\n")


@pytest.mark.parametrize(("value", "message"), [
    (FORMAT_VERSION + 1, f"format version {FORMAT_VERSION + 1} is newer than this package "
                         f"reads ({FORMAT_VERSION}); upgrade mkdocs-playbook"),
    (0, "expected a value of at least 1, got the number 0"),
])
def test_a_format_version_this_package_does_not_read_is_refused(
        run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: int,
        message: str) -> None:
    root = tmp_path / "ours"
    init.init(root, init.DEFAULT_TITLE, "pilot", START)
    text = (root / "playbook.yml").read_text("utf-8")
    (root / "playbook.yml").write_text(text.replace(f"format_version: {FORMAT_VERSION}",
                                                    f"format_version: {value}"), "utf-8")
    located = f"playbook.yml:5:17: format_version: {message}"
    code, out, err = run_cli("migrate", "--dir", str(root))
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == located
    monkeypatch.chdir(root)
    code, out, _ = run_cli("check")
    assert code == 1
    assert out.splitlines()[0] == located


def _site_packages(venv: Path) -> Path:
    return venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"


def _seed_bytecode(venv: Path, *others: Path) -> None:
    """Give ``venv`` the bytecode the suite already compiled for the same files elsewhere.

    uv links an installed file to its cache, so the fresh environment's mkdocs, scipy,
    pydantic... are this repository's ``.venv`` files (same bytes, same mtime), and the
    hooks' environment has the wheel's files of ``others``. Their bytecode lives in the
    suite's cache (PYTHONPYCACHEPREFIX) under the other path, and each new path compiled
    all of it again (`init` alone: 4.8 → 2.9 CPU-s). Python checks a cached file against
    its source's mtime and size and compiles again where they differ (the wheel's own
    modules in the first environment), so a seed cannot change what runs.
    """
    if sys.pycache_prefix is None:  # conftest sets it; without it nothing is cached
        return
    prefix = Path(sys.pycache_prefix)
    into = prefix / _site_packages(venv).relative_to("/")
    for source in (Path(sys.prefix), *others):
        cached = prefix / _site_packages(source).relative_to("/")
        for pyc in cached.rglob("*.pyc"):
            target = into / pyc.relative_to(cached)
            if not target.exists():  # Python replaces a cached file, never writes into it
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(pyc, target)


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 900) -> str:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=timeout)
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.mark.site
def test_a_new_organisation_installs_the_wheel_and_starts_its_playbook(tmp_path: Path) -> None:
    # the tracked files only: a build in the work tree would leave an .egg-info there,
    # which the tests' import path would then read as a second installed package
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    source = tmp_path / "source"
    for rel in filter(None, files):
        if (REPO / rel).is_file():
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            (source / rel).write_bytes((REPO / rel).read_bytes())
    wheels = tmp_path / "wheels"
    _run([str(BIN / "uv"), "build", "-q", "--wheel", "--out-dir", str(wheels), str(source)],
         tmp_path)
    (wheel,) = wheels.glob("mkdocs_playbook-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"playbook/templates/new/kpis.yml", "playbook/templates/init/mkdocs.yml",
            "playbook/templates/init/dot-github/workflows/publish.yml",
            "playbook/assets/playbook-charts.js", "playbook_mkdocs/overrides/main.html",
            "playbook/benchmarks/lacerenza-2017.yml"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)

    venv = tmp_path / "venv"
    # without pip: uv installs the wheel, and ensurepip spent 6 s of CPU installing a pip
    # nothing here runs
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    # Both installs (this one, and pre-commit's environment for the hooks) go through uv
    # (pre-commit-uv makes pre-commit use it), with the same pins (UV_CONSTRAINT) and the
    # wheel built here (UV_FIND_LINKS): from uv's cache, which `make` filled, each takes
    # seconds; pip spent 44 s of CPU on each, unpacking the same wheels again. No bytecode
    # at install time (uv compiles none unless asked): Python compiles what it imports.
    env = {**os.environ, "UV_CONSTRAINT": str(REPO / "constraints.txt"),
           "UV_FIND_LINKS": str(wheels), "NO_MKDOCS_2_WARNING": "1",
           "PLAYBOOK_TODAY": "2026-06-01", "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
           "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)  # nothing of this repository on the path: the wheel alone
    _run([str(BIN / "uv"), "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
          f"{wheel}[site]"], tmp_path, env)
    _seed_bytecode(venv)
    bin_ = venv / "bin"
    shown = _run([str(bin_ / "python"), "-c", "import playbook; print(playbook.__file__)"],
                 tmp_path, env)
    assert shown.startswith(str(venv))  # installed, not this work tree

    root = tmp_path / "ours"
    root.mkdir()
    _run([str(bin_ / "playbook"), "init", ".", "--start", "2026-03-02"], root, env)
    assert "0 error(s), 0 finding(s)" in _run([str(bin_ / "playbook"), "check"], root, env)
    _run([str(bin_ / "playbook"), "schema", "--check"], root, env)
    built = _run([str(bin_ / "mkdocs"), "build", "--strict"], root, env)
    assert "WARNING" not in built, built
    assert (root / "site" / "programs" / "first-program" / "index.html").is_file()
    assert (root / "site" / "schema" / "kpis.schema.json").is_file()

    _run(["git", "init", "-q"], root)
    _run(["git", "add", "-A"], root)
    _run([str(BIN / "pre-commit"), "install-hooks"], root, env, timeout=1200)
    (hook_env,) = (tmp_path / "pre-commit").glob("repo*/py_env-*")
    _seed_bytecode(hook_env, venv)
    hooks = _run([str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"], root, env,
                 timeout=1200)
    for name in ("playbook check", "playbook codeowners --check", "playbook schema --check"):
        assert re.search(rf"^{re.escape(name)}\.+Passed$", hooks, re.MULTILINE), hooks
