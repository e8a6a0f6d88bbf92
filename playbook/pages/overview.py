"""Overview page of a program: the executive summary a sponsor reads first."""

from __future__ import annotations

from playbook.figures.provenance import HISTORY_LIMIT
from playbook.figures.roi import RoiFigures
from playbook.figures.site import ProgramView, SiteData
from playbook.figures.timeline import next_open
from playbook.load.signoffs import REQUIRED_ROLES
from playbook.model.base import ROLE_TITLES
from playbook.pages import downloads
from playbook.pages.budget import chance
from playbook.pages.chain import chain_section
from playbook.pages.findings import findings_section
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
    link,
    money,
    number,
    paragraphs,
    percent,
    table,
    text,
    words,
)
from playbook.pages.measure import STATUS_LABELS, kpi_sentence
from playbook.pages.program import signoff_table
from playbook.pages.roadmap import gate_text
from playbook.pages.sections import PACKET, SECTIONS


def program_day(day: int) -> str:
    """Where a program stands: ``day 42``, or ``starts in 9 days`` before its day 0 (plain)."""
    if day >= 0:
        return f"day {day}"
    return f"starts in {-day} day{'s' if day < -1 else ''}"


def _signoff_state(view: ProgramView) -> Md:
    p = view.bundle.program
    assert p is not None
    required = [s for s in view.signoffs if s.role in REQUIRED_ROLES]
    missing = [ROLE_TITLES[s.role] for s in required if s.name is None]
    stale = [ROLE_TITLES[s.role] for s in required if s.name is not None and not s.current]
    if len(missing) == len(required):
        return Md("The measurement plan is not signed yet.")
    parts = []
    if missing:
        parts.append("not signed by " + ", ".join(missing))
    if stale:
        parts.append("stale for " + ", ".join(stale) + " (changed since signed)")
    if not parts:
        return fmt("Version {} is signed by sponsor, business owner and L&D owner and nothing "
                   "has changed since.", text(p.version))
    return fmt("Version {}: {}.", text(p.version), text("; ".join(parts)))


def executive_summary(view: ProgramView, site: SiteData) -> Md:
    """What a sponsor needs in one screen, written from the data."""
    b = view.bundle
    p = b.program
    assert p is not None
    f = view.figures
    when = (fmt("day {} of the program (started {})", f.day, p.start) if f.day >= 0
            else fmt("{} (on {})", text(program_day(f.day)), p.start))
    out = [fmt("**Outcome.** {}\n", text(p.strategy.outcome)),
           fmt("**Status:** {} · {} · version {}\n", text(p.status), when, text(p.version))]
    if b.kpis and b.kpis.kpis:
        items = []
        for kpi in b.kpis.kpis:
            figs = f.kpis[kpi.id]
            items.append(fmt("- {} {}", chip(figs.status, STATUS_LABELS.get(figs.status)),
                             text(kpi_sentence(kpi, figs, site.today))))
        out.append(fmt("**KPIs against their trajectories**\n\n{}\n", lines(items)))
    nxt = next_open(view.milestones)
    if nxt is not None:
        out.append(fmt("**Next milestone:** {} ({}, due {}) {}\n", text(nxt.deliverable),
                       words(ROLE_TITLES[nxt.owner]), nxt.due, chip(nxt.state)))
    open_gates = [g for g in f.gates if g.passed is not True]
    names = {k.id: k.name for k in b.kpis.kpis} if b.kpis else {}
    if open_gates:
        label = ("Gates not met" if all(g.passed is False for g in open_gates)
                 else "Gates not met or pending")
        out.append(fmt("**{}:** {}.\n", words(label),
                       join((gate_text(g, names, due=True) for g in open_gates), Md("; "))))
    elif f.gates:
        out.append(Md("**Gates:** every phase gate so far is met.\n"))
    out.append(fmt("**Reviews:** {}\n", join(
        (fmt("day {} ({}): {}", r.day, r.due,
             fmt("{} (held {})", text(r.decision), r.held) if r.held else chip(r.state))
         for r in view.reviews), Md("; "))))
    out.append(fmt("**Sign-off:** {}\n", _signoff_state(view)))
    if f.roi is not None:
        out.append(fmt("**ROI headline:** {}.\n", roi_headline(f.roi)))
    if f.fairness is not None and f.fairness.flagged:
        out.append(Md('!!! warning "An AI tool fails the four-fifths check"\n    See the '
                      "fairness section of the measurement page.\n"))
    return lines(out)


