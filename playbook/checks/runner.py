"""Checks across a program's files: references, sums, order, and domain advice.

Runs after each file validated on its own. Errors are facts that make the
program wrong (a reference that does not resolve, weights off 100); warnings
carry the practitioners' guidance from the domain guide (focus, cohort size,
attribution) and become errors under ``--strict``.
"""

from __future__ import annotations

from playbook.checks import answers, costs, domain, overlap, refs
from playbook.load.bundle import Bundle, Playbook
from playbook.load.reporter import Reporter
from playbook.load.signoffs import states
from playbook.model.problems import Problem


def run(bundle: Bundle) -> list[Problem]:
    """Run every cross-file check on one loaded program."""
    report = Reporter(bundle)
    refs.check(report)
    domain.check(report)
    answers.check(report)
    costs.check(report)
    overlap.check(report)
    _signoffs(report)
    return report.problems


def _signoffs(report: Reporter) -> None:
    """Warn about sign-offs whose signed content has changed since."""
    b = report.bundle
    if b.program is None or not b.program.signoff:
        return
    if any(getattr(b, stem) is None for stem in b.sources):
        return  # a file did not load: its errors come first, the digest would mislead
    for s in states(b):
        if s.index is not None and not s.current:
            report.add("program", ("signoff", s.index, "digest"),
                       f"sign-off by {s.role} ({s.name}, {s.date}) is stale: the program "
                       "changed after it was signed",
                       f"review with 'playbook diff', then 'playbook sign {b.id} --role "
                       f"{s.role}'", warning=True)


def run_all(playbook: Playbook) -> list[Problem]:
    """Run every cross-file check on every program of ``playbook``."""
    return [p for bundle in playbook.programs for p in run(bundle)]
