"""A source's declared expectations (``expect:``) against its input files, as observed.

dbt's source tests, in the program's own terms: ``accepted_values``,
``not_null``, ``unique`` and ``rows_per_period``. A row that breaks one is a
finding at its file and line; a column that no input of the source has is an
error at the expectation in ``kpis.yml`` (a typo would otherwise test nothing).
"""

from __future__ import annotations

from playbook.load.reporter import Reporter
from playbook.load.seen import Expected, InputSeen
from playbook.model.findings import FindingCode
from playbook.model.problems import Problem, Severity

HINT = "correct the export, or the expectation in kpis.yml if the data is right"
"""What to do about a broken expectation."""


def check(report: Reporter) -> None:
    """Add every broken expectation of the program's sources."""
    observed = report.bundle.observed
    if observed is None:
        return
    for expected in observed.expected:
        seen = [observed.inputs[p] for p in expected.inputs if p in observed.inputs]
        loc = ("kpis", expected.kpi, "source", "expect")
        e = expected.expect
        for kind, columns in (("accepted_values", list(e.accepted_values)),
                              ("not_null", e.not_null), ("unique", e.unique)):
            for i, column in enumerate(columns):
                if seen and not any(column in s.columns for s in seen):
                    where = (*loc, kind, column) if kind == "accepted_values" else \
                        (*loc, kind, i)
                    report.add("kpis", where, f"column '{column}' is in none of the source's "
                               "input files (" + "; ".join(
                                   f"{s.path}: {', '.join(s.columns)}" for s in seen) + ")",
                               "name a column of the file")
        for s in seen:
            report.problems.extend(_broken(expected, s))


def _finding(path: str, line: int, column: int, field: str, message: str) -> Problem:
    return Problem(path, line, column, field, message, HINT, Severity.FINDING,
                   FindingCode.EXPECTATION_FAILED)


def _broken(expected: Expected, seen: InputSeen) -> list[Problem]:
    e, out = expected.expect, []
    for column, allowed in sorted(e.accepted_values.items()):
        known = {str(v) for v in allowed}
        bad = sorted((place, v) for v, place in seen.values.get(column, {}).items()
                     if v not in known)
        if bad:
            (line, col), value = bad[0]
            more = f" (and {len(bad) - 1} other value(s))" if len(bad) > 1 else ""
            out.append(_finding(seen.path, line, col, column,
                                f"'{value}'{more} is not among the accepted values of column "
                                f"'{column}' (expect.accepted_values)"))
    for column in e.not_null:
        if column in seen.blanks:
            line, col = seen.blanks[column]
            out.append(_finding(seen.path, line, col, column,
                                f"column '{column}' is empty here (expect.not_null)"))
    for column in e.unique:
        if column in seen.repeats:
            (line, col), first = seen.repeats[column]
            out.append(_finding(seen.path, line, col, column,
                                f"column '{column}' repeats the value of line {first} "
                                "(expect.unique)"))
    return out + _periods(expected, seen)


def _periods(expected: Expected, seen: InputSeen) -> list[Problem]:
    rule = expected.expect.rows_per_period
    if rule is None:
        return []
    if seen.rows == 0 and rule.min:
        return [_finding(seen.path, 1, 1, "", f"the file has no rows; each period should have "
                         f"at least {rule.min} (expect.rows_per_period)")]
    out = []
    for period, rows in sorted(seen.periods.items()):
        low = rule.min is not None and rows < rule.min
        if low or (rule.max is not None and rows > rule.max):
            bound = f"at least {rule.min}" if low else f"at most {rule.max}"
            out.append(_finding(seen.path, seen.period_lines[period], 1, "",
                                f"period {period} has {rows} row(s); each period should have "
                                f"{bound} (expect.rows_per_period)"))
    return out
