"""Model of a benchmark file: published effects of leadership training, with their source.

A benchmark file (``playbook/benchmarks/*.yml`` in the package, or
``benchmarks/*.yml`` in a playbook, named in ``playbook.yml``) holds one
meta-analysis's mean effect per Kirkpatrick criterion, each number as
published and where in the publication it stands. A number the file cannot
cite is absent, and ``absent`` says which and why: a benchmark never carries a
number nobody can find in its source.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from playbook.model.base import Choice, StrictModel, Text

Doi = Annotated[str, StringConstraints(pattern=r"^10\.[0-9]{4,9}/[-._;()/:A-Za-z0-9]+$")]
"""A DOI without its ``https://doi.org/`` prefix, such as ``10.1037/apl0000241``."""


class Criterion(StrEnum):
    """The four training criteria of Kirkpatrick (1959), as meta-analyses report them."""

    REACTIONS = "reactions"
    """Trainees' attitudes toward the training (level 1)."""
    LEARNING = "learning"
    """Knowledge and skills gained in the training (level 2)."""
    TRANSFER = "transfer"
    """Trained behaviour used on the job (level 3)."""
    RESULTS = "results"
    """Outcomes for the organisation or the trainees' teams (level 4)."""


class Citation(StrictModel):
    """The publication the numbers come from."""

    authors: list[Text] = Field(min_length=1)
    """Authors in publication order, as ``Surname, I. I.``."""
    year: int = Field(ge=1900, le=2100)
    """Year of publication."""
    title: Text
    """Title of the publication."""
    journal: Text
    """Journal (or publisher) it appeared in."""
    volume: int | None = Field(default=None, ge=1)
    """Journal volume."""
    issue: int | None = Field(default=None, ge=1)
    """Journal issue."""
    pages: Text | None = None
    """Page range, such as ``1686–1718``."""
    doi: Doi | None = None
    """Digital Object Identifier, without the ``https://doi.org/`` prefix."""
    samples: int | None = Field(default=None, ge=1)
    """Independent samples the meta-analysis pooled, as the publication states."""


class CriterionEffect(StrictModel):
    """One criterion's meta-analytic effect, every number as published."""

    criterion: Choice[Criterion]
    """Which Kirkpatrick criterion: ``reactions``, ``learning``, ``transfer`` or ``results``."""
    delta: float = Field(ge=-10, le=10)
    """The mean effect as the publication reports it (for a corrected effect, δ)."""
    delta_at: Text
    """Where ``delta`` is printed: abstract, table and page."""
    k: int | None = Field(default=None, ge=1)
    """Independent samples behind this criterion's effect."""
    n: int | None = Field(default=None, ge=1)
    """People behind this criterion's effect."""
    d: float | None = Field(default=None, ge=-10, le=10)
    """The sample-size-weighted mean observed effect, before corrections."""
    sd_delta: float | None = Field(default=None, ge=0, le=10)
    """Standard deviation of the corrected effect across samples (SD of δ)."""
    ci_low: float | None = Field(default=None, ge=-10, le=10)
    """Lower end of the confidence interval of ``delta``."""
    ci_high: float | None = Field(default=None, ge=-10, le=10)
    """Upper end of the confidence interval of ``delta``."""
    ci_level: float | None = Field(default=None, gt=0, lt=1)
    """Level of that confidence interval, such as ``0.95``."""
    cr_low: float | None = Field(default=None, ge=-10, le=10)
    """Lower end of the credibility interval: where most true program effects lie."""
    cr_high: float | None = Field(default=None, ge=-10, le=10)
    """Upper end of the credibility interval."""
    cr_level: float | None = Field(default=None, gt=0, lt=1)
    """Level of that credibility interval, such as ``0.80``."""
    reliability: float | None = Field(default=None, gt=0, le=1)
    """Mean reliability of the criterion measures (r̄_yy) the publication corrected
    ``delta`` for, such as ``0.96``. With it and no ``d``, a program's observed d is
    compared with ``delta``·√``reliability`` (Hunter & Schmidt, 2004); without either,
    with ``delta`` as it stands."""
    values_at: Text | None = None
    """Where ``k``, ``n``, ``d``, ``sd_delta``, the intervals and ``reliability`` are
    printed (table, page)."""

    @model_validator(mode="after")
    def _intervals_whole(self) -> CriterionEffect:
        for name in ("ci", "cr"):
            low, high, level = (getattr(self, f"{name}_{part}") for part in ("low", "high",
                                                                               "level"))
            given = [v is not None for v in (low, high, level)]
            if any(given) and not all(given):
                raise ValueError(f"give `{name}_low`, `{name}_high` and `{name}_level` "
                                 "together, or none of them")
            if low is not None and high is not None and low > high:
                raise ValueError(f"`{name}_low` is above `{name}_high`")
        has_values = any(v is not None for v in (self.k, self.n, self.d, self.sd_delta,
                                                 self.ci_low, self.cr_low, self.reliability))
        if has_values and self.values_at is None:
            raise ValueError("say where these numbers are printed in `values_at`")
        # a correction divides by a positive factor: it never turns an effect's sign
        if self.d is not None and (self.d > 0 > self.delta or self.d < 0 < self.delta
                                   or (self.d == 0) != (self.delta == 0)):
            raise ValueError("`d` and `delta` have opposite signs, or one is zero; a "
                             "correction for unreliability keeps the sign of the observed d")
        return self


class BenchmarkSource(StrictModel):
    """A benchmark file: one publication's effects of leadership training by criterion."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    """Short name, such as ``lacerenza-2017``; shown beside the band it draws."""
    citation: Citation
    """The publication."""
    population: Text
    """What was trained and who was measured, as the publication defines its scope."""
    effect_size: Text
    """What the effects are: the statistic, its metric and the corrections applied, in
    the publication's words where it states them."""
    absent: Text | None = None
    """Which numbers the file leaves out and why (a number nobody could find in the
    source stays out; it is never estimated)."""
    effects: list[CriterionEffect] = Field(min_length=1)
    """One entry per criterion the publication reports."""

    @model_validator(mode="after")
    def _one_per_criterion(self) -> BenchmarkSource:
        seen = [e.criterion for e in self.effects]
        twice = sorted({c.value for c in seen if seen.count(c) > 1})
        if twice:
            raise ValueError(f"criterion {', '.join(twice)} is given more than once")
        return self
