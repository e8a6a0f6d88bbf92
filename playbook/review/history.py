"""Provenance from git: the commit a site is built from and each program's change history.

Git is optional: a site built from a tarball (no ``.git``, or no ``git``
program) gets an empty :class:`~playbook.figures.provenance.Provenance` and says
"commit: unknown"; nothing here raises. Only commits touching
``program/<id>/`` or ``data/<id>/`` count for a program, and the version at each
is read from that commit's ``program.yml``, so the list shows which version
each change led to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from playbook.figures.provenance import HISTORY_LIMIT, Provenance, Revision
from playbook.load import yaml_source as yamlsrc
from playbook.review.git import DiffError, run_git

_FIELD = "\x1f"
_RECORD = "\x1e"
"""Separators git writes between fields and commits; no name or subject holds them."""


def _git(root: Path, *args: str) -> str | None:
    """Git's output, or ``None`` when git is missing, fails or this is no repository."""
    try:
        done = run_git(root, *args)
    except DiffError:  # no git program: a build from a tarball on a bare machine
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def head_commit(root: Path) -> str | None:
    """The short id of the commit checked out at ``root``, or ``None`` without git."""
    out = _git(root, "rev-parse", "--short", "--verify", "--end-of-options", "HEAD^{commit}")
    return out.strip() or None if out is not None else None


def version_at(root: Path, commit: str, program_id: str) -> str | None:
    """The program's ``version`` in ``commit`` (``None``: unreadable or absent there)."""
    # "./" makes the path relative to root, which may be a folder inside the repository
    out = _git(root, "show", f"{commit}:./program/{program_id}/program.yml")
    if out is None:
        return None
    source, problems = yamlsrc.parse(out, f"program/{program_id}/program.yml")
    data = source.data
    if problems or not isinstance(data, dict) or data.get("version") is None:
        return None
    return str(data["version"])


def program_history(root: Path, program_id: str,
                    limit: int = HISTORY_LIMIT) -> tuple[Revision, ...]:
    """The last ``limit`` commits touching the program's definition or data, newest first."""
    fmt = _FIELD.join(("%h", "%ad", "%an", "%s")) + _RECORD
    out = _git(root, "log", f"-n{limit}", "--date=short", f"--format={fmt}", "--",
               f"program/{program_id}/", f"data/{program_id}/")
    if out is None:
        return ()
    revisions = []
    for record in out.split(_RECORD):
        fields = record.strip("\n").split(_FIELD)
        if len(fields) != 4:
            continue
        commit, day, author, subject = fields
        try:
            when = date.fromisoformat(day)
        except ValueError:
            continue  # a malformed author date in an imported history
        revisions.append(Revision(commit, when, author, subject,
                                  version_at(root, commit, program_id)))
    return tuple(revisions)


def provenance(root: Path, built: date, site_version: str | None,
               program_ids: Iterable[str]) -> Provenance:
    """Everything a build says about its origin; empty parts where git has nothing.

    Args:
        root: The playbook folder (the repository, or a folder inside it).
        built: The build date.
        site_version: The version mike deploys (``None`` for a plain build).
        program_ids: The programs whose history to list.
    """
    commit = head_commit(root)
    if commit is None:
        return Provenance(None, built, site_version)
    return Provenance(commit, built, site_version,
                      {pid: program_history(root, pid) for pid in program_ids})
