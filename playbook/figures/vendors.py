"""Vendor evaluation → weighted scores, must-have gates, ranks and weight sensitivity.

Sits between ``vendors.yml`` and the pages. Rules:

* Weighted score = Σ weight × score / 100, on the 1–5 scale (a criterion a
  vendor has no score for counts 0; the checker reports it as an error).
* Only clause ``yes`` passes a gate; a gate missing from a vendor's clauses
  fails. A vendor failing any gate is not ranked.
* Ranks are competition ranks (1, 1, 3) over the passing vendors by weighted
  score, scores equal within ``TIE`` sharing a rank. ``top`` is the first
  rank-1 vendor in file order; ``tied_top`` lists every rank-1 vendor.
* Sensitivity: each criterion's weight moves by ±``SHIFT`` points (clipped to
  0..total) while the other weights are rescaled proportionally so the total
  is unchanged (equally, when they are all 0). A shift ``changes`` the result
  when the set of rank-1 vendors differs from the unshifted one.
"""

from __future__ import annotations

from dataclasses import dataclass

from playbook.model.choices import Clause
from playbook.model.money import Vendor, Vendors

SHIFT = 5
"""Points each weight moves in the sensitivity check."""
TIE = 1e-9
"""Weighted scores closer than this are a tie."""


@dataclass(frozen=True)
class VendorScore:
    """One vendor's weighted score, gates and rank."""

    vendor_id: str
    """Id of the vendor in ``vendors.yml``."""
    name: str
    """Name shown on the scorecard."""
    weighted: float
    """Σ weight × score / 100, on the 1–5 scale (a missing score counts 0)."""
    passed: bool
    """Whether the vendor answers ``yes`` to every must-have gate."""
    failed_gates: list[str]
    """Gates the vendor does not answer ``yes``, in the file's order."""
    rank: int | None
    """Competition rank (1, 1, 3) among the vendors passing every gate; None when a gate fails."""


@dataclass(frozen=True)
class WeightShift:
    """The top vendor after moving one criterion's weight."""

    criterion_id: str
    """Id of the criterion whose weight moves."""
    delta: int
    """Points added to its weight (−5 or +5); the other weights are rescaled to keep the total."""
    top_vendor: str | None
    """Id of the first rank-1 vendor after the shift; None when no vendor passes every gate."""
    changes: bool
    """Whether the rank-1 vendors differ from those without the shift."""
    leaders: list[str] | None = None
    """Ids of every vendor sharing rank 1 after the shift."""


@dataclass(frozen=True)
class VendorFigures:
    """The scorecard and how robust its winner is."""

    scores: list[VendorScore]
    """Every vendor's score: ranked ones by rank, then unranked ones by weighted score."""
    top: str | None
    """Id of the first rank-1 vendor in file order; None when no vendor passes every gate."""
    shifts: list[WeightShift]
    """One per criterion and direction (±5 weight points); empty with a single criterion."""
    stable: bool
    """Whether no weight shift changes the rank-1 vendors."""
    tied_top: list[str] | None = None
    """Ids of every vendor sharing rank 1 (one id when there is no tie)."""


def weighted_score(vendor: Vendor, weights: dict[str, float]) -> float:
    """Return Σ weight × score / 100 for ``vendor`` under ``weights``."""
    return sum(w * vendor.scores.get(cid, 0.0) for cid, w in weights.items()) / 100


def shifted_weights(weights: dict[str, float], criterion: str,
                    delta: float) -> dict[str, float]:
    """Move one weight by ``delta`` and rescale the others to keep the total.

    Args:
        weights: Criterion id → weight.
        criterion: The criterion whose weight moves.
        delta: Points to add (negative to remove).

    Returns:
        New weights with the same total.
    """
    total = sum(weights.values())
    new = min(total, max(0.0, weights[criterion] + delta))
    others = {c: w for c, w in weights.items() if c != criterion}
    rest, left = sum(others.values()), total - new
    out = {c: (w * left / rest if rest > 0 else left / len(others)) for c, w in others.items()}
    out[criterion] = new
    return {c: out[c] for c in weights}


def _ranks(vendors: list[Vendor], passed: set[str],
           weights: dict[str, float]) -> dict[str, int]:
    scored = sorted(((weighted_score(v, weights), v.id) for v in vendors if v.id in passed),
                    key=lambda x: -x[0])
    ranks: dict[str, int] = {}
    for i, (score, vid) in enumerate(scored):
        same = i > 0 and abs(scored[i - 1][0] - score) <= TIE
        ranks[vid] = ranks[scored[i - 1][1]] if same else i + 1
    return ranks


def _top(vendors: list[Vendor], ranks: dict[str, int]) -> list[str]:
    return [v.id for v in vendors if ranks.get(v.id) == 1]


def vendor_figures(vendors: Vendors) -> VendorFigures:
    """Score, gate and rank the vendors; test the winner against ±5-point weight shifts.

    Args:
        vendors: The parsed ``vendors.yml``.

    Returns:
        Scores (ranked first by rank, then unranked by weighted score), the top
        vendor and one :class:`WeightShift` per criterion and direction.
    """
    weights = {c.id: c.weight for c in vendors.criteria}
    failed = {v.id: [g for g in vendors.gate_ids() if v.clauses.get(g) is not Clause.YES]
              for v in vendors.vendors}
    passed = {vid for vid, gates in failed.items() if not gates}
    ranks = _ranks(vendors.vendors, passed, weights)
    scores = [VendorScore(v.id, v.name, weighted_score(v, weights), v.id in passed,
                          failed[v.id], ranks.get(v.id)) for v in vendors.vendors]
    scores.sort(key=lambda s: (s.rank is None, s.rank or 0, -s.weighted))
    top = _top(vendors.vendors, ranks)
    shifts = []
    if len(weights) > 1:
        for c in vendors.criteria:
            for delta in (-SHIFT, SHIFT):
                moved = _top(vendors.vendors,
                             _ranks(vendors.vendors, passed, shifted_weights(weights, c.id,
                                                                             delta)))
                shifts.append(WeightShift(c.id, delta, moved[0] if moved else None,
                                          moved != top, moved))
    return VendorFigures(scores, top[0] if top else None, shifts,
                         not any(s.changes for s in shifts), top)
