"""The chain of impact on the overview: one row per Phillips level, and where it breaks.

Reads :class:`playbook.figures.chain.Chain`; computes nothing. The words are for
a sponsor: what each level asks, what the evidence says, and whether the link
holds, is at risk, breaks or is not measured yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from playbook.figures import nps as npsfig
from playbook.figures.chain import (
    LEVEL_NAMES,
    LEVEL_OF_KIND,
    ROI_HOLDS_ABOVE,
    Chain,
    ChainKpi,
    ChainLevel,
    LevelVerdict,
)
from playbook.figures.nps import NpsScore
from playbook.figures.stats import LEVEL, PairedEffect
from playbook.model.measure import NPS_ANSWERS, Kpi
from playbook.pages.mdtext import (
    Md,
    cat,
    cell,
    chip,
    fmt,
    join,
    labels,
    lines,
    number,
    percent,
    table,
    text,
    words,
)
from playbook.pages.measure import STATUS_LABELS

VERDICT_LABELS: Final[Mapping[str, str]] = MappingProxyType({
    LevelVerdict.HOLDS: "Holds", LevelVerdict.AT_RISK: "At risk", LevelVerdict.BREAKS: "Breaks",
    LevelVerdict.NOT_MEASURED: "Not measured"})
"""How each verdict reads on a page."""
QUESTIONS: Final = MappingProxyType({
    1: "Do leaders value the program and plan to use it?",
    2: "Do they learn what it teaches?",
    3: "Do they do it on the job?",
    4: "Does the business result move?",
    5: "Do the counted benefits exceed the fully loaded costs?"})
"""The question each level answers, in a sponsor's words."""
BROKEN: Final = MappingProxyType({
    1: "leaders' reaction or engagement during the pilot is below plan, so learning and new "
       "behaviour are less likely to follow",
    2: "leaders are not learning what the program teaches as planned",
    3: "leaders are not applying on the job what the program teaches as planned, so a "
       "business result is not shown to come from the program",
    4: "the business result is not moving as planned",
    5: "the benefits counted so far do not cover the program's costs"})
"""What a break at each level means for the program."""


def _name(level: int) -> str:
    return f"level {level} ({LEVEL_NAMES[level].lower()})"


def _names(levels: list[ChainLevel]) -> str:
    named = [_name(lv.level) for lv in levels]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _weak(chain: Chain) -> str:
    """Weak levels below strong evidence: named, without cancelling it (a sentence)."""
    if not chain.weak:
        return ""
    weak = [lv for lv in chain.levels if lv.level in chain.weak]
    strong = [lv for lv in chain.levels if lv.strong]
    verb = "is" if len(weak) == 1 else "are"
    return (f" {_names(weak)[0].upper()}{_names(weak)[1:]} {verb} below plan, but "
            f"{_names(strong)} {'shows' if len(strong) == 1 else 'show'} a credible change "
            "against the comparison group, which a weaker level below does not cancel.")


def summary(chain: Chain) -> str:
    """Where the chain holds and where it breaks, in plain sentences (unescaped)."""
    levels = chain.levels
    missing = [lv for lv in levels if lv.verdict == LevelVerdict.NOT_MEASURED]
    if len(missing) == len(levels):
        return "No level of the chain is measured yet."
    tail = f" Not measured yet: {_names(missing)}." if missing else ""
    if chain.breaks_at is None:
        if chain.weak:
            return _weak(chain).strip() + tail
        risky = [lv for lv in levels if lv.verdict == LevelVerdict.AT_RISK]
        if risky:
            return f"The chain holds so far, with {_names(risky)} at risk.{tail}"
        return f"The chain holds at every level measured.{tail}"
    b = chain.breaks_at
    out = f"The chain breaks at {_name(b)}: {BROKEN[b]}."
    out += _weak(chain)
    below = [lv for lv in levels if lv.level < b and lv.verdict == LevelVerdict.HOLDS]
    if below:
        out += f" Below it, it holds at {_names(below)}."
    above = [lv for lv in levels if lv.level > b and lv.verdict == LevelVerdict.HOLDS]
    if above:
        verb = "holds" if len(above) == 1 else "hold"
        out += (f" Above it, {_names(above)} {verb}, but with the chain broken below and no "
                "credible comparison effect above it, that result is not shown to come from "
                "the program.")
    later = [lv for lv in levels if lv.level > b and lv.verdict == LevelVerdict.BREAKS]
    if later:
        out += f" It also breaks at {_names(later)}."
    return out + tail


def _signed(value: float, digits: int) -> Md:
    shown = number(abs(value), digits)
    if shown == "0":
        return shown
    return cat(Md("+") if value > 0 else Md("-"), shown)


def _nps(s: NpsScore) -> Md:
    assert s.score is not None
    interval = (fmt("95% CI {} to {}", _signed(s.ci.low, 0), _signed(s.ci.high, 0))
                if s.ci is not None else Md("no interval: every answer in one category"))
    return fmt("NPS {} ({}; {} people)", _signed(s.score, 0), interval, s.n)


