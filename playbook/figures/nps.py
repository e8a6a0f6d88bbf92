"""Person-level 0–10 answers → Learning NPS per group and period, with an interval.

Sits between the loaded observations and :mod:`playbook.figures.chain`: a KPI with
``measure: nps`` is scored here, and the scores stand in for its rows wherever a
value is judged (status, checkpoints, gates). Formulas (two-sided, 95 %):

* Each answer is a **promoter** (9–10), **passive** (7–8) or **detractor** (0–6).
  A person counts once per period, with their latest answer in it.
* ``NPS = 100·(P − D)/n``, with ``p_P = P/n`` and ``p_D = D/n``.
* The counts are one multinomial draw, so the variance of ``p̂_P − p̂_D`` is
  ``(p_P(1 − p_P) + p_D(1 − p_D) + 2·p_P·p_D)/n = (p_P + p_D − (p_P − p_D)²)/n``;
  the standard error of the NPS is 100 times its square root, and the interval is
  ``NPS ± z(0.975)·se`` (Wald), clipped to the scale's −100 to 100.
* When every answer falls in one category the variance is 0 and a Wald interval
  would claim certainty: no interval is given, and the score says why.
* Fewer than ``min_group_size`` people → no score at all (privacy).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from playbook.figures.kpi import kpi_figures
from playbook.figures.rounding import half_away
from playbook.figures.stats import LEVEL, Interval
from playbook.figures.trajectory import (
    PUBLISHED_DIGITS,
    KpiFigures,
    Point,
    period_start,
)
from playbook.load.observations import Observation
from playbook.model.choices import Cadence
from playbook.model.measure import Kpi

PROMOTER_MIN = 9
"""Lowest answer that counts as a promoter."""
DETRACTOR_MAX = 6
"""Highest answer that counts as a detractor."""
ONE_CATEGORY = "every answer is in one category, so no interval can be estimated"
"""Why a score over answers that all agree carries no interval."""


@dataclass(frozen=True)
class NpsScore:
    """The NPS of one group's answers in one period (or over all answers given)."""

    group: str
    """``pilot``, ``comparison`` or ``all``."""
    period: date | None
    """First day of the cadence period; None for a score over answers of any date."""
    n: int
    """People who answered."""
    promoters: int
    """People whose answer is 9 or 10."""
    passives: int
    """People whose answer is 7 or 8."""
    detractors: int
    """People whose answer is 0 to 6."""
    score: float | None
    """Promoters minus detractors, in points of 100; None when suppressed."""
    se: float | None
    """Standard error of the score, in points."""
    ci: Interval | None
    """Wald interval of the score, clipped to −100…100; None when it cannot be estimated."""
    suppressed: bool = False
    """True when fewer people answered than the privacy minimum."""
    note: str | None = None
    """Why there is no interval (:data:`ONE_CATEGORY`), when there is none."""


def category(answer: float) -> str:
    """Return ``promoter``, ``passive`` or ``detractor`` for one 0–10 answer."""
    if answer >= PROMOTER_MIN:
        return "promoter"
    return "detractor" if answer <= DETRACTOR_MAX else "passive"


def score(answers: Sequence[float], *, min_group_size: int, group: str = "all",
          period: date | None = None, level: float = LEVEL) -> NpsScore:
    """Return the NPS of one set of answers, one per person.

    Args:
        answers: Each person's 0–10 answer.
        min_group_size: Fewest people a published score may rest on.
        group: The answers' group (``pilot``, ``comparison`` or ``all``).
        period: The period the answers belong to, if any.
        level: Confidence level of the interval.

    Returns:
        The score with its counts, standard error and interval; suppressed (no
        score) under the privacy minimum, including when there are no answers.
    """
    kinds = [category(a) for a in answers]
    n, p, d = len(kinds), kinds.count("promoter"), kinds.count("detractor")
    if n == 0 or n < min_group_size:
        return NpsScore(group, period, n, p, n - p - d, d, None, None, None, suppressed=True)
    share_p, share_d = p / n, d / n
    variance = max(share_p + share_d - (share_p - share_d) ** 2, 0.0) / n
    value, se = 100 * (share_p - share_d), 100 * math.sqrt(variance)
    if se == 0:
        return NpsScore(group, period, n, p, n - p - d, d, value, 0.0, None,
                        note=ONE_CATEGORY)
    # lazy: the statistics stack loads for figures, never for `playbook check`
    from playbook.figures import distributions

    half = distributions.normal_quantile(0.5 + level / 2) * se
    ci = Interval(max(value - half, -100.0), min(value + half, 100.0), level)
    return NpsScore(group, period, n, p, n - p - d, d, value, se, ci)


