"""A playbook's programs at a git revision, or in the work tree, as plain model data.

Both sides of ``playbook diff`` and of a sign-off check are read here: each
program file is parsed and validated by the loader's rules, and a program's
query files and warehouse connections are added as a sign-off's digest counts
them, so a changed definition shows as a change (:mod:`.diff` compares two).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from playbook.load import yaml_source as yamlsrc
from playbook.load.program_files import read_program_file
from playbook.load.safefiles import folder_refusal, locate, locate_data
from playbook.load.signoffs import DEFINITIONS, definitions_of
from playbook.load.validate import validate
from playbook.model import FILES
from playbook.model.problems import Problem
from playbook.model.settings import Settings
from playbook.review.git import LINK, blob, blobs, resolve, tree

Snapshot = dict[str, dict[str, Any]]
"""Program id → file stem → plain model data."""


def _is_program_file(rel: str) -> bool:
    """Whether ``rel`` names a file of the model: ``program/<id>/<stem>.yml``."""
    parts = rel.split("/")
    return len(parts) == 3 and parts[2].endswith(".yml") and parts[2][:-4] in FILES


def read_files(files: dict[str, str]) -> tuple[Snapshot, list[Problem]]:
    """Validate ``{'program/<id>/<stem>.yml': text}`` into a snapshot."""
    snapshot: Snapshot = {}
    problems: list[Problem] = []
    for rel, content in sorted(files.items()):
        if not _is_program_file(rel):
            continue
        parts = rel.split("/")
        stem = parts[2][:-4]
        source, found = yamlsrc.parse(content, rel)
        problems.extend(found)
        obj, found = validate(FILES[stem], source)
        problems.extend(found)
        if obj is not None:
            snapshot.setdefault(parts[1], {})[stem] = obj.model_dump(mode="json")
    return snapshot, problems


def _work_tree(root: Path, problems: list[Problem]) -> dict[str, bytes]:
    """The work tree's program files, read as the loader reads them: no folder listed and
    no file read through a link, no FIFO opened, no file over its limit."""
    top, files = root / "program", {}
    # hidden and underscore folders are no programs, to the loader either
    folders = sorted(p for p in top.iterdir() if p.name[0] not in "._") \
        if top.is_dir() and not top.is_symlink() else []
    for folder in [top, *folders]:
        rel = folder.relative_to(root).as_posix()
        refused = folder_refusal(folder, root, rel)
        if refused is not None:
            problems.append(Problem(rel, 1, 1, "", refused.message, refused.hint))
        elif folder != top and folder.is_dir():
            for name in (f"{rel}/{stem}.yml" for stem in FILES):
                raw = read_program_file(root / name, root, name, problems)
                if raw is not None:
                    files[name] = raw
    return files


def snapshot_at(root: Path, rev: str | None) -> tuple[Snapshot, list[Problem]]:
    """Read every program at git revision ``rev`` (``None``: the work tree).

    Raises:
        DiffError: ``rev`` is not a commit, or git cannot read it.
    """
    problems: list[Problem] = []
    raw = _work_tree(root, problems) if rev is None else {}
    wanted: dict[str, str] = {}
    for name, mode, oid in tree(root, resolve(root, rev), "program") if rev is not None else ():
        if not _is_program_file(name):
            continue
        if mode == LINK:
            # git stores a link as its target's name; never read that as YAML
            problems.append(Problem(name, 1, 1, "", "a symbolic link, not a file",
                                    "commit the file itself"))
            continue
        wanted[name] = oid
    contents = dict(blobs(root, wanted.values()))
    raw.update((name, contents[oid]) for name, oid in wanted.items())
    files: dict[str, str] = {}
    for name, data in raw.items():
        try:
            files[name] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(Problem(name, 1, 1, "", "not UTF-8 text", "save the file as UTF-8"))
    snapshot, found = read_files(files)
    _add_definitions(root, rev, snapshot)
    return snapshot, [*problems, *found]


def _add_definitions(root: Path, rev: str | None, snapshot: Snapshot) -> None:
    """Add to each program what defines its figures outside its YAML files, as a
    sign-off's digest counts it (:func:`playbook.load.signoffs.definitions_of`).

    A query file is read by the loader's rule: only below the program's own
    ``data/<id>/``, no dot names, no link (the comment shows its text).
    """
    if not any(files.get("kpis") for files in snapshot.values()):
        return
    oids: dict[str, str] = {}
    if rev is not None:
        commit = resolve(root, rev)
        oids = {name: oid for name, mode, oid in tree(root, commit, "data", "playbook.yml")
                if mode != LINK}
    if rev is None:
        found = locate(root / "playbook.yml", root, "playbook.yml")
        settings = _text(found.read_bytes()) if isinstance(found, Path) else None
    else:
        settings = _text(blob(root, oids["playbook.yml"])) if "playbook.yml" in oids else None
    connections: dict[str, Any] = {}
    if settings is not None:
        obj, _ = validate(Settings, yamlsrc.parse(settings, "playbook.yml")[0])
        if isinstance(obj, Settings):
            connections = {n: c.model_dump(mode="json") for n, c in obj.connections.items()}
    for program, files in snapshot.items():
        defined = definitions_of(files.get("kpis"), _query_reader(root, rev, oids, program),
                                 connections)
        if defined is not None:
            files[DEFINITIONS] = defined


def _query_reader(root: Path, rev: str | None, oids: Mapping[str, str],
                  program: str) -> Callable[[str], str | None]:
    """Reads one program's query files, at ``rev`` or in the work tree."""
    def read(rel: str) -> str | None:
        if rev is None:
            real = locate_data(rel, root, program)
            return _text(real.read_bytes()) if isinstance(real, Path) else None
        parts = PurePosixPath(rel).parts
        if parts[:2] != ("data", program) or any(p.startswith(".") for p in parts[2:]):
            return None
        return _text(blob(root, oids[rel])) if rel in oids else None
    return read


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
