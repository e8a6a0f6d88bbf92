"""Shared building blocks of the program model: strict base, ids, roles."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Strict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A lowercase kebab-case identifier such as ``decision-latency``."""

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

Role = Literal[
    "sponsor",
    "business_owner",
    "ld_owner",
    "it_ai_lead",
    "hr_business_partner",
    "legal_compliance",
    "dei_reviewer",
]
"""A stakeholder role named in ``program.yml``."""

ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]

ROLE_TITLES: dict[str, str] = {
    "sponsor": "Sponsor",
    "business_owner": "Business owner",
    "ld_owner": "L&D owner",
    "it_ai_lead": "IT/AI lead",
    "hr_business_partner": "HR business partner",
    "legal_compliance": "Legal/compliance",
    "dei_reviewer": "DEI reviewer",
}


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
