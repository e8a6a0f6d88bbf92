"""Vendor scorecard and budget/ROI pages."""

from __future__ import annotations

from playbook import charts
from playbook.mdtext import cell, chip, money, not_defined, number, percent, table, text
from playbook.site import ProgramView, SiteData
from playbook.vendorscore import WeightShift

CLAUSE_MARKS = {"yes": "✓ yes", "partial": "✗ partial", "no": "✗ **no**"}
GATE_LABELS = {
    "outcome_clauses": "Outcome clauses", "data_ownership": "Data ownership",
    "exit_portability": "Exit portability", "ai_audit": "AI audit clause",
    "model_provenance": "Model provenance", "disparate_impact_testing": "Disparate-impact tests",
}


def gate_label(gate: str) -> str:
    """A reader's name for a gate key (``ai_audit`` → ``AI audit clause``)."""
    return GATE_LABELS.get(gate, gate.replace("_", " ").capitalize())


def vendor_scorecard(view: ProgramView) -> str:
    """Criteria, gates, weighted scores, ranking, chart, sensitivity (the macro)."""
    v = view.bundle.vendors
    figs = view.figures.vendors
    if v is None or figs is None:
        return not_defined("vendors.yml", "the vendor criteria, gates and scores.")
    out = ["## Criteria\n", table(["Criterion", "Weight"], [
        [cell(c.name), f"{number(c.weight)}"] for c in v.criteria], ["l", "r"]) + "\n"]
    names = {x.id: x.name for x in v.vendors}
    if not v.vendors:
        out.append("No vendors are listed yet.\n")
        return "\n".join(out)
    if v.gates:
        out.append("## Must-have gates\n")
        out.append("A vendor that does not answer *yes* to every gate is not ranked.\n")
        out.append(table(["Vendor", *[gate_label(g) for g in v.gates]], [
            [cell(x.name), *[CLAUSE_MARKS.get(x.clauses.get(g, ""), "✗ not stated")
                             for g in v.gates]] for x in v.vendors]) + "\n")
    out.append("## Weighted scores and ranking\n")
    out.append(table(["Rank", "Vendor", "Weighted (1–5)", "Gates"], [
        [str(s.rank) if s.rank else "not ranked", cell(s.name), f"{s.weighted:.2f}",
         chip("on-track", "Pass") if s.passed else
         chip("off-track", f"Fails {len(s.failed_gates)}") + " "
         + ", ".join(gate_label(g) for g in s.failed_gates)]
        for s in figs.scores], ["r", "l", "r", "l"]) + "\n")
    scores = {x.id: x.scores for x in v.vendors}
    out.append("Scores per criterion, from 1 (poor) to 5 (excellent):\n")
    out.append(table(["Vendor", *[cell(c.name) for c in v.criteria]], [
        [cell(s.name), *[number(scores[s.vendor_id].get(c.id)) for c in v.criteria]]
        for s in figs.scores], ["l", *["r"] * len(v.criteria)]) + "\n")
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

    def who(ids: list[str]) -> str:
        return " and ".join(names.get(i, i) for i in ids)

    top = who(figs.tied_top or ([figs.top] if figs.top else []))
    tied = len(figs.tied_top or []) > 1
    summary = (f"{top} {'tie for' if tied else 'ranks'} first with "
               f"{figs.scores[0].weighted:.2f} of 5 among {len(passed)} vendor(s) that pass "
               "every gate." if top else "No vendor passes every gate, so none is ranked.")
    out.append(charts.embed(f"chart-{view.id}-vendors", figure, summary,
                            ["Vendor", "Weighted score", "Passes gates"],
                            [[s.name, f"{s.weighted:.2f}", "yes" if s.passed else "no"]
                             for s in figs.scores]))
    out.append("## Sensitivity of the ranking\n")
    changes = [s for s in figs.shifts if s.changes]
    first = (f"The first place shared by {text(top)}" if tied
             else f"The top vendor ({text(top)})")
    if not figs.top:
        out.append("No ranking to test.\n")
    elif not changes:
        out.append(f"{first} stays {'shared' if tied else 'first'} when any single weight "
                   "moves ±5 points.\n")
    else:

        def then(s: WeightShift) -> str:
            ids = s.leaders or [s.top_vendor or "—"]
            return f"then {text(who(ids))} {'tie' if len(ids) > 1 else 'leads'}"

        out.append(f"{first} is **not stable**: it changes when "
                   + "; ".join(f"`{s.criterion_id}` moves {s.delta:+d} points ({then(s)})"
                               for s in changes) + ".\n")
    return "\n".join(out)


