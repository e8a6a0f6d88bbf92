"""A program's input files against its contract: the lock it accepted and ``expect:``.

Reads what :mod:`playbook.load.contracts` observed (``Bundle.observed``) and the
lock (``Bundle.lock``). Each difference that can move a figure without a word is
a finding at its file and line, with the fix: accept the export into the
contract (``playbook lock``, whose diff a reviewer sees) or correct the export.

The rules, with the constants of :mod:`playbook.model.contracts`:

- a value of a filtered, grouped or mapped column that the lock has not seen;
- a column of the lock missing from the file;
- a file with a header and no rows (when the lock saw rows);
- a period whose rows lie outside the median of the accepted periods before it
  ± max(:data:`SPREAD` × their scaled MAD, :data:`MIN_ROWS_BAND` × the median),
  with at least :data:`MIN_HISTORY` periods before it; the latest period may
  have fewer (it may still be filling);
- more identical lines than the lock accepted, in an input that is summed;
- a value that moved from the one before by more than :data:`SPREAD` × the
  series' noise (the scaled MAD of its accepted changes, at least
  :data:`MIN_NOISE` of its median level), after :data:`MIN_HISTORY` changes.
"""

from __future__ import annotations

import itertools
from statistics import median

from playbook.checks import expectations
from playbook.load.reporter import Reporter
from playbook.load.seen import InputSeen, SeriesSeen
from playbook.model.contracts import (
    LOCK_FILE,
    MAD_SCALE,
    MIN_HISTORY,
    MIN_NOISE,
    MIN_ROWS_BAND,
    SPREAD,
    InputContract,
)
from playbook.model.findings import FindingCode
from playbook.model.problems import Problem, Severity

SHOWN_VALUES = 5
"""Unseen values quoted in one finding; the count covers the rest."""


def fix(program_id: str) -> str:
    """The hint of every contract finding: the two ways out."""
    return (f"if the export is right, accept it into the contract with 'playbook lock "
            f"{program_id}' and commit the lock's diff for review; if not, correct the export")


def _finding(path: str, line: int, column: int, field: str, message: str, hint: str,
             code: FindingCode) -> Problem:
    return Problem(path, line, column, field, message, hint, Severity.FINDING, code)


def check(report: Reporter) -> None:
    """Add every contract finding of the program."""
    b = report.bundle
    if b.observed is None:
        return
    expectations.check(report)
    if b.lock is None:
        return
    hint = fix(b.id)
    for path, seen in sorted(b.observed.inputs.items()):
        locked = b.lock.inputs.get(path)
        report.problems.extend(_empty(seen, locked, hint))
        report.problems.extend(_duplicates(seen, locked, hint))
        if locked is not None:
            report.problems.extend(_columns(seen, locked, hint))
            report.problems.extend(_values(seen, locked, hint))
            report.problems.extend(_rows(seen, locked, hint))
    for kpi, series in sorted(b.observed.series.items()):
        report.problems.extend(_jumps(kpi, series, b.lock.series.get(kpi, {}), hint))


def _empty(seen: InputSeen, locked: InputContract | None, hint: str) -> list[Problem]:
    if seen.rows or (locked is not None and locked.rows == 0):
        return []
    return [_finding(seen.path, 1, 1, "", "the file has a header and no rows (did the "
                     "export job fail?): every figure read from it is gone", hint,
                     FindingCode.CONTRACT_EMPTY)]


def _duplicates(seen: InputSeen, locked: InputContract | None, hint: str) -> list[Problem]:
    allowed = locked.duplicate_lines if locked is not None else 0
    if not seen.summed or len(seen.duplicates) <= allowed:
        return []
    line, first = sorted(seen.duplicates)[allowed]
    more = len(seen.duplicates) - allowed - 1
    also = f", and {more} more line(s) repeat others" if more else ""
    return [_finding(seen.path, line, 1, "", f"line {line} repeats line {first} exactly{also} "
                     f"({len(seen.duplicates)} identical line(s); the contract accepts "
                     f"{allowed}): the source adds its rows up, so each counts again", hint,
                     FindingCode.CONTRACT_DUPLICATE)]


