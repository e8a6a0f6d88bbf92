"""The portfolio at a glance, for a site's home page: one row per program.

A sponsor landing on the home page sees each program's status, its next
milestone, its ROI range and what needs attention, without opening the
portfolio page. Hand-written pages opt in with ``render_macros: true`` and call
``{{ portfolio_summary() }}`` (:mod:`playbook.pages.macros`). Every value is
read from the figures the engine computed; nothing is computed here.
"""

from __future__ import annotations

from collections import Counter

from playbook.figures.attention import concerns
from playbook.figures.site import ProgramView, SiteData
from playbook.figures.timeline import next_open
from playbook.pages.mdtext import Md, chip, fmt, join, labels, link, percent, table, text
from playbook.pages.measure import STATUS_LABELS
from playbook.pages.portfolio import CHIP_STATE, CONCERN_LABELS
from playbook.pages.site_pages import PROGRAMS_DIR as PROGRAMS


def _kpis(view: ProgramView) -> Md:
    """How many KPIs are in each status, in the order the KPI pages list statuses (chips)."""
    counts = Counter(f.status for f in view.figures.kpis.values())
    if not counts:
        return Md("no KPIs yet")
    order = list(STATUS_LABELS)
    return join((chip(status, f"{n} {STATUS_LABELS.get(status, status).lower()}")
                 for status, n in sorted(counts.items(), key=lambda kv: order.index(kv[0])
                                         if kv[0] in order else len(order))),
                Md(" "))


def _milestone(view: ProgramView) -> Md:
    nxt = next_open(view.milestones)
    if nxt is None:
        return Md("none open")
    return fmt("{} {} (due {})", chip(nxt.state),
               link(text(nxt.deliverable), f"{PROGRAMS}/{view.id}/roadmap.md"), nxt.due)


def _roi(view: ProgramView) -> Md:
    roi = view.figures.roi
    if roi is None:
        return Md("no budget yet")
    head = roi.headline.range
    if head is None:
        return Md("not estimable")
    return fmt("{} to {} (median {})", percent(head.p10), percent(head.p90),
               percent(head.p50))


def _attention(view: ProgramView) -> Md:
    found = concerns(view.figures)
    if not found:
        return Md("nothing")
    return join((chip(CHIP_STATE[c.kind], CONCERN_LABELS[c.kind]) for c in found), Md(" "))


def portfolio_summary(site: SiteData) -> Md:
    """Every program in one table: status, KPIs, next milestone, ROI range, attention.

    The links are relative to the site root: call it from a page there, such as
    ``docs/index.md`` (a page elsewhere gets broken links, which a strict build reports).
    """
    if not site.programs:
        return Md("No programs yet.\n")
    rows = []
    for v in site.programs:
        p = v.bundle.program
        assert p is not None
        rows.append([link(text(p.title), f"{PROGRAMS}/{v.id}/index.md"),
                     fmt("{} · {}", text(p.status), _kpis(v)), _milestone(v),
                     _roi(v), _attention(v)])
    return fmt("{}\n", table(labels("Program", "Status", "Next milestone",
                                    "ROI (P10 to P90)", "Needs attention"), rows))
