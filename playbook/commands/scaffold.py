"""``playbook new``: a valid program folder from the packaged templates."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from playbook.model.problems import UsageError

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(UsageError):
    """The scaffold cannot be written; nothing was changed."""


def new_program(root: Path, program_id: str, start: date) -> list[Path]:
    """Write ``program/<program_id>/`` (all eight files) and a sample data file.

    Args:
        root: The playbook folder.
        program_id: The new program's id (lowercase kebab-case).
        start: Day 0 of the new program.

    Returns:
        The files written: the program files, then the data file.

    Raises:
        ScaffoldError: The id is not kebab-case, or the program folder or the data file
            already exists.
    """
    if not ID_PATTERN.match(program_id):
        raise ScaffoldError(f"'{program_id}' is not a lowercase kebab-case id "
                            "such as 'decision-velocity'")
    folder = root / "program" / program_id
    data = root / "data" / program_id
    values = {
        "id": program_id,
        "title": program_id.replace("-", " ").capitalize(),
        "start": start.isoformat(),
        "baseline_date": start.isoformat(),
        "target_by": date(start.year + 1, start.month, min(start.day, 28)).isoformat(),
        "behaviour_by": date(start.year + (start.month > 6), (start.month + 5) % 12 + 1,
                             min(start.day, 28)).isoformat(),
    }
    templates = resources.files("playbook") / "templates" / "new"
    rendered: dict[Path, str] = {}
    for item in sorted(templates.iterdir(), key=lambda t: t.name):
        if item.name.endswith(".yml"):
            rendered[folder / item.name] = _render(item, values)
    # the sample export the KPI template's source reads, so the new program checks clean
    for item in sorted((templates / "data").iterdir(), key=lambda t: t.name):
        rendered[data / item.name] = _render(item, values)
    for path in [folder, *(p for p in rendered if p.parent == data)]:
        if path.exists():
            raise ScaffoldError(f"{path.as_posix()} already exists; nothing was changed")
    folder.mkdir(parents=True)
    data.mkdir(parents=True, exist_ok=True)
    for path, text in rendered.items():
        path.write_text(text, encoding="utf-8")
    return list(rendered)


def _render(item: Traversable, values: dict[str, str]) -> str:
    return Template(item.read_text(encoding="utf-8")).substitute(values)
