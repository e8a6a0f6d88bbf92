"""Vendor scorecard page (the budget and ROI page is :mod:`playbook.pages.budget`)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from playbook.figures import vendors as vendorscore
from playbook.figures.site import ProgramView, SiteData
from playbook.figures.vendors import VendorFigures, WeightShift
from playbook.model.choices import Clause
from playbook.model.money import Vendor, Vendors
from playbook.pages import charts
from playbook.pages.mdtext import (
    Md,
    cat,
    cell,
    chip,
    code,
    fmt,
    heading,
    join,
    labels,
    lines,
    money,
    not_defined,
    number,
    raw_block,
    table,
    text,
    words,
)

CLAUSE_MARKS: Final = MappingProxyType({Clause.YES: Md("✓ yes"),
                                        Clause.PARTIAL: Md("✗ partial"),
                                        Clause.NO: Md("✗ **no**")})


def _mark(clause: Clause | None) -> Md:
    """A vendor's answer to a gate, as its cell shows it."""
    return words("✗ not stated") if clause is None else CLAUSE_MARKS[clause]


GATE_LABELS: Final = MappingProxyType({
    "outcome_clauses": "Outcome clauses", "data_ownership": "Data ownership",
    "exit_portability": "Exit portability", "ai_audit": "AI audit clause",
    "model_provenance": "Model provenance", "disparate_impact_testing": "Disparate-impact tests",
})


def gate_label(gate: str, vendors: Vendors | None = None) -> str:
    """A reader's name for a gate key, plain text: the name the file gives it, else a
    known label (``ai_audit`` or ``ai-audit`` → ``AI audit clause``), else the key in words.
    """
    named = vendors.gate_name(gate) if vendors is not None else None
    if named is not None:
        return named
    snake = gate.replace("-", "_")
    return GATE_LABELS.get(snake, snake.replace("_", " ").capitalize())


def vendor_scorecard(view: ProgramView) -> Md:
    """Criteria, gates, weighted scores, ranking, chart, sensitivity (the macro)."""
    v = view.bundle.vendors
    figs = view.figures.vendors
    if v is None or figs is None:
        return not_defined("vendors.yml", "the vendor criteria, gates and scores.")
    out = [heading(2, "Criteria"), fmt("{}\n", table(labels("Criterion", "Weight"), [
        [cell(c.name), number(c.weight)] for c in v.criteria], ["l", "r"]))]
    if not v.vendors:
        out.append(Md("No vendors are listed yet.\n"))
        return lines(out)
    gates = v.gate_ids()
    if gates:
        out.append(heading(2, "Must-have gates"))
        out.append(Md("A vendor that does not answer *yes* to every gate is not ranked.\n"))
        out.append(fmt("{}\n", table([words("Vendor"), *[text(gate_label(g, v)) for g in gates]], [
            [cell(x.name), *[_mark(x.clauses.get(g)) for g in gates]] for x in v.vendors])))
    out.append(heading(2, "Weighted scores and ranking"))
    # price beside the score: a sponsor weighs a better score against what it costs
    cost = {x.id: x.annual_cost for x in v.vendors}
    cur = view.bundle.budget.currency if view.bundle.budget else None
    out.append(fmt("{}\n", table(labels("Rank", "Vendor", "Weighted (1–5)", "Annual cost",
                                         "Gates"), [
        [text(s.rank) if s.rank else words("not ranked"), cell(s.name),
         text(f"{s.weighted:.2f}"), _cost(cost[s.vendor_id], cur),
         chip("on-track", "Pass") if s.passed else
         fmt("{} {}", chip("off-track", f"Fails {len(s.failed_gates)}"),
             text(", ".join(gate_label(g, v) for g in s.failed_gates)))]
        for s in figs.scores], ["r", "l", "r", "r", "l"])))
    if any(c is not None for c in cost.values()) and cur is None:
        out.append(Md("Annual costs are quoted without a currency: `budget.yml` names it.\n"))
    scores = {x.id: x.scores for x in v.vendors}
    out.append(Md("Scores per criterion, from 1 (poor) to 5 (excellent):\n"))
    out.append(fmt("{}\n", table([words("Vendor"), *[cell(c.name) for c in v.criteria]], [
        [cell(s.name), *[number(scores[s.vendor_id].get(c.id)) for c in v.criteria]]
        for s in figs.scores], ["l", *["r"] * len(v.criteria)])))
    out.append(_score_chart(view.id, figs, _leaders(v.vendors, figs)))
    out.append(heading(2, "Sensitivity of the ranking"))
    out.append(_sensitivity(v.vendors, figs))
    return lines(out)


