"""The link corpus: a committed symlink at every path a command reads or writes.

A pull request controls everything under ``program/`` and ``data/``, symlinks
included. For every command that reads or writes (``check``, ``pull``,
``diff``, ``sign``, ``codeowners``, ``schema``, ``pages``, ``new``, DuckDB
sources and queries), each path component it touches is replaced by a link
to a place inside the repository, outside it, into ``.git/`` and at an
ignored file (``.env``, the virtualenv's ``bin/``). Every one is refused with
a located error whose text is asserted; afterwards no byte has changed
anywhere (the link targets keep their bytes and dates, no file appeared),
no target was opened (an audit hook watches every ``open`` of this process),
and the secret the targets hold appears in no output.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from conftest import RunCli, TmpPlaybook

from playbook import engine
from playbook.load import warehouse
from playbook.load.csv_table import Table
from playbook.load.safewrite import WriteRefused, write_files

SECRET = "SECRET-LINK-4711"
KINDS = ("inside", "outside", "git", "ignored")
"""Where a link leads: a folder of the repository, outside it, ``.git/``, an ignored file."""
TODAY = date(2026, 11, 24)
FOLDERS = {"program", "data", "mini", "snapshots", "sub", ".github", "schema", "docs",
           "site-docs", "programs", "downloads", "team"}
"""The names linked in these tests that stand for folders (a link to a folder replaces them)."""

READ_FILE = "(replace the link with the file itself: nothing is read through a link)"
READ_FOLDER = "(replace the link with the folder itself: nothing is read through a link)"
WRITE_FOLDER = ("is a symbolic link, and nothing is written through one (replace the link "
                "with a real folder or remove it; nothing was written)")
WRITE_FILE = ("is a symbolic link, and nothing is written through one (remove the link; the "
              "command writes the file itself; nothing was written)")
BOARD = "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n"
BOARD_LINE = "program/mini/kpis.yml:26:20: kpis[1].source"
QUERY_LINE = "program/mini/kpis.yml:26:21: kpis[1].source"

# --- watching every open of this process ------------------------------------------------

_watched: set[str] = set()
_opened: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _watched or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    try:
        real = os.path.realpath(os.fsdecode(args[0]))
    except (OSError, ValueError):
        return
    if real in _watched:
        _opened.append(real)


sys.addaudithook(_audit)  # cannot be removed: it does nothing while nothing is watched


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def tree_state(top: Path) -> dict[str, tuple[str, ...]]:
    """Every entry under ``top``, never following a link: kind, bytes and file date."""
    out: dict[str, tuple[str, ...]] = {}
    for here, folders, files in os.walk(top):
        for name in folders + files:
            path = Path(here) / name
            info = os.lstat(path)
            rel = path.relative_to(top).as_posix()
            if os.path.islink(path):
                out[rel] = ("link", os.readlink(path))
            elif path.is_file():
                out[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(),
                            str(info.st_mtime_ns))
            else:
                out[rel] = ("folder",)
    return out


@dataclass
class World:
    """The mini playbook in a git repository, the link targets, and the secret they hold."""

    root: Path
    outside: Path
    before: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def targets(self, kind: str) -> tuple[Path, Path]:
        """The file and the folder a link of ``kind`` leads to."""
        return {
            "inside": (self.root / "notes" / "board_use.csv", self.root / "notes"),
            "outside": (self.outside / "board_use.csv", self.outside),
            "git": (self.root / ".git" / "config", self.root / ".git"),
            "ignored": (self.root / ".env", self.root / ".venv" / "bin"),
        }[kind]

    def link(self, rel: str, kind: str) -> None:
        """Replace ``rel`` (a file or a folder, present or not) by a link of ``kind``."""
        path = self.root / rel
        folder = path.name in FOLDERS
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        target = self.targets(kind)[1 if folder else 0]
        # committed links are relative when they stay in the repository
        os.symlink(target if kind == "outside" else os.path.relpath(target, path.parent), path)

    def freeze(self) -> None:
        """Remember every byte, then watch every target file for an open."""
        self.before = {"root": tree_state(self.root), "outside": tree_state(self.outside)}
        _watched.clear()
        _opened.clear()
        for kind in KINDS:
            file, folder = self.targets(kind)
            _watched.update(os.path.realpath(p) for p in [file, *folder.rglob("*")]
                            if p.is_file())

    def assert_untouched(self, *outputs: str) -> None:
        """Nothing changed, nothing opened, no secret shown."""
        _watched.clear()
        assert _opened == []
        assert {"root": tree_state(self.root), "outside": tree_state(self.outside)} == \
            self.before
        for text in outputs:
            assert SECRET not in text
            assert "Traceback" not in text
            assert str(self.outside) not in text  # a target outside is never named


@pytest.fixture
def world(tmp_playbook: TmpPlaybook, tmp_path: Path) -> Iterator[World]:
    root = tmp_playbook.root
    _git(root, "init", "-q")
    with (root / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(f"# token: {SECRET}\n")
    # each target file is a valid export: a link followed would read it without an error
    board = (root / "data" / "mini" / "board_use.csv").read_text(encoding="utf-8")
    secret_board = board + "2026-04-30,47.11\n" + f"# {SECRET}\n"
    outside = tmp_path / "outside"
    for file in (root / "notes" / "board_use.csv", outside / "board_use.csv",
                 root / ".venv" / "bin" / "board_use.csv"):
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(secret_board, encoding="utf-8")
    (root / ".venv" / "bin" / "activate").write_text(f"echo {SECRET}\n", encoding="utf-8")
    (root / ".env").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    yield World(root, outside)
    _watched.clear()


def _lines(err: str) -> list[str]:
    return err.splitlines()


# --- check: program files, data files and their folders ---------------------------------

CHECKED = [
    ("playbook.yml", f"playbook.yml:1:1: 'playbook.yml' is a symbolic link {READ_FILE}"),
    ("program", f"program:1:1: 'program' is a symbolic link {READ_FOLDER}"),
    ("program/mini", f"program/mini:1:1: 'program/mini' is a symbolic link {READ_FOLDER}"),
    ("program/mini/kpis.yml",
     f"program/mini/kpis.yml:1:1: 'program/mini/kpis.yml' is a symbolic link {READ_FILE}"),
    ("data", f"data:1:1: 'data' is a symbolic link {READ_FOLDER}"),
    ("data/mini", f"data/mini:1:1: 'data/mini' is a symbolic link {READ_FOLDER}"),
    ("data/mini/board_use.csv",
     f"{BOARD_LINE}.file: 'data/mini/board_use.csv' is a symbolic link {READ_FILE}"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "line"), CHECKED, ids=[rel for rel, _ in CHECKED])
def test_check_reads_through_no_link(world: World, run_cli: RunCli, rel: str, line: str,
                                     kind: str) -> None:
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("check", world.root)
    world.assert_untouched(out, err)
    assert code == 1
    assert line in out.splitlines()


def test_a_file_below_a_linked_folder_names_the_link(world: World, run_cli: RunCli) -> None:
    world.link("data/mini", "inside")
    world.freeze()
    code, out, err = run_cli("check", world.root)
    world.assert_untouched(out, err)
    assert code == 1
    assert f"{BOARD_LINE}.file: 'data/mini/board_use.csv' is reached through the symbolic " \
           f"link 'data/mini' {READ_FOLDER}" in out.splitlines()


# --- DuckDB: Parquet and JSON sources, .sql files, and what a query opens ---------------

def _query(book: TmpPlaybook, query: str) -> None:
    book.edit("kpis.yml", BOARD, f"    source: {{query: \"{query}\", date: month, "
              "value: pct}\n")


QUERY_REFUSED = ("{line}.query: query error: the query may read only the files of its "
                 "program's data folder; '{name}' is not one of them (fix the query; it runs "
                 "in DuckDB over the program's data files)")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", ["jsonl-file", "sql-file", "query-file", "query-folder",
                                  "query-folder-and-back"])
def test_duckdb_opens_nothing_through_a_link(world: World, run_cli: RunCli,
                                             tmp_playbook: TmpPlaybook, case: str,
                                             kind: str) -> None:
    if case == "jsonl-file":
        tmp_playbook.edit("kpis.yml", BOARD, "    source: {file: data/mini/board.jsonl, "
                          "date: month, value: pct}\n")
        world.link("data/mini/board.jsonl", kind)
        line = f"{BOARD_LINE}.file: 'data/mini/board.jsonl' is a symbolic link {READ_FILE}"
    elif case == "sql-file":
        tmp_playbook.edit("kpis.yml", BOARD, "    source: {query_file: data/mini/board.sql, "
                          "date: month, value: pct}\n")
        world.link("data/mini/board.sql", kind)
        line = ("program/mini/kpis.yml:26:26: kpis[1].source.query_file: 'data/mini/board.sql' "
                f"is a symbolic link {READ_FILE}")
    elif case == "query-file":
        _query(tmp_playbook, "SELECT * FROM 'data/mini/link.csv'")
        world.link("data/mini/link.csv", kind)
        line = QUERY_REFUSED.format(line=QUERY_LINE, name="data/mini/link.csv")
    else:  # a folder of the data folder that is a link, named on its own or to come back
        name = ("data/mini/sub/board_use.csv" if case == "query-folder"
                else "data/mini/sub/../board_use.csv")
        _query(tmp_playbook, f"SELECT * FROM '{name}'")
        world.link("data/mini/sub", kind)
        line = QUERY_REFUSED.format(line=QUERY_LINE, name=name)
    world.freeze()
    code, out, err = run_cli("check", world.root)
    world.assert_untouched(out, err)
    assert code == 1
    assert line in out.splitlines(), out
    assert "47.11" not in out


@pytest.mark.parametrize("name", ["data/mini/.env.csv", "data/mini/.hidden/board.csv",
                                  "data/other/board.csv", "program/mini/board.csv"])
def test_a_source_reads_only_its_programs_data_and_no_dot_name(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, name: str) -> None:
    tmp_playbook.write(name, tmp_playbook.read("data/mini/board_use.csv"))
    tmp_playbook.edit("kpis.yml", "file: data/mini/board_use.csv", f"file: {name}")
    hidden = "/." in name
    message = (f"'{name}' is a hidden file or in a hidden folder (rename it without the "
               "leading '.': names starting with a dot are never read)" if hidden else
               f"'{name}' is not in the program's data folder (put the file under "
               "data/mini/: a source reads only its own program's data)")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 1
    assert f"{BOARD_LINE}.file: {message}" in out.splitlines()
    tmp_playbook.edit("kpis.yml", f"{{file: {name}, ", f"{{query: \"SELECT * FROM '{name}'\", ")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 1
    assert QUERY_REFUSED.format(line=QUERY_LINE, name=name) in out.splitlines()


# --- pull: the snapshots folder and the snapshot file -----------------------------------

SNAPSHOT = "data/mini/snapshots/board-use.csv"
WRITTEN = [("data", WRITE_FOLDER), ("data/mini", WRITE_FOLDER),
           ("data/mini/snapshots", WRITE_FOLDER), (SNAPSHOT, WRITE_FILE)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "what"), WRITTEN, ids=[rel for rel, _ in WRITTEN])
def test_the_snapshot_writer_writes_through_no_link(world: World, rel: str, what: str,
                                                    kind: str) -> None:
    world.link(rel, kind)
    world.freeze()
    with pytest.raises(WriteRefused) as refused:
        warehouse.write_snapshots(world.root, [(world.root / "data/mini/other.csv", "a\n"),
                                               (world.root / SNAPSHOT, "month,pct\n")])
    world.assert_untouched(str(refused.value))
    assert str(refused.value) == f"{rel}:1:1: '{rel}' {what}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "what"), WRITTEN, ids=[rel for rel, _ in WRITTEN])
def test_pull_writes_through_no_link(world: World, tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                     monkeypatch: pytest.MonkeyPatch, rel: str, what: str,
                                     kind: str) -> None:
    tmp_playbook.write("./playbook.yml", "connections:\n  warehouse:\n    env: LINKS_URL\n")
    tmp_playbook.edit("kpis.yml", BOARD, "    source: {connection: warehouse, query: "
                      "\"SELECT 1\", date: month, value: pct}\n")
    monkeypatch.setenv("LINKS_URL", "postgresql://nobody@localhost/none")
    result = Table(SNAPSHOT, ["month", "pct"], [(1, ["2026-01-31", "22"])], decimal_comma=False)
    monkeypatch.setattr(warehouse, "run", lambda *args, **kwargs: result)  # no warehouse
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("pull", "--dir", world.root)
    world.assert_untouched(out, err)
    assert code == 1
    if rel in ("data", "data/mini"):
        # the program's data is hidden by the link: pull names the errors check names
        assert err.splitlines()[0] == f"{rel}:1:1: '{rel}' is a symbolic link {READ_FOLDER}"
        assert err.endswith("no snapshot written\n")
    else:  # what the pull replaces is only refused where it is written
        assert err == f"playbook pull: {rel}:1:1: '{rel}' {what}\n"


# --- diff: the work tree is read as the loader reads it ---------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "line"), CHECKED[1:4], ids=[rel for rel, _ in CHECKED[1:4]])
def test_diff_reads_the_work_tree_through_no_link(world: World, run_cli: RunCli, rel: str,
                                                  line: str, kind: str) -> None:
    _git(world.root, "add", "program", "data")
    _git(world.root, "commit", "-qm", "base")
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("diff", "HEAD", "--dir", world.root, "--today", "2026-11-24")
    world.assert_untouched(out, err)
    assert (code, out) == (1, "")
    assert _lines(err) == ["errors at the head (work tree):", line]


@pytest.mark.parametrize("kind", KINDS)
def test_diff_reads_no_data_through_a_link(world: World, run_cli: RunCli, kind: str) -> None:
    _git(world.root, "add", "program", "data")
    _git(world.root, "commit", "-qm", "base")
    world.link("data/mini/board_use.csv", kind)
    world.freeze()
    code, out, err = run_cli("diff", "HEAD", "--dir", world.root, "--today", "2026-11-24")
    world.assert_untouched(out, err)
    assert (code, out) == (1, "")  # the head's error, located, as `playbook check` names it
    assert _lines(err) == ["errors at the head (work tree):", CHECKED[6][1]]
    assert "47.11" not in err


# --- sign, codeowners, schema, pages, new ------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "line"), [CHECKED[i] for i in (1, 2, 6)] + [
    ("program/mini/program.yml", "program/mini/program.yml:1:1: 'program/mini/program.yml' "
     f"is a symbolic link {READ_FILE}")], ids=["program", "program/mini", "data-file",
                                               "program.yml"])
def test_sign_reads_and_writes_through_no_link(world: World, run_cli: RunCli, rel: str,
                                               line: str, kind: str) -> None:
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-11-24",
                             "--dir", world.root)
    world.assert_untouched(out, err)
    assert code == 1
    assert _lines(err)[0] == "playbook sign: fix these errors before signing:"
    assert line in _lines(err)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "what"), [(".github", WRITE_FOLDER),
                                           (".github/CODEOWNERS", WRITE_FILE)])
def test_codeowners_writes_and_checks_through_no_link(world: World, run_cli: RunCli,
                                                      rel: str, what: str, kind: str) -> None:
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("codeowners", "--write", "--dir", world.root)
    world.assert_untouched(out, err)
    assert (code, out, err) == (1, "", f"playbook codeowners: {rel}:1:1: '{rel}' {what}\n")
    world.freeze()
    code, out, err = run_cli("codeowners", "--check", "--dir", world.root)
    world.assert_untouched(out, err)
    hint = READ_FOLDER if rel == ".github" else READ_FILE
    how = "is a symbolic link" if rel == ".github/CODEOWNERS" else \
        "is reached through the symbolic link '.github'"
    assert (code, out, err) == (1, "", f".github/CODEOWNERS:1:1: '.github/CODEOWNERS' {how} "
                                       f"{hint}\n")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("out_dir", "rel", "what"), [
    ("schema", "schema", WRITE_FOLDER), ("schema", "schema/kpis.schema.json", WRITE_FILE),
    ("schema", "schema/format.md", WRITE_FILE), ("docs/schema", "docs", WRITE_FOLDER)])
def test_schema_writes_through_no_link(world: World, run_cli: RunCli,
                                       monkeypatch: pytest.MonkeyPatch, out_dir: str, rel: str,
                                       what: str, kind: str) -> None:
    monkeypatch.chdir(world.root)
    (world.root / out_dir).mkdir(parents=True)
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("schema", "--out", out_dir)
    world.assert_untouched(out, err)
    assert (code, out, err) == (1, "", f"playbook schema: {rel}:1:1: '{rel}' {what}\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The mini playbook built once: ``pages`` is about where it writes, not what."""
    from conftest import MINI

    root = tmp_path_factory.mktemp("built") / "playbook"
    shutil.copytree(MINI, root)
    return engine.build(root, TODAY)


