"""Checks across a program's files: references, sums, order, and domain advice.

Runs after each file validated on its own. Errors are facts that make the
program wrong (a reference that does not resolve, weights off 100); findings
carry the practitioners' guidance from the domain guide (focus, cohort size,
attribution); pending items name the sign-offs still to give. Neither blocks
a build; ``--strict`` counts both.
"""

from __future__ import annotations

from collections.abc import Collection

from playbook.checks import (
    answers,
    contracts,
    costs,
    domain,
    forecasts,
    overlap,
    plausible,
    refs,
)
from playbook.load.bundle import Bundle, Playbook
from playbook.load.reporter import Reporter
from playbook.load.signoffs import states
from playbook.load.sshsig import SignatureState
from playbook.model.findings import PendingCode
from playbook.model.problems import Problem


def run(bundle: Bundle, required: Collection[str] = ()) -> list[Problem]:
    """Run every cross-file check on one loaded program.

    Args:
        bundle: The program.
        required: Roles the publishing policy requires a sign-off of: a missing one
            is pending (a stale one is pending whoever signed it).
    """
    report = Reporter(bundle)
    refs.check(report)
    domain.check(report)
    answers.check(report)
    costs.check(report)
    plausible.check(report)
    forecasts.check(report)
    overlap.check(report)
    contracts.check(report)
    _signoffs(report, required)
    return report.problems


def _signoffs(report: Reporter, required: Collection[str]) -> None:
    """Name the sign-offs whose signed content has changed since, and the required
    ones never given."""
    b = report.bundle
    if b.program is None:
        return
    if any(getattr(b, stem) is None for stem in b.sources):
        return  # a file did not load: its errors come first, the digest would mislead
    signed = {s.role: (s, s.index) for s in states(b) if s.index is not None}
    for s, index in signed.values():
        if s.verification.state is SignatureState.INVALID:
            report.add("program", ("signoff", index, "signature"),
                       f"sign-off by {s.role} ({s.name}, {s.date}) is unverifiable: "
                       f"{s.verification.reason}; it does not count",
                       f"{_sign(b, s.role)} --key <your SSH key>, with your public key "
                       "listed for your handle in allowed_signers",
                       code=PendingCode.SIGNOFF_UNVERIFIABLE, role=s.role)
        elif not s.current:
            report.add("program", ("signoff", index, "digest"),
                       f"sign-off by {s.role} ({s.name}, {s.date}) is stale: the program "
                       "changed after it was signed",
                       f"review with 'playbook diff', then {_sign(b, s.role)}",
                       code=PendingCode.SIGNOFF_STALE, role=s.role)
    for role in required:
        if role not in signed:
            named = getattr(b.program.stakeholders, role, None) is not None
            report.add("program", ("stakeholders", role) if named else (),
                       f"no sign-off by {role}, which the publishing policy requires",
                       f"review the program, then {_sign(b, role)}",
                       code=PendingCode.SIGNOFF_MISSING, role=role)


def _sign(bundle: Bundle, role: str) -> str:
    return f"'playbook sign {bundle.id} --role {role}'"


def run_all(playbook: Playbook) -> list[Problem]:
    """Run every cross-file check on every program of ``playbook``."""
    return [p for bundle in playbook.programs for p in run(bundle, playbook.settings.publish
                                                          .require_signoffs)]
