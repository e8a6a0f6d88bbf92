"""Sign-offs: a digest of what was signed, checked on every run, written by ``sign``.

The signed content is the program's whole definition as the model reads it
(every file, ``program.yml`` without its ``signoff`` list), serialised as
canonical JSON. Comments, key order and formatting do not count; any change of
meaning does, so a sign-off goes stale exactly when what was signed changes.
Measurement data (CSV) is not part of it: data arrives after sign-off.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from playbook.model import FILES
from playbook.model.program import SignOff

if TYPE_CHECKING:
    from playbook.load import Bundle

REQUIRED_ROLES = ("sponsor", "business_owner", "ld_owner")
"""Roles that co-sign the measurement plan."""


def content_of(bundle: Bundle) -> dict[str, dict[str, Any]]:
    """The plain data of every file of a loaded program (stem → data)."""
    out: dict[str, dict[str, Any]] = {}
    for stem in FILES:
        obj = getattr(bundle, stem)
        if obj is not None:
            out[stem] = obj.model_dump(mode="json")
    return out


def digest_of(content: dict[str, dict[str, Any]]) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``content``, sign-offs left out."""
    signed = {stem: ({k: v for k, v in data.items() if k != "signoff"}
                     if stem == "program" else data) for stem, data in content.items()}
    text = json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(bundle: Bundle) -> str:
    """The digest a sign-off of ``bundle`` as it is now would carry."""
    return digest_of(content_of(bundle))


@dataclass(frozen=True)
class SignoffState:
    """Whether one role's latest sign-off still covers the current content."""

    role: str
    name: str | None
    date: date | None
    version: str | None
    current: bool
    """True when the digest matches the content as it is now."""
    index: int | None = None
    """Position of the sign-off in ``program.yml``'s ``signoff`` list."""


def states(bundle: Bundle) -> list[SignoffState]:
    """The latest sign-off per role (required roles first), current or stale."""
    program = bundle.program
    if program is None:
        return []
    now = digest(bundle)
    latest: dict[str, tuple[int, SignOff]] = {}
    for i, entry in enumerate(program.signoff):
        latest[entry.role] = (i, entry)  # later entries supersede earlier ones
    roles = [*REQUIRED_ROLES, *[r for r in latest if r not in REQUIRED_ROLES]]
    out = []
    for role in roles:
        if role not in latest:
            out.append(SignoffState(role, None, None, None, False))
            continue
        i, signed = latest[role]
        out.append(SignoffState(role, signed.name, signed.date, signed.version,
                                signed.digest == now, i))
    return out


class SignError(Exception):
    """The sign-off cannot be written; nothing was changed."""


def entry_text(role: str, name: str, day: date, version: str, value: str,
               indent: int = 2) -> str:
    """The YAML lines of one sign-off list item, its dash at column ``indent``."""
    dash, body = " " * indent, " " * (indent + 2)
    return (f"{dash}- role: {role}\n{body}name: {json.dumps(name, ensure_ascii=False)}\n"
            f"{body}date: {day.isoformat()}\n{body}version: {version}\n"
            f"{body}digest: {value}\n")


def _last_scalar(node: yaml.Node) -> yaml.Node:
    """The last scalar inside ``node``: a collection's own end mark can run on."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def append_entry(path: Path, fields: tuple[str, str, date, str, str]) -> str:
    """Return ``path``'s text with one sign-off item added, touching nothing else.

    The item goes after the last item of an existing top-level ``signoff:``
    list, or into a new ``signoff:`` block at the end of the file.
    """
    original = path.read_text(encoding="utf-8")
    node = yaml.compose(original, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        raise SignError(f"{path.as_posix()}: expected a mapping at the top of the file")
    for key, value in node.value:
        if key.value != "signoff":
            continue
        if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
            # match the dash column of the existing items ("- role:" may sit at 0 or 2)
            first = original.splitlines()[value.value[0].start_mark.line]
            text = entry_text(*fields, indent=len(first) - len(first.lstrip(" ")))
            end = _last_scalar(value).end_mark.index
            # the last item ends at its last character; insert at the next line start
            cut = original.find("\n", end - 1)
            cut = len(original) if cut < 0 else cut + 1
            if cut > len(original) or original[cut - 1:cut] != "\n":
                return original + "\n" + text
            return original[:cut] + text + original[cut:]
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            raise SignError(f"{path.as_posix()}:{key.start_mark.line + 1}: remove the empty "
                            "'signoff:' key, then sign again")
        raise SignError(f"{path.as_posix()}:{key.start_mark.line + 1}: 'signoff' must be a "
                        "block list ('- role: …' items) for 'playbook sign' to extend it")
    sep = "" if original.endswith("\n") else "\n"
    return original + sep + "\nsignoff:\n" + entry_text(*fields)


def sign(root: Path, program_id: str, role: str, name: str | None,
         day: date) -> dict[str, str]:
    """Append a sign-off of the program as it is now to its ``program.yml``.

    Args:
        root: The playbook folder.
        program_id: The program to sign.
        role: The stakeholder role signing; it must have a person.
        name: Who signs; defaults to the person named for the role.
        day: Date of the sign-off.

    Returns:
        The entry written.

    Raises:
        SignError: The playbook has errors, the program or role is unknown, or
            the file cannot be extended; nothing was changed.
    """
    from playbook.load import load_playbook

    playbook, problems = load_playbook(root)
    bundle = playbook.get(program_id)
    if bundle is None:
        known = ", ".join(b.id for b in playbook.programs) or "none"
        raise SignError(f"unknown program '{program_id}'; known programs: {known}")
    errors = [p for p in problems.errors if p.path.startswith(f"program/{program_id}/")
              or p.path.startswith(f"data/{program_id}/")]
    if errors or bundle.program is None:
        raise SignError("fix these errors before signing:\n" + "\n".join(map(str, errors)))
    person = bundle.program.stakeholders.model_dump(exclude_none=True).get(role)
    if person is None:
        raise SignError(f"role '{role}' has no person in stakeholders of '{program_id}'")
    value = digest(bundle)
    path = bundle.folder / "program.yml"
    fields = (role, name or str(person["name"]), day, bundle.program.version, value)
    text = append_entry(path, fields)
    # the new file must read back to the same content plus the new entry
    check = yaml.safe_load(text)
    if not isinstance(check, dict) or check.get("signoff", [])[-1].get("digest") != value:
        raise SignError(f"{path.as_posix()}: could not add the sign-off safely")
    tmp = path.with_name(".program.yml.signing")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return {"role": role, "name": fields[1], "date": day.isoformat(),
            "version": bundle.program.version, "digest": value}
