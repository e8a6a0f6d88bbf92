"""Roles, in one place: who they are, who co-signs, who reviews AI tools and each file.

The domain guide names the people every program needs; the model, the checks,
sign-off and CODEOWNERS all read them from here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Literal

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

ROLES: Final[tuple[str, ...]] = Role.__args__  # type: ignore[attr-defined]
"""Every role, in the order the site lists them."""

ROLE_TITLES: Final = MappingProxyType({
    "sponsor": "Sponsor",
    "business_owner": "Business owner",
    "ld_owner": "L&D owner",
    "it_ai_lead": "IT/AI lead",
    "hr_business_partner": "HR business partner",
    "legal_compliance": "Legal/compliance",
    "dei_reviewer": "DEI reviewer",
})
"""The title each role is shown with."""

REQUIRED_ROLES: Final = ("sponsor", "business_owner", "ld_owner")
"""Roles that co-sign the measurement plan."""

AI_REVIEWERS: Final = ("hr_business_partner", "legal_compliance", "dei_reviewer")
"""Roles that must review any AI tool that affects people."""

FILE_OWNERS: Final = MappingProxyType({
    "program.yml": ("sponsor", "business_owner", "ld_owner"),
    "competencies.yml": ("ld_owner", "hr_business_partner"),
    "roadmap.yml": ("ld_owner", "business_owner"),
    "vendors.yml": ("ld_owner", "legal_compliance", "it_ai_lead"),
    "kpis.yml": ("business_owner", "ld_owner", "it_ai_lead"),
    "budget.yml": ("sponsor", "business_owner"),
    "reviews.yml": ("sponsor", "business_owner", "ld_owner"),
    "ai.yml": ("legal_compliance", "dei_reviewer", "it_ai_lead", "hr_business_partner"),
})
"""Program file → roles that review changes to it, most accountable first."""

DATA_OWNERS: Final = ("it_ai_lead", "ld_owner")
"""Roles that review changes to a program's measurement data."""
