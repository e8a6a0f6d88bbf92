"""What changed in meaning between two versions of a playbook, for reviewers.

The two sides are snapshots of plain model data (:mod:`.snapshots` reads them
from git revisions or the work tree), so formatting, comments and key order
never show as changes. Lists of objects are matched by their id (or natural
key), so reordering is not a change either. Each change is classed by what
reviewers sign off on: targets, weights, owners, dates, money. :mod:`.comment`
writes them into the review comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from playbook.load.signoffs import DEFINITIONS, digest_of
from playbook.model import FILES
from playbook.review.snapshots import Snapshot


class ChangeKind(StrEnum):
    """What a changed value means for the program, most consequential first."""

    TARGET = "target"
    """A baseline, target, gate or outcome statement."""
    FORECAST = "forecast"
    """The forecast made at design time: an expected change or the first-year ROI."""
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
    CONTRACT = "contract"
    """What a program's data contract accepts (``data/<id>/contracts.lock.yml``): a new
    value, column or period of an input file."""
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
    # how a figure is read: a reading option, an inline query, the source's file or columns
    "read": K.DEFINITION, "source": K.DEFINITION, "query": K.DEFINITION,
    "query_file": K.DEFINITION, "connection": K.DEFINITION,
    # the whole forecast block: its `kpi`, `made` and `change` fields mean the promise
    "forecast": K.FORECAST,
})
"""The kind of change each field name stands for (the last known name on the path)."""
MATERIAL: Final = frozenset(set(ChangeKind) - {ChangeKind.OTHER, ChangeKind.CONTRACT})
"""Kinds of change that are material: the program's ``version`` should be bumped."""
_KEYS = ("id", "activity", "category", "name", "day", "kpi", "role")


@dataclass(frozen=True)
class Change:
    """One changed value."""

    program: str
    """The id of the program the value belongs to."""
    file: str
    """The file it is written in (``kpis.yml``, a query file, ``playbook.yml``)."""
    field: str
    """Its path in that file: keys joined by dots, list items by their id
    (``kpis[decision_time].target``)."""
    before: Any
    """The value at the base; None where the field was added."""
    after: Any
    """The value at the head; None where the field was removed."""
    kind: ChangeKind
    """What the change means for the program (a target, a forecast, a weight...)."""


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
    """A changed query file or lookup file (its whole text) or connection, as a definition
    change."""
    out = []
    for part, file, field in (("query_files", None, "query"),
                              ("lookups", None, "lookup"),
                              ("connections", "playbook.yml", "connections.")):
        a, b = old.get(part) or {}, new.get(part) or {}
        for name in sorted(set(a) | set(b)):
            if a.get(name) != b.get(name):
                out.append(Change(program, file or name,
                                  field + name if field.endswith(".") else field,
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


def late_forecasts(changes: list[Change], after: Snapshot, today: date) -> dict[str, str]:
    """Programs whose forecast this change edits after their start (on ``today``), with
    the start date: a forecast changed once data is in is not a forecast."""
    out: dict[str, str] = {}
    for c in changes:
        start = after.get(c.program, {}).get("program", {}).get("start")
        if c.kind is ChangeKind.FORECAST and start is not None and str(start) < str(today):
            out[c.program] = str(start)
    return out
