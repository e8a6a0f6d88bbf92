"""What a change means for a signer's decision: winner, gates, plan, people, money, status.

Sits beside :mod:`.diff` (every changed value) and reads both sides of
:mod:`.sides`. Where the value diff says "weights.coaching 25 → 15", this says
"new leading vendor: Stridewise (was Meridian)"; where it lists budget lines,
this gives the TCO and ROI they add up to. Values stay plain data (numbers,
ids, the model's own dicts); :mod:`.comment` formats them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any

from playbook.figures.program import ProgramFigures
from playbook.load.bundle import Bundle
from playbook.review.sides import Side

_SAME = 1e-9
"""Figures closer than this are unchanged (float noise from a reordered sum)."""


@dataclass(frozen=True)
class RankedVendor:
    """One vendor on one side of the change."""

    vendor_id: str
    name: str
    rank: int | None
    """Competition rank among vendors passing every gate; ``None``: not ranked."""
    weighted: float


@dataclass(frozen=True)
class VendorRanking:
    """The scorecard before and after, and who leads on each side."""

    before: tuple[RankedVendor, ...]
    after: tuple[RankedVendor, ...]
    leaders_before: tuple[str, ...]
    """Names of every vendor sharing rank 1 before (empty: none passes the gates)."""
    leaders_after: tuple[str, ...]

    @property
    def new_leader(self) -> bool:
        """Whether the change moves who leads: the fact a signer must not miss."""
        return self.leaders_before != self.leaders_after


@dataclass(frozen=True)
class Move:
    """One named thing before and after; ``None`` on the side where it does not exist."""

    item: str
    before: Any
    after: Any


@dataclass(frozen=True)
class BudgetMove:
    """The budget's totals before and after."""

    currency: str
    tco_before: float | None
    tco_after: float | None
    roi_before: float | None
    """The headline case's ROI in percent (``None``: no costs, or no budget)."""
    roi_after: float | None
    case: str
    """Which case the headline is after the change (``first-year`` or ``multi-year``)."""

    @property
    def tco_delta(self) -> float | None:
        """TCO after less before, when both exist."""
        if self.tco_before is None or self.tco_after is None:
            return None
        return self.tco_after - self.tco_before

    @property
    def roi_delta(self) -> float | None:
        """Headline ROI after less before, in percentage points, when both exist."""
        if self.roi_before is None or self.roi_after is None:
            return None
        return self.roi_after - self.roi_before


@dataclass(frozen=True)
class ProgramImpact:
    """Everything about one program a signer decides on; empty parts are unchanged."""

    program: str
    vendors: VendorRanking | None
    gates: tuple[Move, ...]
    phases: tuple[Move, ...]
    milestones: tuple[Move, ...]
    stakeholders: tuple[Move, ...]
    budget: BudgetMove | None
    kpi_status: tuple[Move, ...]

    @property
    def empty(self) -> bool:
        """Whether nothing a signer decides on moved."""
        return not (self.vendors or self.gates or self.phases or self.milestones
                    or self.stakeholders or self.budget or self.kpi_status)


def _moves(before: dict[str, Any], after: dict[str, Any]) -> tuple[Move, ...]:
    """A :class:`Move` per key whose value differs, in the after side's order."""
    keys = [*after, *(k for k in before if k not in after)]
    return tuple(Move(k, before.get(k), after.get(k)) for k in keys
                 if before.get(k) != after.get(k))


def _ranking(figures: ProgramFigures | None) -> tuple[tuple[RankedVendor, ...], tuple[str, ...]]:
    v = figures.vendors if figures else None
    if v is None:
        return (), ()
    names = {s.vendor_id: s.name for s in v.scores}
    return (tuple(RankedVendor(s.vendor_id, s.name, s.rank, s.weighted) for s in v.scores),
            tuple(names[i] for i in (v.tied_top or ([v.top] if v.top else []))))


