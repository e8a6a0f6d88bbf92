"""What changed in meaning between two versions of a playbook, for reviewers.

Programs are read from git revisions (or the work tree) through the model, so
formatting, comments and key order never show as changes. Lists of objects
are matched by their id (or natural key), so reordering is not a change
either. Each change is classed by what reviewers sign off on: targets,
weights, owners, dates, money. :mod:`.comment` writes them into the review comment.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Final

from playbook.load import yaml_source as yamlsrc
from playbook.load.program_files import read_program_file
from playbook.load.safefiles import folder_refusal, locate, locate_data
from playbook.load.signoffs import DEFINITIONS, definitions_of, digest_of
from playbook.load.validate import validate
from playbook.model import FILES
from playbook.model.problems import PlaybookError, Problem
from playbook.model.settings import Settings


class ChangeKind(StrEnum):
    """What a changed value means for the program, most consequential first."""

    TARGET = "target"
    """A baseline, target, gate or outcome statement."""
    WEIGHT = "weight"
    """A vendor criterion weight or score."""
    OWNER = "owner"
    """Who is accountable or reviews: a person, handle or reviewer list."""
    DATE = "date"
    """A start, due, done or review date, or a day range."""
    MONEY = "money"
    """An amount, a monetisation value, or an isolation or confidence share."""
    PILOT = "pilot"
    """The pilot's cohort size or comparison group."""
    DEFINITION = "definition"
    """How a figure is computed outside the YAML: a query file, a warehouse connection."""
    OTHER = "other"
    """Anything else (wording, notes, descriptions)."""


K = ChangeKind
KINDS: Final[Mapping[str, ChangeKind]] = MappingProxyType({
    "target": K.TARGET, "baseline": K.TARGET, "at_least": K.TARGET, "at_most": K.TARGET,
    "outcome": K.TARGET, "weight": K.WEIGHT, "scores": K.WEIGHT, "owner": K.OWNER,
    "name": K.OWNER, "handle": K.OWNER, "reviewers": K.OWNER, "by": K.DATE, "date": K.DATE,
    "start": K.DATE, "done": K.DATE, "day": K.DATE, "days": K.DATE, "amount": K.MONEY,
    "annual_cost": K.MONEY, "value_per_unit": K.MONEY, "isolation": K.MONEY,
    "confidence": K.MONEY, "cohort_size": K.PILOT, "comparison_group": K.PILOT,
})
"""The kind of change each field name stands for (the last known name on the path)."""
MATERIAL: Final = frozenset(set(ChangeKind) - {ChangeKind.OTHER})
"""Kinds of change that are material: the program's ``version`` should be bumped."""
_KEYS = ("id", "activity", "category", "name", "day", "kpi", "role")

Snapshot = dict[str, dict[str, Any]]
"""Program id → file stem → plain model data."""


@dataclass(frozen=True)
class Change:
    """One changed value."""

    program: str
    file: str
    field: str
    before: Any
    after: Any
    kind: ChangeKind


class DiffError(PlaybookError):
    """A side of the diff cannot be read; nothing is reported."""

    exit_code = 2


