"""Shared building blocks of the program model: strict base, ids, text, dates.

Roles live in :mod:`playbook.model.roles` (re-exported here for the model modules).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Strict, StringConstraints, TypeAdapter, ValidationError

from playbook.model.roles import ROLE_TITLES, ROLES, Role

__all__ = ["ROLES", "ROLE_TITLES", "Choice", "Currency", "DayRange", "Id", "IsoDate", "Key", "Role",
           "StrictModel", "Text", "is_id"]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A lowercase kebab-case identifier such as ``decision-latency``."""

_ID: TypeAdapter[str] = TypeAdapter(Id)


def is_id(text: str) -> bool:
    """Whether ``text`` is an :data:`Id` by the model's own check (``playbook new`` asks).

    The same validator as a program file's ids, not a look-alike pattern: Python's
    ``$`` would also accept an id followed by a newline.
    """
    try:
        _ID.validate_python(text, strict=True)
    except ValidationError:
        return False
    return True

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")]
"""A lowercase snake_case key such as ``outcome_clauses``."""

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code such as ``USD`` or ``EUR``."""

Text = Annotated[str, StringConstraints(min_length=1)]
"""Non-empty plain text or Markdown, always shown literally."""

IsoDate = Annotated[date, Strict(False)]
"""An ISO date ``YYYY-MM-DD`` (YAML gives text; the model parses it)."""

DayRange = Annotated[tuple[int, int], Strict(False)]
"""``[first, last]`` program days (YAML gives a list)."""

_E = TypeVar("_E", bound=StrEnum)

Choice = Annotated[_E, Strict(False)]
"""A field whose value is one member of a ``StrEnum`` (``Choice[Direction]``).

YAML gives the member's value as text, and a strict enum field accepts only an
instance; lax here lets the text in, and an enum field's lax mode still takes
nothing but a member's exact value (not ``1``, ``true`` or ``INCREASE``), whose
error names the choices as a ``Literal`` did.
"""

class StrictModel(BaseModel):
    """Base of every model: unknown keys are errors, fields carry docstrings."""

    model_config = ConfigDict(
        extra="forbid",
        # no silent coercion: `yes` is not true and "40" is not a number (YAML 1.2)
        strict=True,
        # YAML reads `.inf` and `.nan` as numbers; no value, score or amount is infinite
        allow_inf_nan=False,
        use_attribute_docstrings=True,
        frozen=True,
        populate_by_name=True,
    )
