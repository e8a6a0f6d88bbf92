"""Loading with every check: the only way a caller gets programs and their problems.

A program is loaded (:mod:`playbook.load`), checked across its files
(:mod:`playbook.checks`), given the statistics findings only the figures'
stage can tell (attrition, unusable survey values) and last its
acknowledgements applied on the build date, always in that order, so every
command and the build see the same problems for the same files.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from pathlib import Path

from playbook.checks import acknowledged, reviews_due
from playbook.checks import runner as checks
from playbook.engine.today import today_from_env
from playbook.figures import design, privacy, stats
from playbook.load import loader
from playbook.load.bundle import Bundle, Playbook
from playbook.model.problems import Problem, Problems, Severity
from playbook.model.settings import Publish, Settings

Progress = loader.Progress
"""Told as each program is loaded: ``(done, total, what)``."""



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


def checked(folder: Path, root: Path, settings: Settings) -> tuple[Bundle, list[Problem]]:
    """One program loaded, with every problem of its files, checks and statistics."""
    bundle, found = loader.load_program(folder, root, settings)
    # attrition and unusable survey values need the figures' statistics, a later stage;
    # the design findings come from the assessment the strategy page shows
    return bundle, [*found, *checks.run(bundle, settings.publish.require_signoffs),
                    *stats.problems(bundle), *privacy.problems(bundle),
                    *design.problems(bundle)]


Notes = Callable[[Bundle], list[Problem]]
"""More problems of a loaded program that only a command asks for (``playbook check``
asks git who committed each sign-off; a build does not)."""


def _acknowledging(load: loader.Loader, today: date, folder: Path, root: Path,
                   settings: Settings) -> tuple[Bundle | None, list[Problem]]:
    """``load``, then its overdue reviews and acknowledgements on ``today`` (after any
    cache: whether a review is overdue or an acknowledgement holds depends on the day,
    not on the files)."""
    bundle, found = load(folder, root, settings)
    if bundle is None:
        return bundle, found
    if not any(p.severity is Severity.ERROR for p in found):  # else its errors come first
        found = [*found, *reviews_due.problems(bundle, today)]
    return bundle, acknowledged.apply(bundle, found, today)


def _problems_only(today: date, notes: Notes | None, policy: Publish | None, folder: Path,
                   root: Path, settings: Settings) -> tuple[None, list[Problem]]:
    """One program's every problem, its bundle dropped (a worker sends back only these)."""
    if policy is not None:
        settings = settings.model_copy(update={"publish": policy})
    bundle, found = _acknowledging(checked, today, folder, root, settings)
    return None, [*found, *notes(bundle)] if notes is not None and bundle is not None \
        else found


def check_playbook(root: Path, progress: loader.Progress | None = None,
                   workers: int = 1, today: date | None = None,
                   notes: Notes | None = None, policy: Publish | None = None) -> Problems:
    """Every problem of every program, as :func:`load_playbook` finds them, without the
    programs: so they can be found in ``workers`` processes (``playbook check``).

    Args:
        root: The playbook folder.
        progress: Told as each program is loaded.
        workers: Processes to load programs in.
        today: Judges whether each acknowledgement still holds (default:
            :func:`~playbook.engine.today.today_from_env`).
        notes: Adds problems of each loaded program (a module-level function: it is
            sent to the worker processes).
        policy: Judges the sign-offs by this publishing policy instead of the one in
            ``root``'s ``playbook.yml`` (a pull request's sign-off status reads the
            base revision's: a pull request cannot loosen what it must meet).
    """
    load = partial(_problems_only, today or today_from_env(), notes, policy)
    with collecting_after():
        return loader.load_playbook(root, progress, workers, load=load)[1]


def load_playbook(root: Path, progress: loader.Progress | None = None,
                  load: loader.Loader | None = None,
                  today: date | None = None) -> tuple[Playbook, Problems]:
    """Load every program under ``root`` and run every check on it.

    Args:
        root: The playbook folder.
        progress: Told as each program is loaded (``playbook check``'s bar on a terminal).
        load: Loads and checks one program folder; :func:`checked` unless a build cache
            (``mkdocs serve``) serves programs whose files did not change.
        today: The day each acknowledgement is judged on; default:
            :func:`~playbook.engine.today.today_from_env`.

    Returns:
        The programs that loaded and every problem: errors, findings, pending items.
    """
    return loader.load_playbook(root, progress, load=partial(
        _acknowledging, load or checked, today or today_from_env()))