def vendors(view: ProgramView, site: SiteData) -> str:
    """Vendors page."""
    p = view.bundle.program
    assert p is not None
    notes = ""
    if view.bundle.vendors:
        notes = "\n".join(f"- **{text(x.name)}:** {text(x.notes)}"
                          for x in view.bundle.vendors.vendors if x.notes)
    return (f"# {text(p.title)}: vendors\n\n" + vendor_scorecard(view)
            + ("\n## Notes\n\n" + notes + "\n" if notes else ""))


def budget(view: ProgramView, site: SiteData) -> str:
    """Budget and ROI page."""
    p = view.bundle.program
    assert p is not None
    out = [f"# {text(p.title)}: budget and ROI\n"]
    roi = view.figures.roi
    if view.bundle.budget is None or roi is None:
        out.append(not_defined("budget.yml", "the costs, benefits and 3-year TCO."))
        return "\n".join(out)
    cur = roi.currency
    years = list(range(1, roi.horizon_years + 1))
    out.append("## Costs by category and year\n")
    rows = [[c.replace("_", " "), *[money(by.get(y, 0), cur) for y in years],
             money(sum(by.values()), cur)] for c, by in roi.costs_by_category.items()]
    rows.append(["**Total**", *[f"**{money(roi.costs_by_year.get(y, 0), cur)}**"
                                for y in years], f"**{money(roi.tco, cur)}**"])
    out.append(table(["Category", *[f"Year {y}" for y in years], "Total"], rows,
                     ["l", *["r"] * (len(years) + 1)]) + "\n")
    out.append(f"**{roi.horizon_years}-year total cost of ownership: {money(roi.tco, cur)}.**\n")
    traces = [{"type": "bar", "name": c.replace("_", " "), "x": [f"Year {y}" for y in years],
               "y": [by.get(y, 0) for y in years]} for c, by in roi.costs_by_category.items()]
    figure = {"data": traces, "layout": charts.layout(
        "Costs by category and year", x_type="category", y_title=cur, barmode="stack")}
    out.append(charts.embed(
        f"chart-{view.id}-costs", figure,
        f"Total cost of ownership over {roi.horizon_years} years is {money(roi.tco, cur)}.",
        ["Category", *[f"Year {y}" for y in years]],
        [[c, *[money(by.get(y, 0), cur) for y in years]]
         for c, by in roi.costs_by_category.items()]))
    out.append("## Benefits (Phillips)\n")
    out.append("Each benefit counts only the share attributed to the program (isolation) and "
               "is discounted by the confidence in the estimate.\n")
    out.append(table(["Benefit", "Year", "Gross", "Isolation", "Confidence", "Counted"], [
        [cell(b.name), str(b.year), money(b.gross, cur), f"{b.isolation:.0%}",
         f"{b.confidence:.0%}", money(b.net, cur)] for b in roi.benefit_lines],
        ["l", "r", "r", "r", "r", "r"]) + "\n" if roi.benefit_lines else
        "No benefits are estimated yet: add `benefits` or a KPI `monetization`.\n")
    out.append("## Return on investment\n")
    out.append(table(["Scenario", "Benefits", "Costs", "Benefit–cost ratio", "ROI",
                      "Payback month"], [
        [s.label.capitalize(), money(s.benefits, cur), money(s.costs, cur),
         number(s.bcr, 2) if s.bcr is not None else "—", percent(s.roi_pct),
         str(s.payback_month) if s.payback_month else
         "no costs" if s.costs <= 0 else "not within horizon"]
        for s in roi.scenarios], ["l", "r", "r", "r", "r", "r"]) + "\n")
    out.append("Low and high scenarios move every isolation and confidence figure down and up "
               "by 0.2, so the reader sees how much the result rests on those estimates.\n")
    for note in roi.notes:
        out.append(f"- {text(note)}")
    if roi.intangibles:
        out.append("\n## Intangible benefits (not monetised)\n")
        out.extend(f"- {text(i)}" for i in roi.intangibles)
    return "\n".join(out) + "\n"
