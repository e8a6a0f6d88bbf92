"""Each KPI's effect on the research scale, placed against the published benchmark.

Sits after :mod:`.stats` and :mod:`.effects`: it reads their effects and the
benchmark sources of the bundle (:mod:`playbook.load.benchmarks`) and returns a
:class:`Placement` per KPI. Conversions, each standard and each stated on the
methodology page:

* **Paired change** (pilot only): Cohen's ``d_z = d̄ / s_d`` is on the metric of
  the *change* scores; benchmarks are on the metric of the *scores*. With the
  pre–post correlation ``r`` of the matched people, ``d = d_z·√(2(1 − r))``
  (Morris & DeShon, 2002, eq. 12; Lakens's 2013 ``d_rm``). Its interval scales
  the large-sample interval of ``d_z`` (standard error ``√(1/n + d_z²/(2n))``,
  t on n − 1 degrees of freedom) by the same factor, taking ``r`` as known.
* **Difference in differences** (pilot and comparison): the difference in mean
  changes over the pooled standard deviation of the pre wave (Morris, 2008,
  ``d_ppc2``), its Welch interval divided by the same SD, taken as known.
* **Aggregate KPIs** (difference in differences or interrupted time series on
  period values, :mod:`.effects`) are in the KPI's unit with no person-level
  standard deviation: they are never put on the research scale.

The program's d is *observed*; benchmarks such as Lacerenza et al. (2017)
report δ, corrected for unreliability in the criterion. The benchmark is
brought to the observed scale (:class:`BenchmarkScale`), like with like: the source's
observed d where it prints one, its intervals times d/δ (the attenuation the
source itself applied); otherwise δ·√r̄_yy, its intervals times √r̄_yy, with the
mean criterion reliability the source corrected for (Hunter & Schmidt, 2004,
the inverse of that correction). A file that states neither is compared with δ
as it stands, and says so. Improvement is positive on this scale: a KPI where
lower is better has its sign turned.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from playbook.figures import distributions
from playbook.figures.chain import level_of
from playbook.figures.effects import KpiEffect
from playbook.figures.paired import LEVEL, PairedEffect
from playbook.figures.stats import BehaviourEffect
from playbook.model.benchmarks import BenchmarkSource, Criterion, CriterionEffect
from playbook.model.choices import KpiKind, Measure
from playbook.model.measure import Kpi

CRITERION_OF_LEVEL: Final[Mapping[int, Criterion]] = MappingProxyType({
    1: Criterion.REACTIONS, 2: Criterion.LEARNING, 3: Criterion.TRANSFER, 4: Criterion.RESULTS})
"""The Kirkpatrick criterion of each chain level (:func:`playbook.figures.chain.level_of`)."""


class Comparability(StrEnum):
    """Whether a KPI's effect can be put on the benchmark's scale, and how."""

    CONVERTED = "converted"
    """A paired d_z converted to the raw-score metric with the pre–post correlation."""
    STANDARDISED = "standardised"
    """A difference in differences over the pooled standard deviation of the pre wave."""
    TOO_LITTLE_DATA = "too-little-data"
    """The effect, its spread or the pre–post correlation cannot be estimated yet."""
    NO_PERSON_SD = "no-person-sd"
    """An aggregate KPI: its effect is in the KPI's unit, with no person-level spread to
    standardise it by."""
    NOT_A_MEAN = "not-a-mean"
    """A Net Promoter Score: a difference of two shares, with no standard conversion to a
    standardised mean difference."""
    NO_CRITERION = "no-criterion"
    """The KPI evidences no Kirkpatrick criterion (engagement, or a leading indicator
    without a level)."""
    NO_BENCHMARK = "no-benchmark"
    """No benchmark source reports the KPI's criterion."""


class BenchmarkScale(StrEnum):
    """How a benchmark was brought to the observed scale of a program's d."""

    OBSERVED_D = "observed-d"
    """The source's observed d as published; its intervals times d/δ."""
    ATTENUATED = "attenuated"
    """δ attenuated for criterion unreliability, δ·√r̄_yy; its intervals times √r̄_yy."""
    UNCORRECTED = "uncorrected"
    """δ as the file gives it: the file states neither an observed d nor a reliability."""


