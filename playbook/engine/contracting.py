"""``playbook lock`` in the engine: each program's data contract, as its data is now.

Each program is loaded with its contract observed (:mod:`playbook.load.contracts`)
and its lock written out as text, beside the lock committed now. Nothing is
written here: the command writes every changed lock through
:mod:`playbook.load.safewrite`, or, with ``--check``, names the stale ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playbook.engine.loading import load_playbook
from playbook.engine.operations import errors_of
from playbook.load import loader
from playbook.load.bundle import Bundle
from playbook.load.contracts import lock_bytes, lock_path, lock_text
from playbook.model.problems import Problem, Problems, UnknownProgramError
from playbook.model.settings import Settings


@dataclass(frozen=True)
class LockFile:
    """One program's lock: as the data is now, and as committed."""

    program: str
    path: str
    """Where it goes, relative to the playbook root."""
    text: str
    """The lock as the data is now."""
    current: str | None
    """The lock as it is in the folder (``None``: there is none)."""

    @property
    def stale(self) -> bool:
        """Whether the committed lock differs from the data as it is now."""
        return self.text != self.current


def _observing(folder: Path, root: Path, settings: Settings) -> tuple[Bundle, list[Problem]]:
    """A program loaded with its contract observed, lock or not."""
    return loader.load_program(folder, root, settings, observe=True)


def _current(bundle: Bundle, problems: Problems) -> str | None:
    found: list[Problem] = []
    raw = lock_bytes(bundle.root, bundle.id, found)
    problems.extend(found)
    try:
        return raw.decode("utf-8") if raw is not None else None
    except UnicodeDecodeError:
        return ""  # not text: it is written anew


def lock(root: Path, program_ids: Sequence[str] = ()) -> tuple[list[LockFile], Problems]:
    """The lock of each program (default: every program that reads data).

    Returns:
        The locks, and the errors that stop them (of the programs asked for): a
        program with an error gets no lock, as a build gets no figures.

    Raises:
        UnknownProgramError: A program asked for does not exist.
    """
    playbook, found = load_playbook(root, load=_observing)
    known = [b.id for b in playbook.programs]
    for pid in program_ids:
        if pid not in known and not errors_of(found, pid):
            raise UnknownProgramError(pid, known)
    problems, out = Problems(), []
    for bundle in playbook.programs:
        if program_ids and bundle.id not in program_ids:
            continue
        errors = errors_of(found, bundle.id)
        if errors:
            problems.extend(errors)
            continue
        current = _current(bundle, problems)
        observed = bundle.observed
        if observed is None or (not observed.inputs and current is None):
            continue  # reads no data: nothing to lock
        out.append(LockFile(bundle.id, lock_path(bundle.id), lock_text(bundle.id, observed),
                            current))
    return out, problems
