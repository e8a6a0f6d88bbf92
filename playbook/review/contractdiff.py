"""What changed in the data contracts between two revisions: the locks, for the reviewer.

A lock (``data/<id>/contracts.lock.yml``) is what a reviewer accepts about a
program's data: a new account code, a new column, a month's rows. ``playbook
lock`` rewrites it; this module reads it at both revisions (git's blob, or the
work tree by the loader's rule: no link, nothing outside ``data/<id>/``) and
lists each accepted fact that came or went as a change of kind ``contract``,
which :mod:`.comment` shows with the definition's changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook.load import yaml_source as yamlsrc
from playbook.load.contracts import lock_bytes, lock_path
from playbook.load.validate import validate
from playbook.model.contracts import ContractLock
from playbook.review.diff import Change, ChangeKind
from playbook.review.git import LINK, blob, resolve, tree

SEEN = "seen"
"""How a locked value of a category column shows in the comment."""


def lock_at(root: Path, rev: str | None, program: str) -> ContractLock | None:
    """A program's lock at ``rev`` (``None``: the work tree); ``None`` when absent or broken."""
    rel = lock_path(program)
    if rev is None:
        data = lock_bytes(root, program, [])  # a refused one is reported by the load
    else:
        found = [(mode, oid) for name, mode, oid in tree(root, resolve(root, rev), rel)
                 if name == rel]
        data = blob(root, found[0][1]) if found and found[0][0] != LINK else None
    if data is None:
        return None
    try:
        source, problems = yamlsrc.parse(data.decode("utf-8-sig"), rel)
    except UnicodeDecodeError:
        return None
    obj, problems = validate(ContractLock, source) if not problems else (None, problems)
    return obj


def facts(lock: ContractLock | None) -> dict[str, Any]:
    """A lock as ``{field: value}``, one accepted fact a line (each category value its own)."""
    out: dict[str, Any] = {}
    if lock is None:
        return out
    for path, entry in lock.inputs.items():
        at = f"inputs[{path}]"
        out[f"{at}.columns"] = ", ".join(entry.columns)
        out[f"{at}.rows"] = entry.rows
        out[f"{at}.duplicate_lines"] = entry.duplicate_lines
        for period, rows in entry.rows_per_period.items():
            out[f"{at}.rows_per_period[{period}]"] = rows
        for column, values in entry.values.items():
            for value in values:
                out[f"{at}.values.{column}[{value}]"] = SEEN
    for kpi, groups in lock.series.items():
        for group, dates in groups.items():
            for day, number in dates.items():
                out[f"series.{kpi}.{group}[{day}]"] = number
    return out


def compare(root: Path, base: str | None, head: str | None,
            programs: list[str]) -> list[Change]:
    """Each accepted fact of a lock that changed between ``base`` and ``head``."""
    changes = []
    for program in sorted(programs):
        a = facts(lock_at(root, base, program))
        b = facts(lock_at(root, head, program))
        for field in sorted(set(a) | set(b)):
            if a.get(field) != b.get(field):
                changes.append(Change(program, lock_path(program), field, a.get(field),
                                      b.get(field), ChangeKind.CONTRACT))
    return changes
