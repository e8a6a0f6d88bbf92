"""What callers ask of the engine: a site's data, both sides of a review, a report.

Each operation loads through :func:`~playbook.engine.loading.load_playbook`, so
every command meets the same problems for the same files, and computes
figures only for programs that have no error of their own: one program's
mistake never gives another program's figures, and never reaches a figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.engine.cache import BuildCache
from playbook.engine.loading import Progress, collecting_after, load_playbook
from playbook.load.bundle import Bundle, Playbook
from playbook.model.problems import Problem, Problems, UnknownProgramError

if TYPE_CHECKING:  # the figures are imported when computed: `playbook check` needs none
    from playbook.figures.program import ProgramFigures
    from playbook.figures.site import SiteData


def errors_of(problems: Problems, program_id: str) -> list[Problem]:
    """The errors that stop one program: those in its own files (``program/<id>/``,
    ``data/<id>/``) and those of the whole playbook (``playbook.yml``), not another's."""
    return [p for p in problems.errors if _owner(p.path) in (program_id, None)]


def _owner(path: str) -> str | None:
    """The program whose folder holds ``path``; ``None`` for a file of the playbook."""
    top, _, rest = path.partition("/")
    if top in ("program", "data") and rest:
        return rest.partition("/")[0]
    return None


def build(root: Path, today: date, cache: BuildCache | None = None,
          progress: Progress | None = None) -> tuple[SiteData | None, Problems]:
    """Load, check and compute every program.

    Args:
        root: The playbook folder.
        today: The build date.
        cache: Kept between the builds of one process (``mkdocs serve``).
        progress: Told as each program is loaded (a bar on a terminal).

    Returns:
        The site data and every problem. A program with errors of its own is left
        out of the figures and named in ``broken`` with them, so the others are
        still built (``mkdocs serve``, ``playbook pages``; ``mkdocs build`` fails on
        any error all the same); the data is ``None`` only when an error of the
        whole playbook (``playbook.yml``, the folders) stands.
    """
    with collecting_after():
        return _build(root, today, cache, progress)


def _build(root: Path, today: date, cache: BuildCache | None,
           progress: Progress | None) -> tuple[SiteData | None, Problems]:
    if cache is not None:
        cache.hits = 0
    playbook, problems = load_playbook(root, progress, cache.load if cache else None,
                                      today)
    if cache is not None:
        cache.keep_only({bundle.id for bundle in playbook.programs})
    stopped = {_owner(p.path) for p in problems.errors}
    if None in stopped:
        return None, problems
    from playbook.figures.program import compute
    from playbook.figures.site import ProgramView, SiteData

    figures = cache.compute if cache is not None else compute
    views = []
    for done, bundle in enumerate(playbook.programs):
        if progress is not None:
            progress(done, len(playbook.programs), f"{bundle.id}: figures")
        if bundle.id in stopped or bundle.program is None:
            continue
        own = tuple(p for p in problems if _owner(p.path) == bundle.id)
        views.append(ProgramView(bundle, figures(bundle, today), own))
    broken = {pid: tuple(errors_of(problems, pid))
              for pid in sorted(pid for pid in stopped if pid is not None)}
    return SiteData(root, today, views, broken=broken), problems


@dataclass(frozen=True)
class Evaluation:
    """One playbook as the engine judges it on a day: programs, problems and figures."""

    playbook: Playbook
    """The programs that loaded."""
    problems: Problems
    """Every problem of every program: errors, findings and pending items."""
    figures: Mapping[str, ProgramFigures]
    """Program id → figures as of the day, for every program with a definition and
    no error of its own."""


def evaluate(root: Path, today: date) -> Evaluation:
    """Load, check and compute every program that can be computed (a review's side).

    The figures are computed while ``root`` exists: a source may be read lazily.
    """
    from playbook.figures.program import compute

    with collecting_after():
        playbook, problems = load_playbook(root, today=today)
        figures = {b.id: compute(b, today) for b in playbook.programs
                   if b.program is not None and not errors_of(problems, b.id)}
    return Evaluation(playbook, problems, figures)


def program(root: Path, program_id: str) -> tuple[Bundle | None, list[Problem]]:
    """One program loaded and checked, with the errors that stop it (:func:`errors_of`).

    Raises:
        UnknownProgramError: No program has that id (and no error names its files).
    """
    playbook, problems = load_playbook(root)
    bundle = playbook.get(program_id)
    errors = errors_of(problems, program_id)
    if bundle is None and not errors:
        raise UnknownProgramError(program_id, (b.id for b in playbook.programs))
    return bundle, errors


def report(root: Path, program_id: str, today: date) -> dict[str, object] | Problems:
    """Every computed figure of one program as plain JSON data, or its errors.

    Raises:
        UnknownProgramError: No program has that id.
    """
    playbook, problems = load_playbook(root, today=today)
    bundle = playbook.get(program_id)
    if bundle is None:
        raise UnknownProgramError(program_id, (b.id for b in playbook.programs))
    errors = errors_of(problems, program_id)
    if errors:
        return Problems(errors)
    from playbook.figures.program import compute, to_jsonable

    return to_jsonable(compute(bundle, today))
