"""``explain``: the query behind a KPI, as the engine runs it (``playbook explain``).

A ``measure:`` is compiled to one DuckDB query; printing it lets an analyst
check what the declaration means, run it by hand, or start a ``query:`` from
it when the declaration no longer fits (SQL is the escape hatch).
"""

from __future__ import annotations

from pathlib import Path

from playbook.engine.loading import load_playbook
from playbook.load import measure_read
from playbook.load.bundle import Bundle
from playbook.model.problems import Problems, UnknownProgramError, UsageError


class UnknownKpiError(UsageError):
    """A command named a KPI that no program (or not the program named) has."""


def explain(root: Path, kpi_id: str, program_id: str | None = None) -> str | Problems:
    """The query behind KPI ``kpi_id``, or the problems that keep it from compiling.

    Args:
        root: The playbook folder.
        kpi_id: The KPI's id.
        program_id: Its program; needed only when two programs have a KPI of that id.

    Raises:
        UnknownProgramError: No program has ``program_id``.
        UnknownKpiError: No KPI has ``kpi_id``, or several programs do and none is named.
    """
    playbook, _ = load_playbook(root)
    programs = playbook.programs
    if program_id is not None:
        bundle = playbook.get(program_id)
        if bundle is None:
            raise UnknownProgramError(program_id, (b.id for b in programs))
        programs = [bundle]
    found = [(b, i) for b in programs if b.kpis is not None
             for i, k in enumerate(b.kpis.kpis) if k.id == kpi_id]
    if not found:
        raise UnknownKpiError(f"no KPI '{kpi_id}'" + (f" in program '{program_id}'"
                              if program_id else "") + "; known KPIs: " + _known(programs))
    if len(found) > 1:
        raise UnknownKpiError(f"programs {', '.join(b.id for b, _ in found)} each have a KPI "
                              f"'{kpi_id}': name the program (playbook explain PROGRAM "
                              f"{kpi_id})")
    text = measure_read.explain(*found[0])
    return text if isinstance(text, str) else Problems(text)


def _known(programs: list[Bundle]) -> str:
    names = [k.id for b in programs if b.kpis is not None for k in b.kpis.kpis]
    return ", ".join(sorted(set(names))) or "none"