PAGES = [("site-docs", WRITE_FOLDER), ("site-docs/programs", WRITE_FOLDER),
         ("site-docs/programs/mini", WRITE_FOLDER),
         ("site-docs/programs/mini/index.md", WRITE_FILE),
         ("site-docs/programs/mini/downloads", WRITE_FOLDER),
         ("site-docs/programs/mini/downloads/figures.json", WRITE_FILE)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "what"), PAGES, ids=[rel for rel, _ in PAGES])
def test_pages_writes_through_no_link(world: World, run_cli: RunCli, built: Any,
                                      monkeypatch: pytest.MonkeyPatch, rel: str, what: str,
                                      kind: str) -> None:
    monkeypatch.setattr(engine, "build", lambda *args, **kwargs: built)
    (world.root / "site-docs").mkdir()
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("pages", "--out", world.root / "site-docs", "--dir", world.root)
    world.assert_untouched(out, err)
    assert (code, out, err) == (1, "", f"playbook pages: {rel}:1:1: '{rel}' {what}\n")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rel", ["program", "data", "program/team", "data/team",
                                 "data/team/business_kpi.csv"])
def test_new_writes_through_no_link(world: World, run_cli: RunCli, rel: str,
                                    kind: str) -> None:
    world.link(rel, kind)
    world.freeze()
    code, out, err = run_cli("new", "team", "--dir", world.root, "--start", "2026-01-05")
    world.assert_untouched(out, err)
    if rel in ("program", "data", "data/team"):
        assert (code, out, err) == (1, "", f"playbook new: {rel}:1:1: '{rel}' "
                                           f"{WRITE_FOLDER}\n")
    else:  # the name is taken, if only by a link
        assert (code, out, err) == (2, "", f"playbook new: {rel} already exists; nothing "
                                           "was changed\n")


