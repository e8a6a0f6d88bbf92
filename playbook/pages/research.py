"""Where each effect stands against research: the placement sentence and its caveats.

Words a :class:`playbook.figures.benchmark.Placement`; computes nothing. The
sentence never claims more than the interval allows: a point below the
benchmark whose interval includes it reads "below …; the interval includes it",
and every placement carries how the effect was put on the research scale and
what it was compared with: the benchmark on the observed scale (the source's
observed d, or δ·√r̄_yy), δ beside it, or δ as given when the file allows no
conversion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from playbook.figures.benchmark import (
    Band,
    BenchmarkScale,
    Comparability,
    Placement,
    Position,
    cite,
    observed_scale,
)
from playbook.figures.paired import LEVEL
from playbook.figures.rounding import formatted
from playbook.figures.site import ProgramView, SiteData
from playbook.model.benchmarks import Criterion, CriterionEffect
from playbook.pages.mdtext import Md, cell, fmt, heading, labels, lines, number, table, text

CRITERION_WORDS: Final[Mapping[Criterion, str]] = MappingProxyType({
    Criterion.REACTIONS: "reactions", Criterion.LEARNING: "learning",
    Criterion.TRANSFER: "transfer (behaviour on the job)", Criterion.RESULTS: "results"})
"""Each Kirkpatrick criterion as a page names it."""

HOW: Final[Mapping[Comparability, str]] = MappingProxyType({
    Comparability.CONVERTED: "the pilot's paired d_z converted to the scores' metric with "
                             "the pre–post correlation, d = d_z·√(2(1 − r)) (Morris & "
                             "DeShon, 2002)",
    Comparability.STANDARDISED: "the difference in differences over the pooled standard "
                                "deviation of the pre wave (Morris, 2008)",
    Comparability.TOO_LITTLE_DATA: "too little data yet: the effect, its spread or the "
                                   "pre–post correlation cannot be estimated",
    Comparability.NOT_A_MEAN: "not comparable: a Net Promoter Score is a difference of two "
                              "shares, with no standard conversion to a standardised mean "
                              "difference",
    Comparability.NO_PERSON_SD: "not comparable: an aggregate KPI's effect is in its own "
                                "unit, with no person-level standard deviation to "
                                "standardise it by",
    Comparability.NO_CRITERION: "not comparable: the KPI evidences no training criterion "
                                "(taking part is not a reaction to the training)",
    Comparability.NO_BENCHMARK: "no benchmark source reports this criterion",
})
"""How an effect was put on the research scale, or why it was not."""

COMPARABILITY: Final = ("A program's d is observed on its own measure, measurement error "
                        "included, so the benchmark is put on that observed scale first: the "
                        "research's observed d where the source prints it, otherwise its δ "
                        "(corrected for unreliability in the criterion) times the square root "
                        "of the studies' mean criterion reliability (Hunter & Schmidt, 2004). "
                        "This assumes the program's measure is about as reliable as the "
                        "studies' average; a less reliable one shows a smaller d for the same "
                        "true effect.")
"""The comparability note beside every placement."""

UNCORRECTED: Final = ("A benchmark file that states neither an observed d nor a reliability is "
                      "compared with its δ as given: if that δ is corrected for unreliability, "
                      "an equally effective program tends to fall below it.")
"""Added to the note when a benchmark could not be brought to the observed scale."""


def note(scales: Iterable[BenchmarkScale]) -> str:
    """The comparability note for placements against benchmarks of these scales."""
    return COMPARABILITY + (" " + UNCORRECTED if BenchmarkScale.UNCORRECTED in set(scales) else "")


def compared_with(band: Band) -> str:
    """What the effect was compared with, in words: "the research's observed d of 0.66
    (δ = 0.72, …)" or "δ = 0.82 brought to the observed scale (× √0.96 = 0.80), …"."""
    delta = formatted(band.delta, 2)
    if band.scale is BenchmarkScale.OBSERVED_D:
        return (f"the research's observed d of {formatted(band.observed, 2)} (δ = {delta}, "
                f"{band.cite})")
    if band.scale is BenchmarkScale.ATTENUATED:
        root = formatted(band.reliability or 0, 2)
        return (f"δ = {delta} brought to the observed scale (× √{root} = "
                f"{formatted(band.observed, 2)}), {band.cite}")
    return (f"δ = {delta} as given, not brought to the observed scale (the file states no "
            f"reliability), {band.cite}")