def _vendors(was: ProgramFigures | None, now: ProgramFigures | None) -> VendorRanking | None:
    before, leaders_before = _ranking(was)
    after, leaders_after = _ranking(now)
    same = len(before) == len(after) and all(
        (a.vendor_id, a.rank) == (b.vendor_id, b.rank) and abs(a.weighted - b.weighted) <= _SAME
        for a, b in zip(before, after, strict=True))
    if same and leaders_before == leaders_after:
        return None
    return VendorRanking(before, after, leaders_before, leaders_after)


def _plan(bundle: Bundle | None) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Gates (``phase / kpi``), phases and milestones of a roadmap as plain data."""
    if bundle is None or bundle.roadmap is None:
        return {}, {}, {}
    r = bundle.roadmap.model_dump(mode="json", exclude_none=True)
    gates = {f"{p['id']} / {g.pop('kpi')}": g for p in r["phases"] for g in p.pop("gate", [])}
    phases = {p.pop("id"): p for p in r["phases"]}
    milestones = {m.pop("id"): m for m in r["milestones"]}
    return gates, phases, milestones


def _people(bundle: Bundle | None) -> dict[str, Any]:
    if bundle is None or bundle.program is None:
        return {}
    return dict(bundle.program.stakeholders.model_dump(mode="json", exclude_none=True))


def _same(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is y
    return abs(x - y) <= _SAME


def _budget(was: ProgramFigures | None, now: ProgramFigures | None) -> BudgetMove | None:
    a, b = (was.roi if was else None), (now.roi if now else None)
    if a is None and b is None:
        return None
    pair = [(r.tco, r.headline.central_pct) if r else (None, None) for r in (a, b)]
    (tco_a, roi_a), (tco_b, roi_b) = pair
    if _same(tco_a, tco_b) and _same(roi_a, roi_b):
        return None
    shown = b or a
    assert shown is not None  # one side has a budget (checked above)
    return BudgetMove(shown.currency, tco_a, tco_b, roi_a, roi_b, shown.headline.kind.value)


def _status(was: ProgramFigures | None, now: ProgramFigures | None,
            skip: Collection[str]) -> tuple[Move, ...]:
    if was is None or now is None:
        return ()
    return tuple(Move(k, was.kpis[k].status.value, f.status.value)
                 for k, f in now.kpis.items() if k in was.kpis and k not in skip
                 and was.kpis[k].status != f.status)


def compare(base: Side, head: Side,
            data_changed: Collection[tuple[str, str]] = ()) -> list[ProgramImpact]:
    """What moved for each program on either side, in id order; unchanged ones left out.

    Args:
        base: The revision compared from.
        head: The revision compared to.
        data_changed: ``(program, kpi)`` pairs whose observations changed: the data
            part of the review reports their status, so it is not repeated here.
    """
    out = []
    ids = sorted({b.id for b in base.playbook.programs} | {b.id for b in head.playbook.programs})
    for pid in ids:
        old, new = base.playbook.get(pid), head.playbook.get(pid)
        was, now = base.figures.get(pid), head.figures.get(pid)
        (g0, p0, m0), (g1, p1, m1) = _plan(old), _plan(new)
        impact = ProgramImpact(pid, _vendors(was, now), _moves(g0, g1), _moves(p0, p1),
                               _moves(m0, m1), _moves(_people(old), _people(new)),
                               _budget(was, now),
                               _status(was, now, {k for p, k in data_changed if p == pid}))
        if not impact.empty:
            out.append(impact)
    return out


def to_json(impact: ProgramImpact) -> dict[str, Any]:
    """``impact`` as JSON-ready data, with the derived facts a bot would test for."""
    out = asdict(impact)
    if impact.vendors is not None:
        out["vendors"]["new_leader"] = impact.vendors.new_leader
    if impact.budget is not None:
        out["budget"].update(tco_delta=impact.budget.tco_delta,
                             roi_delta=impact.budget.roi_delta)
    return out