def _latest_answers(rows: list[Observation]) -> list[float]:
    latest: dict[str, Observation] = {}
    for o in sorted(rows, key=lambda o: o.date):
        latest[o.subject or ""] = o  # a later answer of the same person replaces theirs
    return [o.value for o in latest.values()]


def period_scores(series: list[Observation], cadence: Cadence, *,
                  min_group_size: int) -> list[NpsScore]:
    """Return the NPS of each group in each cadence period, sorted by group and period.

    Args:
        series: The KPI's answers (person-level rows with subjects).
        cadence: The KPI's cadence.
        min_group_size: The privacy minimum.

    Returns:
        One score per group and period that has answers.
    """
    cells: dict[tuple[str, date], list[Observation]] = defaultdict(list)
    for o in series:
        cells[(o.group or "all", period_start(o.date, cadence))].append(o)
    return [score(_latest_answers(rows), min_group_size=min_group_size, group=group,
                  period=period)
            for (group, period), rows in sorted(cells.items())]


def as_observations(series: list[Observation], cadence: Cadence, *,
                    min_group_size: int) -> list[Observation]:
    """Return each published period score as one aggregate observation.

    The observation is dated on the period's last answer, so checkpoints and gates
    read a score only from the day it was complete; suppressed periods are left
    out, so no score over fewer people than the minimum reaches a figure.

    Args:
        series: The KPI's answers.
        cadence: The KPI's cadence.
        min_group_size: The privacy minimum.

    Returns:
        One observation per published group and period, without a subject.
    """
    last: dict[tuple[str, date], date] = {}
    for o in series:
        key = (o.group or "all", period_start(o.date, cadence))
        last[key] = max(last.get(key, o.date), o.date)
    # rounded like every published aggregate of person-level data (the site's precision)
    return [Observation(last[(s.group, s.period)], half_away(s.score, PUBLISHED_DIGITS),
                        None if s.group == "all" else s.group)
            for s in period_scores(series, cadence, min_group_size=min_group_size)
            if s.score is not None and s.period is not None]


def nps_figures(kpi: Kpi, series: list[Observation], *, start: date, today: date,
                min_group_size: int) -> tuple[KpiFigures, list[NpsScore]]:
    """Return the KPI figures of an NPS KPI, judged on its period scores.

    Args:
        kpi: A KPI with ``measure: nps``.
        series: Its answers (those after ``today`` are ignored).
        start: Day 0 of the program.
        today: The day the figures are for.
        min_group_size: The privacy minimum.

    Returns:
        The KPI's figures, whose points count the people behind each score, and
        every period's score.
    """
    series = [o for o in series if o.date <= today]
    scores = period_scores(series, kpi.cadence, min_group_size=min_group_size)
    # each score's band comes from its own answers: se = 100·√((p_P + p_D − (p_P − p_D)²)/n)
    # (None when every answer agrees: a Wald error of 0 would claim certainty)
    own_se = {(s.group, s.period): s.se if s.ci is not None else None for s in scores
              if s.period is not None}
    figs = kpi_figures(kpi, as_observations(series, kpi.cadence,
                                            min_group_size=min_group_size),
                       start=start, today=today, min_group_size=min_group_size,
                       person_level=False, point_se=own_se)
    people = {(s.group, s.period): s.n for s in scores}
    # an aggregate observation counts as one row; a score stands for its people
    points = [replace(p, n=people.get((p.group, p.period), p.n)) for p in figs.points]
    # a period under the privacy minimum shows as "fewer than N", as other people's data does
    points += [Point(s.group, s.period, None, s.n, True) for s in scores
               if s.suppressed and s.period is not None and s.n > 0]
    return replace(figs, points=sorted(points, key=lambda p: (p.group, p.period))), scores
