"""Models of ``vendors.yml`` and ``budget.yml``."""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field, StringConstraints, model_validator

from playbook.model.base import Choice, Currency, Id, Key, StrictModel, Text
from playbook.model.choices import Clause

GateKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+((-[a-z0-9]+)*|(_[a-z0-9]+)*)$")]
"""A gate's key: kebab-case like every id (``ai-audit``), or the snake_case that files
written before gates took ids use (``ai_audit``); both stay valid."""

LOADED_COSTS: Final = ("participant_time", "measurement", "operations")
"""Cost categories a fully loaded budget names (Phillips); each missing one is a finding."""
DEFAULT_DISCOUNT_RATE: Final = 0.08
"""Discount rate of the NPV when ``budget.yml`` declares none (a common corporate hurdle)."""


class Criterion(StrictModel):
    """A weighted vendor evaluation criterion."""

    id: Id
    """Identifier, the key of vendors' ``scores``."""
    name: Text
    """Name shown on the scorecard."""
    weight: float = Field(ge=0, le=100)
    """Weight in points; the weights of all criteria sum to 100."""


class Vendor(StrictModel):
    """A vendor under evaluation."""

    id: Id
    """Identifier of the vendor."""
    name: Text
    """Name shown on the scorecard."""
    scores: dict[Id, float] = Field(default_factory=dict)
    """Score per criterion id, from 1 (poor) to 5 (excellent)."""
    clauses: dict[GateKey, Choice[Clause]] = Field(default_factory=dict)
    """Answer per gate: ``yes``, ``partial`` or ``no``; only ``yes`` passes."""
    annual_cost: float | None = Field(default=None, ge=0)
    """Quoted cost per year."""
    notes: Text | None = None
    """Anything the evaluation should remember."""


class MustHave(StrictModel):
    """A must-have gate written with the name the scorecard shows."""

    id: GateKey
    """Identifier, the key of vendors' ``clauses`` (``ai-audit``)."""
    name: Text
    """Name shown on the scorecard (``Audit clause for AI features``)."""


class Vendors(StrictModel):
    """``vendors.yml``: criteria, must-have gates and vendors."""

    criteria: list[Criterion] = Field(min_length=1)
    """Weighted criteria; weights sum to 100."""
    gates: list[GateKey | MustHave] = Field(default_factory=list)
    """Must-have clauses; a vendor failing one is not ranked. Each is a key
    (``ai-audit``) or an id with a display name (``{id: ai-audit, name: AI audit
    clause}``)."""
    vendors: list[Vendor] = Field(default_factory=list)
    """The vendors evaluated."""

    def gate_ids(self) -> list[str]:
        """The gates' keys, in order, whichever way each is written."""
        return [g if isinstance(g, str) else g.id for g in self.gates]

    def gate_name(self, key: str) -> str | None:
        """The display name the file gives gate ``key``, if any."""
        return next((g.name for g in self.gates if not isinstance(g, str) and g.id == key),
                    None)


class Cost(StrictModel):
    """A fully loaded cost line for one year of the program."""

    category: Key
    """platform, coaching, content, operations, measurement, participant_time, or another."""
    year: int = Field(ge=1, le=10)
    """Program year (1 = the first twelve months from ``start``)."""
    amount: float = Field(ge=0)
    """Amount in the budget's currency."""
    note: Text | None = None
    """How the amount was estimated."""


class Benefit(StrictModel):
    """An explicit, monetised benefit estimate."""

    name: Text
    """What the benefit is."""
    year: int = Field(ge=1, le=10)
    """Program year the benefit falls in."""
    amount: float = Field(ge=0)
    """Gross amount before isolation and confidence."""
    isolation: float = Field(default=1.0, ge=0, le=1)
    """Share attributed to the program (0–1)."""
    confidence: float = Field(default=1.0, ge=0, le=1)
    """Confidence in the estimate (0–1)."""
    amount_low: float | None = Field(default=None, ge=0)
    """Lowest plausible gross amount; with ``amount_high``, the range the ROI's Monte Carlo
    draws from (triangular, peaking at ``amount``)."""
    amount_high: float | None = Field(default=None, ge=0)
    """Highest plausible gross amount (see ``amount_low``)."""

    @model_validator(mode="after")
    def _range(self) -> Benefit:
        low, high = self.amount_low, self.amount_high
        if (low is None) != (high is None):
            raise ValueError("give both `amount_low` and `amount_high`, or neither")
        if low is not None and high is not None and not low <= self.amount <= high:
            raise ValueError(f"`amount` {self.amount:g} must lie between `amount_low` "
                             f"{low:g} and `amount_high` {high:g}")
        return self


class Budget(StrictModel):
    """``budget.yml``: costs, benefits, intangibles."""

    currency: Currency = "USD"
    """ISO 4217 currency code of every amount, such as USD or EUR."""
    costs: list[Cost] = Field(default_factory=list)
    """Costs per category and year, fully loaded."""
    benefits: list[Benefit] = Field(default_factory=list)
    """Explicit benefits; KPI monetization adds to these."""
    intangibles: list[Text] = Field(default_factory=list)
    """Benefits reported but not monetised."""
    horizon_years: int = Field(default=3, ge=1, le=10)
    """Years covered by the total cost of ownership."""
    discount_rate: float | None = Field(default=None, ge=0, le=1)
    """Annual rate for the NPV (0.08 = 8%); when absent the NPV uses 8% and says so."""
    benefit_decay: float = Field(default=0.0, ge=0, le=1)
    """Share of a measured KPI benefit lost each year after the first (0.25 = a quarter a
    year), for the multi-year sensitivity; 0 holds it flat."""
    participants: int | None = Field(default=None, ge=1)
    """Leaders the costs cover over the horizon, for the cost per participant; when absent
    it is the year-1 cost per leader of the pilot cohort."""


def missing_loaded_costs(budget: Budget) -> list[str]:
    """Return the checklist categories (:data:`LOADED_COSTS`) with no cost line in ``budget``.

    A category declared with amount 0 is not missing: the editor has stated it.
    """
    named = {c.category for c in budget.costs if c.year <= budget.horizon_years}
    return [c for c in LOADED_COSTS if c not in named]