@pytest.mark.parametrize("kind", KINDS)
def test_schema_check_reads_through_no_link(world: World, run_cli: RunCli,
                                            monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.chdir(world.root)
    assert run_cli("schema")[0] == 0
    world.link("schema/kpis.schema.json", kind)
    world.freeze()
    code, out, err = run_cli("schema", "--check")
    world.assert_untouched(out, err)
    assert (code, out, _lines(err)) == (1, "", [
        f"schema/kpis.schema.json:1:1: 'schema/kpis.schema.json' is a symbolic link {READ_FILE}",
        "schema/kpis.schema.json: stale; run 'playbook schema'"])


# --- the writer itself ------------------------------------------------------------------

def test_the_writer_writes_whole_files_in_new_real_folders(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "kept.txt").write_text("old\n", encoding="utf-8")
    (root / "kept.txt").chmod(0o600)
    assert write_files(root, [("a/b/new.txt", b"new\n"), ("kept.txt", b"changed\n")]) == [
        PurePosixPath("a/b/new.txt"), PurePosixPath("kept.txt")]
    assert (root / "a" / "b" / "new.txt").read_bytes() == b"new\n"
    assert (root / "kept.txt").read_bytes() == b"changed\n"
    assert (root / "kept.txt").stat().st_mode & 0o777 == 0o600  # the file's own mode kept
    assert sorted(p.name for p in root.rglob("*")) == ["a", "b", "kept.txt", "new.txt"]


@pytest.mark.parametrize(("make", "rel", "message"), [
    (lambda root: None, "../escape.txt",
     "../escape.txt:1:1: '../escape.txt' is outside the folder written into (write only "
     "below the playbook folder; nothing was written)"),
    (lambda root: (root / "a").write_text("x"), "a/b.txt",
     "a:1:1: 'a' is a file, not a folder (move it out of the way; nothing was written)"),
    (lambda root: os.mkfifo(root / "pipe"), "pipe",
     "pipe:1:1: 'pipe' is a named pipe (FIFO), not a file (move it out of the way; nothing "
     "was written)"),
    (lambda root: (root / "folder.txt").mkdir(), "folder.txt",
     "folder.txt:1:1: 'folder.txt' is a folder, not a file (move it out of the way; nothing "
     "was written)"),
])
def test_the_writer_refuses_what_is_in_the_way(tmp_path: Path, make: Any, rel: str,
                                               message: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    make(root)
    before = tree_state(tmp_path)
    with pytest.raises(WriteRefused) as refused:
        write_files(root, [("first.txt", b"1"), (rel, b"2")])
    assert str(refused.value) == message
    assert tree_state(tmp_path) == before  # not even the first file


def test_an_output_folder_outside_the_playbook_is_named_as_given(
        world: World, run_cli: RunCli, built: Any, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setattr(engine, "build", lambda *args, **kwargs: built)
    out = tmp_path / "pages"
    (out / "programs").mkdir(parents=True)
    os.symlink(world.root / ".git", out / "programs" / "mini")
    world.freeze()
    code, _, err = run_cli("pages", "--out", out, "--dir", world.root)
    world.assert_untouched(err)
    shown = f"{out.as_posix()}/programs/mini"
    assert (code, err) == (1, f"playbook pages: {shown}:1:1: '{shown}' {WRITE_FOLDER}\n")


# --- the build: what the MkDocs plugin asks the engine for ------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("rel", "line"), CHECKED, ids=[rel for rel, _ in CHECKED])
def test_the_build_reads_through_no_link(world: World, rel: str, line: str,
                                         kind: str) -> None:
    world.link(rel, kind)
    world.freeze()
    data, problems = engine.build(world.root, TODAY)
    world.assert_untouched(*(str(p) for p in problems))
    assert line in [str(p) for p in problems.errors]
    assert data is None or not data.programs  # no page is built from the program


def test_a_strict_mkdocs_build_stops_at_a_linked_data_file(tmp_path: Path) -> None:
    from sites import mkdocs_build, tiny_site

    root = tiny_site(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("month,value\n2026-01-31,4711.0815\n", encoding="utf-8")
    data = sorted((root / "data" / "tiny").glob("*.csv"))[0]
    data.unlink()
    data.symlink_to(secret)
    rel = data.relative_to(root).as_posix()
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode != 0
    assert f"'{rel}' is a symbolic link {READ_FILE}" in result.stderr
    assert "4711" not in result.stderr + result.stdout
    assert not site.exists()
