"""Models of ``kpis.yml`` (measurement plan) and ``ai.yml`` (AI tools)."""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field, model_validator

from playbook.model.base import Choice, Currency, Id, IsoDate, Role, StrictModel, Text
from playbook.model.choices import AttributionMethod, Cadence, Direction, KpiKind, Measure

MIN_GROUP_SIZE: Final = 5
"""The privacy minimum when a measurement plan does not set one."""

NPS_ANSWERS: Final = (0, 10)
"""Lowest and highest answer of a ``measure: nps`` KPI (whole numbers between)."""


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


class Reading(StrictModel):
    """How to read a tool's export as it comes, without reshaping it first (``read:``)."""

    delimiter: Literal[",", ";", "\t", "|"] | None = None
    """Cell separator of a CSV (default: ``;`` when the header has more of them than
    commas, else ``,``); ``"\\t"`` reads a tab-separated export."""
    header_row: int = Field(default=1, ge=1)
    """Line of the header: a report with a title and a blank line above its table has
    ``header_row: 3``; the lines above it are not read."""
    skip_rows: int = Field(default=0, ge=0)
    """Rows right under the header to skip (a question-text or units row)."""
    where: dict[Text, list[str]] = Field(default_factory=dict)
    """Row filter: keep only rows whose cell in each named column is one of the listed
    values (``where: {Account: ["6100 Agency fees", "6110 Contractors"]}``); other rows
    are not observations of this KPI."""
    date_format: Text | list[Text] | None = None
    """strptime format(s) of the date column, tried in order (``%b-%y`` reads ``Sep-25``,
    ``%m/%d/%Y`` US dates, ``%Y-%m`` a month); ISO dates are always read."""
    decimal: Literal[".", ","] | None = None
    """Decimal separator of the value column (default: as the file's separator implies)."""
    thousands: Literal[",", ".", " ", "'"] | None = None
    """Thousands separator to remove from values (``214,350`` with ``thousands: ","``)."""
    currency: list[Text] = Field(default_factory=list)
    """Currency symbols or codes to strip from values (``€``, ``$``, ``EUR``); a value in
    parentheses is negative, as accounting exports write it."""
    missing: list[str] = Field(default_factory=list)
    """Cells that mean "not measured" in the value column (``N/A``, ``""`` for an empty
    cell): such rows are not observations and are left out; any other bad value is an
    error at its line."""
    values: dict[Literal["group", "wave"], dict[str, str]] = Field(default_factory=dict)
    """Labels to translate before checking, per column (``Control`` → ``comparison``)."""


