"""``playbook new``: a valid program folder from the packaged templates."""

from __future__ import annotations

import os
from datetime import date, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from playbook.load.safewrite import write_files
from playbook.model.base import is_id
from playbook.model.chars import escape
from playbook.model.problems import UsageError


class ScaffoldError(UsageError):
    """The scaffold cannot be written; nothing was changed."""


def program_files(program_id: str, start: date) -> dict[str, str]:
    """The files of a new program: ``program/<id>/*.yml``, then its sample data files.

    Args:
        program_id: The new program's id (lowercase kebab-case).
        start: Day 0 of the new program.

    Returns:
        Each file's path relative to the playbook folder, and its text.

    Raises:
        ScaffoldError: The id is not an id of the model.
    """
    if not is_id(program_id):
        raise ScaffoldError(f"'{escape(program_id)}' is not a lowercase kebab-case id "
                            "such as 'decision-velocity'")
    folder = f"program/{program_id}"
    data = f"data/{program_id}"
    values = {
        "id": program_id,
        "title": program_id.replace("-", " ").capitalize(),
        "start": start.isoformat(),
        # a forecast is stated before the start, or it is a finding (forecast-late)
        "forecast_made": (start - timedelta(days=14)).isoformat(),
        "baseline_date": start.isoformat(),
        "target_by": date(start.year + 1, start.month, min(start.day, 28)).isoformat(),
        "behaviour_by": date(start.year + (start.month > 6), (start.month + 5) % 12 + 1,
                             min(start.day, 28)).isoformat(),
    }
    templates = resources.files("playbook") / "templates" / "new"
    rendered: dict[str, str] = {}
    for item in sorted(templates.iterdir(), key=lambda t: t.name):
        if item.name.endswith(".yml"):
            rendered[f"{folder}/{item.name}"] = _render(item, values)
    # the sample exports the KPI templates' sources read, so the new program checks clean
    for item in sorted((templates / "data").iterdir(), key=lambda t: t.name):
        rendered[f"{data}/{item.name}"] = _render(item, values)
    return rendered


def new_program(root: Path, program_id: str, start: date) -> list[Path]:
    """Write ``program/<program_id>/`` (all eight files) and its sample data files.

    Args:
        root: The playbook folder.
        program_id: The new program's id (lowercase kebab-case).
        start: Day 0 of the new program.

    Returns:
        The files written: the program files, then the data files.

    Raises:
        ScaffoldError: The id is not an id of the model, or the program folder or
            a data file already exists.
        WriteRefused: A folder on the way is a link or not a folder; nothing was written.
    """
    rendered = program_files(program_id, start)
    folder = f"program/{program_id}"
    for rel in [folder, *(r for r in rendered if r.startswith(f"data/{program_id}/"))]:
        if os.path.lexists(root / rel):
            raise ScaffoldError(f"{rel} already exists; nothing was changed")
    # never through a link a pull request committed at program/, data/ or below
    write_files(root, [(rel, text.encode("utf-8")) for rel, text in rendered.items()])
    return [root / rel for rel in rendered]


def _render(item: Traversable, values: dict[str, str]) -> str:
    return Template(item.read_text(encoding="utf-8")).substitute(values)
