"""Checks across a program's files: references, sums, order, and domain advice.

Runs after each file validated on its own. Errors are facts that make the
program wrong (a reference that does not resolve, weights off 100); warnings
carry the practitioners' guidance from the domain guide (focus, cohort size,
attribution) and become errors under ``--strict``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from playbook.model.problems import Problem, Severity
from playbook.load.yaml_source import Path_, format_loc

if TYPE_CHECKING:
    from playbook.load.loader import Bundle

_NUMBER = re.compile(r"\d")
_TIME_BOUND = re.compile(
    r"\b(within|in|over|by|before|after|inside)\s+(the\s+)?(next\s+|first\s+)?"
    r"(\d+|one|two|three|four|six|nine|twelve|eighteen|a)\s*-?\s*(days?|weeks?|months?|"
    r"quarters?|years?)\b|\bby\s+(\d{4}|q[1-4]|(the\s+)?end\s+of|[a-z]+\s+\d{4})"
    r"|\byear[- ]over[- ]year\b|\b20\d\d\b|\bper\s+(quarter|year)\b",
    re.IGNORECASE,
)


class Reporter:
    """Builds located problems for one program's files."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.problems: list[Problem] = []

    def add(self, stem: str, loc: Path_, message: str, hint: str = "", *,
            warning: bool = False, key: bool = False) -> None:
        """Record a problem at ``loc`` in ``<stem>.yml``."""
        source = self.bundle.sources.get(stem)
        line, column = source.where(loc, key=key) if source else (1, 1)
        path = source.path if source else self.bundle.path_of(stem)
        severity = Severity.WARNING if warning else Severity.ERROR
        self.problems.append(Problem(path, line, column, format_loc(loc), message, hint,
                                     severity))

    def unknown(self, stem: str, loc: Path_, what: str, value: str,
                known: Iterable[str], *, key: bool = False) -> None:
        """Record a reference to an id that does not exist (``key``: the id is a key)."""
        names = sorted(set(known))
        hint = ("known: " + ", ".join(names)) if names else f"no {what} is defined yet"
        self.add(stem, loc, f"unknown {what} '{value}'", hint, key=key)

    def unique(self, stem: str, loc: Path_, ids: list[str], what: str) -> None:
        """Record every id that appears more than once in a list."""
        seen: set[str] = set()
        for i, value in enumerate(ids):
            if value in seen:
                self.add(stem, (*loc, i, "id"), f"duplicate {what} id '{value}'",
                         "ids must be unique within their list")
            seen.add(value)


def run(bundle: Bundle) -> list[Problem]:
    """Run every cross-file check on one loaded program."""
    from playbook.checks import domain as checks_domain
    from playbook.checks import refs as checks_refs

    report = Reporter(bundle)
    checks_refs.check(report)
    checks_domain.check(report)
    _signoffs(report)
    return report.problems


def _signoffs(report: Reporter) -> None:
    """Warn about sign-offs whose signed content has changed since."""
    from playbook.review.signoff import states

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


def outcome_is_measurable(text: str) -> tuple[bool, bool]:
    """Return whether an outcome statement has a number and a time bound."""
    return bool(_NUMBER.search(text)), bool(_TIME_BOUND.search(text))
