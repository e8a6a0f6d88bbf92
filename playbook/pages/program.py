"""Program pages without figures: strategy, competency matrix, people, reviews."""

from __future__ import annotations

from playbook.figures.site import ProgramView, SiteData
from playbook.figures.trajectory import CHECKPOINT_DAYS
from playbook.load.signoffs import SignoffState
from playbook.load.sshsig import SignatureState
from playbook.model.base import ROLE_TITLES
from playbook.pages import design, downloads
from playbook.pages.diagram import Node, chain_svg
from playbook.pages.forecast import forecast_section
from playbook.pages.mdtext import (
    Md,
    cat,
    cell,
    chip,
    code,
    fmt,
    heading,
    labels,
    lines,
    not_defined,
    paragraphs,
    raw_block,
    table,
    text,
    words,
)


def strategy(view: ProgramView, site: SiteData) -> Md:
    """Priority → decisions → behaviours → KPIs, as a diagram and as text."""
    b = view.bundle
    p = b.program
    assert p is not None
    s = p.strategy
    out = [heading(1, f"{p.title}: strategy and logic chain"),
           fmt("**Priority.** {}\n", text(s.priority)),
           fmt("**Outcome.** {}\n", text(s.outcome))]
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
    out.append(raw_block(chain_svg(f"Logic chain of {p.title}", columns,
                                   list(dict.fromkeys(edges)))))
    out.append(heading(2, "Decisions"))
    out.append(fmt("{}\n", table(labels("Id", "Decision", "Behaviours that change it"),
                                 [[code(d.id), cell(d.text),
                                   cell(", ".join(x.id for x in behaviors
                                                  if x.decision == d.id))]
                                  for d in s.decisions])) if s.decisions
               else Md("No decisions are stated yet.\n"))
    if not b.competencies:
        out.append(not_defined("competencies.yml", "the behaviours that change these "
                               "decisions."))
    out.append(heading(2, "Hypotheses"))
    if s.hypotheses:
        out.append(fmt("{}\n", table(labels("Id", "Hypothesis", "Behaviours", "KPIs"),
                                     [[code(h.id), cell(h.text), cell(", ".join(h.behaviors)),
                                       cell(", ".join(h.kpis))] for h in s.hypotheses])))
    else:
        out.append(Md("No hypotheses are stated yet.\n"))
    out.append(design.section(view))
    return lines(out)


def competency_matrix(view: ProgramView) -> Md:
    """The behaviours × role levels table (also the ``competency_matrix`` macro)."""
    c = view.bundle.competencies
    if c is None:
        return not_defined("competencies.yml", "the behaviours and role-level criteria.")
    if not c.behaviors:
        return Md("No behaviours are defined yet.\n")
    kpis = {k.id: k.name for k in view.bundle.kpis.kpis} if view.bundle.kpis else {}
    headers = [words("Behaviour"), *[text(lvl.replace("-", " ").capitalize())
                                     for lvl in c.levels]]
    matrix = table(headers, [
        [fmt("**{}**", text(x.text)), *[cell(x.criteria.get(lvl)) for lvl in c.levels]]
        for x in c.behaviors])
    # how each behaviour is measured, apart, so the matrix keeps readable columns
    measured = table(labels("Behaviour", "Moves KPIs", "Observed by", "Evidence"), [
        [code(x.id), cell(", ".join(kpis.get(k, k) for k in x.kpis)),
         cell(kpis.get(x.metric, x.metric) if x.metric else None), cell(x.evidence)]
        for x in c.behaviors])
    return fmt("{}\n\n**How each behaviour is measured**\n\n{}\n", matrix, measured)


def competencies(view: ProgramView, site: SiteData) -> Md:
    """Competency matrix page."""
    p = view.bundle.program
    assert p is not None
    return cat(heading(1, f"{p.title}: competency matrix"),
               Md("\nEach behaviour changes a leader decision and has one observable success "
                  "criterion per role level.\n\n"),
               competency_matrix(view),
               fmt("\n{}", downloads.links(view)) if view.bundle.competencies else Md(""))