class Position(StrEnum):
    """Where the program's effect lies against the benchmark on the observed scale."""

    BELOW = "below"
    """The point estimate is below the benchmark's ``observed``."""
    ABOVE = "above"
    """The point estimate is at or above the benchmark's ``observed``."""


@dataclass(frozen=True)
class Band:
    """The published effect of one criterion, from one source."""

    source: str
    """The benchmark file's id, such as ``lacerenza-2017``."""
    cite: str
    """Short citation, such as ``Lacerenza et al. (2017)``."""
    doi: str | None
    """The publication's DOI, when the file gives it."""
    criterion: Criterion
    """The Kirkpatrick criterion: ``reactions``, ``learning``, ``transfer`` or ``results``."""
    delta: float
    """The published mean effect δ of the criterion."""
    scale: BenchmarkScale
    """How the benchmark was brought to the observed scale of a program's d."""
    observed: float
    """The benchmark on the observed scale, compared with a program's d: the published
    observed d, δ·√r̄_yy, or δ (see ``scale``)."""
    factor: float
    """What δ and its intervals were multiplied by to reach the observed scale: d/δ,
    √r̄_yy, or 1."""
    reliability: float | None = None
    """The mean criterion reliability r̄_yy the source corrected δ for, when given."""
    cr_low: float | None = None
    """Lower end of the credibility interval (where most true effects lie) on the
    observed scale (the published one times ``factor``), when given."""
    cr_high: float | None = None
    """Upper end of the credibility interval on the observed scale, when given."""
    cr_level: float | None = None
    """Level of the credibility interval, such as 0.8, when given."""


@dataclass(frozen=True)
class Placement:
    """One KPI's effect on the research scale beside the benchmark, or why it is not."""

    kpi_id: str
    """The KPI."""
    criterion: Criterion | None
    """The Kirkpatrick criterion the KPI evidences; null when none."""
    comparability: Comparability
    """How the effect was put on the research scale, or why it was not."""
    band: Band | None = None
    """The benchmark of the criterion; null when no source reports it."""
    d: float | None = None
    """The effect on the benchmark's scale (an improvement is positive); null when not
    comparable."""
    low: float | None = None
    """Lower end of its 95% interval."""
    high: float | None = None
    """Upper end of its 95% interval."""
    position: Position | None = None
    """Whether ``d`` lies below or above the benchmark on the observed scale."""
    interval_includes: bool | None = None
    """Whether the interval includes the benchmark on the observed scale."""
    within_credibility: bool | None = None
    """Whether ``d`` lies inside the credibility interval; None when the source gives none."""

    @property
    def comparable(self) -> bool:
        """Whether the effect has a value on the research scale."""
        return self.d is not None


def cite(source: BenchmarkSource) -> str:
    """``Lacerenza et al. (2017)``: the first author's surname, then the year."""
    authors = source.citation.authors
    first = authors[0].split(",")[0]
    tail = "" if len(authors) == 1 else (f" & {authors[1].split(',')[0]}"
                                         if len(authors) == 2 else " et al.")
    return f"{first}{tail} ({source.citation.year})"


def observed_scale(e: CriterionEffect) -> tuple[BenchmarkScale, float, float]:
    """``(scale, benchmark, factor)``: the effect on the observed scale of a program's d.

    A published observed d wins: it is what the source measured. Its factor d/δ is
    the attenuation the source applied (Hunter & Schmidt's mean artifact
    factor), so the intervals of δ times it are those of d.
    """
    if e.d is not None and e.delta != 0:  # the model keeps d and δ of one sign
        return BenchmarkScale.OBSERVED_D, e.d, e.d / e.delta
    if e.reliability is not None:
        root = math.sqrt(e.reliability)
        return BenchmarkScale.ATTENUATED, e.delta * root, root
    if e.d is not None:  # d = δ = 0: nothing to scale
        return BenchmarkScale.OBSERVED_D, e.d, 1.0
    return BenchmarkScale.UNCORRECTED, e.delta, 1.0


