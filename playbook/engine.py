"""The one orchestrator: files → load → checks → figures, for a build or a command.

Every caller (the MkDocs hooks, ``playbook check``, ``report``, ``pages``) goes
through here, so the stages always run in the same order. The build date is
injected (``PLAYBOOK_TODAY`` or an argument) so the same commit builds the same
site.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from playbook.checks import runner as checks
from playbook.figures import stats
from playbook.figures.program import compute
from playbook.figures.site import ProgramView, SiteData
from playbook.load import loader
from playbook.load.bundle import Playbook
from playbook.model.problems import Problem, Problems, UsageError
from playbook.model.settings import Settings

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


def _checked(folder: Path, root: Path, settings: Settings) -> tuple[None, list[Problem]]:
    """One program's every problem, its bundle dropped (a worker sends back only these)."""
    bundle, found = loader.load_program(folder, root, settings)
    return None, [*found, *checks.run(bundle), *stats.problems(bundle)]


def check_playbook(root: Path, progress: loader.Progress | None = None,
                   workers: int = 1) -> Problems:
    """Every problem of every program, as :func:`load_playbook` finds them, without the
    programs: so they can be found in ``workers`` processes (``playbook check``)."""
    return loader.load_playbook(root, progress, workers, load=_checked)[1]


def load_playbook(root: Path, progress: loader.Progress | None = None) -> tuple[Playbook,
                                                                               Problems]:
    """Load every program under ``root`` and run every check on it.

    Args:
        root: The playbook folder.
        progress: Told as each program is loaded (``playbook check``'s bar on a terminal).

    Returns:
        The programs that loaded and every problem, errors and warnings.
    """
    playbook, problems = loader.load_playbook(root, progress)
    problems.extend(checks.run_all(playbook))
    # attrition and unusable survey values need the figures' statistics, a later stage
    problems.extend(p for bundle in playbook.programs for p in stats.problems(bundle))
    return playbook, problems


def build(root: Path, today: date) -> tuple[SiteData | None, Problems]:
    """Load, check and compute every program.

    Returns:
        The site data (``None`` when any error stands) and every problem.
    """
    playbook, problems = load_playbook(root)
    if problems.errors:
        return None, problems
    views = [ProgramView(bundle, compute(bundle, today)) for bundle in playbook.programs]
    return SiteData(root, today, views), problems
