"""What several commands share: the playbook folder, the build date, the package version."""

from __future__ import annotations

from datetime import date
from importlib import metadata
from pathlib import Path

from playbook.engine import today_from_env
from playbook.model.problems import PlaybookError, UsageError

DISTRIBUTION = "mkdocs-playbook"
"""The installed package whose version ``--version`` prints (and ``make deploy`` publishes)."""


def version() -> str:
    """The installed package's version, from its metadata (one source: ``pyproject.toml``).

    Raises:
        PlaybookError: The package is not installed (run from a bare source tree), so
            no version can be named; guessing one would mislabel a published site.
    """
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise PlaybookError(f"the '{DISTRIBUTION}' package is not installed; "
                            "run 'pip install -e .' to give it a version") from exc


def day_option(value: str | None) -> date:
    """``value`` as a date, else the build date.

    Raises:
        UsageError: ``value`` (or ``PLAYBOOK_TODAY``) is not a date.
    """
    try:
        return date.fromisoformat(value) if value else today_from_env()
    except ValueError as exc:
        raise UsageError(f"bad date: {exc}") from exc


def playbook_folder(value: str, *, create: bool = False) -> Path:
    """The playbook folder a command works in.

    Named on the command line, it must be a folder (unless the command makes it:
    ``create``). Left at its default (``.``), it is the nearest folder holding
    ``program/``, from the working folder up, as git finds its repository from a
    subfolder; with none, the working folder itself.

    Raises:
        UsageError: A named folder does not exist or is not a folder.
    """
    folder = Path(value)
    if value != ".":
        if not create and not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise UsageError(f"the playbook folder '{value}' {what}")
        return folder
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / "program").is_dir():
            return candidate if candidate != here else folder
    return folder
