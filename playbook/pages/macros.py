"""Macros for hand-written pages: the same renderers the generated pages use.

Registered by the MkDocs plugin (:mod:`playbook_mkdocs.plugin`); each returns
Markdown already escaped by the engine, so a YAML value shown through a macro is never a template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playbook.figures import (
    effects,
    fairness,
    montecarlo,
    roi,
    stats,
    status,
    timeline,
    trajectory,
)
from playbook.figures import vendors as vendorscore
from playbook.figures.site import ProgramView, SiteData
from playbook.model.money import DEFAULT_DISCOUNT_RATE, LOADED_COSTS
from playbook.model.problems import PlaybookError, UnknownProgramError
from playbook.pages import behaviour as pages_behaviour
from playbook.pages import measure as pages_measure
from playbook.pages import money as pages_money
from playbook.pages import program as pages_program
from playbook.pages import roadmap as pages_roadmap
from playbook.pages.chain import chain_rules
from playbook.pages.fairness import adverse_impact_rules
from playbook.pages.mdtext import Md, fmt, labels, table, text, words


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

    for fn in (competency_matrix, roadmap, vendor_scorecard, kpi_table, kpi_chart,
               measurement_rules, adverse_impact_rules, chain_rules):
        macro(fn)


def measurement_rules() -> Md:
    """The thresholds every figure on the site uses, read from the engine's constants."""

    grace = ", ".join(f"{k} {v} days" for k, v in trajectory.GRACE_DAYS.items())
    rows = [
        ["On track", f"shortfall behind the trajectory ≤ {trajectory.ON_TRACK:g} of the "
                     "planned change"],
        ["At risk", f"shortfall up to {trajectory.AT_RISK:.0%} of the planned change"],
        ["Off track", f"shortfall beyond {trajectory.AT_RISK:.0%} of the planned change"],
        ["Noise slack", f"{status.Z:g} standard errors of the judged value, as a share of "
                        "the planned change, added to both thresholds"],
        ["Smoothing", "aggregate series are judged on the mean of their latest "
                      + ", ".join(f"{k} {v}" for k, v in status.SMOOTH_PERIODS.items())
                      + f" points; noise from the last {status.NOISE_WINDOW} points"],
        ["Stale", f"no data for one cadence period plus a grace of {grace}"],
        ["Checkpoints", "days " + ", ".join(str(d) for d in trajectory.CHECKPOINT_DAYS)
                        + " from the program start"],
        ["Intervals", f"{stats.LEVEL:.0%} confidence"],
        ["Difference-in-differences", f"at least {effects.MIN_PRE} periods with both groups "
                                      "before and after the start; HAC (Newey–West) errors"],
        ["Parallel pre-trends", f"assessed from {effects.MIN_TREND_PERIODS} pre-periods; a gap "
                                f"slope with p < {effects.TREND_ALPHA:g} fails the check"],
        ["Interrupted time series", f"at least {effects.MIN_ITS_PRE} periods before the start "
                                    "without a comparison group"],
        ["ROI headline", f"first-year benefits against year-1 costs for a pilot of at most "
                         f"{roi.SHORT_PROGRAM_DAYS} days; otherwise the whole horizon"],
        ["ROI range", f"{montecarlo.DRAWS:,} Monte Carlo draws, seed {montecarlo.SEED}; "
                      "P" + "/P".join(str(p) for p in montecarlo.PERCENTILES)
                      + " and P(ROI > 0)"],
        ["Discount rate", f"{DEFAULT_DISCOUNT_RATE:.0%} a year unless budget.yml declares "
                          "one; each year's net cash flow at its end"],
        ["Fully loaded costs", "a finding when budget.yml has no "
                               + ", ".join(c.replace("_", " ") for c in LOADED_COSTS)
                               + " cost"],
        ["Four-fifths rule", f"impact ratio below {fairness.THRESHOLD:g}, or a shortfall "
                             f"significant at p < {fairness.ALPHA:g}, is flagged for review"],
        ["Vendor sensitivity", f"each weight moved by ±{vendorscore.SHIFT} points"],
        ["Milestone due soon", f"within {timeline.DUE_SOON_DAYS} days of its due date"],
    ]
    rows += pages_behaviour.rules()
    return fmt("{}\n", table(labels("Rule", "Threshold"),
                             [[words(rule), text(threshold)] for rule, threshold in rows]))
