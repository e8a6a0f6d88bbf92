"""Problems found in a user's files: located, collected, rendered once.

Loaders and checks append :class:`Problem` objects to a :class:`Problems` list
instead of raising, so one run reports every error at once. The CLI and the
MkDocs hook render the list and decide what to do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path


class PlaybookError(Exception):
    """Base of every error the engine raises on purpose; the CLI catches it once.

    The message is written for the person at the terminal; ``exit_code`` is what
    the command exits with (1: the files are wrong, 2: the command was misused).
    """

    exit_code: int = 1


class UsageError(PlaybookError):
    """The command line asked for something that does not exist or is malformed."""

    exit_code = 2


class UnknownProgramError(UsageError, KeyError):
    """A command or macro named a program that the playbook does not have."""

    def __init__(self, program_id: str, known: Iterable[str]) -> None:
        names = ", ".join(known) or "none"
        super().__init__(f"unknown program '{program_id}'; known programs: {names}")

    def __str__(self) -> str:
        # KeyError would quote the message; this one is meant to be read
        return str(self.args[0])


class Severity(StrEnum):
    """How bad a problem is: errors stop the build, warnings are advice."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a user's files, where it is and how to fix it."""

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        tail = f" ({self.hint})" if self.hint else ""
        label = "" if self.severity is Severity.ERROR else "warning: "
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {label}{what}{self.message}{tail}"

    def as_dict(self) -> dict[str, object]:
        """Return the problem as plain JSON-ready data."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass
class Problems:
    """An ordered collection of problems from one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build."""
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are advice only (errors under ``--strict``)."""
        return [p for p in self.items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        """Problems in file, line, column order (stable for equal places)."""
        return sorted(self.items, key=lambda p: (p.path, p.line, p.column))

    def render(self) -> str:
        """Render every problem, one per line, in file order."""
        return "\n".join(str(p) for p in self.sorted())

    def to_json(self) -> str:
        """Render every problem as a JSON document for machines."""
        payload = {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.as_dict() for p in self.sorted()],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)


def _workflow_escape(text: str, *, prop: bool = False) -> str:
    # GitHub workflow commands percent-encode these, or the message is cut short
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_annotations(problems: Problems) -> str:
    """Render problems as GitHub Actions annotations, shown on the pull request's diff."""
    lines = []
    for p in problems.sorted():
        level = "error" if p.severity is Severity.ERROR else "warning"
        title = _workflow_escape(p.field or "playbook", prop=True)
        message = p.message + (f" ({p.hint})" if p.hint else "")
        lines.append(f"::{level} file={_workflow_escape(p.path, prop=True)},line={p.line},"
                     f"col={p.column},title={title}::{_workflow_escape(message)}")
    return "\n".join(lines)


def display_path(path: Path, root: Path | None) -> str:
    """Return ``path`` relative to ``root`` when possible, with forward slashes."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