def _item_key(item: dict[str, Any]) -> str | None:
    keys = [k for k in _KEYS if k in item]
    if not keys:
        return None
    if "category" in item and "year" in item:
        return f"{item['category']}/year {item['year']}"
    if "name" in item and "year" in item:
        return f"{item['name']}/year {item['year']}"
    return str(item[keys[0]])


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Flatten model data to ``{field path: value}``, lists keyed by id."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, sub in value.items():
            out.update(flatten(sub, f"{path}.{key}" if path else str(key)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = [_item_key(v) for v in value]
        if all(k is not None for k in keys) and len(set(keys)) == len(keys):
            for key, sub in zip(keys, value, strict=True):
                out.update(flatten(sub, f"{path}[{key}]"))
        else:
            for i, sub in enumerate(value):
                out.update(flatten(sub, f"{path}[{i}]"))
    else:
        out[path] = value
    return out


def kind_of(field: str) -> ChangeKind:
    """Class a field path by its meaning (target, weight, owner, date, money, …)."""
    parts = [p.split("[")[0] for p in field.split(".")]
    for part in reversed(parts):
        if part in KINDS:
            return KINDS[part]
    return ChangeKind.OTHER


def _definitions(program: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """A changed query file (its whole text) or connection, as a definition change."""
    out = []
    for part, file in (("query_files", None), ("connections", "playbook.yml")):
        a, b = old.get(part) or {}, new.get(part) or {}
        for name in sorted(set(a) | set(b)):
            if a.get(name) != b.get(name):
                out.append(Change(program, file or name,
                                  "query" if file is None else f"connections.{name}",
                                  a.get(name), b.get(name), ChangeKind.DEFINITION))
    return out


def compare(before: Snapshot, after: Snapshot) -> list[Change]:
    """Every changed value between two snapshots, in program and file order."""
    changes = []
    for program in sorted(set(before) | set(after)):
        old, new = before.get(program, {}), after.get(program, {})
        changes.extend(_definitions(program, old.get(DEFINITIONS) or {},
                                    new.get(DEFINITIONS) or {}))
        for stem in FILES:
            if stem not in old and stem not in new:
                continue
            a = flatten(old.get(stem, {}))
            b = flatten(new.get(stem, {}))
            if stem == "program":
                a = {k: v for k, v in a.items() if not k.startswith("signoff")}
                b = {k: v for k, v in b.items() if not k.startswith("signoff")}
            for field in sorted(set(a) | set(b)):
                if a.get(field) != b.get(field):
                    changes.append(Change(program, f"{stem}.yml", field, a.get(field),
                                          b.get(field), kind_of(field)))
    return changes


def run_git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``root``, whatever its exit code.

    Arguments go to git as a list, never through a shell, so no quoting is
    needed and none is done; callers put ``--end-of-options`` before any
    revision so that one starting with ``-`` cannot be read as an option.
    """
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              check=False, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DiffError(f"cannot run git: {exc}") from None


def _failed(args: tuple[str, ...], done: subprocess.CompletedProcess[bytes]) -> DiffError:
    # git's first line says what went wrong; usage text after it is noise here
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return DiffError(f"git {args[0]} failed: {lines[0] if lines else 'no output'}")


def _git(root: Path, *args: str) -> bytes:
    """Run git in ``root`` and return its output; a failure is a :class:`DiffError`."""
    done = run_git(root, *args)
    if done.returncode != 0:
        raise _failed(args, done)
    return done.stdout


LINK: Final = "120000"
"""The git mode of a symbolic link."""
_BLOB_MODES: Final = frozenset({"100644", "100755", LINK})


def tree(root: Path, commit: str, folder: str) -> list[tuple[str, str, str]]:
    """``(path, mode, blob id)`` of every file under ``folder`` at ``commit``.

    Paths are relative to ``root``, which may be a folder inside the repository;
    submodules are left out, symbolic links kept (mode :data:`LINK`).
    """
    # -z: names verbatim, NUL-separated (spaces, quotes and newlines included)
    listing = _git(root, "ls-tree", "-r", "-z", "--end-of-options", commit, "--", folder)
    out = []
    for row in listing.decode("utf-8", "replace").split("\0"):
        info, _, name = row.partition("\t")
        mode, _, oid = info.partition(" blob ")
        if mode in _BLOB_MODES:
            out.append((name, mode, oid))
    return out


def blob(root: Path, oid: str) -> bytes:
    """The content of the blob ``oid`` (from :func:`tree`)."""
    return _git(root, "cat-file", "blob", "--end-of-options", oid)


def resolve(root: Path, rev: str) -> str:
    """The id of the commit ``rev`` names in the repository holding ``root``.

    Raises:
        DiffError: ``root`` is not in a git repository, or ``rev`` names no commit.
    """
    args = ("rev-parse", "--quiet", "--verify", "--end-of-options", f"{rev}^{{commit}}")
    done = run_git(root, *args)
    # --verify --quiet exits 1 for a revision that names no commit (unknown, a
    # tree, a blob) and 128 for other failures such as "not a git repository"
    if done.returncode == 1:
        raise DiffError(f"revision {rev!r} is not a commit")
    if done.returncode != 0:
        raise _failed(args, done)
    return done.stdout.decode("ascii").strip()


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
    for name, mode, oid in tree(root, resolve(root, rev), "program") if rev is not None else ():
        if not _is_program_file(name):
            continue
        if mode == LINK:
            # git stores a link as its target's name; never read that as YAML
            problems.append(Problem(name, 1, 1, "", "a symbolic link, not a file",
                                    "commit the file itself"))
            continue
        raw[name] = blob(root, oid)
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
    blobs: dict[str, str] = {}
    if rev is not None:
        commit = resolve(root, rev)
        blobs = {name: oid for top in ("data", "playbook.yml")
                 for name, mode, oid in tree(root, commit, top) if mode != LINK}
    if rev is None:
        found = locate(root / "playbook.yml", root, "playbook.yml")
        settings = _text(found.read_bytes()) if isinstance(found, Path) else None
    else:
        settings = _text(blob(root, blobs["playbook.yml"])) if "playbook.yml" in blobs else None
    connections: dict[str, Any] = {}
    if settings is not None:
        obj, _ = validate(Settings, yamlsrc.parse(settings, "playbook.yml")[0])
        if isinstance(obj, Settings):
            connections = {n: c.model_dump(mode="json") for n, c in obj.connections.items()}
    for program, files in snapshot.items():
        defined = definitions_of(files.get("kpis"), _query_reader(root, rev, blobs, program),
                                 connections)
        if defined is not None:
            files[DEFINITIONS] = defined


def _query_reader(root: Path, rev: str | None, blobs: Mapping[str, str],
                  program: str) -> Callable[[str], str | None]:
    """Reads one program's query files, at ``rev`` or in the work tree."""
    def read(rel: str) -> str | None:
        if rev is None:
            real = locate_data(rel, root, program)
            return _text(real.read_bytes()) if isinstance(real, Path) else None
        parts = PurePosixPath(rel).parts
        if parts[:2] != ("data", program) or any(p.startswith(".") for p in parts[2:]):
            return None
        return _text(blob(root, blobs[rel])) if rel in blobs else None
    return read


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def stale_signoffs(before: Snapshot, after: Snapshot) -> list[tuple[str, dict[str, Any]]]:
    """Sign-offs that matched the content before and no longer match after."""
    out = []
    for program, files in sorted(after.items()):
        entries = files.get("program", {}).get("signoff", [])
        if not entries:
            continue
        now = digest_of(files)
        was = digest_of(before[program]) if program in before else None
        for entry in entries:
            if entry["digest"] != now and entry["digest"] == was:
                out.append((program, entry))
    return out