def _cost(amount: float | None, currency: str | None) -> Md:
    """A quoted annual cost, with the budget's currency when there is a budget."""
    if amount is None:
        return words("not quoted")
    return money(amount, currency) if currency else number(amount)


def _leaders(vendors: list[Vendor], figs: VendorFigures) -> tuple[str, bool]:
    """The first-placed vendor name(s), plain, and whether first place is shared."""
    names = {x.id: x.name for x in vendors}
    top = " and ".join(names.get(i, i) for i in figs.tied_top or ([figs.top] if figs.top else []))
    return top, len(figs.tied_top or []) > 1


def _score_chart(program_id: str, figs: VendorFigures, leaders: tuple[str, bool]) -> Md:
    """The weighted scores as bars, passing and failing vendors apart."""
    passed = [s for s in figs.scores if s.passed]
    failed = [s for s in figs.scores if not s.passed]
    traces = []
    for label, group, colour in (("Passes all gates", passed, charts.PALETTE["pass"]),
                                 ("Fails a gate", failed, charts.PALETTE["fail"])):
        if group:
            traces.append({"type": "bar", "orientation": "h", "name": label,
                           "x": [round(s.weighted, 4) for s in group],
                           "y": [s.name for s in group], "marker": {"color": colour}})
    figure = {"data": traces, "layout": charts.layout(
        "Weighted vendor scores (1–5)", x_type="linear", height=140 + 36 * len(figs.scores),
        yaxis={"autorange": "reversed", "automargin": True}, xaxis={"range": [0, 5]},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        margin={"l": 60, "r": 20, "t": 80, "b": 40})}
    top, tied = leaders
    # plain text: charts.embed escapes it as HTML
    summary = (f"{top} {'tie for' if tied else 'ranks'} first with "
               f"{figs.scores[0].weighted:.2f} of 5 among {len(passed)} vendor(s) that pass "
               "every gate." if top else "No vendor passes every gate, so none is ranked.")
    return raw_block(charts.embed(
        f"chart-{program_id}-vendors", figure, summary,
        ["Vendor", "Weighted score", "Passes gates"],
        [[s.name, f"{s.weighted:.2f}", "yes" if s.passed else "no"] for s in figs.scores]))


def _sensitivity(vendors: list[Vendor], figs: VendorFigures) -> Md:
    """Whether first place survives each single weight moving by ``SHIFT`` points."""
    names = {x.id: x.name for x in vendors}
    top, tied = _leaders(vendors, figs)
    changes = [s for s in figs.shifts if s.changes]
    first = (fmt("The first place shared by {}", text(top)) if tied
             else fmt("The top vendor ({})", text(top)))
    if not figs.top:
        return Md("No ranking to test.\n")
    if not changes:
        return fmt("{} stays {} when any single weight moves ±{} points.\n",
                   first, words("shared" if tied else "first"), vendorscore.SHIFT)

    def then(s: WeightShift) -> Md:
        ids = s.leaders or [s.top_vendor or "—"]
        return fmt("then {} {}", text(" and ".join(names.get(i, i) for i in ids)),
                   words("tie" if len(ids) > 1 else "leads"))

    return fmt("{} is **not stable**: it changes when {}.\n", first, join(
        (fmt("{} moves {} points ({})", code(s.criterion_id), text(f"{s.delta:+d}"),
             then(s)) for s in changes), Md("; ")))


def vendors(view: ProgramView, site: SiteData) -> Md:
    """Vendors page."""
    p = view.bundle.program
    assert p is not None
    notes = (lines(fmt("- **{}:** {}", text(x.name), text(x.notes))
                   for x in view.bundle.vendors.vendors if x.notes)
             if view.bundle.vendors else Md(""))
    return cat(heading(1, f"{p.title}: vendors"), Md("\n"), vendor_scorecard(view),
               fmt("\n## Notes\n\n{}\n", notes) if notes else Md(""))
