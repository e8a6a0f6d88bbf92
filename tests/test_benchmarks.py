"""Research benchmarks: the packaged file against the paper, conversions against scipy.

The expected values are written here from the publication (Lacerenza, Reyes,
Marlow, Joseph & Salas, 2017, Journal of Applied Psychology 102(12),
1686–1718: the abstract, Tables 1, 2 and 5 and the Results text; the data file's
header says where each was read): a change to the data file that departs from the
paper fails here. The conversions are recomputed with numpy and scipy from their
textbook formulas.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import markdown
import numpy as np
import pytest
import yaml
from scipy import stats

from playbook import engine
from playbook.figures.benchmark import (
    Band,
    BenchmarkScale,
    Comparability,
    Placement,
    Position,
    _placed,
    band_for,
    cite,
    converted,
    criterion_of,
    placement,
    standardised,
)
from playbook.figures.paired import did_effect, paired_effect
from playbook.figures.stats import BehaviourEffect
from playbook.load import loader
from playbook.load.benchmarks import load_benchmarks, packaged
from playbook.model.benchmarks import BenchmarkSource, Criterion
from playbook.model.measure import Kpi
from playbook.model.settings import Benchmarks
from playbook.pages.forest import forest_section
from playbook.pages.mdtext import text
from playbook.pages.research import (
    COMPARABILITY,
    HOW,
    UNCORRECTED,
    benchmark_cell,
    benchmark_rules,
    note,
    research_line,
    research_section,
    sentence,
)

REPO = Path(__file__).resolve().parents[1]

PAPER_DELTA = {Criterion.REACTIONS: 0.63, Criterion.LEARNING: 0.73,
               Criterion.TRANSFER: 0.82, Criterion.RESULTS: 0.72}
"""δ per criterion, as the abstract prints them (p. 1686)."""

PAPER_VALUES = {
    # k, N, d, SD of δ, 95% CI, 80% CR: Table 2 (p. 10 of the online-first PDF)
    Criterion.REACTIONS: (7, 620, 0.58, 0.73, (0.12, 1.15, 0.95), (-0.30, 1.57, 0.80)),
    # the 95% CI only: the Results text (p. 10); Tables 3 and 4 were not read
    Criterion.LEARNING: (None, None, None, None, (0.62, 0.85, 0.95), None),
    Criterion.TRANSFER: (None, None, None, None, (0.58, 1.06, 0.95), None),
    # Table 5 and the Results text; its credibility interval was not readable
    Criterion.RESULTS: (78, 11640, 0.66, 0.56, (0.60, 0.84, 0.95), None),
}
"""The other numbers per criterion, as the article prints them; None: not in the file."""

PAPER_RELIABILITY = {Criterion.REACTIONS: 0.92, Criterion.LEARNING: 0.95,
                     Criterion.TRANSFER: 0.96, Criterion.RESULTS: 0.93}
"""Mean criterion reliability per criterion, as the method prints them (p. 10)."""


def test_packaged_file_matches_the_paper() -> None:
    (source,) = packaged()
    c = source.citation
    assert source.id == "lacerenza-2017"
    assert c.authors == ["Lacerenza, C. N.", "Reyes, D. L.", "Marlow, S. L.",
                         "Joseph, D. L.", "Salas, E."]
    assert (c.year, c.journal, c.volume, c.issue, c.pages, c.doi, c.samples) == (
        2017, "Journal of Applied Psychology", 102, 12, "1686–1718", "10.1037/apl0000241",
        335)
    assert c.title == ("Leadership training design, delivery, and implementation: "
                       "A meta-analysis")
    assert {e.criterion: e.delta for e in source.effects} == PAPER_DELTA
    assert all(e.delta_at.startswith("abstract, p. 1686; ") for e in source.effects)
    for e in source.effects:
        ci = None if e.ci_low is None else (e.ci_low, e.ci_high, e.ci_level)
        cr = None if e.cr_low is None else (e.cr_low, e.cr_high, e.cr_level)
        assert (e.k, e.n, e.d, e.sd_delta, ci, cr) == PAPER_VALUES[e.criterion], e.criterion
        assert e.values_at is not None and "p. 10" in e.values_at
        assert e.reliability == PAPER_RELIABILITY[e.criterion], e.criterion
        assert "the reliability in the method" in e.values_at
    # what the file could not read is left out, and the file says which and why
    assert source.absent is not None
    for words in ("Learning and transfer", "Tables 3 and 4", "Results: the 80% credibility",
                  "drops minus signs"):
        assert words in source.absent
    assert "Cohen's d corrected for unreliability in the criterion" in source.effect_size
    assert "k = 335, N = 26,573" in source.population
    assert cite(source) == "Lacerenza et al. (2017)"


def _kpi(kind: str, direction: str = "increase", **more: object) -> Kpi:
    return Kpi.model_validate({
        "id": "k", "name": "K", "kind": kind, "unit": "score", "direction": direction,
        "baseline": {"value": 3.0, "date": "2026-01-01"},
        "target": {"value": 4.0, "by": "2026-12-31"}, "cadence": "quarterly", **more})


@pytest.mark.parametrize(("kind", "level", "expected"), [
    ("reaction", None, Criterion.REACTIONS), ("learning", None, Criterion.LEARNING),
    ("behavior", None, Criterion.TRANSFER), ("business", None, Criterion.RESULTS),
    ("engagement", None, None), ("leading", None, None), ("leading", 3, Criterion.TRANSFER),
])
def test_each_kind_maps_to_its_criterion(kind: str, level: int | None,
                                         expected: Criterion | None) -> None:
    assert criterion_of(_kpi(kind, level=level)) is expected


PRE = [3.1, 2.8, 3.6, 3.0, 2.5, 3.9, 3.3, 2.9]
POST = [3.5, 3.4, 3.7, 3.6, 2.9, 4.4, 3.5, 3.6]
CPRE = [3.0, 3.2, 2.7, 3.5, 3.1, 2.6, 3.4]
CPOST = [3.1, 3.1, 2.9, 3.6, 3.0, 2.8, 3.5]


def test_paired_conversion_matches_scipy() -> None:
    pre, post = np.array(PRE), np.array(POST)
    diff = post - pre
    r = stats.pearsonr(pre, post).statistic
    # Lakens (2013) d_rm from the wave SDs: Mdiff / √(s₁² + s₂² − 2 r s₁ s₂) · √(2(1 − r))
    s1, s2 = pre.std(ddof=1), post.std(ddof=1)
    d_rm = diff.mean() / math.sqrt(s1**2 + s2**2 - 2 * r * s1 * s2) * math.sqrt(2 * (1 - r))
    n, d_z = len(diff), diff.mean() / diff.std(ddof=1)
    half = stats.t.ppf(0.975, n - 1) * math.sqrt(1 / n + d_z**2 / (2 * n))
    found = converted(paired_effect("pilot", PRE, POST))
    assert found is not None
    assert found == pytest.approx((d_rm, (d_z - half) * math.sqrt(2 * (1 - r)),
                                   (d_z + half) * math.sqrt(2 * (1 - r))), abs=1e-12)


def _behaviour() -> BehaviourEffect:
    pilot, comparison = paired_effect("pilot", PRE, POST), paired_effect("comparison", CPRE,
                                                                         CPOST)
    did = did_effect([b - a for a, b in zip(PRE, POST, strict=True)],
                     [b - a for a, b in zip(CPRE, CPOST, strict=True)])
    return BehaviourEffect("k", pilot, comparison, did, None, 0, [])


def test_did_is_standardised_by_the_pooled_pre_sd() -> None:
    a, b = np.array(PRE), np.array(CPRE)
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1))
                       / (len(a) + len(b) - 2))
    changes = (np.array(POST) - a).mean() - (np.array(CPOST) - b).mean()
    found = standardised(_behaviour())
    assert found is not None
    assert found[0] == pytest.approx(changes / pooled, abs=1e-12)


def test_placement_says_where_the_effect_stands() -> None:
    (source,) = packaged()
    placed = placement(_kpi("behavior"), (source,), _behaviour(), None)
    assert placed.comparability is Comparability.STANDARDISED
    assert placed.band is not None and placed.band.delta == 0.82
    assert placed.d is not None and placed.low is not None and placed.high is not None
    at = 0.82 * np.sqrt(0.96)  # transfer prints no observed d: δ attenuated by √r̄_yy
    assert placed.band.observed == pytest.approx(at, abs=1e-12)
    assert placed.position is (Position.BELOW if placed.d < at else Position.ABOVE)
    assert placed.interval_includes is bool(placed.low <= at <= placed.high)
    assert placed.within_credibility is None  # no credibility interval for transfer


# (criterion, scale, benchmark on the observed scale, factor), by hand from the paper
OBSERVED = [
    (Criterion.REACTIONS, BenchmarkScale.OBSERVED_D, 0.58, 0.58 / 0.63),
    (Criterion.LEARNING, BenchmarkScale.ATTENUATED, 0.73 * np.sqrt(0.95), np.sqrt(0.95)),
    (Criterion.TRANSFER, BenchmarkScale.ATTENUATED, 0.82 * np.sqrt(0.96), np.sqrt(0.96)),
    (Criterion.RESULTS, BenchmarkScale.OBSERVED_D, 0.66, 0.66 / 0.72),
]


@pytest.mark.parametrize(("criterion", "scale", "at", "factor"), OBSERVED)
def test_the_benchmark_is_brought_to_the_observed_scale(criterion: Criterion, scale: BenchmarkScale,
                                                         at: float, factor: float) -> None:
    band = band_for(packaged(), criterion)
    assert band is not None
    assert (band.scale, band.delta) == (scale, PAPER_DELTA[criterion])
    assert band.observed == pytest.approx(at, abs=1e-12)
    assert band.factor == pytest.approx(factor, abs=1e-12)
    assert band.reliability == PAPER_RELIABILITY[criterion]


def test_the_reactions_band_scales_with_the_observed_d() -> None:
    band = band_for(packaged(), Criterion.REACTIONS)
    assert band is not None
    # the paper's own attenuation d/δ takes δ's credibility interval to d's
    expected = np.array([-0.30, 1.57]) * (0.58 / 0.63)
    assert np.allclose([band.cr_low, band.cr_high], expected, atol=1e-12)
    assert band.cr_level == 0.80


@pytest.mark.parametrize(("effect", "scale", "at", "cr"), [
    # a user's file without reliability or observed d: δ and its band as given
    ("{criterion: transfer, delta: 0.5, delta_at: T, cr_low: 0.1, cr_high: 0.9, "
     "cr_level: 0.8, values_at: T}", BenchmarkScale.UNCORRECTED, 0.5, (0.1, 0.9)),
    ("{criterion: transfer, delta: 0.5, delta_at: T, reliability: 0.81, cr_low: 0.1, "
     "cr_high: 0.9, cr_level: 0.8, values_at: T}", BenchmarkScale.ATTENUATED, 0.45, (0.09, 0.81)),
    ("{criterion: transfer, delta: 0.5, delta_at: T, d: 0.4, reliability: 0.81, "
     "cr_low: 0.1, cr_high: 0.9, cr_level: 0.8, values_at: T}", BenchmarkScale.OBSERVED_D, 0.4,
     (0.08, 0.72)),
    ("{criterion: transfer, delta: 0, delta_at: T, d: 0, values_at: T}", BenchmarkScale.OBSERVED_D,
     0.0, (None, None)),
])
def test_a_user_benchmark_is_compared_as_far_as_it_allows(effect: str, scale: BenchmarkScale,
                                                          at: float, cr: tuple) -> None:
    source = BenchmarkSource.model_validate(yaml.safe_load(OWN.replace(
        OWN.splitlines()[-1], f"  - {effect}")))
    placed = placement(_kpi("behavior"), (source,), _behaviour(), None)
    band = placed.band
    assert band is not None and band.scale is scale and band.delta == yaml.safe_load(
        effect)["delta"]
    assert band.observed == pytest.approx(at, abs=1e-12)
    assert (band.cr_low, band.cr_high) == pytest.approx(cr, abs=1e-12)
    d, low, high = standardised(_behaviour())  # type: ignore[misc]
    assert placed.position is (Position.BELOW if d < at else Position.ABOVE)
    assert placed.interval_includes is (low <= at <= high)
    if cr[0] is not None:
        assert placed.within_credibility is (cr[0] <= d <= cr[1])


def test_the_methodology_lists_every_number_of_the_packaged_file() -> None:
    (source,) = packaged()
    site = SimpleNamespace(programs=[SimpleNamespace(bundle=SimpleNamespace(
        benchmarks=(source,)))])
    table = str(benchmark_rules(site))  # type: ignore[arg-type]
    assert ("| reactions | 0.63 | abstract, p. 1686; Table 2 | 7 | 620 | 0.58 | 0.73 | "
            "0.12 to 1.15 (95%) | -0.3 to 1.57 (80%) | 0.92 | Table 2; the reliability in the "
            "method; p. 10 of the online-first PDF | 0.58, the observed d (intervals × d/δ = "
            "0.92) |") in table
    assert ("| learning | 0.73 | abstract, p. 1686; Results text, p. 10 of the online-first "
            "PDF | not given | not given | not given | not given | 0.62 to 0.85 (95%) | "
            "not given | 0.95 | Results text; the reliability in the method; p. 10 of the "
            "online-first PDF | 0.71 = δ × √0.95 |") in table
    assert "| 0.96 | Results text; the reliability in the method; p. 10 of the " in table
    assert "online-first PDF | 0.8 = δ × √0.96 |" in table
    assert "| results | 0.72 | abstract, p. 1686; Table 5 | 78 | 11,640 | 0.66 | 0.56 |" in table
    assert "| 0.66, the observed d (intervals × d/δ = 0.92) |" in table
    assert "Left out: Learning and transfer" in table


def test_the_reactions_band_is_the_papers_credibility_interval() -> None:
    (source,) = packaged()
    placed = placement(_kpi("reaction"), (source,), _behaviour(), None)
    assert placed.band is not None
    low, high = np.array([-0.30, 1.57]) * 0.58 / 0.63  # on the observed scale
    assert (placed.band.delta, placed.band.cr_level) == (0.63, 0.80)
    assert (placed.band.cr_low, placed.band.cr_high) == pytest.approx((low, high), abs=1e-12)
    assert placed.d is not None
    assert placed.within_credibility is bool(low <= placed.d <= high)


def test_a_decrease_better_kpi_turns_the_sign() -> None:
    (source,) = packaged()
    up = placement(_kpi("behavior"), (source,), _behaviour(), None)
    down = placement(_kpi("behavior", "decrease"), (source,), _behaviour(), None)
    assert (down.d, down.low, down.high) == (-up.d, -up.high, -up.low)  # type: ignore[operator]


@pytest.mark.parametrize(("kind", "behaviour", "aggregate", "expected"), [
    ("business", False, True, Comparability.NO_PERSON_SD),
    ("behavior", False, False, Comparability.TOO_LITTLE_DATA),
    ("engagement", False, True, Comparability.NO_CRITERION),
])
def test_what_cannot_be_compared_says_why(kind: str, behaviour: bool, aggregate: bool,
                                          expected: Comparability) -> None:
    placed = placement(_kpi(kind), packaged(), _behaviour() if behaviour else None,
                       object() if aggregate else None)  # type: ignore[arg-type]
    assert placed.comparability is expected and placed.d is None


def test_too_few_people_give_no_point() -> None:
    few = BehaviourEffect("k", paired_effect("pilot", PRE[:2], POST[:2]), None, None, None, 0,
                          [])
    placed = placement(_kpi("behavior"), packaged(), few, None)
    assert placed.comparability is Comparability.TOO_LITTLE_DATA and placed.d is None


def test_a_playbook_benchmark_wins_and_the_packaged_can_be_dropped(tmp_playbook) -> None:
    tmp_playbook.write("benchmarks/own.yml", OWN)
    found, problems = load_benchmarks(tmp_playbook.root,
                                      Benchmarks(files=["benchmarks/own.yml"]))
    assert problems == [] and [s.id for s in found] == ["own", "lacerenza-2017"]
    found, _ = load_benchmarks(tmp_playbook.root,
                               Benchmarks(files=["benchmarks/own.yml"], packaged=False))
    assert [s.id for s in found] == ["own"]


OWN = """id: own
citation: {authors: ["Doe, J."], year: 2020, title: T, journal: J}
population: leaders
effect_size: observed d
effects:
  - {criterion: transfer, delta: 0.5, delta_at: "Table 2, p. 7", k: 12, values_at: "Table 2"}