def band_for(sources: tuple[BenchmarkSource, ...], criterion: Criterion) -> Band | None:
    """The first source's effect for ``criterion`` (the playbook's own come first), on the
    observed scale."""
    for source in sources:
        for e in source.effects:
            if e.criterion is criterion:
                scale, at, factor = observed_scale(e)
                banded = e.cr_low is not None and e.cr_high is not None
                return Band(source.id, cite(source), source.citation.doi, criterion, e.delta,
                            scale, at, factor, e.reliability,
                            e.cr_low * factor if e.cr_low is not None else None,
                            e.cr_high * factor if e.cr_high is not None else None,
                            e.cr_level if banded else None)
    return None


def criterion_of(kpi: Kpi) -> Criterion | None:
    """The Kirkpatrick criterion a KPI evidences; None for engagement and unlevelled
    leading indicators (taking part is not a reaction to the training)."""
    if kpi.kind is KpiKind.ENGAGEMENT and kpi.level is None:
        return None
    level = level_of(kpi)
    return CRITERION_OF_LEVEL.get(level) if level is not None else None


def d_raw(d_z: float, r: float) -> float:
    """``d_z`` on the raw-score metric: ``d_z·√(2(1 − r))`` (Morris & DeShon, 2002)."""
    return d_z * math.sqrt(2 * (1 - r))


def converted(p: PairedEffect) -> tuple[float, float, float] | None:
    """The pilot's paired effect as ``(d, low, high)`` on the raw-score metric."""
    if p.d_z is None or p.r is None or p.n < 2:
        return None
    factor = math.sqrt(2 * (1 - p.r))
    se = math.sqrt(1 / p.n + p.d_z ** 2 / (2 * p.n))
    half = distributions.t_quantile(0.5 + LEVEL / 2, p.n - 1) * se
    return p.d_z * factor, (p.d_z - half) * factor, (p.d_z + half) * factor


def standardised(b: BehaviourEffect) -> tuple[float, float, float] | None:
    """The difference in differences over the pooled pre-wave SD, as ``(d, low, high)``."""
    pilot, comparison, did = b.pilot, b.comparison, b.did
    if (pilot is None or comparison is None or did is None or did.estimate is None
            or did.ci is None or pilot.sd_pre is None or comparison.sd_pre is None):
        return None
    n1, n2 = pilot.n, comparison.n
    pooled = math.sqrt(((n1 - 1) * pilot.sd_pre ** 2 + (n2 - 1) * comparison.sd_pre ** 2)
                       / (n1 + n2 - 2))
    return did.estimate / pooled, did.ci.low / pooled, did.ci.high / pooled


def _placed(kpi: Kpi, criterion: Criterion, band: Band, how: Comparability,
            found: tuple[float, float, float]) -> Placement:
    d, low, high = (v * kpi.sign for v in found)
    low, high = min(low, high), max(low, high)
    within = (band.cr_low <= d <= band.cr_high
              if band.cr_low is not None and band.cr_high is not None else None)
    return Placement(kpi.id, criterion, how, band, d, low, high,
                     Position.BELOW if d < band.observed else Position.ABOVE,
                     low <= band.observed <= high, within)


def placement(kpi: Kpi, sources: tuple[BenchmarkSource, ...],
              behaviour: BehaviourEffect | None, effect: KpiEffect | None) -> Placement:
    """Place one KPI's effect against the benchmark of its criterion.

    A difference in differences is preferred to the pilot's paired change: a
    comparison group rules out change that would have happened anyway.
    """
    criterion = criterion_of(kpi)
    if criterion is None:
        return Placement(kpi.id, None, Comparability.NO_CRITERION)
    band = band_for(sources, criterion)
    if band is None:
        return Placement(kpi.id, criterion, Comparability.NO_BENCHMARK)
    if kpi.measure is Measure.NPS:
        return Placement(kpi.id, criterion, Comparability.NOT_A_MEAN, band)
    if behaviour is None:
        how = Comparability.NO_PERSON_SD if effect is not None else \
            Comparability.TOO_LITTLE_DATA
        return Placement(kpi.id, criterion, how, band)
    found = standardised(behaviour)
    if found is not None:
        return _placed(kpi, criterion, band, Comparability.STANDARDISED, found)
    found = converted(behaviour.pilot) if behaviour.pilot is not None else None
    if found is not None:
        return _placed(kpi, criterion, band, Comparability.CONVERTED, found)
    return Placement(kpi.id, criterion, Comparability.TOO_LITTLE_DATA, band)
