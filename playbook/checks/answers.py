"""Learning-evaluation answers → problems: an NPS KPI's rows must be 0–10 answers.

Runs with the other cross-file checks (:mod:`playbook.checks.runner`) once the
observations are read. A Learning NPS counts each answer as a promoter, passive
or detractor; a 7.5, an 11 or a −1 is no answer to a 0–10 question and would
land in some category without a word, so it is an error, and nothing is built.
"""

from __future__ import annotations

from typing import Final

from playbook.load.reporter import Reporter
from playbook.model.choices import Measure
from playbook.model.measure import NPS_ANSWERS

SHOWN: Final = 5
"""Most offending rows a problem lists; the count says how many there are."""


def is_answer(value: float) -> bool:
    """Whether ``value`` is a whole number on the NPS question's 0–10 scale."""
    low, high = NPS_ANSWERS
    return float(value).is_integer() and low <= value <= high


def check(report: Reporter) -> None:
    """Report, once per NPS KPI, the rows whose value is no 0–10 answer."""
    plan = report.bundle.kpis
    if plan is None:
        return
    for i, kpi in enumerate(plan.kpis):
        if kpi.measure is not Measure.NPS or kpi.source is None:
            continue
        bad = [o for o in report.bundle.series.get(kpi.id, []) if not is_answer(o.value)]
        if not bad:
            continue
        rows = ", ".join(f"{o.value:g}" + (f" at line {o.line}" if o.line else "")
                         for o in bad[:SHOWN])
        more = f" and {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
        low, high = NPS_ANSWERS
        report.add("kpis", ("kpis", i, "measure"),
                   f"KPI '{kpi.id}' is an NPS of {low}–{high} answers, but "
                   f"{kpi.source.origin} has {len(bad)} other value"
                   f"{'s' if len(bad) > 1 else ''}: {rows}{more}",
                   f"each row is one person's whole-number answer from {low} to {high}")
