"""The review comment: per program, what a signer decides on first, then every changed value.

Reads :mod:`.diff` (changed values, stale sign-offs), :mod:`.impact` (winner,
gates, plan, people, money, status) and the data part from :mod:`.datadiff`.
Every value from the pull request goes through :func:`.quoted.text`: GitHub shows
it as written, never as links, images, HTML, mentions, emoji or issue references.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from playbook.pages.mdtext import (
    Md,
    cat,
    code_block,
    fmt,
    join,
    labels,
    lines,
    money,
    number,
    percent,
    table,
    words,
)
from playbook.review.diff import MATERIAL, Change, ChangeKind
from playbook.review.impact import (
    BudgetMove,
    Move,
    ProgramImpact,
    RankedVendor,
    VendorRanking,
)
from playbook.review.quoted import cell, code, heading, text
from playbook.review.signers import SignoffMove, described

NO_DATA: Final = Md("")
"""No data part in the review comment."""
_SCORE_DIGITS: Final = 2


def _show(value: Any) -> Md:
    if value is None:
        return cell(None)
    if isinstance(value, list):
        shown = ", ".join(str(v) for v in value) or "(empty)"
    else:
        shown = " ".join(str(value).split())
    return cell(shown if len(shown) <= 80 else shown[:77] + "…")


def _plain(key: str, value: Any) -> Md:
    """One value of a plan item or a person: a day range as ``91–180``."""
    if key == "days" and isinstance(value, list) and len(value) == 2:
        return fmt("{}–{}", text(value[0]), text(value[1]))
    return _show(value)


def _gate(gate: dict[str, Any]) -> Md:
    bounds = [fmt("≥ {}", number(gate["at_least"], 6))] if "at_least" in gate else []
    if "at_most" in gate:
        bounds.append(fmt("≤ {}", number(gate["at_most"], 6)))
    return join(bounds, Md(" and "))


def _fields(value: dict[str, Any]) -> Md:
    return join((fmt("{} {}", text(k), _plain(k, v)) for k, v in value.items()), Md(", "))


def _move(label: str, m: Move, whole: Callable[[Any], Md]) -> Md:
    """``label item: before → after``; for a mapping, only the keys that changed."""
    head = fmt("- {} {}: ", words(label), code(m.item))
    if m.before is None:
        return cat(head, fmt("added ({})", whole(m.after)))
    if m.after is None:
        return cat(head, fmt("removed (was {})", whole(m.before)))
    if isinstance(m.before, dict) and isinstance(m.after, dict) and whole is _fields:
        keys = [*m.after, *(k for k in m.before if k not in m.after)]
        return cat(head, join((fmt("{} {} → {}", text(k), _plain(k, m.before.get(k)),
                                   _plain(k, m.after.get(k)))
                               for k in keys if m.before.get(k) != m.after.get(k)), Md("; ")))
    return cat(head, fmt("{} → {}", whole(m.before), whole(m.after)))


def _signed(delta: float, shown: Md) -> Md:
    return fmt("+{}", shown) if delta > 0 else fmt("−{}", shown) if delta < 0 else shown


def _budget(b: BudgetMove) -> Md:
    tco = fmt("- Budget: TCO {} → {}", money(b.tco_before, b.currency),
              money(b.tco_after, b.currency))
    if b.tco_delta is not None:
        tco = fmt("{} ({})", tco, _signed(b.tco_delta, money(abs(b.tco_delta), b.currency)))
    if b.roi_delta is not None and abs(b.roi_delta) < 0.05:  # unchanged at the digit shown
        return fmt("{}; {} ROI {}, unchanged", tco, words(b.case), percent(b.roi_after))
    roi = fmt("; {} ROI {} → {}", words(b.case), percent(b.roi_before), percent(b.roi_after))
    if b.roi_delta is not None:
        roi = fmt("{} ({} points)", roi, _signed(b.roi_delta, number(abs(b.roi_delta), 1)))
    return cat(tco, roi)


def leader_line(v: VendorRanking) -> Md:
    """The sentence a changed winner gets, or an empty text."""
    if not v.new_leader:
        return Md("")
    names = [join((text(n) for n in side), Md(" and ")) if side else words("none")
             for side in (v.leaders_after, v.leaders_before)]
    return fmt("**New leading vendor: {} (was {}).**\n", names[0], names[1])


def _rank_cells(r: RankedVendor | None) -> list[Md]:
    if r is None:
        return [cell(None), cell(None)]
    return [cell(r.rank if r.rank is not None else "not ranked"),
            number(r.weighted, _SCORE_DIGITS)]


def _ranking(v: VendorRanking) -> Md:
    """One row per vendor, in the after side's order; vendors gone last."""
    before = {r.vendor_id: r for r in v.before}
    after = {r.vendor_id: r for r in v.after}
    rows = []
    for vid in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(vid), after.get(vid)
        name = next(r.name for r in (b, a) if r is not None)
        rows.append([cell(name), *_rank_cells(a), *_rank_cells(b)])
    return table(labels("Vendor", "Rank before", "Score before", "Rank after", "Score after"),
                 rows)