def _change(e: PairedEffect) -> Md:
    if e.mean_change is None or e.ci is None:  # degenerate data: no estimate to quote
        return fmt("change not estimable ({} people)", e.n)
    return fmt("change {} (95% CI {} to {}; {} people)", _signed(e.mean_change, 2),
               _signed(e.ci.low, 2), _signed(e.ci.high, 2), e.n)


def _value(kpi: Kpi, value: float) -> Md:
    unit = kpi.unit.strip()
    if unit.lower() in ("percent", "%", "pct", "percentage"):
        return cat(number(value), Md("%"))
    # a descriptive unit ("score (1-5)") reads badly after a number: the name says it
    return (fmt("{} {}", number(value), text(unit)) if len(unit) <= 12 and "(" not in unit
            else number(value))


def _evidence(kpi: Kpi, e: ChainKpi) -> Md:
    shown = (_nps(e.nps) if e.nps is not None else _change(e.change) if e.change is not None
             else _value(kpi, e.latest) if e.latest is not None else Md("no data yet"))
    if e.strong is not None:
        estimate, low, high = e.strong
        shown = fmt("{}; against the comparison group {} (95% CI {} to {})", shown,
                    _signed(estimate, 2), _signed(low, 2), _signed(high, 2))
    if e.window is not None and e.window_mean is not None:
        shown = fmt("mean {} over the pilot's periods from {} to {}, the value judged (latest "
                    "{})", _value(kpi, e.window_mean), e.window[0], e.window[1], shown)
    status = chip(e.status, STATUS_LABELS.get(e.status))
    if not e.judged:
        status = fmt("{} (support)", status)
    if e.stale:
        status = fmt("{} {}", status, chip("stale", "Stale"))
    return fmt("{}: {} {}", cell(kpi.name), shown, status)


def _row(level: ChainLevel, kpis: dict[str, Kpi]) -> list[Md]:
    if level.level == 5:
        evidence = (fmt("ROI headline {}", percent(level.roi_pct))
                    if level.roi_pct is not None else Md("no ROI yet (no budget or no costs)"))
    else:
        evidence = (join((_evidence(kpis[k.kpi_id], k) for k in level.kpis), Md("; "))
                    if level.kpis else Md("no KPI on this level"))
    return [fmt("{} · {}", level.level, text(LEVEL_NAMES[level.level])),
            text(QUESTIONS[level.level]), evidence,
            chip(level.verdict, VERDICT_LABELS[level.verdict])]


def chain_section(chain: Chain | None, kpis: list[Kpi]) -> Md:
    """The chain of impact: a summary, one row per level, then leading indicators."""
    if chain is None:
        return Md("")
    by_id = {k.id: k for k in kpis}
    out = [fmt("{}\n", text(summary(chain))),
           fmt("{}\n", table(labels("Level", "Question", "Evidence", "Verdict"),
                             [_row(lv, by_id) for lv in chain.levels]))]
    if chain.leading:
        out.append(fmt("Leading indicators, beside the chain: {}.\n",
                       join((_evidence(by_id[k.kpi_id], k) for k in chain.leading),
                            Md("; "))))
    return lines(out)


def chain_rules() -> Md:
    """The chain's levels and the NPS rules, read from the engine's constants (a macro)."""
    kinds = ", ".join(f"{kind} → {level}" for kind, level in LEVEL_OF_KIND.items())
    low, high = NPS_ANSWERS
    rows = [
        ["Levels", "; ".join(f"{n} {name.lower()}" for n, name in LEVEL_NAMES.items())],
        ["Kind → level", f"{kinds}; leading: beside the chain"],
        ["Promoters", f"answers {npsfig.PROMOTER_MIN}–{high}"],
        ["Detractors", f"answers {low}–{npsfig.DETRACTOR_MAX}"],
        ["NPS interval", f"{LEVEL:.0%} Wald, clipped to −100…100; none when every answer "
                         "is in one category"],
        ["Level 1 window", "reaction and engagement read from periods are judged on their "
                           "mean over the pilot's periods so far (start to the pilot's last "
                           "day) against the trajectory's mean on the same days"],
        ["Strong evidence", f"a comparison effect whose {LEVEL:.0%} interval excludes zero "
                            "on the better side (a survey's difference in differences, or a "
                            "credible difference-in-differences or time series): its level "
                            "is at worst at risk and is not cancelled by a weaker level below"],
        ["Where it breaks", "the lowest breaking level with no strong evidence above it"],
        ["Level 5 holds", f"ROI above {ROI_HOLDS_ABOVE:g}%"],
    ]
    return fmt("{}\n", table(labels("Rule", "Value"),
                             [[words(rule), text(value)] for rule, value in rows]))