"""


@pytest.mark.parametrize(("text", "expected"), [
    (OWN.replace("criterion: transfer", "criterion: behaviour"),
     "benchmarks/own.yml:6:17: effects[0].criterion: expected one of 'reactions', "
     "'learning', 'transfer' or 'results', got 'behaviour'"),
    (OWN.replace(', values_at: "Table 2"', ""),
     "benchmarks/own.yml:6:5: effects[0]: say where these numbers are printed in "
     "`values_at`"),
    (OWN.replace("population:", "populaton:"),
     "benchmarks/own.yml:3:1: unknown field 'populaton' in own.yml (did you mean "
     "'population'?)"),
    (OWN.replace("delta: 0.5,", "delta: 0.5, d: -0.1,"),
     "benchmarks/own.yml:6:5: effects[0]: `d` and `delta` have opposite signs, or one is "
     "zero; a correction for unreliability keeps the sign of the observed d"),
    (OWN.replace("delta: 0.5,", "delta: 0, d: 0.2,"),
     "benchmarks/own.yml:6:5: effects[0]: `d` and `delta` have opposite signs, or one is "
     "zero; a correction for unreliability keeps the sign of the observed d"),
    (OWN.replace("k: 12, ", "reliability: 1.2, "),
     "benchmarks/own.yml:6:79: effects[0].reliability: expected a value of at most 1.0, got "
     "the number 1.2"),
    (OWN.replace('k: 12, values_at: "Table 2"', "reliability: 0.9"),
     "benchmarks/own.yml:6:5: effects[0]: say where these numbers are printed in "
     "`values_at`"),
])
def test_a_broken_benchmark_file_is_located(tmp_playbook, text: str, expected: str) -> None:
    tmp_playbook.write("benchmarks/own.yml", text)
    (tmp_playbook.root / "playbook.yml").write_text("benchmarks:\n  files: [benchmarks/own.yml]\n")
    _, problems = loader.load_playbook(tmp_playbook.root)
    assert expected in [str(p) for p in problems.errors]


def test_a_missing_or_linked_benchmark_file_is_an_error(tmp_playbook) -> None:
    (tmp_playbook.root / "playbook.yml").write_text(
        "benchmarks:\n  files: [benchmarks/none.yml, benchmarks/link.yml]\n")
    (tmp_playbook.root / "benchmarks").mkdir()
    (tmp_playbook.root / "benchmarks" / "link.yml").symlink_to(tmp_playbook.root / "x.yml")
    _, problems = loader.load_playbook(tmp_playbook.root)
    errors = [str(p) for p in problems.errors]
    assert ("benchmarks/none.yml:1:1: benchmark file not found (create it or remove it "
            "from benchmarks.files in playbook.yml)") in errors
    assert any(e.startswith("benchmarks/link.yml:1:1: ") and "link" in e for e in errors)


def test_a_benchmark_file_outside_benchmarks_is_refused(tmp_playbook) -> None:
    (tmp_playbook.root / "playbook.yml").write_text("benchmarks:\n  files: [../etc/own.yml]\n")
    _, problems = loader.load_playbook(tmp_playbook.root)
    assert any(p.path == "playbook.yml" and p.field == "benchmarks.files[0]"
               for p in problems.errors)


def _hostile_source() -> str:
    from hostile import HOSTILE

    value = json.dumps(HOSTILE)
    return f"""id: own
