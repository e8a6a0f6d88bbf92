"""Behaviour-change section of the measurement page: effects, attrition and power.

Renders a :class:`playbook.figures.stats.BehaviourEffect`; computes nothing. A
figure the data cannot carry reads "cannot estimate" with its reason, never a
number.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from playbook.figures.attrition import (
    DROPOUT_ALPHA,
    MAX_DROPOUT_SHARE,
    AttritionFlag,
    GroupAttrition,
)
from playbook.figures.itt import BoundGap, Itt
from playbook.figures.paired import MAX_MAGNITUDE, MIN_N, REASONS, NoEstimate
from playbook.figures.power import ALPHA, POWER, Design, Mde
from playbook.figures.privacy import FIELDING
from playbook.figures.rounding import formatted
from playbook.figures.site import ProgramView
from playbook.figures.stats import BehaviourEffect, Interval, PairedEffect
from playbook.model.measure import Kpi
from playbook.pages.mdtext import (
    Md,
    cell,
    fmt,
    heading,
    labels,
    lines,
    number,
    percent,
    table,
    text,
    words,
)

SHORT: Final[Mapping[NoEstimate, str]] = MappingProxyType({
    NoEstimate.TOO_FEW: "too few people", NoEstimate.NO_SPREAD: "no spread",
    NoEstimate.NOT_FINITE: "value not finite", NoEstimate.TOO_LARGE: "value too large"})
"""A reason in a table cell; the sentence (:data:`REASONS`) follows the table."""
GROUP_LABELS: Final[Mapping[str, str]] = MappingProxyType({
    "pilot": "Pilot", "comparison": "Comparison", "all": "Everyone measured"})
"""How each group reads on a page; "all" is everyone when the source has no group column."""
GAPS: Final[Mapping[BoundGap, str]] = MappingProxyType({
    BoundGap.NO_SCALE: "the KPI declares no scale (scale: {low: …, high: …}), so a dropout's "
                       "answer has no bound",
    BoundGap.OUTSIDE_SCALE: "an answer lies outside the KPI's declared scale"})
"""Why the worst/best-case bounds are missing, as a clause."""
DESIGN_LABELS: Final[Mapping[Design, str]] = MappingProxyType({
    Design.PAIRED: "Pilot change (paired)", Design.DID: "Difference-in-differences"})
"""How each MDE design reads in the table."""


def rules() -> list[list[str]]:
    """Rows of the methodology's rules table for behaviour change, from the engine's constants."""
    return [
        ["Attrition", f"warned when more than {MAX_DROPOUT_SHARE:.0%} of a group's pre-wave "
                      "answerers have no post answer"],
        ["Dropouts at baseline", "warned when their mean pre score differs from those who "
                                 f"stayed at p < {DROPOUT_ALPHA:g} (Welch t-test)"],
        ["Attrition sensitivity", "beside the completers' effects: each dropout's change "
                                  "counted as 0 (intention to treat), and worst/best-case "
                                  "bounds with every dropout at the bottom/top of the KPI's "
                                  "declared scale (Horowitz–Manski; not Lee bounds, whose "
                                  "trimmed means would reveal the few people trimmed)"],
        ["Minimum detectable effect", f"α = {ALPHA:g}, power {POWER:g}, for the people "
                                      "measured in both waves"],
        ["Cannot estimate", f"fewer than {MIN_N} people in a group, no spread in the changes, "
                            f"or a value not finite or beyond {MAX_MAGNITUDE:.0e}"],
    ]


def _ci(ci: Interval) -> Md:
    return fmt("{} to {}", number(ci.low, 2), number(ci.high, 2))


def _cannot(reason: NoEstimate) -> Md:
    return fmt("cannot estimate ({})", words(SHORT[reason]))


def _paired_row(label: str, e: PairedEffect | None, missing: str) -> list[Md]:
    if e is None:
        return [words(label), words(missing), *[cell(None)] * 4]
    if e.mean_change is None or e.mean_pre is None or e.mean_post is None:
        return [words(label), text(e.n), _cannot(e.reason or NoEstimate.TOO_FEW),
                *[cell(None)] * 3]
    ci = _ci(e.ci) if e.ci is not None else _cannot(e.reason or NoEstimate.NO_SPREAD)
    d_z = text(formatted(e.d_z, 2)) if e.d_z is not None else cell(None)
    return [words(label), text(e.n), fmt("{} → {}", number(e.mean_pre, 2),
                                         number(e.mean_post, 2)),
            text(formatted(e.mean_change, 2, sign=True)), ci, d_z]


def _reason_lines(effect: BehaviourEffect) -> list[Md]:
    out = []
    for e in (effect.pilot, effect.comparison):
        if e is not None and e.reason is not None:
            what = (Md("cannot estimate the change") if e.mean_change is None
                    else Md("the change has no interval or effect size"))
            out.append(fmt("**{}:** {}: {}.\n", words(GROUP_LABELS.get(e.group, e.group)),
                           what, words(REASONS[e.reason])))
    return out


def _did(kpi: Kpi, effect: BehaviourEffect) -> list[Md]:
    d = effect.did
    if d is None:
        return []
    if d.ci is None or d.estimate is None:
        reason = words(REASONS[d.reason or NoEstimate.NO_SPREAD])
        if d.estimate is None:
            return [fmt("**Difference-in-differences:** cannot estimate: {} (pilot n = {}, "
                        "comparison n = {}).\n", reason, d.n_pilot, d.n_comparison)]
        return [fmt("**Difference-in-differences:** {} {}, but no interval: {} (pilot n = "
                    "{}, comparison n = {}).\n", text(formatted(d.estimate, 2, sign=True)),
                    text(kpi.unit), reason, d.n_pilot, d.n_comparison)]
    return [fmt("**Difference-in-differences:** {} {} (95% CI {}; pilot n = {}, "
                "comparison n = {}). This is the change in the pilot group beyond the "
                "change in the comparison group.\n",
                text(formatted(d.estimate, 2, sign=True)), text(kpi.unit), _ci(d.ci), d.n_pilot,
                d.n_comparison)]


def _baseline(g: GroupAttrition, min_n: int) -> Md:
    if g.withheld:
        return fmt("fewer than {} on a side", min_n)
    if g.reason is not None:
        return _cannot(g.reason)
    if g.difference is None or g.dropout_mean_pre is None or g.completer_mean_pre is None:
        return cell(None)
    return fmt("{} vs {} ({})", number(g.dropout_mean_pre, 2),
               number(g.completer_mean_pre, 2), text(formatted(g.difference, 2, sign=True)))


def _attrition(effect: BehaviourEffect, min_n: int) -> list[Md]:
    a = effect.attrition
    if a is None or not a.groups:
        return []
    rows = [[words(GROUP_LABELS.get(g.group, g.group)), text(g.pre), text(g.post),
             text(g.both),
             fmt("{} ({})", g.dropouts, percent(g.share * 100)) if g.share is not None
             else cell(None),
             _baseline(g, min_n),
             text(f"{g.p_value:.2g}") if g.p_value is not None else cell(None)]
            for g in a.groups]
    out = [fmt("**Who answered each wave** (the effects count only those who answered "
               "both; the pilot cohort was planned at {}):\n\n{}\n", a.planned, table(
                   labels("Group", "Pre", "Post", "Both", "Pre only",
                          "Pre-wave mean: left vs stayed", "Welch p"),
                   rows, ["l", "r", "r", "r", "r", "r", "r"]))]
    if not a.post_started:
        out.append(Md("No one has answered the post wave yet, so no one has dropped out; "
                      "attrition is judged once it runs.\n"))
    if a.flagged:
        out.append(Md('!!! warning "Attrition may bias these figures"\n'))
        for g in a.groups:
            name = words(GROUP_LABELS.get(g.group, g.group))
            if AttritionFlag.MANY_DROPPED in g.flags and g.share is not None:
                out.append(fmt("    - {}: {} of {} who answered the pre wave have no post "
                               "answer ({}, more than {}).", name, g.dropouts, g.pre,
                               percent(g.share * 100), percent(MAX_DROPOUT_SHARE * 100)))
            if AttritionFlag.DROPOUTS_DIFFER in g.flags and g.difference is not None:
                out.append(fmt("    - {}: those who left differed at baseline by {} "
                               "(Welch p = {}, below {}).", name,
                               text(formatted(g.difference, 2, sign=True)),
                               text(f"{g.p_value:.2g}"),
                               text(f"{DROPOUT_ALPHA:g}")))
        out.append(Md("\n    The effects count only the people who answered both waves; "
                      "if those who left would have changed less, they overstate the "
                      "program.\n"))
    return out


def _signed(value: float | None) -> Md:
    return text(f"{value:+.2f}") if value is not None else cell(None)


def _range(low: float | None, high: float | None) -> Md:
    return fmt("{} to {}", _signed(low), _signed(high)) if low is not None else cell(None)


def _itt(kpi: Kpi, itt: Itt | None) -> list[Md]:
    if itt is None:
        return []
    rows = [[words(GROUP_LABELS.get(g.group, g.group)), text(g.n), text(g.dropouts),
             _signed(g.completer_change), _signed(g.no_change), _range(g.low, g.high)]
            for g in itt.groups]
    out = [fmt("**If those who left had not changed** (intention to treat, over everyone who "
               "answered the pre wave):\n\n{}\n", table(
                   labels("Group", "Answered pre", "Left", "Change of those who stayed",
                          "Dropouts as no change", "Worst to best case"),
                   rows, ["l", "r", "r", "r", "r", "r"]))]
    if itt.did_no_change is not None:
        bounds = (fmt("; worst to best case {}", _range(itt.did_low, itt.did_high))
                  if itt.did_low is not None else Md(""))
        out.append(fmt("**Difference-in-differences with dropouts as no change:** {} {}{}.\n",
                       _signed(itt.did_no_change), text(kpi.unit), bounds))
    if itt.gap is not None:
        out.append(fmt("No worst/best-case bounds: {}.\n", words(GAPS[itt.gap])))
    elif itt.scale is not None:
        out.append(fmt("The worst case puts every leader who left at {}, the bottom of the "
                       "KPI's scale, and the best case at {}, its top: bounds that assume "
                       "nothing about why they left.\n", number(itt.scale[0], 2),
                       number(itt.scale[1], 2)))
    return out


def _mde_row(m: Mde) -> list[Md]:
    n = fmt("{} + {}", m.n, m.n_comparison) if m.n_comparison is not None else text(m.n)
    verdict = (_cannot(m.reason) if m.reason is not None
               else words("yes") if m.detectable else words("no"))
    return [words(DESIGN_LABELS[m.design]), n,
            text(formatted(m.d, 2)) if m.d is not None else cell(None),
            number(m.raw, 2), number(m.targeted, 2), verdict]


def _mde(kpi: Kpi, effect: BehaviourEffect) -> list[Md]:
    designs = [m for m in (effect.mde, effect.mde_did) if m is not None]
    if not designs:
        return []
    out = [fmt("**Minimum detectable effect** at α = {} and power {}, for the people "
               "measured in both waves:\n\n{}\n", text(f"{ALPHA:g}"), text(f"{POWER:g}"),
               table(labels("Design", "n", "MDE (d)", f"MDE ({kpi.unit})",
                            "Targeted change", "Detectable"),
                     [_mde_row(m) for m in designs], ["l", "r", "r", "r", "r", "l"]))]
    if any(m.warning for m in designs):
        out.append(Md('!!! warning "This pilot cannot detect the change it aims for"\n'
                      "    The smallest change these people can reliably show is larger "
                      "than the targeted change. Enlarge the cohort, lengthen the "
                      "measurement or treat the result as directional.\n"))
    return out


def behaviour_section(view: ProgramView, kpi: Kpi, effect: BehaviourEffect,
                      attribution: Md) -> Md:
    """Pre/post change, difference in differences, attrition and MDE for one KPI.

    Args:
        view: The program.
        kpi: A person-level KPI.
        effect: Its figures.
        attribution: The attribution note that stands beside every effect.
    """
    min_n = view.figures.min_group_size
    out = [heading(3, kpi.name)]

    def missing(group: str) -> str:
        if group in effect.withheld_groups:
            return "withheld"
        return f"fewer than {min_n}" if group in effect.suppressed_groups else "no data yet"

    # without a group column every person is in one group, "all", and none is compared
    grouped = kpi.source is not None and kpi.source.group is not None
    rows = ([_paired_row("Pilot", effect.pilot, missing("pilot")),
             _paired_row("Comparison", effect.comparison, missing("comparison"))] if grouped
            else [_paired_row("Everyone measured", effect.pilot, missing("all"))])
    out.append(fmt("{}\n", table(
        labels("Group", "n", "Mean pre → post", "Change", "95% CI", "Cohen's d_z"),
        rows, ["l", "r", "r", "r", "r", "r"])))
    figs = view.figures.kpis.get(kpi.id)
    fielding = sorted({p.wave or "" for p in figs.points if p.fielding} if figs else ())
    if fielding:
        out.append(fmt("{} wave: {}.\n", text(" and ".join(fielding).capitalize()),
                       text(FIELDING)))
    elif (effect.pilot is None and effect.comparison is None and not effect.suppressed_groups
            and not effect.withheld_groups):
        out.append(Md("No one has answered both the pre and the post wave yet.\n"))
    if effect.withheld_groups:
        out.append(fmt("Withheld ({}): between 1 and {} people answered one wave only, so "
                       "the change over the others, beside the wave means, would reveal "
                       "their answers.\n", text(", ".join(effect.withheld_groups)),
                       text(str(min_n - 1))))
    out.extend(_reason_lines(effect))
    out.extend(_did(kpi, effect))
    out.extend(_attrition(effect, min_n))
    out.extend(_itt(kpi, effect.itt))
    out.append(attribution)
    out.extend(_mde(kpi, effect))
    return lines(out)