def change_history(view: ProgramView, site: SiteData) -> Md:
    """The program's last commits from git (date, author, subject, version), newest first."""
    prov = site.provenance
    if prov.commit is None:
        return Md("No change history: this build had no git to read it from (commit: unknown).\n")
    revisions = prov.history.get(view.id, ())
    if not revisions:
        return Md("No commit touches this program's files yet.\n")
    rows = [[fmt("{}", r.date), cell(r.author), cell(r.subject), cell(r.version), code(r.commit)]
            for r in revisions]
    note = (fmt("The last {} commits that changed program/{}/ or data/{}/.\n",
                len(revisions), text(view.id), text(view.id)) if len(revisions) >= HISTORY_LIMIT
            else fmt("Every commit that changed program/{}/ or data/{}/.\n", text(view.id),
                     text(view.id)))
    return lines([note, table(labels("Date", "Author", "Change", "Version", "Commit"), rows),
                  Md("")])


def overview(view: ProgramView, site: SiteData) -> Md:
    """Overview page of one program."""
    p = view.bundle.program
    assert p is not None
    out = [heading(1, p.title), fmt("{}\n", paragraphs(p.summary)),
           heading(2, "Executive summary"), executive_summary(view, site),
           heading(2, "Chain of impact"),
           chain_section(view.figures.chain, view.bundle.kpis.kpis if view.bundle.kpis else []),
           heading(2, "In this playbook"),
           fmt("{}\n\n{}\n", join((link(words(s.short), s.file) for s in SECTIONS[1:]),
                                   Md(" · ")),
               link(words("Print the whole program as one packet"), PACKET)),
           downloads.links(view),
           heading(2, "People"),
           fmt("{}\n", table(labels("Role", "Name"), [
               [words(ROLE_TITLES[r]), cell(person["name"])]
               for r, person in p.stakeholders.model_dump(exclude_none=True).items()])),
           heading(2, "Pilot"),
           fmt("{} leaders from {}; {} days; comparison group: {}.\n", p.pilot.cohort_size,
               text(", ".join(p.pilot.functions)), p.pilot.duration_days,
               words("yes" if p.pilot.comparison_group else "no"))]
    out.extend(fmt("- {}", text(i)) for i in p.pilot.intervention)
    out.append(Md(""))
    if view.problems:  # findings, pending items, known limitations: none, no section
        out.append(findings_section(view))
    out.append(heading(2, "Change history"))
    out.append(change_history(view, site))
    # printed, the overview is the sign-off packet: close with who signed what
    out.append(heading(2, "Sign-off"))
    out.append(signoff_table(view))
    return fmt("{}\n", lines(out))


def roi_headline(roi: RoiFigures) -> Md:
    """The headline case in one line; with the other case too when they disagree in sign."""
    head, cur = roi.headline, roi.currency
    headline = [fmt("{} case: benefits {} against costs {}", words(
        "first-year" if head.years == 1 else f"{head.years}-year"),
        money(head.benefits, cur), money(head.costs, cur))]
    if head.range is not None:  # the headline is the median of the draws
        headline.append(fmt("; ROI {} (median; P10 {} to P90 {}; P(ROI > 0) {})",
                            percent(head.range.p50), percent(head.range.p10),
                            percent(head.range.p90), chance(head.range)))
    if head.bcr is not None:
        headline.append(fmt(", benefit–cost ratio {}", number(head.bcr, 2)))
    other = roi.sensitivity
    if roi.signs_differ and other.range is not None:
        headline.append(fmt("; the {} case disagrees in sign: ROI {} (median; P10 {} to "
                            "P90 {}), so read both", words(
                                "first-year" if other.years == 1
                                else f"{other.years}-year"),
                            percent(other.range.p50), percent(other.range.p10),
                            percent(other.range.p90)))
    headline.append(fmt("; {}-year TCO {}", roi.horizon_years, money(roi.tco, cur)))
    headline.append(fmt("; payback in month {}", head.payback_month) if head.payback_month
                    else Md("; no costs to pay back") if head.costs <= 0
                    else Md("; no lasting payback within the case"))
    return cat(*headline)
