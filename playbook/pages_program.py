"""Program pages without figures: strategy, competency matrix, people, reviews."""

from __future__ import annotations

from playbook.diagram import Node, chain_svg
from playbook.mdtext import cell, chip, html_text, not_defined, paragraphs, table, text
from playbook.model.base import ROLE_TITLES
from playbook.site import ProgramView, SiteData


def strategy(view: ProgramView, site: SiteData) -> str:
    """Priority → decisions → behaviours → KPIs, as a diagram and as text."""
    b = view.bundle
    p = b.program
    assert p is not None
    s = p.strategy
    out = [f"# {text(p.title)}: strategy and logic chain\n",
           f"**Priority.** {text(s.priority)}\n", f"**Outcome.** {text(s.outcome)}\n"]
    behaviors = b.competencies.behaviors if b.competencies else []
    kpis = b.kpis.kpis if b.kpis else []
    columns = [
        ("Priority", [Node("priority", s.priority)]),
        ("Decisions", [Node(f"d:{d.id}", d.text) for d in s.decisions]),
        ("Behaviours", [Node(f"b:{x.id}", x.text) for x in behaviors]),
        ("KPIs", [Node(f"k:{k.id}", f"{k.name} ({k.kind})") for k in kpis]),
    ]
    edges = [("priority", f"d:{d.id}") for d in s.decisions]
    for x in behaviors:
        edges.append((f"d:{x.decision}", f"b:{x.id}"))
        for k in [*x.kpis, *([x.metric] if x.metric else [])]:
            edges.append((f"b:{x.id}", f"k:{k}"))
    out.append('<div class="pb-chain-wrap">'
               + chain_svg(f"Logic chain of {p.title}", columns, list(dict.fromkeys(edges)))
               + "</div>\n")
    out.append("## Decisions\n")
    out.append(table(["Id", "Decision", "Behaviours that change it"],
                     [[f"`{d.id}`", cell(d.text),
                       cell(", ".join(x.id for x in behaviors if x.decision == d.id))]
                      for d in s.decisions]) + "\n" if s.decisions
               else "No decisions are stated yet.\n")
    if not b.competencies:
        out.append(not_defined("competencies.yml", "the behaviours that change these "
                               "decisions."))
    out.append("## Hypotheses\n")
    if s.hypotheses:
        out.append(table(["Id", "Hypothesis", "Behaviours", "KPIs"],
                         [[f"`{h.id}`", cell(h.text), cell(", ".join(h.behaviors)),
                           cell(", ".join(h.kpis))] for h in s.hypotheses]) + "\n")
    else:
        out.append("No hypotheses are stated yet.\n")
    return "\n".join(out)


def competency_matrix(view: ProgramView) -> str:
    """The behaviours × role levels table (also the ``competency_matrix`` macro)."""
    c = view.bundle.competencies
    if c is None:
        return not_defined("competencies.yml", "the behaviours and role-level criteria.")
    if not c.behaviors:
        return "No behaviours are defined yet.\n"
    kpis = {k.id: k.name for k in view.bundle.kpis.kpis} if view.bundle.kpis else {}
    headers = ["Behaviour", *[lvl.replace("-", " ").capitalize() for lvl in c.levels]]
    matrix = table(headers, [
        [f"**{text(x.text)}**", *[cell(x.criteria.get(lvl)) for lvl in c.levels]]
        for x in c.behaviors])
    # how each behaviour is measured, apart, so the matrix keeps readable columns
    measured = table(["Behaviour", "Moves KPIs", "Observed by", "Evidence"], [
        [f"`{x.id}`", cell(", ".join(kpis.get(k, k) for k in x.kpis)),
         cell(kpis.get(x.metric, x.metric) if x.metric else None), cell(x.evidence)]
        for x in c.behaviors])
    return f"{matrix}\n\n**How each behaviour is measured**\n\n{measured}\n"


def competencies(view: ProgramView, site: SiteData) -> str:
    """Competency matrix page."""
    p = view.bundle.program
    assert p is not None
    return (f"# {text(p.title)}: competency matrix\n\nEach behaviour changes a leader decision "
            "and has one observable success criterion per role level.\n\n"
            + competency_matrix(view))


def people(view: ProgramView, site: SiteData) -> str:
    """Stakeholders and RACI page."""
    p = view.bundle.program
    assert p is not None
    out = [f"# {text(p.title)}: stakeholders and RACI\n"]
    people_map = p.stakeholders.model_dump(exclude_none=True)
    rows = []
    for role, title in ROLE_TITLES.items():
        person = people_map.get(role)
        if person:
            rows.append([title, cell(person["name"]), cell(person["title"]),
                         cell(person.get("handle"))])
        else:
            rows.append([title, "*not named*", "—", "—"])
    out.append(table(["Role", "Name", "Title", "Handle"], rows) + "\n")
    out.append("## RACI\n")
    if p.raci:
        roles = [r for r in ROLE_TITLES if any(r in row.letters() for row in p.raci)]
        out.append(table(["Activity", *[ROLE_TITLES[r] for r in roles]],
                         [[cell(row.activity), *[row.letters().get(r, "") for r in roles]]
                          for row in p.raci]) + "\n")
        out.append("R responsible · A accountable (exactly one per activity) · C consulted · "
                   "I informed\n")
    else:
        out.append("No RACI is defined yet.\n")
    out.append("## Sign-off of the measurement plan\n")
    out.append(signoff_table(view))
    return "\n".join(out)


def signoff_table(view: ProgramView) -> str:
    """Who signed which version, and whether the sign-off still covers the content."""
    p = view.bundle.program
    assert p is not None
    rows = []
    for s in view.signoffs:
        if s.name is None:
            rows.append([ROLE_TITLES[s.role], "—", "—", "—", chip("overdue", "Not signed")])
        else:
            rows.append([ROLE_TITLES[s.role], cell(s.name), str(s.date), cell(s.version),
                         chip("done", "Current") if s.current else
                         chip("stale", "Stale: changed since signed")])
    return (table(["Role", "Signed by", "Date", "Version", "State"], rows) + "\n\n"
            "Sponsor, business owner and L&D owner co-sign the measurement plan. A sign-off "
            "covers the whole program definition; it goes stale when any of it changes.\n")


def reviews(view: ProgramView, site: SiteData) -> str:
    """Reviews page: the 90/180/365-day decisions."""
    p = view.bundle.program
    assert p is not None
    out = [f"# {text(p.title)}: reviews\n",
           "Reviews at day 90, 180 and 365 decide to continue, adjust, scale or stop.\n"]
    out.append(table(["Checkpoint", "Due", "Held", "Decision"], [
        [f"Day {c.day}", str(c.due), str(c.held) if c.held else chip(c.state),
         text(c.decision) if c.decision else "—"] for c in view.reviews]) + "\n")
    r = view.bundle.reviews
    if r is None:
        out.append(not_defined("reviews.yml", "no checkpoint review is recorded."))
        return "\n".join(out)
    for review in sorted(r.reviews, key=lambda x: x.date):
        out.append(f"## Day {review.day} review, {review.date}\n")
        out.append(f'<span class="pb-chip pb-chip--{html_text(review.decision)}">'
                   f"{html_text(review.decision.capitalize())}</span>\n")
        if review.notes:
            out.append(paragraphs(review.notes) + "\n")
        for action in review.actions:
            out.append(f"- {text(action)}")
        out.append("")
    if not r.reviews:
        out.append("No review has been held yet.\n")
    return "\n".join(out)
