"""Both sides of a review, loaded once: each revision's programs, problems and figures.

The definition diff (:mod:`.diff` over :mod:`.snapshots`) reads only the
program files; the data diff (:mod:`.datadiff`) and the decision summary
(:mod:`.impact`) need whole programs with their data and figures. Each
revision is written out of git into a temporary folder and evaluated by the
engine as a build is (loaded, checked, computed), so a review judges exactly
what the site would show.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from playbook import engine
from playbook.figures.program import ProgramFigures
from playbook.load.bundle import Playbook
from playbook.load.sshsig import ALLOWED_SIGNERS
from playbook.model.problems import Problems
from playbook.review.git import LINK, blobs, resolve, tree


@dataclass(frozen=True)
class Side:
    """One revision of the playbook: what loaded, what is wrong, and the figures."""

    playbook: Playbook
    problems: Problems
    figures: Mapping[str, ProgramFigures]
    """Program id → figures as of the review date, for every program with a definition
    and no error of its own."""


def materialise(root: Path, commit: str, into: Path) -> None:
    """Write the program and data files of ``commit`` under ``into``, with the playbook's
    settings and ``allowed_signers`` (its policy and keys judge the sign-offs); links are
    left out."""
    wanted: list[tuple[Path, str]] = []
    for name, mode, oid in tree(root, commit, "program", "data", "playbook.yml",
                                ALLOWED_SIGNERS):
        parts = PurePosixPath(name).parts
        if mode == LINK or name.startswith("/") or ".." in parts:
            continue  # the loader reports the file as missing where a source names it
        wanted.append((into.joinpath(*parts), oid))
    destinations: dict[str, list[Path]] = {}
    for dest, oid in wanted:
        destinations.setdefault(oid, []).append(dest)
    for oid, data in blobs(root, destinations):
        for dest in destinations[oid]:  # files alike are one blob
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)


def _side(folder: Path, today: date) -> Side:
    judged = engine.evaluate(folder, today)  # while the folder exists: sources read lazily
    return Side(judged.playbook, judged.problems, judged.figures)


def read_sides(root: Path, base: str | None, head: str | None, today: date) -> tuple[Side, Side]:
    """Load both revisions (``None``: the work tree) with their figures as of ``today``.

    Both sides use the same date, so a status or ROI that moves is moved by the
    change under review, never by the calendar.

    Raises:
        DiffError: A revision is not a commit, or git cannot read it.
    """
    with tempfile.TemporaryDirectory(prefix="playbook-diff-") as tmp:
        sides = []
        for i, rev in enumerate((base, head)):
            folder = root
            if rev is not None:
                folder = Path(tmp) / str(i)
                folder.mkdir()
                materialise(root, resolve(root, rev), folder)
            sides.append(_side(folder, today))
        return sides[0], sides[1]