def _columns(seen: InputSeen, locked: InputContract, hint: str) -> list[Problem]:
    gone = [c for c in locked.columns if c not in seen.columns]
    if not gone:
        return []
    names = ", ".join(f"'{c}'" for c in gone)
    return [_finding(seen.path, 1, 1, "", f"column(s) {names} of the contract are not in the "
                     "file; its columns are: " + ", ".join(seen.columns), hint,
                     FindingCode.CONTRACT_COLUMN)]


def _values(seen: InputSeen, locked: InputContract, hint: str) -> list[Problem]:
    out = []
    for column, accepted in sorted(locked.values.items()):
        known = set(accepted)
        new = {v: place for v, place in seen.values.get(column, {}).items() if v not in known}
        if not new:
            continue
        ordered = sorted(new, key=lambda v: new[v])
        line, col = new[ordered[0]]
        quoted = ", ".join(f"'{v}'" for v in ordered[:SHOWN_VALUES])
        rest = f" and {len(ordered) - SHOWN_VALUES} more" if len(ordered) > SHOWN_VALUES else ""
        what = (f"holds {quoted}, a value" if len(ordered) == 1 else
                f"holds {len(ordered)} values ({quoted}{rest})")
        out.append(_finding(seen.path, line, col, column,
                            f"column '{column}' {what} the contract ({LOCK_FILE}) has not seen: "
                            "a source filters, groups or maps this column and may not match "
                            "it", hint, FindingCode.CONTRACT_VALUE))
    return out


def spread(history: list[float]) -> tuple[float, float]:
    """The median of ``history`` and its scaled median absolute deviation."""
    mid = median(history)
    return mid, MAD_SCALE * median(abs(h - mid) for h in history)


def _rows(seen: InputSeen, locked: InputContract, hint: str) -> list[Problem]:
    out = []
    latest = max(seen.periods, default="")
    for period, rows in sorted(seen.periods.items()):
        if locked.rows_per_period.get(period) == rows:
            continue
        history = [float(n) for p, n in sorted(locked.rows_per_period.items()) if p < period]
        if len(history) < MIN_HISTORY:
            continue
        mid, mad = spread(history)
        band = max(SPREAD * mad, MIN_ROWS_BAND * mid)
        if abs(rows - mid) <= band or (rows < mid and period == latest):
            continue
        out.append(_finding(seen.path, seen.period_lines[period], 1, "",
                            f"period {period} has {rows} row(s); the {len(history)} accepted "
                            f"periods before it have {mid:g} (median), and {rows} is outside "
                            f"{mid - band:g}–{mid + band:g}", hint, FindingCode.CONTRACT_ROWS))
    return out


def _jumps(kpi: str, series: SeriesSeen, locked: dict[str, dict[str, float]],
           hint: str) -> list[Problem]:
    out = []
    for group, dates in sorted(series.values.items()):
        accepted = locked.get(group, {})
        previous: tuple[str, float] | None = None
        for day, (value, line) in sorted(dates.items()):
            before, previous = previous, (day, value)
            if day in accepted and accepted[day] == float(f"{value:.6g}"):
                continue
            history = [v for d, v in sorted(accepted.items()) if d < day]
            if len(history) <= MIN_HISTORY or before is None:
                continue
            changes = [b - a for a, b in itertools.pairwise(history)]
            usual, mad = spread(changes)
            noise = max(mad, MIN_NOISE * median(abs(v) for v in history))
            moved = value - before[1]
            if abs(moved - usual) <= SPREAD * noise:
                continue
            label = f"{kpi} ({group})" if group != "all" else kpi
            out.append(_finding(series.path, line or 1, 1, "",
                                f"KPI '{label}' is {value:.6g} on {day}, {moved:+.6g} from "
                                f"{before[1]:.6g} on {before[0]}: beyond its noise (its "
                                f"accepted changes are {usual:+.3g} ± {SPREAD * noise:.3g})",
                                hint, FindingCode.CONTRACT_JUMP))
    return out