class Source(StrictModel):
    """Where a KPI's measurements live: a data file, or a SQL query, and its column names.

    Exactly one of ``file``, ``query`` and ``query_file`` is given. A query runs in
    DuckDB over the program's data files, or in the warehouse named by
    ``connection`` (whose result ``playbook pull`` keeps as a snapshot file).
    """

    file: Text | None = None
    """Path of the data file, relative to the playbook root, in the program's data folder
    (``data/<id>/x.csv``; a regular file, not a link, no name starting with a dot): CSV,
    Parquet (``.parquet``) or JSON Lines (``.jsonl``, ``.ndjson``; their names without
    any of ``* ? [ ] { }``, which DuckDB reads as a file pattern)."""
    query: Text | None = None
    """A SQL ``SELECT`` over the program's data files (``FROM 'data/<id>/x.csv'`` or
    ``read_csv('data/<id>/x.csv', delim = ';')``; the regular files of ``data/<id>/`` only,
    none through a link or named with a leading dot), run by DuckDB; its result columns are
    mapped by ``date``, ``value``, ``group``, ``subject`` and ``wave`` like a file's."""
    query_file: Text | None = None
    """Path of a ``.sql`` file holding the query, relative to the playbook root, in the
    program's data folder (``data/<id>/turnover.sql``; not a link)."""
    connection: Id | None = None
    """Name of a warehouse connection in ``playbook.yml``: the query runs there when
    ``playbook pull`` is run, and the site reads the snapshot it wrote
    (``data/<id>/snapshots/<kpi-id>.csv``)."""
    date: Text = "date"
    """Column holding the observation date (ISO ``YYYY-MM-DD``, or as ``read.date_format``
    says)."""
    value: Text = "value"
    """Column holding the measured value (a number)."""
    group: Text | None = None
    """Column saying ``pilot`` or ``comparison``, when a comparison group is measured."""
    subject: Text | None = None
    """Column with a pseudonymous person id: the file is person-level, never published."""
    wave: Text | None = None
    """Column saying ``pre`` or ``post`` for person-level survey waves."""
    closes: dict[Literal["pre", "post"], IsoDate] = Field(default_factory=dict)
    """Last day each survey wave is fielded (``closes: {pre: 2026-02-27, post:
    2026-08-31}``): a wave's figures are published from the next day, never while people
    are still answering, and answers dated after it are not counted. A wave not listed
    closes at the end of the cadence period (week, month, quarter) of its first answer."""
    count: Text | None = None
    """Column with the number of people behind each aggregate value (a query's
    ``count(DISTINCT person)``): a period whose values stand for fewer people than
    ``privacy.min_group_size`` is not published. Not with ``subject``."""
    read: Reading = Field(default_factory=Reading)
    """How to read the export as it comes: rows to skip, date formats, separators, currency,
    missing-value markers and label translations."""

    @model_validator(mode="after")
    def _one_origin(self) -> Source:
        given = [k for k in ("file", "query", "query_file") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a source needs exactly one of `file`, `query` and `query_file`"
                             + (f", got {' and '.join(given)}" if given else ""))
        if self.count is not None and self.subject is not None:
            raise ValueError("`count` is for aggregate rows; person-level rows (`subject`) "
                             "are counted by their distinct subjects")
        if self.closes and self.wave is None:
            raise ValueError("`closes` gives the last day of each survey wave: name the "
                             "`wave` column too")
        if self.connection is not None and self.file is not None:
            raise ValueError("a `connection` runs a query: give `query` or `query_file`, "
                             "not `file`")
        return self

    @property
    def origin(self) -> str:
        """What the source reads from, as the editor wrote it (a path, or ``query``)."""
        return self.file or self.query_file or "query"


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
    kind: Choice[KpiKind]
    """Business result, behavioural indicator, platform engagement, leading indicator,
    learners' reaction (a rating or a Learning NPS) or learning (a pre/post knowledge
    score); the kind places the KPI on the chain of impact."""
    unit: Text
    """Unit of the values, such as ``days``, ``percent`` or ``score (1-5)``."""
    direction: Choice[Direction]
    """Which way is better."""
    baseline: Baseline
    """Value before the program."""
    target: Target
    """Value to reach and by when."""
    cadence: Choice[Cadence]
    """How often the KPI is measured and reviewed."""
    owner: Role | None = None
    """Stakeholder role accountable for the KPI."""
    source: Source | None = None
    """The measurement data; without it the KPI shows as not yet measured."""
    monetization: Monetization | None = None
    """Money value of an improvement, for the ROI."""
    description: Text | None = None
    """What the KPI means and how it is computed."""
    measure: Choice[Measure] = Measure.MEAN
    """How a period's rows become the KPI's value: their ``mean`` (of each person's mean
    for person-level data), or ``nps``: each row is one person's 0–10 answer to "how
    likely are you to recommend …", and the value is the Net Promoter Score, the share
    of 9–10 answers minus the share of 0–6 answers, in points from −100 to 100. An
    ``nps`` KPI is person-level: its source names a ``subject`` column."""
    level: Literal[1, 2, 3, 4] | None = None
    """Level of the chain of impact the KPI gives evidence for, when its ``kind`` does
    not say it: 1 reaction, 2 learning, 3 application on the job, 4 business impact
    (a ``leading`` KPI that counts action plans put to use is level 3)."""

    @property
    def person_level(self) -> bool:
        """Whether the KPI's rows are people's (its source names a ``subject``): then the
        engine aggregates them, withholding groups under the privacy minimum. Decided
        here, once, for every stage."""
        return self.source is not None and self.source.subject is not None

    @property
    def sign(self) -> float:
        """``1.0`` when an increase is better, ``-1.0`` when a decrease is: a change times
        the sign is an improvement."""
        return 1.0 if self.direction is Direction.INCREASE else -1.0

    @model_validator(mode="after")
    def _nps_is_person_level(self) -> Kpi:
        if self.measure is not Measure.NPS:
            return self
        if self.source is not None and self.source.subject is None:
            raise ValueError("`measure: nps` reads one 0–10 answer per person: the source "
                             "needs a `subject` column")
        # a score outside the NPS scale can never be reached, so its status would mislead
        for name, value in (("baseline", self.baseline.value), ("target", self.target.value)):
            if not -100 <= value <= 100:
                raise ValueError(f"`measure: nps` is in points from -100 to 100; the {name} "
                                 f"is {value:g}")
        return self


class Attribution(StrictModel):
    """How the program's effect is separated from everything else."""

    method: Choice[AttributionMethod]
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
    """Path of the CSV, relative to the playbook root, in the program's data folder
    (``data/<id>/outcomes.csv``; not a link, no name starting with a dot)."""
    group: Text
    """Column with the self-reported group (aggregated only)."""
    selected: Text
    """Column with 1 when selected (recommended), 0 when not; with ``count``, the number
    of the row's people who were selected."""
    count: Text | None = None
    """Column with the number of people a row stands for, when the tool exports a summary
    (one row per group with ``n`` and ``selected``) rather than one row per person."""
    tool: Text | None = None
    """Name of the tool in ``tools`` whose selections these are; needed when more than
    one tool is listed, since the check says which tool it judges."""


class Ai(StrictModel):
    """``ai.yml``: AI tools and their outcomes by group."""

    tools: list[AiTool] = Field(default_factory=list)
    """The AI tools the program uses."""
    outcomes: AiOutcomes | None = None
    """Selection outcomes by group, for the disparate-impact check."""
