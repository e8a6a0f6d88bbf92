"""Sign-offs as loaded: a digest of what was signed, and whether each still holds.

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
from types import MappingProxyType
from typing import Any, Final

from playbook.load.bundle import Bundle
from playbook.model import FILES
from playbook.model.measure import Reading
from playbook.model.program import SignOff
from playbook.model.roles import REQUIRED_ROLES

__all__ = ["REQUIRED_ROLES", "SignoffState", "content_of", "digest", "digest_of", "states"]



def content_of(bundle: Bundle) -> dict[str, dict[str, Any]]:
    """The plain data of every file of a loaded program (stem → data)."""
    out: dict[str, dict[str, Any]] = {}
    for stem in FILES:
        obj = getattr(bundle, stem)
        if obj is not None:
            out[stem] = obj.model_dump(mode="json")
    return out


LATER_FIELDS: Final[MappingProxyType[str, Any]] = MappingProxyType({
    "read": Reading().model_dump(mode="json"), "query": None, "query_file": None,
    "connection": None, "count": None, "tool": None, "measure": "mean", "level": None,
    "amount_low": None, "amount_high": None, "discount_rate": None, "benefit_decay": 0.0,
    "participants": None, "acknowledgements": []})
"""Fields added to the format after programs were signed, with their default values.

A field left at its default is not part of the signed content, so upgrading
playbook never makes an existing sign-off stale; setting it does.
"""


def _signed_form(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _signed_form(v) for k, v in value.items()
                if not (k in LATER_FIELDS and v == LATER_FIELDS[k])}
    if isinstance(value, list):
        return [_signed_form(v) for v in value]
    return value


def digest_of(content: dict[str, dict[str, Any]]) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``content``, sign-offs left out."""
    signed = {stem: _signed_form({k: v for k, v in data.items() if k != "signoff"}
                                 if stem == "program" else data)
              for stem, data in content.items()}
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


