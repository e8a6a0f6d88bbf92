"""What changed in meaning between two versions of a playbook, for reviewers.

Programs are read from git revisions (or the work tree) through the model, so
formatting, comments and key order never show as changes. Lists of objects
are matched by their id (or natural key), so reordering is not a change
either. Each change is classed by what reviewers sign off on: targets,
weights, owners, dates, money.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook import yamlsrc
from playbook.diagnostics import Problem
from playbook.model import FILES
from playbook.validate import validate

KINDS = {
    "target": "target", "baseline": "target", "at_least": "target", "at_most": "target",
    "outcome": "target", "weight": "weight", "scores": "weight", "owner": "owner",
    "name": "owner", "handle": "owner", "reviewers": "owner", "by": "date", "date": "date",
    "start": "date", "done": "date", "day": "date", "days": "date", "amount": "money",
    "annual_cost": "money", "value_per_unit": "money", "isolation": "money",
    "confidence": "money", "cohort_size": "pilot", "comparison_group": "pilot",
}
MATERIAL = {"target", "weight", "owner", "date", "money", "pilot"}
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
    kind: str


class DiffError(Exception):
    """A side of the diff cannot be read; nothing is reported."""


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


def kind_of(field: str) -> str:
    """Class a field path by its meaning (target, weight, owner, date, money, …)."""
    parts = [p.split("[")[0] for p in field.split(".")]
    for part in reversed(parts):
        if part in KINDS:
            return KINDS[part]
    return "other"


def compare(before: Snapshot, after: Snapshot) -> list[Change]:
    """Every changed value between two snapshots, in program and file order."""
    changes = []
    for program in sorted(set(before) | set(after)):
        old, new = before.get(program, {}), after.get(program, {})
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


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise DiffError(f"git {' '.join(args)} failed: {detail.strip()}") from exc
    return done.stdout


def read_files(files: dict[str, str]) -> tuple[Snapshot, list[Problem]]:
    """Validate ``{'program/<id>/<stem>.yml': text}`` into a snapshot."""
    snapshot: Snapshot = {}
    problems: list[Problem] = []
    for rel, text in sorted(files.items()):
        parts = rel.split("/")
        if len(parts) != 3 or not parts[2].endswith(".yml") or parts[2][:-4] not in FILES:
            continue
        stem = parts[2][:-4]
        source, found = yamlsrc.parse(text, rel)
        problems.extend(found)
        obj, found = validate(FILES[stem], source)
        problems.extend(found)
        if obj is not None:
            snapshot.setdefault(parts[1], {})[stem] = obj.model_dump(mode="json")
    return snapshot, problems


def snapshot_at(root: Path, rev: str | None) -> tuple[Snapshot, list[Problem]]:
    """Read every program at git revision ``rev`` (``None``: the work tree)."""
    if rev is None:
        files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8-sig")
                 for p in sorted((root / "program").glob("*/*.yml"))}
        return read_files(files)
    names = _git(root, "ls-tree", "-r", "--name-only", rev, "--", "program").split()
    files = {n: _git(root, "show", f"{rev}:./{n}") for n in names if n.endswith(".yml")}
    return read_files(files)


def stale_signoffs(before: Snapshot, after: Snapshot) -> list[tuple[str, dict[str, Any]]]:
    """Sign-offs that matched the content before and no longer match after."""
    from playbook.signoff import digest_of

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


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(empty)"
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "…"


def markdown(changes: list[Change], stale: list[tuple[str, dict[str, Any]]]) -> str:
    """A review comment: meaning changes by program, most consequential kinds first."""
    if not changes:
        return "No change in meaning to any program.\n"
    order = ["target", "weight", "owner", "date", "money", "pilot", "other"]
    out = []
    for program in dict.fromkeys(c.program for c in changes):
        mine = sorted((c for c in changes if c.program == program),
                      key=lambda c: (order.index(c.kind), c.file, c.field))
        out.append(f"### {program}\n")
        out.append("| Kind | File | Field | Before | After |")
        out.append("| --- | --- | --- | --- | --- |")
        for c in mine:
            out.append(f"| {c.kind} | {c.file} | `{c.field}` | {_show(c.before)} | "
                       f"{_show(c.after)} |")
        out.append("")
        if not any(c.field == "version" for c in mine) and any(
                c.kind in MATERIAL for c in mine):
            out.append("The version was not bumped although targets, weights, owners, dates "
                       "or money changed: bump `version` in program.yml.\n")
        gone = [e for p, e in stale if p == program]
        if gone:
            out.append("This change makes these sign-offs stale: " + ", ".join(
                f"{e['role']} ({e['name']}, {e['date']}, version {e['version']})" for e in gone)
                + ". They must sign again.\n")
    return "\n".join(out)
