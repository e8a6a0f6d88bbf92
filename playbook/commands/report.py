"""``playbook report``: every computed figure of one program, as JSON.

Flow: playbook folder → :func:`playbook.load.loader.load_playbook` → checks →
:func:`playbook.figures.program.compute` → :func:`playbook.figures.program.to_jsonable` → text.
The JSON holds the same objects the site shows, so a number on a page can be
traced to the report.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from playbook.engine import load_playbook
from playbook.figures.program import compute, to_jsonable
from playbook.model.problems import Problems


def run(root: Path, program_id: str, today: date) -> tuple[int, str]:
    """Compute one program's figures and render them as JSON.

    Args:
        root: The playbook folder.
        program_id: Id of the program to report on.
        today: The day the figures are for.

    Returns:
        ``(0, json)`` on success; ``(1, errors)`` when the playbook has errors;
        ``(2, message)`` when no program has that id.
    """
    playbook, problems = load_playbook(root)
    bundle = playbook.get(program_id)
    if bundle is None:
        known = ", ".join(b.id for b in playbook.programs) or "none"
        return 2, f"unknown program '{program_id}'; known programs: {known}"
    if problems.errors:
        return 1, Problems(problems.errors).render()
    figures = to_jsonable(compute(bundle, today))
    return 0, json.dumps(figures, indent=2, ensure_ascii=False, allow_nan=False)