def impact_part(i: ProgramImpact) -> list[Md]:
    """The decision summary of one program: winner, ranking, then one bullet per move."""
    out: list[Md] = []
    if i.vendors is not None:
        if i.vendors.new_leader:
            out.append(leader_line(i.vendors))
        out.append(fmt("Vendor ranking before and after:\n\n{}\n", _ranking(i.vendors)))
    bullets = [*(_move("KPI status", m, text) for m in i.kpi_status),
               *(_move("Gate", m, _gate) for m in i.gates),
               *(_move("Phase", m, _fields) for m in i.phases),
               *(_move("Milestone", m, _fields) for m in i.milestones),
               *(_move("Stakeholder", m, _fields) for m in i.stakeholders)]
    if i.budget is not None:
        bullets.append(_budget(i.budget))
    if bullets:
        out.append(cat(lines(bullets), Md("\n")))
    return out


def _stale_line(gone: Sequence[dict[str, Any]]) -> Md:
    return fmt("This change makes these sign-offs stale: {}. They must sign again.\n",
               join((text(f"{e['role']} ({e['name']}, {e['date']}, version {e['version']})")
                     for e in gone), Md(", ")))


def _query_diffs(changes: Sequence[Change]) -> list[Md]:
    """Each changed query or lookup file as a unified diff: a sign-off covers its every line."""
    out = []
    for c in changes:
        if c.kind is ChangeKind.DEFINITION and c.field in ("query", "lookup"):
            before, after = (str(v or "").splitlines() for v in (c.before, c.after))
            shown = "\n".join(difflib.unified_diff(before, after, c.file, c.file, lineterm=""))
            out.append(fmt("Changes to {}:\n\n{}", code(c.file), code_block(shown, "diff")))
    return out


def _signoff_line(m: SignoffMove) -> Md:
    e = m.entry
    # the comment does not verify (``playbook check`` does, against allowed_signers)
    signed = ", SSH-signed for the check to verify" if e.get("signature") else ""
    return fmt("- {}: {}, {}, version {}{}, {}", text(e["role"]), text(e["name"]),
               text(e["date"]), text(e["version"]), text(signed),
               text(described(m.origins, "added" if m.added else "removed")))


def signoff_part(moved: Sequence[SignoffMove]) -> list[Md]:
    """Every sign-off the change adds or removes, with the commits git names for it.

    The comment verifies no signature (``playbook check`` does, against
    ``allowed_signers``): an SSH-signed one is said to be signed, and an unsigned
    one unverified, for a reviewer to confirm with the person named.
    """
    out = []
    signed = any(m.added and m.entry.get("signature") for m in moved)
    adds = ("This change adds these sign-offs; an unsigned one is unverified: anyone can "
            "commit a sign-off in another's name." if signed else
            "This change adds these sign-offs, unverified: anyone can commit a sign-off in "
            "another's name.")
    for added, lead in ((True, adds),
                        (False, "This change removes these sign-offs.")):
        mine = [m for m in moved if m.added is added]
        if mine:
            out.append(cat(lines([words(lead), Md(""), *map(_signoff_line, mine)]), Md("\n")))
    return out


def markdown(changes: list[Change], stale: list[tuple[str, dict[str, Any]]],
             impacts: Sequence[ProgramImpact] = (), data: Md = NO_DATA,
             signoffs: Sequence[SignoffMove] = (), late: Mapping[str, str] | None = None) -> Md:
    """The review comment: per program, decision summary, sign-offs, changed values.

    A sign-off covers the definition, so a program is listed when its definition
    or its sign-offs changed; what new data alone moved is the data part
    (``data``, from :func:`playbook.review.datadiff.markdown`), which follows the
    programs.
    """
    by_id = {i.program: i for i in impacts}
    programs = list(dict.fromkeys([*(c.program for c in changes),
                                   *(m.program for m in signoffs)]))
    if not programs:
        if data:
            return lines([Md("No change to any program's definition.\n"), data])
        return Md("No change in meaning to any program.\n")
    order = list(ChangeKind)
    out: list[Md] = []
    for program in programs:
        mine = sorted((c for c in changes if c.program == program),
                      key=lambda c: (order.index(c.kind), c.file, c.field))
        out.append(heading(3, program))
        if program in by_id:
            out.extend(impact_part(by_id[program]))
        out.extend(signoff_part([m for m in signoffs if m.program == program]))
        gone = [e for p, e in stale if p == program]
        if gone:
            out.append(_stale_line(gone))
        if program in (late or {}):
            out.append(fmt("**The forecast changes after the program's start on {}:** a "
                           "forecast changed once data is in is not a forecast. Keep the one "
                           "made before the start, and record a revised expectation in a "
                           "review.\n", text((late or {})[program])))
        if mine:
            out.append(table(labels("Kind", "File", "Field", "Before", "After"),
                             [[words(c.kind), cell(c.file), code(c.field), _show(c.before),
                               _show(c.after)] for c in mine]))
            out.append(Md(""))
        out.extend(_query_diffs(mine))
        if not any(c.field == "version" for c in mine) and any(
                c.kind in MATERIAL for c in mine):
            out.append(Md("The version was not bumped although targets, weights, owners, "
                          "dates, money or a query changed: bump `version` in program.yml.\n"))
    return lines([*out, data] if data else out)
