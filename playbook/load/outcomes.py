"""AI-tool outcome files → outcomes for the four-fifths check.

One row per person (group, selected 1/0) or a summary per group (``count``
people, ``selected`` of them selected). Group labels must be categories, never
names, e-mail addresses or phone numbers.
"""

from __future__ import annotations

from typing import Final

from playbook.load.csv_table import Table
from playbook.load.identifiers import identifying_cell, is_person_id
from playbook.load.observations import Outcome, check_identifiers, columns
from playbook.load.yaml_source import Where
from playbook.model.measure import AiOutcomes
from playbook.model.problems import Problem

SELECTED: Final = frozenset({"1", "true", "yes"})
"""Cells of an outcome's ``selected`` column that mean selected (in any case)."""
NOT_SELECTED: Final = frozenset({"0", "false", "no"})
"""Cells that mean not selected."""


def read_outcomes(table: Table, spec: AiOutcomes, where: Where,
                  problems: list[Problem]) -> list[Outcome]:
    """Read AI-tool outcomes (group, selected) for the four-fifths check (``where``: the
    outcomes in ``ai.yml``), adding what is wrong to ``problems``."""
    check_identifiers(table, where, problems)
    cols = columns(table, {"group": spec.group, "selected": spec.selected}, where, problems)
    if cols is None:
        return []
    if is_person_id(spec.group):
        problems.append(where.at("group").problem(
            f"column '{spec.group}' holds person identifiers; a group label must be a "
            "category", "group outcomes by a category such as gender or age band"))
        return []
    labelled = [(line, cells[cols["group"]]) for line, cells in table.rows
                if identifying_cell(cells[cols["group"]])]
    if labelled:
        problems.append(Problem(table.path, labelled[0][0], cols["group"] + 1,
                                where.at("group").field,
                                f"{len(labelled)} group label(s) in column '{spec.group}' are "
                                "e-mail addresses or phone numbers",
                                "group outcomes by a category such as gender or age band"))
        return []
    if spec.count is not None:
        return _counted_outcomes(table, spec, where, problems)
    out = []
    for line, cells in table.rows:
        raw = cells[cols["selected"]].lower()
        if raw not in SELECTED | NOT_SELECTED:
            problems.append(Problem(table.path, line, cols["selected"] + 1,
                                    where.at("selected").field,
                                    f"'{cells[cols['selected']]}' in column '{spec.selected}' "
                                    "is not 1 or 0"))
            continue
        group = cells[cols["group"]] or None
        out.append(Outcome(group, raw in SELECTED))
    return out


MAX_PEOPLE: Final = 10_000_000
"""Most people an outcome summary may stand for (each becomes one outcome in memory)."""


def _counted_outcomes(table: Table, spec: AiOutcomes, where: Where,
                      problems: list[Problem]) -> list[Outcome]:
    """Outcomes from a summary: ``count`` people per row, ``selected`` of them selected."""
    assert spec.count is not None
    cols = columns(table, {"group": spec.group, "selected": spec.selected,
                           "count": spec.count}, where, problems)
    if cols is None:
        return []
    out: list[Outcome] = []
    for line, cells in table.rows:
        n, chosen = cells[cols["count"]], cells[cols["selected"]]
        if not (n.isdigit() and chosen.isdigit()) or int(chosen) > int(n):
            problems.append(Problem(table.path, line, cols["selected"] + 1,
                                    where.at("selected").field,
                                    f"'{chosen}' selected of '{n}' in columns '{spec.selected}'"
                                    f" and '{spec.count}' is not a count of at most the "
                                    "row's people", "write whole numbers, selected ≤ count"))
            continue
        if len(out) + int(n) > MAX_PEOPLE:
            problems.append(Problem(table.path, line, cols["count"] + 1,
                                    where.at("count").field,
                                    f"the summary stands for more than {MAX_PEOPLE:,} people",
                                    "check the count column"))
            return []
        group = cells[cols["group"]] or None
        out.extend([Outcome(group, True)] * int(chosen))
        out.extend([Outcome(group, False)] * (int(n) - int(chosen)))
    return out
