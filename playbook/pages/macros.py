"""Macros for hand-written pages: the same renderers the generated pages use.

Registered by the MkDocs plugin (:mod:`playbook_mkdocs.plugin`); each returns
Markdown already escaped by the engine, so a YAML value shown through a macro is never a template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playbook.checks import plausible
from playbook.figures import (
    cashflow,
    effects,
    fairness,
    montecarlo,
    privacy,
    roi,
    rounding,
    stats,
    status,
    timefit,
    timeline,
    trajectory,
)
from playbook.figures import vendors as vendorscore
from playbook.figures.site import ProgramView, SiteData
from playbook.model.choices import NpvTiming
from playbook.model.measure import MIN_GROUP_SIZE
from playbook.model.money import DEFAULT_DISCOUNT_RATE, LOADED_COSTS, Budget
from playbook.model.problems import PlaybookError, UnknownProgramError
from playbook.pages import behaviour as pages_behaviour
from playbook.pages import calibration as pages_calibration
from playbook.pages import home as pages_home
from playbook.pages import measure as pages_measure
from playbook.pages import money as pages_money
from playbook.pages import program as pages_program
from playbook.pages import research as pages_research
from playbook.pages import roadmap as pages_roadmap
from playbook.pages.chain import chain_rules
from playbook.pages.design import design_rules
from playbook.pages.fairness import adverse_impact_rules
from playbook.pages.mdtext import MAX_PLAIN, NOT_COMPUTABLE, Md, fmt, labels, table, text, words


class MacroError(PlaybookError, LookupError):
    """A macro was called with a program or KPI that does not exist."""


def register(macro: Callable[..., Any], site: Callable[[], SiteData]) -> None:
    """Register every playbook macro with ``macro`` (mkdocs-macros' decorator).

    Args:
        macro: Registers a function under its name.
        site: Returns the current build's site data when a macro runs.
    """

    def view(program: str) -> ProgramView:
        try:
            return site().get(program)
        except UnknownProgramError as exc:
            raise MacroError(str(exc)) from exc

    def competency_matrix(program: str) -> Md:
        """Behaviours × role levels of ``program``."""
        return pages_program.competency_matrix(view(program))

    def roadmap(program: str) -> Md:
        """Timeline, phases and milestones of ``program``."""
        return pages_roadmap.roadmap_section(view(program), site())

    def vendor_scorecard(program: str) -> Md:
        """Criteria, gates, scores, ranking and sensitivity of ``program``."""
        return pages_money.vendor_scorecard(view(program))

    def kpi_table(program: str) -> Md:
        """Every KPI of ``program`` with baseline, target, latest value and status."""
        return pages_measure.kpi_table(view(program))

    def kpi_chart(program: str, kpi: str) -> Md:
        """The chart of one KPI of ``program``."""
        v = view(program)
        found = next((k for k in (v.bundle.kpis.kpis if v.bundle.kpis else []) if k.id == kpi),
                     None)
        if found is None:
            raise MacroError(f"program '{program}' has no KPI '{kpi}'")
        return pages_measure.kpi_chart(v, found, site().today)

    def portfolio_summary() -> Md:
        """Every program's status, next milestone, ROI range and concerns (site root pages)."""
        return pages_home.portfolio_summary(site())

    def benchmark_rules() -> Md:
        """The research benchmarks each effect is placed against, as their files give them."""
        return pages_research.benchmark_rules(site())

    for fn in (portfolio_summary, competency_matrix, roadmap, vendor_scorecard, kpi_table,
               kpi_chart, measurement_rules, adverse_impact_rules, chain_rules, privacy_rules,
               design_rules, benchmark_rules):
        macro(fn)


def measurement_rules() -> Md:
    """The thresholds every figure on the site uses, read from the engine's constants."""

    rows = [
        *_status_rows(),
        ["Intervals", f"{stats.LEVEL:.0%} confidence"],
        ["Difference-in-differences", f"at least {effects.MIN_PRE} periods with both groups "
                                      "before and after the start"],
        ["Effect standard errors", "the larger of Newey–West (HAC) and classic OLS errors, "
                                   "with periods − coefficients degrees of freedom; below "
                                   f"{timefit.NOISE:g} of the values' size the effect is not "
                                   "estimable"],
        ["Parallel pre-trends", f"assessed from {effects.MIN_TREND_PERIODS} pre-periods; a gap "
                                f"slope with p < {effects.TREND_ALPHA:g} fails the check; the "
                                f"smallest drift it detects at {timefit.TREND_POWER:.0%} power "
                                "is kept"],
        ["Data-derived isolation", f"used only when the effect's {effects.LEVEL:.0%} interval "
                                   "excludes zero and, for a difference-in-differences, "
                                   "pre-trends are parallel on a test that detects a drift no "
                                   "larger than the effect; otherwise the declared share"],
        ["Interrupted time series", f"at least {effects.MIN_ITS_PRE} periods before the start "
                                    "without a comparison group"],
        ["Fully loaded costs", "a finding when budget.yml has no "
                               + ", ".join(c.replace("_", " ") for c in LOADED_COSTS)
                               + " cost"],
        ["Four-fifths rule", f"impact ratio below {fairness.THRESHOLD:g}, or a shortfall "
                             f"significant at p < {fairness.ALPHA:g}, is flagged for review"],
        ["Vendor sensitivity", f"each weight moved by ±{vendorscore.SHIFT} points"],
        ["Milestone due soon", f"within {timeline.DUE_SOON_DAYS} days of its due date"],
    ]
    rows += (_roi_rules() + _plausibility_rules() + pages_behaviour.rules()
             + pages_calibration.rules())
    return fmt("{}\n", table(labels("Rule", "Threshold"),
                             [[words(rule), text(threshold)] for rule, threshold in rows]))


def _status_rows() -> list[list[str]]:
    """The status, band, hysteresis, checkpoint and period rules (status module constants)."""
    return [
        ["On track", f"shortfall behind the trajectory ≤ {trajectory.ON_TRACK:g} of the "
                     "planned change plus the noise band (inside the band: within noise of "
                     "the line)"],
        ["At risk", f"shortfall up to {trajectory.AT_RISK:.0%} of the planned change beyond "
                    "the band"],
        ["Off track", f"shortfall beyond {trajectory.AT_RISK:.0%} of the planned change "
                      "beyond the band"],
        ["Noise band", f"±{status.Z:g} standard errors of the judged value around the "
                       f"trajectory (Student's t quantile at {status.BAND_LEVEL:.1%} when "
                       "the noise is estimated from the series), at most "
                       f"{status.BAND_CAP:.0%} of the planned change; standard errors "
                       "from the spread of the changes between the points before those "
                       "judged, a survey wave's people, or an NPS score's answers "
                       "(100·√((p₉₋₁₀ + p₀₋₆ − (p₉₋₁₀ − p₀₋₆)²)/n)); the cap with "
                       f"fewer than {status.MIN_NOISE_POINTS} earlier points"],
        ["Hysteresis", "from an on-track start, a worse status when the judged value is "
                       f"past its threshold by {status.EXIT_MARGIN:.0%} of the band (band "
                       f"and margin within {status.BAND_CAP:.0%}), or when each of the "
                       f"latest {status.CONFIRM_PERIODS} single values is past it by the "
                       "margin of its own band; a better one when both are back within "
                       "their thresholds; replayed over the series' history as of the "
                       "build day"],
        ["Smoothing", "aggregate series are judged on the mean of their latest "
                      + ", ".join(f"{k} {v}" for k, v in status.SMOOTH_PERIODS.items())
                      + f" points; noise from the last {status.NOISE_WINDOW} points before "
                      "those judged"],
        ["Stale", "no data for one cadence period plus a grace of "
                  + ", ".join(f"{k} {v} days" for k, v in trajectory.GRACE_DAYS.items())],
        ["Checkpoints", "days " + ", ".join(str(d) for d in trajectory.CHECKPOINT_DAYS)
                        + " from the program start; they and the phase gates read only a "
                        "value that could show the program's effect (never a baseline "
                        "wave or a period before the start)"],
        ["Partial periods", "the period that holds the start counts as after it when at "
                            f"least {trajectory.AFTER_SHARE:.0%} of its days are on or "
                            "after the start, else as before it (effects, checkpoints, "
                            "gates, and the full period P(ROI > 0) waits for)"],
    ]


def privacy_rules() -> Md:
    """What may be published from people's rows, in every build, read from the engine."""
    rows = [
        ["Smallest group", f"privacy.min_group_size people (default {MIN_GROUP_SIZE}): no "
                           "aggregate over fewer people is published; its cell reads "
                           "\"fewer than N\""],
        ["Closed windows only", "a survey wave is published from the day after its closes: "
                                "date (without one, after the cadence period of its first "
                                "answer ends); person-level rows without waves once their "
                                "cadence period has ended; answers dated after their wave "
                                "closed are not counted. Until then the cell reads "
                                f"\"{privacy.FIELDING}\", so no two days' builds differ by "
                                "one late respondent"],
        ["Precision", f"every figure of people's rows is rounded to "
                      f"{trajectory.PUBLISHED_DIGITS} decimals (p-values to "
                      f"{privacy.P_DIGITS} significant digits) where it is computed, so the "
                      "site, figures.json, playbook report and the review comment carry the "
                      "same value"],
        ["Rounding", rounding.STATEMENT],
        ["Single-wave answers", "a group's pre/post change is withheld when between 1 and "
                                "min_group_size − 1 people answered one wave only (beside the "
                                "wave means it would give their answers)"],
        ["Overlapping KPIs", "two person-level KPIs whose published means of the same values "
                             "differ by 1 to min_group_size − 1 people are an error in "
                             "playbook check, at the second KPI"],
        ["Aggregated by the engine", "a query that reads a file with a column of person ids "
                                     "must return one row per person with subject:; one "
                                     "that returns aggregates or a count of its own is "
                                     "refused"],
        ["Fairness", "a group where everyone or no one was selected shows no count, rate, "
                     "ratio or test, is never the reference, and reads \"withheld: review\" "
                     "whichever it was"],
        ["Everywhere", "the review comment quotes a value only where the site publishes it; "
                       "figures.json and playbook report are the site's own figures"],
    ]
    return fmt("{}\n", table(labels("Rule", "What is published"),
                             [[words(rule), text(value)] for rule, value in rows]))


def _plausibility_rules() -> list[list[str]]:
    """Rows for absurd numbers and how numbers are shown, from the engine's constants."""
    return [
        ["Not computable (error)", f"a number larger than {plausible.MAX_COMPUTABLE:.0e} in "
                                   "size, a cost above zero below "
                                   f"{plausible.MIN_COMPUTABLE:.0e}, or more than "
                                   f"{plausible.MAX_CALENDAR_DAYS:,} days"],
        ["Implausible (finding)", f"an amount of money above {plausible.MAX_MONEY:.0e} or a "
                                  f"cost above zero below {plausible.MIN_MONEY:g}; more than "
                                  f"{plausible.MAX_DAYS:,} days; a KPI value outside "
                                  + "; ".join(f"{lo:g} to {hi:g} {unit}" for unit, (lo, hi)
                                              in plausible.UNIT_RANGES.items())
                                  + f"; or above {plausible.MAX_VALUE:.0e} in size in "
                                  "another unit"],
        ["Numbers shown", f"up to {MAX_PLAIN:.0e} in digits, larger as 2.1 × 10¹⁸; a "
                          f"number that is not finite reads \"{NOT_COMPUTABLE}\""],
    ]


def _roi_rules() -> list[list[str]]:
    """Rows for the ROI: headline, range, chance and discounting, from the engine's
    constants."""
    return [
        ["ROI headline", f"first-year benefits against year-1 costs for a pilot of at most "
                         f"{roi.SHORT_PROGRAM_DAYS} days; otherwise the whole horizon"],
        ["ROI range", f"{montecarlo.DRAWS:,} Monte Carlo draws, seed {montecarlo.SEED}; "
                      "P" + "/P".join(str(p) for p in montecarlo.PERCENTILES)
                      + ", the median as the headline; effects t-distributed, before/after "
                      "changes with their series' noise, isolation, confidence and decay "
                      f"±{montecarlo.SHARE_SPREAD:g} clipped to 0–1; no cap at the change "
                      "observed"],
        ["P(ROI > 0)", "not estimable when nothing varies or a monetised KPI has less "
                       "than one full period after the start (or no noise to draw from); below "
                       f"{montecarlo.P_SHOWN:.0%} shown as \"< {montecarlo.P_SHOWN:.0%}\", "
                       f"above {1 - montecarlo.P_SHOWN:.0%} as \"> "
                       f"{1 - montecarlo.P_SHOWN:.0%}\""],
        ["Discount rate", f"{DEFAULT_DISCOUNT_RATE:.0%} a year unless budget.yml declares "
                          "one"],
        ["NPV timing", "each year's net cash flow discounted "
                       + "; ".join(f"{t.value}: {cashflow.TIMING_SHIFT[t]:g} years before the "
                                   "year's end" for t in NpvTiming)
                       + f" (npv_timing; default {Budget.model_fields['npv_timing'].default})"],
    ]