citation:
  authors: [{value}]
  year: 2020
  title: {value}
  journal: {value}
  volume: 1
  issue: 2
  pages: {value}
population: {value}
effect_size: {value}
absent: {value}
effects:
  - criterion: transfer
    delta: 0.5
    delta_at: {value}
    k: 3
    values_at: {value}
"""


def test_hostile_text_in_a_benchmark_file_stays_text(tmp_playbook) -> None:
    tmp_playbook.write("benchmarks/own.yml", _hostile_source())
    (tmp_playbook.root / "playbook.yml").write_text(
        "benchmarks:\n  files: [benchmarks/own.yml]\n  packaged: false\n")
    data, problems = engine.build(tmp_playbook.root, date(2026, 11, 22))
    assert data is not None, problems.render()
    assert [s.id for s in data.programs[0].bundle.benchmarks] == ["own"]
    page = "\n".join([benchmark_rules(data), research_section(data.programs[0]),
                      forest_section(data)])
    rendered = markdown.markdown(page, extensions=["tables"])
    # no link, image or tag made from the text; the payloads show as written (escaped)
    for tag in ("<script", "<img", "<svg", "<a ", "<span style"):
        assert tag not in rendered
    assert "&lt;script&gt;alert('xss-script')&lt;/script&gt;" in rendered
    # the forest table cites the source by its first author, escaped like every cell
    assert "<td>δ = 0.50 as given, {{ lipsum" in page and "<script" not in page


def test_report_and_figures_json_carry_the_placement(run_cli) -> None:
    code, out, _ = run_cli("report", "approval-velocity", "--dir", REPO, "--today",
                           "2026-11-22")
    assert code == 0
    placed = json.loads(out)["benchmarks"]["leader-360"]
    assert placed["comparability"] == "standardised" and placed["criterion"] == "transfer"
    assert placed["band"]["delta"] == 0.82 and placed["band"]["cite"] == "Lacerenza et al. (2017)"
    assert placed["band"]["scale"] == "attenuated" and placed["band"]["reliability"] == 0.96
    assert placed["band"]["observed"] == round(0.82 * math.sqrt(0.96), 2)  # published at 2
    assert placed["position"] == "above" and placed["interval_includes"] is True
    assert json.loads(out)["benchmarks"]["approval-time"]["comparability"] == "no-person-sd"


BAND = Band("lacerenza-2017", "Lacerenza et al. (2017)", "10.1037/apl0000241",
            Criterion.TRANSFER, 0.82, BenchmarkScale.ATTENUATED, 0.82 * math.sqrt(0.96),
            math.sqrt(0.96), 0.96)
OBSERVED_BAND = replace(BAND, criterion=Criterion.RESULTS, delta=0.72,
                        scale=BenchmarkScale.OBSERVED_D, observed=0.66,
                        factor=0.66 / 0.72, reliability=0.93)
OWN_BAND = replace(BAND, source="own", cite="Doe (2020)", delta=0.5,
                   scale=BenchmarkScale.UNCORRECTED, observed=0.5, factor=1.0, reliability=None)
TRANSFER = ("the typical leadership-training transfer \\(behaviour on the job\\) effect, "
            "compared with δ = 0.82 brought to the observed scale \\(× √0.96 = 0.80\\), "
            "Lacerenza et al. \\(2017\\)")


@pytest.mark.parametrize(("d", "low", "high", "band", "expected"), [
    # 0.82·√0.96 = 0.803: 0.81 is above the benchmark though below δ
    (0.81, 0.6, 1.0, BAND, f"above {TRANSFER}; the interval includes it"),
    (0.5, 0.1, 0.9, BAND, f"below {TRANSFER}; the interval includes it"),
    (0.3, 0.1, 0.5, BAND, f"below {TRANSFER}; the whole 95% interval lies below it"),
    (1.2, 0.9, 1.5, BAND, f"above {TRANSFER}; the whole 95% interval lies above it"),
    (0.9, 0.5, 1.3, replace(BAND, cr_low=0.2, cr_high=1.4, cr_level=0.8),
     f"above {TRANSFER}; the interval includes it; inside the 80% credibility interval "
     "(0.2 to 1.4 on the observed scale)"),
    (1.6, 1.2, 2.0, replace(BAND, cr_low=0.2, cr_high=1.4, cr_level=0.8),
     f"above {TRANSFER}; the whole 95% interval lies above it; outside the 80% credibility "
     "interval (0.2 to 1.4 on the observed scale)"),
    (0.7, 0.4, 1.0, OBSERVED_BAND, "above the typical leadership-training results effect, "
     "compared with the research's observed d of 0.66 \\(δ = 0.72, Lacerenza et al. "
     "\\(2017\\)\\); the interval includes it"),
    (0.45, 0.1, 0.48, replace(OWN_BAND, cr_low=0.2, cr_high=0.9, cr_level=0.8),
     "below the typical leadership-training transfer \\(behaviour on the job\\) effect, "
     "compared with δ = 0.50 as given, not brought to the observed scale \\(the file states "
     "no reliability\\), Doe \\(2020\\); the whole 95% interval lies below it; inside the "
     "80% credibility interval (0.2 to 0.9)"),
])
def test_the_sentence_claims_no_more_than_the_interval(d: float, low: float, high: float,
                                                       band: Band, expected: str) -> None:
    kpi = _kpi("behavior")
    placed = _placed(kpi, band.criterion, band, Comparability.STANDARDISED, (d, low, high))
    assert sentence(placed) == expected


@pytest.mark.parametrize(("band", "cell", "uncorrected"), [
    (BAND, "0.80 = δ 0.82 × √0.96, Lacerenza et al. (2017)", False),
    (OBSERVED_BAND, "observed d = 0.66 (δ = 0.72), Lacerenza et al. (2017)", False),
    (OWN_BAND, "δ = 0.50 as given, Doe (2020)", True),
])
def test_each_scale_is_worded_with_delta_beside_it(band: Band, cell: str,
                                                   uncorrected: bool) -> None:
    assert benchmark_cell(band) == cell
    placed = _placed(_kpi("behavior"), band.criterion, band, Comparability.STANDARDISED,
                     (0.5, 0.1, 0.9))
    line = research_line(placed)
    assert line is not None and text(note([band.scale])) in line
    assert text(COMPARABILITY) in line
    assert (text(UNCORRECTED) in line) is uncorrected


@pytest.mark.parametrize("how", list(Comparability))
def test_every_comparability_has_its_words(how: Comparability) -> None:
    placed = Placement("k", Criterion.TRANSFER, how, BAND)
    line = research_line(placed)
    if how in (Comparability.NO_CRITERION, Comparability.NO_BENCHMARK):
        assert line is None
    else:
        assert line is not None and text(HOW[how]) in line