def people(view: ProgramView, site: SiteData) -> Md:
    """Stakeholders and RACI page."""
    p = view.bundle.program
    assert p is not None
    out = [heading(1, f"{p.title}: stakeholders and RACI")]
    people_map = p.stakeholders.model_dump(exclude_none=True)
    rows = []
    for role, title in ROLE_TITLES.items():
        person = people_map.get(role)
        if person:
            rows.append([words(title), cell(person["name"]), cell(person["title"]),
                         cell(person.get("handle"))])
        else:
            rows.append([words(title), Md("*not named*"), cell(None), cell(None)])
    out.append(fmt("{}\n", table(labels("Role", "Name", "Title", "Handle"), rows)))
    out.append(heading(2, "RACI"))
    if p.raci:
        roles = [r for r in ROLE_TITLES if any(r in row.letters() for row in p.raci)]
        out.append(fmt("{}\n", table(
            [words("Activity"), *[words(ROLE_TITLES[r]) for r in roles]],
            [[cell(row.activity), *[text(row.letters().get(r, "")) for r in roles]]
             for row in p.raci])))
        out.append(Md("R responsible · A accountable (exactly one per activity) · C consulted "
                      "· I informed\n"))
    else:
        out.append(Md("No RACI is defined yet.\n"))
    out.append(heading(2, "Sign-off of the measurement plan"))
    out.append(signoff_table(view))
    return lines(out)


def signoff_chip(s: SignoffState) -> Md:
    """A sign-off's state chip: an invalid signature first, since it never counts."""
    if s.verification.state is SignatureState.INVALID:
        return chip("stale", "Unverifiable: signature not the signer's key")
    if not s.current:
        return chip("stale", "Stale: changed since signed")
    if s.verification.state is SignatureState.VERIFIED:
        return chip("done", "Current, signature verified")
    return chip("done", "Current")


def signoff_table(view: ProgramView) -> Md:
    """Who signed which version, and whether the sign-off still covers the content."""
    p = view.bundle.program
    assert p is not None
    rows = []
    for s in view.signoffs:
        if s.name is None:
            rows.append([words(ROLE_TITLES[s.role]), *[cell(None)] * 3,
                         chip("overdue", "Not signed")])
        else:
            rows.append([words(ROLE_TITLES[s.role]), cell(s.name), cell(s.date),
                         cell(s.version),
                         signoff_chip(s)])
    return fmt("{}\n\nSponsor, business owner and L&D owner co-sign the measurement plan. A "
               "sign-off covers the whole program definition; it goes stale when any of it "
               "changes.\n",
               table(labels("Role", "Signed by", "Date", "Version", "State"), rows))


def reviews(view: ProgramView, site: SiteData) -> Md:
    """Reviews page: the 90/180/365-day decisions."""
    p = view.bundle.program
    assert p is not None
    out = [heading(1, f"{p.title}: reviews"),
           fmt("Reviews at day {} decide to continue, adjust, scale or stop.\n",
               words(", ".join(map(str, CHECKPOINT_DAYS[:-1])) + f" and {CHECKPOINT_DAYS[-1]}"))]
    out.append(fmt("{}\n", table(labels("Checkpoint", "Due", "Held", "Decision"), [
        [fmt("Day {}", c.day), text(c.due), text(c.held) if c.held else chip(c.state),
         cell(c.decision)] for c in view.reviews])))
    out.append(forecast_section(view))
    r = view.bundle.reviews
    if r is None:
        out.append(not_defined("reviews.yml", "no checkpoint review is recorded."))
        return lines(out)
    for review in sorted(r.reviews, key=lambda x: x.date):
        out.append(heading(2, f"Day {review.day} review, {review.date}"))
        out.append(fmt("{}\n", chip(review.decision, review.decision.capitalize())))
        if review.notes:
            out.append(fmt("{}\n", paragraphs(review.notes)))
        for action in review.actions:
            out.append(fmt("- {}", text(action)))
        out.append(Md(""))
    if not r.reviews:
        out.append(Md("No review has been held yet.\n"))
    return lines(out)