def benchmark_cell(band: Band) -> str:
    """The benchmark in a table cell: its value on the observed scale, and δ beside it."""
    delta = formatted(band.delta, 2)
    if band.scale is BenchmarkScale.OBSERVED_D:
        return f"observed d = {formatted(band.observed, 2)} (δ = {delta}), {band.cite}"
    if band.scale is BenchmarkScale.ATTENUATED:
        return (f"{formatted(band.observed, 2)} = δ {delta} × √"
                f"{formatted(band.reliability or 0, 2)}, {band.cite}")
    return f"δ = {delta} as given, {band.cite}"


def _benchmark(p: Placement) -> Md:
    assert p.band is not None
    return text(benchmark_cell(p.band))


def sentence(p: Placement) -> Md:
    """Where the effect stands, e.g. "below the typical leadership-training transfer
    effect, compared with δ = 0.82 brought to the observed scale (× √0.96 = 0.80),
    Lacerenza et al. (2017); the interval includes it"."""
    if p.band is None or p.position is None or p.criterion is None:
        return text(HOW[p.comparability])
    side = "below" if p.position is Position.BELOW else "above"
    if p.interval_includes:
        tail = Md("the interval includes it")
    else:
        tail = fmt("the whole {} interval lies {} it", text(f"{LEVEL:.0%}"), text(side))
    out = fmt("{} the typical leadership-training {} effect, compared with {}; {}", text(side),
              text(CRITERION_WORDS[p.criterion]), text(compared_with(p.band)), tail)
    band = p.band
    if p.within_credibility is not None and band.cr_low is not None and band.cr_high is not None:
        inside = "inside" if p.within_credibility else "outside"
        span = fmt("{} to {}", number(band.cr_low, 2), number(band.cr_high, 2))
        if band.scale is not BenchmarkScale.UNCORRECTED:
            span = fmt("{} on the observed scale", span)
        out = fmt("{}; {} the {} credibility interval ({})", out, text(inside),
                  text(f"{band.cr_level or 0:.0%}"), span)
    return out


def effect_cell(p: Placement) -> Md:
    """The effect on the research scale with its interval, or a dash."""
    if p.d is None or p.low is None or p.high is None:
        return cell(None)
    return fmt("d = {} ({} to {})", number(p.d, 2), number(p.low, 2), number(p.high, 2))


def research_line(p: Placement) -> Md | None:
    """One italic line under a KPI's effect: where it stands, and how it was compared;
    None for a KPI of no criterion or with no benchmark (the section's table says so)."""
    if p.comparability in (Comparability.NO_CRITERION, Comparability.NO_BENCHMARK):
        return None
    if p.d is None:
        return fmt("*Against research: {}.*\n", text(HOW[p.comparability]))
    scales = [p.band.scale] if p.band is not None else []
    return fmt("*Against research: {}, {}; compared as {}. {}*\n", effect_cell(p), sentence(p),
               text(HOW[p.comparability]), text(note(scales)))


