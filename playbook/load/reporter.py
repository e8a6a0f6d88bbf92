"""Builds located problems for one program's files: every check, and the figures' own
statistical findings, write through it."""

from __future__ import annotations

from collections.abc import Iterable

from playbook.load.bundle import Bundle
from playbook.load.yaml_source import Path_, format_loc
from playbook.model.findings import FindingCode, PendingCode
from playbook.model.problems import Problem, Severity


def severity_of(code: FindingCode | PendingCode | None) -> Severity:
    """The kind of problem a code names: a finding, a pending item, or (none) an error."""
    if isinstance(code, FindingCode):
        return Severity.FINDING
    return Severity.PENDING if isinstance(code, PendingCode) else Severity.ERROR


class Reporter:
    """Builds located problems for one program's files."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.problems: list[Problem] = []

    def add(self, stem: str, loc: Path_, message: str, hint: str = "", *,
            code: FindingCode | PendingCode | None = None, role: str = "",
            key: bool = False) -> None:
        """Record a problem at ``loc`` in ``<stem>.yml``: an error, or with ``code`` a
        finding or a pending item (``role``: the role a pending sign-off waits for)."""
        source = self.bundle.sources.get(stem)
        line, column = source.where(loc, key=key) if source else (1, 1)
        path = source.path if source else self.bundle.path_of(stem)
        self.problems.append(Problem(path, line, column, format_loc(loc), message, hint,
                                     severity_of(code), code or "", role))

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
