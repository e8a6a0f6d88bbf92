"""The one orchestrator: files → load → checks → figures, for a build or a command.

Every caller (the MkDocs hooks, ``playbook check``, ``report``, ``pages``) goes
through here, so the stages always run in the same order. The build date is
injected (``PLAYBOOK_TODAY`` or an argument) so the same commit builds the same
site.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.checks import runner as checks
from playbook.figures import privacy, stats
from playbook.load import digest, loader
from playbook.load.bundle import Bundle, Playbook
from playbook.model.problems import Problem, Problems, UsageError
from playbook.model.settings import Settings

if TYPE_CHECKING:  # the figures are imported when computed: `playbook check` needs none
    from playbook.figures.program import ProgramFigures
    from playbook.figures.site import SiteData

TODAY_ENV = "PLAYBOOK_TODAY"


class TodayError(UsageError, ValueError):
    """``PLAYBOOK_TODAY`` is set but is not an ISO date."""


def today_from_env(default: date | None = None) -> date:
    """The build date: ``PLAYBOOK_TODAY`` when set, else ``default`` or the clock."""
    raw = os.environ.get(TODAY_ENV, "").strip()
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise TodayError(f"{TODAY_ENV}='{raw}' is not a date YYYY-MM-DD") from exc
    return default or date.today()


@contextmanager
def collecting_after() -> Iterator[None]:
    """Run the block without Python's cycle collector; it runs again after.

    Loading keeps every row it reads alive until the figures are computed, and
    each automatic full collection walks all of them again: 8 s of a build at 2
    million rows, 2 s at 200 small programs. The load and the figures leave no
    reference cycles behind (``tests/test_build_cache.py`` holds them to it), so
    memory is freed as it was, by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _checked(folder: Path, root: Path, settings: Settings) -> tuple[Bundle, list[Problem]]:
    """One program loaded, with every problem of its files, checks and statistics."""
    bundle, found = loader.load_program(folder, root, settings)
    # attrition and unusable survey values need the figures' statistics, a later stage
    return bundle, [*found, *checks.run(bundle), *stats.problems(bundle),
                    *privacy.problems(bundle)]


def _problems_only(folder: Path, root: Path, settings: Settings) -> tuple[None, list[Problem]]:
    """One program's every problem, its bundle dropped (a worker sends back only these)."""
    return None, _checked(folder, root, settings)[1]


def check_playbook(root: Path, progress: loader.Progress | None = None,
                   workers: int = 1) -> Problems:
    """Every problem of every program, as :func:`load_playbook` finds them, without the
    programs: so they can be found in ``workers`` processes (``playbook check``)."""
    with collecting_after():
        return loader.load_playbook(root, progress, workers, load=_problems_only)[1]


def load_playbook(root: Path, progress: loader.Progress | None = None,
                  cache: BuildCache | None = None) -> tuple[Playbook, Problems]:
    """Load every program under ``root`` and run every check on it.

    Args:
        root: The playbook folder.
        progress: Told as each program is loaded (``playbook check``'s bar on a terminal).
        cache: Programs loaded by an earlier call (``mkdocs serve``): only those whose
            files changed are loaded again.

    Returns:
        The programs that loaded and every problem, errors and warnings.
    """
    return loader.load_playbook(root, progress, load=cache.load if cache else _checked)


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
        """:func:`_checked`, unless every file the program read is as it was last time."""
        settings_json = settings.model_dump_json()
        folders = digest.program_digest(root, folder.name)
        kept = self.loaded.get(folder.name)
        if kept is not None and (kept.settings, kept.folders) == (settings_json, folders) \
                and digest.files_digest(kept.looked_up, root) == kept.looked_up_digest:
            self.hits += 1
            return kept.bundle, list(kept.problems)
        with digest.recording() as looked_up:
            bundle, found = _checked(folder, root, settings)
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


def build(root: Path, today: date, cache: BuildCache | None = None,
          progress: loader.Progress | None = None) -> tuple[SiteData | None, Problems]:
    """Load, check and compute every program.

    Args:
        root: The playbook folder.
        today: The build date.
        cache: Kept between the builds of one process (``mkdocs serve``).
        progress: Told as each program is loaded (a bar on a terminal).

    Returns:
        The site data (``None`` when any error stands) and every problem.
    """
    with collecting_after():
        return _build(root, today, cache, progress)


def _build(root: Path, today: date, cache: BuildCache | None,
           progress: loader.Progress | None) -> tuple[SiteData | None, Problems]:
    if cache is not None:
        cache.hits = 0
    playbook, problems = load_playbook(root, progress, cache=cache)
    if cache is not None:
        cache.keep_only({bundle.id for bundle in playbook.programs})
    if problems.errors:
        return None, problems
    from playbook.figures.program import compute
    from playbook.figures.site import ProgramView, SiteData

    figures = cache.compute if cache is not None else compute
    views = []
    for done, bundle in enumerate(playbook.programs):
        if progress is not None:
            progress(done, len(playbook.programs), f"{bundle.id}: figures")
        views.append(ProgramView(bundle, figures(bundle, today)))
    return SiteData(root, today, views), problems
