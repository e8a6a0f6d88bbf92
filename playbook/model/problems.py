"""Problems found in a user's files: located, collected, rendered once.

Loaders and checks append :class:`Problem` objects to a :class:`Problems` list
instead of raising, so one run reports every error at once. The CLI and the
MkDocs hook render the list and decide what to do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Final

from playbook.model.chars import escape, unsafe_character
from playbook.model.findings import FindingCode


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
    """What a problem means, the same in ``check``, the site, the comment and the build."""

    ERROR = "error"
    """The program is wrong: nothing is built from it and ``playbook check`` exits 1."""
    FINDING = "finding"
    """A true fact about the data or the design (attrition above the threshold, the
    practitioners' advice): shown on the site, in the comment and in ``check``; it
    never blocks, unless the publishing policy asks for it to be acknowledged."""
    PENDING = "pending"
    """Something a person still has to do (a sign-off missing or stale): shown, a
    status of its own; it blocks only what the publishing policy says."""
    NOTICE = "notice"
    """A fact a reviewer must weigh that no edit can fix (a sign-off no one can verify yet):
    shown, never blocking, and not counted even by ``check --strict``."""


@dataclass(frozen=True)
class Acknowledged:
    """How a program accepted one finding: until when, by which role, and why."""

    until: date
    """The last day the acknowledgement holds."""
    role: str
    """The role that accepted the finding."""
    reason: str
    """Why the finding is accepted (escaped, as every text of a problem is)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", escape(self.reason))


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
    code: str = ""
    """A finding's or pending item's stable code (:mod:`playbook.model.findings`)."""
    role: str = ""
    """For a pending sign-off: the role that is to sign."""
    acknowledged: Acknowledged | None = None
    """For a finding the program acknowledged: how (shown as a known limitation)."""

    def __post_init__(self) -> None:
        for name in ("path", "field", "message", "hint"):
            text = getattr(self, name)
            if isinstance(text, str):
                object.__setattr__(self, name, escape(text))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        tail = f" ({self.hint})" if self.hint else ""
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {self.label}{what}{self.message}{tail}"

    @property
    def label(self) -> str:
        """What starts the problem's text after its place: its kind and code (none for
        an error), ``acknowledged … until …`` for an acknowledged finding."""
        if self.severity is Severity.ERROR:
            return ""
        code = f" {self.code}" if self.code else ""
        if self.acknowledged is not None:
            return (f"acknowledged{code} until {self.acknowledged.until.isoformat()} "
                    f"by {self.acknowledged.role}: ")
        return f"{self.severity.value}{code}: "

    def as_dict(self) -> dict[str, object]:
        """Return the problem as plain JSON-ready data."""
        data = asdict(self)
        data["severity"] = self.severity.value
        if self.acknowledged is not None:
            data["acknowledged"] = {"until": self.acknowledged.until.isoformat(),
                                    "role": self.acknowledged.role,
                                    "reason": self.acknowledged.reason}
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
    def findings(self) -> list[Problem]:
        """The findings no acknowledgement covers (``check --strict`` counts them)."""
        return [p for p in self.items
                if p.severity is Severity.FINDING and p.acknowledged is None]

    @property
    def pending(self) -> list[Problem]:
        """What people still have to do (``check --strict`` counts it)."""
        return [p for p in self.items if p.severity is Severity.PENDING]

    @property
    def acknowledged(self) -> list[Problem]:
        """The findings an acknowledgement covers today: known limitations."""
        return [p for p in self.items if p.acknowledged is not None]

    def counts(self) -> str:
        """``1 error(s), 2 finding(s), 0 pending, 1 acknowledged``: the summary line's tail."""
        told = f", {len(self.notices)} notice(s)" if self.notices else ""
        return (f"{len(self.errors)} error(s), {len(self.findings)} finding(s), "
                f"{len(self.pending)} pending, {len(self.acknowledged)} acknowledged{told}")

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
            "findings": len(self.findings),
            "pending": len(self.pending),
            "acknowledged": len(self.acknowledged),
            "notices": len(self.notices),
            "problems": [p.as_dict() for p in self.sorted()],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)


def _workflow_escape(text: str, *, prop: bool = False) -> str:
    # GitHub workflow commands percent-encode these, or the message is cut short
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


ANNOTATION_LEVELS: Final = MappingProxyType({
    Severity.ERROR: "error", Severity.FINDING: "warning", Severity.PENDING: "notice",
    Severity.NOTICE: "notice"})
"""The GitHub annotation level of each kind of problem (an acknowledged finding: notice)."""


def github_annotations(problems: Problems, blocking: Collection[Problem] = ()) -> str:
    """Render problems as GitHub Actions annotations, shown on the pull request's diff.

    Each kind has its level (:data:`ANNOTATION_LEVELS`); a problem in ``blocking``
    (what the publishing policy blocks on here) is an error whatever its kind.
    """
    lines = []
    for p in problems.sorted():
        level = "error" if p in blocking else \
            "notice" if p.acknowledged else ANNOTATION_LEVELS[p.severity]
        title = _workflow_escape(p.field or "playbook", prop=True)
        message = p.label + p.message + (f" ({p.hint})" if p.hint else "")
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
        An error for a control character, a finding for a bidirectional
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
                   Severity.FINDING, FindingCode.BIDI_CHARACTER)


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
