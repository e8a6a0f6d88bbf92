"""Acknowledged findings: a program's ``acknowledgements:`` applied to its findings.

Runs last on a program, over every problem its files, checks and statistics
gave: a finding an acknowledgement names (code, file and field) is marked
acknowledged until the acknowledgement's last day, and shown as a known
limitation; after that day it is a plain finding again, its hint saying
when the acknowledgement expired. An acknowledgement that names no finding
is a finding itself, so one left behind after the data improved is cleaned up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from playbook.load.bundle import Bundle
from playbook.load.reporter import Reporter
from playbook.model.findings import FindingCode
from playbook.model.problems import Acknowledged, Problem, Severity
from playbook.model.program import Acknowledgement


def apply(bundle: Bundle, problems: list[Problem], today: date) -> list[Problem]:
    """Return ``problems`` with the program's acknowledgements applied on ``today``.

    Args:
        bundle: The program, whose ``program.yml`` holds the acknowledgements.
        problems: Every problem of the program's files.
        today: The day expiry is judged on (the engine's build date).

    Returns:
        The same problems in the same order, acknowledged findings marked, expired
        ones hinted, then one finding per acknowledgement that matches nothing.
    """
    acks = bundle.program.acknowledgements if bundle.program is not None else []
    if not acks:
        return problems
    used: set[int] = set()
    out = []
    for problem in problems:
        index = _match(acks, problem)
        if index is not None:
            used.add(index)
            problem = _applied(acks[index], problem, today)
        out.append(problem)
    report = Reporter(bundle)
    for i, ack in enumerate(acks):
        if i not in used:
            where = f"{ack.file} {ack.field}".rstrip()
            report.add("program", ("acknowledgements", i),
                       f"acknowledgement of {ack.code} at {where} matches no finding",
                       "remove it if the finding is gone, or copy the code, file and field "
                       "from 'playbook check'", code=FindingCode.ACKNOWLEDGEMENT_UNMATCHED)
    return out + report.problems


def _match(acks: list[Acknowledgement], problem: Problem) -> int | None:
    if problem.severity is not Severity.FINDING:
        return None
    return next((i for i, a in enumerate(acks) if a.code == problem.code
                 and a.file == problem.path and a.field == problem.field), None)


def _applied(ack: Acknowledgement, problem: Problem, today: date) -> Problem:
    if ack.until >= today:
        return replace(problem, acknowledged=Acknowledged(ack.until, ack.accepted_by,
                                                          ack.reason))
    expired = f"its acknowledgement held until {ack.until.isoformat()}"
    return replace(problem, hint=f"{problem.hint}; {expired}" if problem.hint else expired)
