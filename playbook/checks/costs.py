"""The fully loaded cost checklist of ``budget.yml`` (Phillips: costs are fully loaded).

Runs with the other cross-file checks; the ROI figures read the same list, so
the budget page and ``playbook check`` name the same missing categories. A
budget without participants' time looks cheaper than it is, and its ROI higher:
that must never pass silently.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from playbook.load.reporter import Reporter
from playbook.model.findings import FindingCode
from playbook.model.money import missing_loaded_costs

LABELS: Final = MappingProxyType({"participant_time": "participants' time",
                                  "measurement": "measurement", "operations": "operations"})
"""How each checklist category reads in a sentence."""


def check(report: Reporter) -> None:
    """Warn once, at ``costs``, when ``budget.yml`` leaves out checklist categories."""
    budget = report.bundle.budget
    if budget is None:
        return
    missing = missing_loaded_costs(budget)
    if missing:
        names = ", ".join(LABELS[c] for c in missing[:-1])
        listed = f"{names} or {LABELS[missing[-1]]}" if names else LABELS[missing[0]]
        report.add("budget", ("costs",),
                   f"costs are not fully loaded: no cost for {listed}, so the ROI is "
                   "overstated",
                   "add a line per year with category "
                   + ", ".join(f"'{c}'" for c in missing), code=FindingCode.COSTS_NOT_LOADED)
