"""Sign-offs as loaded: a digest of what was signed, and whether each still holds.

The signed content is the program's whole definition as the model reads it
(every file, ``program.yml`` without its ``signoff`` list), and everything
outside those files that defines a figure: the text of each ``query_file``, of
each measure's ``lookup`` file (which unit is in which arm), and the
declaration of each warehouse connection a source names (never its URL,
which is not in the repository). It is serialised as canonical JSON.
Comments, key order and formatting do not count; any change of meaning does,
so a sign-off goes stale exactly when what was signed changes. Measurement
data is not part of it: data arrives after sign-off.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from playbook.load.bundle import Bundle
from playbook.load.safefiles import locate_data
from playbook.load.sshsig import UNSIGNED, SignatureState, Verification, verify
from playbook.model import FILES
from playbook.model.choices import Measure
from playbook.model.measure import Reading
from playbook.model.program import SignOff
from playbook.model.roles import REQUIRED_ROLES

__all__ = ["DEFINITIONS", "REQUIRED_ROLES", "SignoffState", "content_of", "definitions_of",
           "digest", "digest_of", "states"]



DEFINITIONS: Final = "definitions"
"""Key of the signed content that holds what defines a figure outside the YAML files."""


def definitions_of(kpis: Mapping[str, Any] | None, read: Callable[[str], str | None],
                   connections: Mapping[str, Any]) -> dict[str, Any] | None:
    """What defines the KPIs' figures outside ``kpis.yml``, or ``None`` when nothing does.

    Args:
        kpis: ``kpis.yml`` as plain data.
        read: The text of a file of the playbook by its path (``None``: unreadable).
        connections: ``playbook.yml``'s connections as plain data, by name.
    """
    queries: dict[str, str | None] = {}
    lookups: dict[str, str | None] = {}
    used: dict[str, Any] = {}
    for kpi in (kpis or {}).get("kpis", []):
        source = kpi.get("source") or {}
        if source.get("query_file"):
            text = read(source["query_file"])
            # line ends are formatting: a checkout with CRLF signs the same query
            queries[source["query_file"]] = text.replace("\r\n", "\n") if text else text
        if source.get("connection"):
            used[source["connection"]] = connections.get(source["connection"])
        lookup = (source.get("measure") or {}).get("lookup") or {}
        if lookup.get("file"):  # a unit's arm is a definition: moving it changes the groups
            text = read(lookup["file"])
            lookups[lookup["file"]] = text.replace("\r\n", "\n") if text else text
    found = {k: v for k, v in (("query_files", queries), ("connections", used),
                               ("lookups", lookups)) if v}
    return found or None


def _read_text(bundle: Bundle) -> Callable[[str], str | None]:
    def read(rel: str) -> str | None:
        real = locate_data(rel, bundle.root, bundle.id)  # the loader's rule for a source
        if not isinstance(real, Path):
            return None
        try:
            return real.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
    return read


def content_of(bundle: Bundle) -> dict[str, dict[str, Any]]:
    """The plain data of every file of a loaded program (stem → data), and the
    :data:`DEFINITIONS` outside them."""
    out: dict[str, dict[str, Any]] = {}
    for stem in FILES:
        obj = getattr(bundle, stem)
        if obj is not None:
            out[stem] = obj.model_dump(mode="json")
    defined = definitions_of(out.get("kpis"), _read_text(bundle),
                             {n: c.model_dump(mode="json") for n, c in bundle.connections.items()})
    if defined is not None:
        out[DEFINITIONS] = defined
    return out


LATER_FIELDS: Final[MappingProxyType[str, Any]] = MappingProxyType({
    "read": Reading().model_dump(mode="json"), "query": None, "query_file": None,
    "connection": None, "count": None, "tool": None,
    "measure": (Measure.MEAN.value, None),  # a KPI's `measure`, and a source's (issue 25)
    "level": None,
    "amount_low": None, "amount_high": None, "discount_rate": None, "benefit_decay": 0.0,
    "participants": None, "closes": {}, "acknowledgements": [], "signature": None,
    "expect": None, "npv_timing": "end", "scale": None, "next_review": None,
    "design": None,
    # only an absent forecast is left out: a stated one is signed, and changing it stales
    "forecast": None})
"""Fields added to the format after programs were signed, with their default values.

A field left at its default is not part of the signed content, so upgrading
playbook never makes an existing sign-off stale; setting it does. A tuple lists the
defaults of fields of one name in several models (JSON gives lists, never tuples).
"""


def _signed_form(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _signed_form(v) for k, v in value.items() if not _default(k, v)}
    if isinstance(value, list):
        return [_signed_form(v) for v in value]
    return value


def _default(key: str, value: Any) -> bool:
    """Whether ``value`` is the default of a field added after programs were signed."""
    if key not in LATER_FIELDS:
        return False
    default = LATER_FIELDS[key]
    return value in default if isinstance(default, tuple) else bool(value == default)


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
    """Stakeholder role (the required roles first, then any other that signed)."""
    name: str | None
    """Name of the person whose sign-off is the role's latest; None when the role has not signed."""
    date: date | None
    """Day of that sign-off; None when the role has not signed."""
    version: str | None
    """Program version it signed; None when the role has not signed."""
    current: bool
    """True when the digest matches the content as it is now."""
    index: int | None = None
    """Position of the sign-off in ``program.yml``'s ``signoff`` list."""
    verification: Verification = UNSIGNED
    """Whether its SSH signature is the role's person's; an invalid one is never current."""


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
        checked = UNSIGNED
        if signed.signature is not None:
            person = getattr(program.stakeholders, role, None)
            checked = verify(bundle.root, getattr(person, "handle", None), signed.digest,
                             signed.signature)
        current = signed.digest == now and checked.state is not SignatureState.INVALID
        out.append(SignoffState(role, signed.name, signed.date, signed.version, current, i,
                                checked))
    return out


