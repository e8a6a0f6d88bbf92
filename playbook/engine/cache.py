"""Programs kept between the builds of one process (``mkdocs serve``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.engine.loading import checked
from playbook.load import digest
from playbook.load.bundle import Bundle
from playbook.model.problems import Problem
from playbook.model.settings import Settings

if TYPE_CHECKING:  # the figures are imported when computed: `playbook check` needs none
    from playbook.figures.program import ProgramFigures


@dataclass(frozen=True)
class _Loaded:
    """One program as a build loaded it, and what it read (:class:`BuildCache`)."""

    settings: str
    """``playbook.yml`` as it was read (its validated settings, as JSON)."""
    folders: str
    """The digest of the program's own two folders before the load."""
    looked_up: frozenset[str]
    """Every other file the load looked up, wherever in the playbook."""
    looked_up_digest: str
    """Their digest just after the load."""
    bundle: Bundle
    """The program as loaded."""
    problems: tuple[Problem, ...]
    """Every problem its load, checks and statistics found."""


@dataclass
class BuildCache:
    """Programs loaded, checked and computed by earlier builds of this process.

    Each program is kept under the digest of its files and of ``playbook.yml``
    (:mod:`playbook.load.digest`): a save reloads and recomputes only the
    program it changed, and a program is never served from a stale entry.
    """

    loaded: dict[str, _Loaded] = field(default_factory=dict)
    """Program id → the program as loaded, with what it read."""
    computed: dict[str, tuple[Bundle, date, ProgramFigures]] = field(default_factory=dict)
    """Program id → (the bundle computed, build date, its figures)."""
    hits: int = 0
    """Programs served from the cache by the last build (the tests read it)."""

    def load(self, folder: Path, root: Path, settings: Settings) -> tuple[Bundle, list[Problem]]:
        """Load and check a program, unless every file it read is as it was last time."""
        settings_json = settings.model_dump_json()
        folders = digest.program_digest(root, folder.name)
        kept = self.loaded.get(folder.name)
        if kept is not None and (kept.settings, kept.folders) == (settings_json, folders) \
                and digest.files_digest(kept.looked_up, root) == kept.looked_up_digest:
            self.hits += 1
            return kept.bundle, list(kept.problems)
        with digest.recording() as looked_up:
            bundle, found = checked(folder, root, settings)
        outside = digest.outside(looked_up, root, folder.name)
        # a save while loading: what was read may be older than any digest taken now
        if digest.program_digest(root, folder.name) == folders:
            self.loaded[folder.name] = _Loaded(settings_json, folders, frozenset(outside),
                                               digest.files_digest(outside, root), bundle,
                                               tuple(found))
        else:
            self.loaded.pop(folder.name, None)
        return bundle, found

    def compute(self, bundle: Bundle, today: date) -> ProgramFigures:
        """:func:`compute`, unless this very bundle was computed for ``today`` before."""
        kept = self.computed.get(bundle.id)
        if kept is not None and kept[0] is bundle and kept[1] == today:
            return kept[2]
        from playbook.figures.program import compute

        figures = compute(bundle, today)
        self.computed[bundle.id] = (bundle, today, figures)
        return figures

    def keep_only(self, ids: set[str]) -> None:
        """Forget programs that are gone, so memory follows the playbook."""
        for table in (self.loaded, self.computed):
            for gone in set(table) - ids:
                del table[gone]


