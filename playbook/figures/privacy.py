"""What may be published from person-level data, in any build, on any day.

Sits between the loaded observations and every figure made of people's rows
(:mod:`playbook.figures.program` calls it first). There is no state between
builds and every old build stays online, so each rule holds for the figures of
one build alone, whichever day it runs:

* **Closed windows only.** A survey wave's answers are published only once the
  wave has closed: the day after its ``closes`` date (or, when none is given,
  the day after the cadence period of its first answer ends); answers dated
  after the close are not counted. Rows of a person-level series without waves
  are published per cadence period once the period has ended. So a figure never
  moves by one late respondent from one day's build to the next: while a window
  is open its cells read "fielding", and after it closes they never change
  (:data:`FIELDING`).
* **Precision.** Every figure computed from people's rows is rounded, in the
  figures object, to the precision the site shows (:data:`PUBLISHED_DIGITS`
  decimals; p-values to :data:`P_DIGITS` significant digits), so ``figures.json``,
  ``playbook report``, the site and the review comment carry the same value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeVar

from playbook.figures.trajectory import (
    PUBLISHED_DIGITS,
    Point,
    one_cadence_later,
    period_start,
)
from playbook.load.bundle import Bundle
from playbook.load.observations import Observation
from playbook.load.reporter import Reporter
from playbook.model.choices import Cadence
from playbook.model.findings import FindingCode
from playbook.model.measure import Kpi
from playbook.model.problems import Problem

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P_DIGITS: Final = 2
"""Significant digits of a published p-value (the site shows ``0.031``, ``4.2e-05``)."""

FIELDING: Final = "fielding — published when the wave closes"
"""What a cell of a window still open on the build day reads."""

_D = TypeVar("_D", bound="DataclassInstance")


@dataclass(frozen=True)
class Windows:
    """A person-level series split by whether its windows had closed on the build day."""

    closed: list[Observation]
    """Answers of windows closed before the build day: the only ones figures read."""
    fielding: list[Point]
    """One unpublished point per group and open window (value None, ``n`` 0)."""
    late: int
    """Answers dated after their wave closed, never counted."""


def period_end(day: date, cadence: Cadence) -> date:
    """The last day of the cadence period holding ``day``."""
    return one_cadence_later(period_start(day, cadence), cadence) - timedelta(days=1)


def wave_closes(kpi: Kpi, answered: set[tuple[str | None, date]]) -> dict[str, date]:
    """The last day of each wave answered (``(wave, day)`` pairs): as declared, else the
    end of the cadence period of its first answer."""
    first: dict[str, date] = {}
    for wave, day in answered:
        if wave is not None and (wave not in first or day < first[wave]):
            first[wave] = day
    declared: dict[str, date] = {str(w): d for w, d in kpi.source.closes.items()} if (
        kpi.source) else {}
    return {w: declared.get(w, period_end(day, kpi.cadence)) for w, day in first.items()}


def windows(kpi: Kpi, series: list[Observation], today: date) -> Windows:
    """Split a person-level series into what may be published on ``today`` and what may not.

    Args:
        kpi: The KPI (its cadence, and its source's ``closes``).
        series: Its observations dated on or before ``today``.
        today: The build day.

    Returns:
        The answers of closed windows, a fielding point per open window and group,
        and how many answers came after their wave had closed.
    """
    # a series repeats its (wave, day) pairs: each is placed once, and the rows are
    # filtered by set lookups (two million rows in a fraction of a second)
    waves = kpi.source is not None and kpi.source.wave is not None
    found: set[tuple[str | None, date]] = ({(o.wave, o.date) for o in series} if waves else
                                           {(None, day) for day in {o.date for o in series}})
    closes = wave_closes(kpi, found)
    end_of = {(wave, day): closes[wave] if wave is not None else period_end(day, kpi.cadence)
              for wave, day in found}
    late_pairs = {pair for pair, end in end_of.items() if pair[1] > end}
    open_pairs = {pair for pair, end in end_of.items() if end >= today} - late_pairs
    if not late_pairs and not open_pairs:
        return Windows(series, [], 0)
    shut = late_pairs | open_pairs
    if waves:
        kept = [o for o in series if (o.wave, o.date) not in shut]
    else:
        days = {day for _, day in shut}
        kept = [o for o in series if o.date not in days]
    late = sum(1 for o in series if (o.wave, o.date) in late_pairs) if late_pairs else 0
    cells = {(o.group or "all", o.wave,
              end_of[(o.wave, o.date)] if o.wave is not None
              else period_start(o.date, kpi.cadence))
             for o in series if (o.wave, o.date) in open_pairs}
    fielding = [Point(group, period, None, 0, False, None, wave, fielding=True)
                for group, wave, period in sorted(cells, key=repr)]
    return Windows(kept, fielding, late)


def single_wave(pre: Mapping[str, float], post: Mapping[str, float], min_group_size: int
                ) -> bool:
    """Whether 1 to ``min_group_size − 1`` people answered only one wave.

    Then the change over those who answered both, beside the wave means over
    everyone who answered each, gives those few people's values by subtraction.
    """
    return any(0 < len(a.keys() - b.keys()) < min_group_size
               for a, b in ((pre, post), (post, pre)))


def _published(name: str, value: float) -> float:
    if not math.isfinite(value) or value == 0:
        return value
    if name.startswith("p_value"):
        return round(value, P_DIGITS - 1 - math.floor(math.log10(abs(value))))
    return round(value, PUBLISHED_DIGITS)


def published(value: _D) -> _D:
    """``value`` with every float in it rounded to the precision the site shows.

    Walks its fields, nested dataclasses, lists and dicts; p-values keep
    :data:`P_DIGITS` significant digits, every other float :data:`PUBLISHED_DIGITS`
    decimals.
    """
    return replace(value, **{f.name: _walk(getattr(value, f.name), f.name)
                             for f in fields(value) if f.init})


def _walk(value: Any, name: str) -> Any:
    if isinstance(value, float):
        return _published(name, value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _walk(getattr(value, f.name), f.name)
                                 for f in fields(value) if f.init})
    if isinstance(value, list):
        return [_walk(v, name) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, name) for k, v in value.items()}
    return value



def problems(bundle: Bundle) -> list[Problem]:
    """Warn about answers dated after their wave closed: they are never counted.

    Located at the source's ``closes`` when it gives one, else at the source.
    """
    plan = bundle.kpis
    if plan is None:
        return []
    report = Reporter(bundle)
    for i, kpi in enumerate(plan.kpis):
        if kpi.source is None or kpi.source.subject is None or kpi.source.wave is None:
            continue
        series = bundle.series.get(kpi.id, [])
        closes = wave_closes(kpi, {(o.wave, o.date) for o in series})
        for wave, end in sorted(closes.items()):
            late = sum(1 for o in series if o.wave == wave and o.date > end)
            if not late:
                continue
            declared = wave in kpi.source.closes
            report.add("kpis", ("kpis", i, "source", "closes") if declared
                       else ("kpis", i, "source"),
                       f"{late} answer(s) of the {wave} wave are dated after it closed on "
                       f"{end} and are not counted",
                       "a closed wave's figures are already published; move the close only "
                       "before anything of the wave was published" if declared else
                       f"give the wave's last day: closes: {{{wave}: YYYY-MM-DD}}",
                       code=FindingCode.ANSWERS_AFTER_CLOSE)
    return report.problems
