"""Problems found in a user's files: located, collected, rendered once.

Loaders and checks append :class:`Problem` objects to a :class:`Problems` list
instead of raising, so one run reports every error at once. The CLI and the
MkDocs hook render the list and decide what to do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from playbook.model.chars import escape, unsafe_character


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
    """The files are wrong: the site is not built and ``playbook check`` exits 1."""
    WARNING = "warning"
    """Practitioners' advice: shown, and an error only under ``--strict``."""
    NOTICE = "notice"
    """A fact a reviewer must weigh that no edit can fix (a sign-off no one can verify yet):
    shown, and never an error, not even under ``--strict``."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a user's files, where it is and how to fix it.

    Its texts often quote the files (a value, a key, a file name): control and
    bidirectional characters and newlines in them are stored escaped
    (``\\x9b``), so no problem line can move the cursor, reorder itself, forge
    another line or a CI workflow command.
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        for name in ("path", "field", "message", "hint"):
            text = getattr(self, name)
            if isinstance(text, str):
                object.__setattr__(self, name, escape(text))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        tail = f" ({self.hint})" if self.hint else ""
        label = "" if self.severity is Severity.ERROR else f"{self.severity.value}: "
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

    @property
    def notices(self) -> list[Problem]:
        """Facts for a reviewer that are never errors."""
        return [p for p in self.items if p.severity is Severity.NOTICE]

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
            "notices": len(self.notices),
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
        level = p.severity.value  # ::error, ::warning and ::notice are the commands
        title = _workflow_escape(p.field or "playbook", prop=True)
        message = p.message + (f" ({p.hint})" if p.hint else "")
        lines.append(f"::{level} file={_workflow_escape(p.path, prop=True)},line={p.line},"
                     f"col={p.column},title={title}::{_workflow_escape(message)}")
    return "\n".join(lines)


def character_problem(text: str, path: str, line: int, column: int, field: str,
                      what: str = "", *, line_breaks: bool = False) -> Problem | None:
    """Return the problem of a text holding a control or bidirectional character.

    Args:
        text: The text (a YAML value or key, a CSV cell or column name).
        path: How to name the file.
        line: Where the text stands (1-based).
        column: Where the text stands (1-based).
        field: The field the text belongs to.
        what: What the text is, to start the message ("key ", "cell ").
        line_breaks: Allow carriage returns, the file's own line breaks.

    Returns:
        An error for a control character, a warning for a bidirectional
        formatting character, ``None`` for clean text.
    """
    found = unsafe_character(text, line_breaks=line_breaks)
    if found is None:
        return None
    code, control = found
    if control:
        return Problem(path, line, column, field,
                       f"{what}contains the control character {code}", "remove it")
    return Problem(path, line, column, field,
                   f"{what}contains the bidirectional formatting character {code}",
                   "remove it: it makes text display in another order than it is stored",
                   Severity.WARNING)


def display_path(path: Path, root: Path | None) -> str:
    """Return ``path`` relative to ``root`` when possible, with forward slashes.

    A path under ``root`` is shown as written, a symlink by its own name (not
    its target's): the user knows the link, and a target outside ``root`` must
    not be named.
    """
    if root is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside, or a symlink loop
            pass
    return path.as_posix()