def research_section(view: ProgramView) -> Md:
    """Every KPI of a training criterion, its effect on the research scale and where it
    stands against the benchmark, with how each was compared."""
    k = view.bundle.kpis
    placed = [(kpi, view.figures.benchmarks[kpi.id]) for kpi in (k.kpis if k else [])
              if kpi.id in view.figures.benchmarks
              and view.figures.benchmarks[kpi.id].criterion is not None]
    out = [heading(2, "Against research")]
    if not placed:
        return lines([*out, Md("No KPI evidences a training criterion (reactions, learning, "
                               "transfer or results) yet.\n")])
    rows = [[cell(kpi.name), text(CRITERION_WORDS[p.criterion]) if p.criterion else cell(None),
             effect_cell(p), _benchmark(p) if p.band else cell(None),
             sentence(p) if p.d is not None else text(HOW[p.comparability])]
            for kpi, p in placed]
    out.append(fmt("{}\n", table(labels("KPI", "Criterion", f"Effect ({LEVEL:.0%} interval)",
                                         "Benchmark", "Where it stands"), rows)))
    hows = sorted({p.comparability for _, p in placed if p.d is not None})
    for how in hows:
        out.append(fmt("Compared as {}.\n", text(HOW[how])))
    out.append(fmt("{}\n", text(note(p.band.scale for _, p in placed if p.band))))
    return lines(out)


def _pair(low: float | None, high: float | None, level: float | None) -> Md:
    if low is None or high is None:
        return Md("not given")
    return fmt("{} to {} ({})", number(low, 2), number(high, 2), text(f"{level or 0:.0%}"))


def _given(value: float | None, digits: int = 2) -> Md:
    return Md("not given") if value is None else number(value, digits)


def _observed(e: CriterionEffect) -> Md:
    """What a program's d is compared with for this criterion, and how it was reached."""
    scale, at, factor = observed_scale(e)
    if scale is BenchmarkScale.OBSERVED_D:
        return fmt("{}, the observed d (intervals × d/δ = {})", number(at, 2),
                   number(factor, 2))
    if scale is BenchmarkScale.ATTENUATED:
        return fmt("{} = δ × √{}", number(at, 2), number(e.reliability, 2))
    return Md("δ as given")


def benchmark_rules(site: SiteData) -> Md:
    """The benchmark sources that apply, each number as the file gives it and where it is
    printed; what a source leaves out says so (the methodology's macro)."""
    sources = site.programs[0].bundle.benchmarks if site.programs else ()
    if not sources:
        return Md("No benchmark source applies (`benchmarks` in `playbook.yml`).\n")
    out = []
    for source in sources:
        c = source.citation
        where = (fmt(", {}({}), {}", text(c.volume or ""), text(c.issue or ""),
                     text(c.pages or "")) if c.volume else Md(""))
        doi = fmt(", doi {}", text(c.doi)) if c.doi else Md("")
        out.append(fmt("**{}** ({}): {} ({}). {}. *{}*{}{}.\n", text(source.id), text(cite(
            source)), text(", ".join(c.authors)), c.year, text(c.title), text(c.journal),
            where, doi))
        rows = [[text(CRITERION_WORDS[e.criterion]), number(e.delta, 2), text(e.delta_at),
                 _given(e.k, 0), _given(e.n, 0), _given(e.d), _given(e.sd_delta),
                 _pair(e.ci_low, e.ci_high, e.ci_level), _pair(e.cr_low, e.cr_high, e.cr_level),
                 _given(e.reliability), text(e.values_at) if e.values_at else cell(None),
                 _observed(e)] for e in source.effects]
        out.append(fmt("{}\n", table(labels(
            "Criterion", "δ", "δ printed at", "k", "N", "Observed d", "SD of δ",
            "Confidence interval", "Credibility interval", "Criterion reliability",
            "Others printed at", "A program's d is compared with"), rows)))
        samples = (fmt(" {} independent samples.", text(c.samples)) if c.samples
                   else Md(""))
        out.append(fmt("Population: {}{}\n", text(source.population), samples))
        out.append(fmt("Effect size: {}\n", text(source.effect_size)))
        if source.absent:
            out.append(fmt("Left out: {}\n", text(source.absent)))
    return lines(out)
