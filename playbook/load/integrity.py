"""A source's observations → the same without duplicates, and what is wrong between rows.

Runs at the end of :func:`playbook.load.observations.read_series`, once every row
has been read on its own. A row can be well formed and still wrong next to the
others: one duplicate row of a 360 survey moved a difference-in-differences from
0.381 to 0.338 without a word. So:

- a second observation of the same subject and wave (of the same subject and
  date without waves; of the same date and group in an aggregate series) with
  another value is an error at its line, naming the first; it is left out of
  the observations, so no figure counts it twice;
- the same observation again (the whole row exported twice, a classic survey-tool
  artifact) is read once, with a finding: it changes no figure, and blocking a
  whole playbook on it would stop the monthly cycle for a fact nobody can fix;
- a subject in both the pilot and the comparison group is an error at the first
  row where its group changes;
- a post wave dated before the same subject's pre wave is a finding.

Like bad cells, each kind of problem is reported once per file, with its lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Protocol, TypeVar

from playbook.model.findings import FindingCode
from playbook.model.problems import Problem, Severity


class Row(Protocol):
    """The fields of an observation that are checked here.

    :class:`playbook.load.observations.Observation` has them; it imports this
    module, so its type is described here rather than imported.
    """

    @property
    def date(self) -> date: ...
    @property
    def group(self) -> str | None: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def wave(self) -> str | None: ...
    @property
    def value(self) -> float: ...
    @property
    def people(self) -> int | None: ...
    @property
    def line(self) -> int: ...


R = TypeVar("R", bound=Row)

Key = tuple[str, date | str | None, date | str | None]
"""What makes an observation unique in its series (see :func:`_key`)."""


def check(observations: Sequence[R], path: str, field: str,
          columns: dict[str, int]) -> tuple[list[R], list[Problem]]:
    """Check the observations of one source against each other.

    Args:
        observations: The source's observations, in the order of their rows.
        path: How to name the data file in problems (``table.path``).
        field: The source in the YAML file (``kpis[2].source``).
        columns: The 0-based position of each mapped column (``date``, ``value``,
            ``group``, ``subject``, ``wave``) in the file.

    Returns:
        The observations without later duplicates, and the problems found,
        each kind summarised into one problem per file.
    """
    kept, duplicates, repeats = _without_duplicates(observations, path, field, columns)
    problems = summarise(duplicates, "duplicate rows")
    problems += summarise(repeats, "rows exported twice")
    problems += summarise(_group_switches(observations, path, field, columns),
                          "subjects in both groups")
    problems += summarise(_waves_out_of_order(kept, path, field, columns),
                          "post waves dated before their pre wave")
    return kept, problems


def lines_shown(lines: Sequence[int]) -> str:
    """The lines of a summarised problem: the first three and the last (``2, 3, 4 … 337``)."""
    shown = ", ".join(map(str, lines[:3]))
    return shown + (f" … {lines[-1]}" if len(lines) > 3 else "")


def summarise(found: list[Problem], what: str) -> list[Problem]:
    """One problem for many of a kind in one file: a file needs one fix, not 336 lines.

    Args:
        found: Problems of one kind in one file, in line order.
        what: What they are, in the plural (``duplicate rows``).

    Returns:
        ``found`` itself when it holds at most one problem, else the first
        problem with a message counting them all and listing their lines.
    """
    if len(found) < 2:
        return found
    first = found[0]
    return [replace(first, message=f"{len(found)} {what} (lines "
                    f"{lines_shown([p.line for p in found])}); the first: {first.message}")]


def _key(o: Row) -> Key:
    """Subject and wave (or date) in a person-level series; date and group in an aggregate."""
    if o.subject is not None:
        return ("subject", o.subject, o.wave if o.wave is not None else o.date)
    return ("date", o.date, o.group)


def _duplicate(o: Row, first: Row) -> str:
    """What a duplicate of ``first`` repeats, in the words of its kind of series."""
    at = f"(first at line {first.line})"
    if o.subject is not None and o.wave is not None:
        return f"a second {o.wave} wave row for this subject {at}"
    if o.subject is not None:
        return f"a second row for this subject on {o.date.isoformat()} {at}"
    if o.group is not None:
        return f"a second value for {o.date.isoformat()} in group {o.group} {at}"
    return f"a second value for {o.date.isoformat()} {at}"


def _without_duplicates(observations: Sequence[R], path: str, field: str,
                        columns: dict[str, int]) -> tuple[list[R], list[Problem], list[Problem]]:
    """The observations with each key once (the first row wins), the later rows' errors,
    and the findings of rows that repeat an earlier one exactly (read once)."""
    first: dict[Key, R] = {}
    kept: list[R] = []
    problems: list[Problem] = []
    repeats: list[Problem] = []
    for o in observations:
        key = _key(o)
        if key not in first:
            first[key] = o
            kept.append(o)
            continue
        column = "subject" if o.subject is not None else "date"
        seen = first[key]
        if _same(o, seen):
            repeats.append(Problem(path, o.line, 1, f"{field}.{column}",
                                   f"the same row as line {seen.line}: read once",
                                   "an export that repeats rows: remove the repeat, or leave "
                                   "it, it counts once", Severity.FINDING,
                                   FindingCode.ROW_REPEATED))
            continue
        problems.append(Problem(path, o.line, columns[column] + 1, f"{field}.{column}",
                                _duplicate(o, seen),
                                "keep one of the rows: this one is left out of every figure"))
    return kept, problems, repeats


def _same(o: Row, first: Row) -> bool:
    """Whether ``o`` repeats ``first`` in every field read (its line aside)."""
    return (o.date, o.value, o.group, o.subject, o.wave, o.people) == (
        first.date, first.value, first.group, first.subject, first.wave, first.people)


def _group_switches(observations: Sequence[Row], path: str, field: str,
                    columns: dict[str, int]) -> list[Problem]:
    """An error at the first row where a subject's group changes, once per subject."""
    if "subject" not in columns or "group" not in columns:
        return []
    first: dict[str, Row] = {}
    switched: set[str] = set()
    problems = []
    for o in observations:
        if o.subject is None or o.group is None:
            continue
        seen = first.setdefault(o.subject, o)
        if seen.group != o.group and o.subject not in switched:
            switched.add(o.subject)
            problems.append(Problem(
                path, o.line, columns["group"] + 1, f"{field}.group",
                f"this subject is in the {o.group} group here and in the {seen.group} group "
                f"at line {seen.line}",
                "a person is in one group: fix the group or the subject id"))
    return problems


def _waves_out_of_order(observations: Sequence[Row], path: str, field: str,
                        columns: dict[str, int]) -> list[Problem]:
    """A finding at each post wave dated before the same subject's pre wave."""
    if "subject" not in columns or "wave" not in columns:
        return []
    pre = {o.subject: o for o in observations if o.wave == "pre"}  # one each: deduplicated
    problems = []
    for o in observations:
        before = pre.get(o.subject)
        if o.wave == "post" and before is not None and o.date < before.date:
            problems.append(Problem(
                path, o.line, columns["date"] + 1, f"{field}.date",
                f"post wave dated {o.date.isoformat()} is before this subject's pre wave "
                f"dated {before.date.isoformat()} (line {before.line})",
                "check the dates and the wave labels", Severity.FINDING,
                FindingCode.WAVE_ORDER))
    return problems
