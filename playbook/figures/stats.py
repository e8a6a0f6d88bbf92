"""Person-level pre/post waves → behaviour-change effects, attrition and power.

Sits between the loaded observations and the pages: pairs each person's pre
and post answers within their group, then hands over to
:mod:`playbook.figures.paired` (paired change, difference in differences),
:mod:`playbook.figures.attrition` (who answered which wave),
:mod:`playbook.figures.itt` (the effects over everyone who answered the pre wave) and
:mod:`playbook.figures.power` (the minimum detectable effect of each design, for
the matched n). :func:`problems` turns what may bias or void those figures into
findings for ``playbook check``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from playbook.figures.attrition import (
    DROPOUT_ALPHA,
    MAX_DROPOUT_SHARE,
    Attrition,
    AttritionFlag,
    GroupAttrition,
    attrition,
)
from playbook.figures.itt import Itt, itt
from playbook.figures.paired import (
    LEVEL,
    REASONS,
    VALUE_REASONS,
    DidEffect,
    Interval,
    NoEstimate,
    PairedEffect,
    did_effect,
    paired_effect,
    screen,
)
from playbook.figures.power import Mde, mde_did, mde_paired, pooled_sd
from playbook.figures.privacy import single_wave
from playbook.load.bundle import Bundle
from playbook.load.observations import Observation
from playbook.load.reporter import Reporter
from playbook.model.findings import FindingCode
from playbook.model.measure import Kpi
from playbook.model.problems import Problem

__all__ = ["LEVEL", "BehaviourEffect", "DidEffect", "Interval", "PairedEffect",
           "behaviour_effect", "problems"]  # the older names stay importable from here

Waves = dict[str, tuple[dict[str, float], dict[str, float]]]
"""For each group, each person's pre and post value (the mean of their rows in the wave)."""


@dataclass(frozen=True)
class BehaviourEffect:
    """Pre/post effects of one person-level KPI, with attrition and power."""

    kpi_id: str
    """Id of the person-level KPI."""
    pilot: PairedEffect | None
    """The pilot's paired pre→post change (the ``all`` group's when the series has no groups); None
    when no group's effect is shown."""
    comparison: PairedEffect | None
    """The comparison group's paired change; None without one, or when suppressed or withheld."""
    did: DidEffect | None
    """Pilot change minus comparison change; None unless both groups' effects are shown."""
    mde: Mde | None
    """MDE of the pilot's paired change, for its matched n."""
    unmatched: int
    """People who answered only one wave."""
    suppressed_groups: list[str]
    """Groups with fewer than ``min_group_size`` people measured in both waves: not shown."""
    mde_did: Mde | None = None
    """MDE of the difference in differences, for both groups' matched n."""
    attrition: Attrition | None = None
    """Who answered which wave, and whether dropouts differed at baseline."""
    withheld_groups: list[str] = field(default_factory=list)
    """Groups whose effect is withheld: 1 to ``min_group_size − 1`` people answered one
    wave only, so the change over the others beside the wave means would reveal them."""
    itt: Itt | None = None
    """The effects with dropouts counted as no change, and worst/best-case bounds."""


def _waves(series: list[Observation]) -> Waves:
    rows: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list))
    for o in series:
        if o.subject is not None and o.wave in ("pre", "post"):
            rows[(o.group or "all", o.subject)][o.wave].append(o.value)
    out: Waves = {}
    # pilot first, then comparison (or "all"); people by id, so sums run in one order
    for (group, subject), by_wave in sorted(rows.items(),
                                            key=lambda kv: (kv[0][0] != "pilot", kv[0])):
        pre, post = out.setdefault(group, ({}, {}))
        for wave, values in by_wave.items():
            (pre if wave == "pre" else post)[subject] = fmean(values)
    return out


def _changes(pre: dict[str, float], post: dict[str, float]) -> list[float]:
    return [post[s] - pre[s] for s in pre if s in post]


