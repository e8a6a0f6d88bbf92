"""Models of ``kpis.yml`` (measurement plan) and ``ai.yml`` (AI tools)."""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from playbook.model.base import Currency, Id, IsoDate, Role, StrictModel, Text

Cadence = Literal["weekly", "monthly", "quarterly"]
"""How often a KPI is measured."""


MIN_GROUP_SIZE: Final = 5
"""The privacy minimum when a measurement plan does not set one."""


class Baseline(StrictModel):
    """Where the KPI stood before the program."""

    value: float
    """Baseline value, in the KPI's unit."""
    date: IsoDate
    """Day the baseline was measured."""


class Target(StrictModel):
    """Where a KPI must be, and by when."""

    value: float
    """The value to reach, in the KPI's unit."""
    by: IsoDate
    """The date by which it must be reached."""


class Source(StrictModel):
    """Where a KPI's measurements live: a CSV file and its column names."""

    file: Text
    """Path of the CSV, relative to the playbook root (``data/<id>/x.csv``)."""
    date: Text
    """Column holding the observation date (ISO ``YYYY-MM-DD``)."""
    value: Text
    """Column holding the measured value (a number)."""
    group: Text | None = None
    """Column saying ``pilot`` or ``comparison``, when a comparison group is measured."""
    subject: Text | None = None
    """Column with a pseudonymous person id: the file is person-level, never published."""
    wave: Text | None = None
    """Column saying ``pre`` or ``post`` for person-level survey waves."""


class Monetization(StrictModel):
    """How a KPI's improvement converts to money, for the ROI (Phillips)."""

    value_per_unit: float
    """Currency per unit of improvement per year."""
    currency: Currency = "USD"
    """ISO 4217 currency code; it must match the budget's currency to count."""
    isolation: float = Field(default=1.0, ge=0, le=1)
    """Share of the change attributed to the program (0–1)."""
    confidence: float = Field(default=1.0, ge=0, le=1)
    """Confidence in the estimate (0–1), the Phillips discount."""


class Kpi(StrictModel):
    """One KPI of the measurement plan and dashboard."""

    id: Id
    """Identifier, referenced by behaviours, hypotheses and gates."""
    name: Text
    """Name shown on the dashboard."""
    kind: Literal["business", "behavior", "engagement", "leading"]
    """Business result, behavioural indicator, platform engagement or leading indicator."""
    unit: Text
    """Unit of the values, such as ``days``, ``percent`` or ``score (1-5)``."""
    direction: Literal["decrease", "increase"]
    """Which way is better."""
    baseline: Baseline
    """Value before the program."""
    target: Target
    """Value to reach and by when."""
    cadence: Cadence
    """How often the KPI is measured and reviewed."""
    owner: Role | None = None
    """Stakeholder role accountable for the KPI."""
    source: Source | None = None
    """The measurement data; without it the KPI shows as not yet measured."""
    monetization: Monetization | None = None
    """Money value of an improvement, for the ROI."""
    description: Text | None = None
    """What the KPI means and how it is computed."""


class Attribution(StrictModel):
    """How the program's effect is separated from everything else."""

    method: Literal["comparison-group", "trend-line", "estimates"]
    """Comparison group, trend line, or discounted estimates."""
    confounders: list[Text] = Field(default_factory=list)
    """Other things that may move the KPIs."""
    assumptions: list[Text] = Field(default_factory=list)
    """Assumptions the analysis rests on."""
    data_quality: list[Text] = Field(default_factory=list)
    """Known limits of the data."""


class Privacy(StrictModel):
    """Rules that keep people unidentifiable on the site."""

    min_group_size: int = Field(default=MIN_GROUP_SIZE, ge=2)
    """No aggregate over fewer people than this is shown."""


class Kpis(StrictModel):
    """``kpis.yml``: the measurement plan and KPI dashboard spec."""

    kpis: list[Kpi] = Field(default_factory=list)
    """One or two business KPIs, behavioural indicators and engagement."""
    attribution: Attribution | None = None
    """Attribution method, confounders, assumptions, data-quality limits."""
    privacy: Privacy = Field(default_factory=Privacy)
    """Privacy rules for aggregates."""


class AiTool(StrictModel):
    """An AI tool whose output feeds decisions about people."""

    name: Text
    """Name of the tool."""
    vendor: Id | None = None
    """Id of the vendor in ``vendors.yml`` that supplies it."""
    affects: list[Text] = Field(default_factory=list)
    """Decisions the tool's output feeds."""
    human_in_the_loop: bool
    """Whether a person reviews every recommendation before it takes effect."""
    reviewers: list[Role] = Field(default_factory=list)
    """Stakeholder roles that review the tool."""


class AiOutcomes(StrictModel):
    """Selection outcomes by group, for the four-fifths check."""

    file: Text
    """Path of the CSV, relative to the playbook root."""
    group: Text
    """Column with the self-reported group (aggregated only)."""
    selected: Text
    """Column with 1 when selected (recommended), 0 when not."""


class Ai(StrictModel):
    """``ai.yml``: AI tools and their outcomes by group."""

    tools: list[AiTool] = Field(default_factory=list)
    """The AI tools the program uses."""
    outcomes: AiOutcomes | None = None
    """Selection outcomes by group, for the disparate-impact check."""
