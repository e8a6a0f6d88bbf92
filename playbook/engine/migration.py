"""The format version of a playbook, and the steps that bring older ones up to date.

``playbook.yml`` names the version of the program format its files are written
in (``format_version``). A package reads its own version and every older one
that has a step here: ``playbook migrate`` runs the steps in order, each
rewriting the files of one version into the next. Format 1 is the first, so
there is no step yet and a current playbook is left as it is; a version newer
than the package is refused at load (the model's validator), never guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from playbook.load import loader
from playbook.model.problems import Problem, Problems
from playbook.model.settings import FORMAT_VERSION

Step = Callable[[Path], list[str]]
"""One migration: rewrites a playbook of version *n* into *n + 1*; returns the files written."""

STEPS: Final[Mapping[int, Step]] = {}
"""The step from each older format version to the next, by the version it starts from."""


@dataclass(frozen=True)
class Migration:
    """What ``playbook migrate`` found and did."""

    found: int
    """The format version the playbook was written in (``1`` when ``playbook.yml`` names none)."""
    stated: bool
    """Whether ``playbook.yml`` names its ``format_version`` (a new playbook should)."""
    written: tuple[str, ...]
    """The files the steps rewrote, relative to the playbook folder, in order."""
    problems: tuple[Problem, ...]
    """Errors in ``playbook.yml`` that stop a migration (a newer format among them)."""


def migrate(root: Path) -> Migration:
    """Bring the playbook at ``root`` to :data:`FORMAT_VERSION`; nothing is written on errors.

    Raises:
        WriteRefused: A step met a link or a non-folder on its way; it wrote nothing.
    """
    settings, problems = loader.load_settings(root)
    errors = tuple(Problems(problems).errors)
    found = settings.format_version
    if errors:
        return Migration(found, False, (), errors)
    written: list[str] = []
    for version in range(found, FORMAT_VERSION):
        written.extend(STEPS[version](root))
    return Migration(found, "format_version" in settings.model_fields_set, tuple(written), ())