def behaviour_effect(kpi: Kpi, series: list[Observation], *, cohort_size: int,
                     min_group_size: int) -> BehaviourEffect | None:
    """Return the pre/post effects of a person-level KPI.

    Subjects are matched within their group; a subject with several rows in a
    wave counts with the mean of those rows. A group with fewer matched
    subjects than ``min_group_size`` is suppressed; one where 1 to ``min_group_size − 1``
    people answered one wave only is withheld (:func:`.privacy.single_wave`).

    Args:
        kpi: The KPI; its source must name ``subject`` and ``wave`` columns.
        series: Its observations.
        cohort_size: The pilot's planned cohort size, shown beside the matched n.
        min_group_size: Privacy threshold on matched subjects.

    Returns:
        The effects, or None when the KPI is not person-level with waves.
    """
    if kpi.source is None or kpi.source.subject is None or kpi.source.wave is None:
        return None
    waves = _waves(series)
    effects: dict[str, PairedEffect] = {}
    suppressed: list[str] = []
    withheld: list[str] = []
    unmatched = 0
    for group, (pre, post) in waves.items():
        both = [s for s in pre if s in post]
        unmatched += len(pre) + len(post) - 2 * len(both)
        if not both:
            continue
        if len(both) < min_group_size:
            suppressed.append(group)
        elif single_wave(pre, post, min_group_size):
            withheld.append(group)
        else:
            effects[group] = paired_effect(group, [pre[s] for s in both],
                                           [post[s] for s in both])
    pilot = effects.get("pilot", effects.get("all"))
    comparison = effects.get("comparison")
    targeted = abs(kpi.target.value - kpi.baseline.value)
    mde = (mde_paired(pilot.n, pilot.sd_change, targeted)
           if pilot is not None and pilot.reason not in VALUE_REASONS else None)
    did = mde_d = None
    if pilot is not None and comparison is not None:
        # wrong data in either group voids the comparison, whatever the changes say
        bad = next((e.reason for e in (pilot, comparison) if e.reason in VALUE_REASONS),
                   None)
        did = (DidEffect(None, None, pilot.n, comparison.n, None, reason=bad) if bad
               else did_effect(_changes(*waves[pilot.group]),
                               _changes(*waves["comparison"])))
        if bad is None:
            s1, s2 = pilot.sd_change, comparison.sd_change
            sd = (pooled_sd(s1, pilot.n, s2, comparison.n)
                  if s1 is not None and s2 is not None else None)
            mde_d = mde_did(pilot.n, comparison.n, sd, targeted)
    shown = {g for g, e in effects.items() if e.mean_change is not None}
    return BehaviourEffect(kpi.id, pilot, comparison, did, mde, unmatched, suppressed,
                           mde_d, attrition(waves, planned=cohort_size,
                                            min_group_size=min_group_size), withheld,
                           itt(waves, shown, kpi.scale))


def _screens(waves: Waves, min_group_size: int) -> list[NoEstimate | None]:
    """The reasons :func:`behaviour_effect` would give its pilot and comparison effects."""
    effects: dict[str, NoEstimate | None] = {}
    for group, (pre, post) in waves.items():
        both = [s for s in pre if s in post]
        if both and len(both) >= min_group_size:
            effects[group] = screen([pre[s] for s in both], [post[s] for s in both])
    pilot = effects.get("pilot", effects.get("all"))
    return [pilot, effects.get("comparison")]


def _people(group: str) -> str:
    return "people" if group == "all" else f"{group} people"


def _attrition_messages(g: GroupAttrition) -> list[tuple[FindingCode, str, str]]:
    out = []
    if AttritionFlag.MANY_DROPPED in g.flags and g.share is not None:
        out.append((FindingCode.ATTRITION_HIGH,
                    f"{g.dropouts} of the {g.pre} {_people(g.group)} who answered the pre "
                    f"wave have no post answer ({g.share:.0%}, above {MAX_DROPOUT_SHARE:.0%}); "
                    "effects over those who stayed can overstate the program",
                    "follow up the missing post answers, or read the effects as those of "
                    "the people who stayed"))
    if AttritionFlag.DROPOUTS_DIFFER in g.flags:
        # no mean or p here: `check` reads every row, waves still being fielded too, so
        # two days' warnings would differ by one respondent (the site shows closed waves)
        out.append((FindingCode.ATTRITION_DIFFERS,
                    f"the {g.dropouts} {_people(g.group)} without a post answer differed "
                    "from those who stayed at baseline (Welch p below "
                    f"{DROPOUT_ALPHA:g})",
                    "the effect over those who stayed may not hold for the whole cohort"))
    return out


def problems(bundle: Bundle) -> list[Problem]:
    """Warn where attrition may bias a program's behaviour effects or bad values void them.

    Reads every observation loaded (``playbook check`` has no "today"); each
    warning is located at the KPI's ``source`` in ``kpis.yml``.
    """
    plan, program = bundle.kpis, bundle.program
    if plan is None or program is None:
        return []
    report = Reporter(bundle)
    for i, kpi in enumerate(plan.kpis):
        # only what a warning reads: attrition and the screens of the matched values,
        # never the effects' t tests and power, so checking loads no statistics stack
        if kpi.source is None or kpi.source.subject is None or kpi.source.wave is None:
            continue
        waves = _waves(bundle.series.get(kpi.id, []))
        gone = attrition(waves, planned=program.pilot.cohort_size,
                         min_group_size=plan.privacy.min_group_size)
        loc = ("kpis", i, "source")
        for g in gone.groups:
            for code, message, hint in _attrition_messages(g):
                report.add("kpis", loc, message, hint, code=code)
        reasons = [*_screens(waves, plan.privacy.min_group_size),
                   *(g.reason for g in gone.groups)]
        bad = next((r for r in reasons if r in VALUE_REASONS), None)
        if bad is not None:
            report.add("kpis", loc, f"behaviour effects cannot be estimated: {REASONS[bad]}",
                       "check the unit and the export of the value column",
                       code=FindingCode.VALUES_UNUSABLE)
    return report.problems
