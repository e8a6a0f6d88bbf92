#!/usr/bin/env python3
"""Generate the synthetic measurement data for the example playbook.

Writes ``data/<program-id>/*.csv`` for the two example programs
(``decision-velocity`` and ``approval-velocity``). The output is
deterministic: every file draws from its own fixed seed, so regenerating one
file never changes another. Run it from anywhere:

    python scripts/make_example_data.py

The columns of each file are exactly the ones that the program's
``kpis.yml`` ``source`` mappings (and ``ai.yml`` ``outcomes``) name. All data
is synthetic; person-level files carry only random pseudonymous ids.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
from example_exports import lms_log

Row = list[object]  # one CSV row; dates are written in ISO format

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
LAST_DAY = dt.date(2026, 11, 15)  # no observation after this date


# ---------------------------------------------------------------- helpers


def rng_for(name: str) -> np.random.Generator:
    """A generator seeded from a fixed base seed and the file's name."""
    return np.random.default_rng([20260112, *name.encode("utf-8")])


def month_ends(first: dt.date, last: dt.date = LAST_DAY) -> list[dt.date]:
    """Last day of each month from ``first``'s month while it is <= ``last``."""
    out: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        if end > last:
            return out
        out.append(end)
        year, month = nxt.year, nxt.month


def week_endings(first_sunday: dt.date, last: dt.date = LAST_DAY) -> list[dt.date]:
    """Sundays from ``first_sunday`` while they are <= ``last``."""
    assert first_sunday.weekday() == 6, first_sunday
    out: list[dt.date] = []
    day = first_sunday
    while day <= last:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def months_after(start: dt.date, day: dt.date) -> float:
    """Months (of 30.44 days) from ``start`` to ``day``; negative before."""
    return (day - start).days / 30.44


def pseudonyms(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    """``n`` random ids like ``p-7f3a9c2e`` not already in ``taken``."""
    out: list[str] = []
    while len(out) < n:
        pid = f"p-{int(rng.integers(0, 2**32)):08x}"
        if pid not in taken:
            taken.add(pid)
            out.append(pid)
    return out


def write(program: str, filename: str, header: list[str], rows: list[Row]) -> None:
    path = DATA / program / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for row in rows:
            out.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    print(f"wrote {path.relative_to(ROOT)} ({len(rows)} rows)")


def fmt(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


# ------------------------------------------------------- shared generators


def business_series(
    name: str,
    start: dt.date,
    dates: list[dt.date],
    *,
    baseline: float,
    pilot_end: float,
    tau_months: float,
    comparison_drift: float,
    noise: float,
    digits: int = 1,
) -> list[Row]:
    """Pilot moves from ``baseline`` toward ``pilot_end`` after ``start``
    (exponential approach, time constant ``tau_months``); the comparison group
    drifts linearly by ``comparison_drift`` over twelve months."""
    rng = rng_for(name)
    rows: list[Row] = []
    for day in dates:
        m = months_after(start, day)
        gain = 1 - np.exp(-max(m, 0.0) / tau_months)
        pilot = baseline + (pilot_end - baseline) * gain
        comparison = baseline + 0.6 + comparison_drift * max(m, 0.0) / 12
        for group, centre in (("pilot", pilot), ("comparison", comparison)):
            value = centre + rng.normal(0, noise)
            rows.append([day, fmt(value, digits) if digits else round(float(value)), group])
    return rows


def survey_360(
    name: str,
    *,
    pre_days: list[dt.date],
    post_days: list[dt.date],
    n_pilot: int,
    n_comparison: int,
    pre_mean: float,
    pilot_gain: float,
    comparison_gain: float,
) -> list[Row]:
    """Pre and post 360 scores (1-5, one decimal) per pseudonymous leader.
    The gains are exact group means before rounding and clipping."""
    rng = rng_for(name)
    taken: set[str] = set()
    rows: list[Row] = []
    for group, n, gain in (
        ("pilot", n_pilot, pilot_gain),
        ("comparison", n_comparison, comparison_gain),
    ):
        ids = pseudonyms(rng, n, taken)
        pre = rng.normal(pre_mean, 0.42, n)
        pre += pre_mean - pre.mean()
        step = rng.normal(0, 0.28, n)
        post = pre + gain + (step - step.mean())
        for pid, a, b in zip(ids, pre, post, strict=True):
            rows.append(
                [
                    pre_days[int(rng.integers(len(pre_days)))],
                    fmt(np.clip(a, 1, 5)),
                    pid,
                    "pre",
                    group,
                ]
            )
            rows.append(
                [
                    post_days[int(rng.integers(len(post_days)))],
                    fmt(np.clip(b, 1, 5)),
                    pid,
                    "post",
                    group,
                ]
            )
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    rows.sort(key=lambda r: (r[3] != "pre", r[0]))  # pre wave first, by date
    return rows


def weekly_active(
    name: str, start: dt.date, weeks: list[dt.date], *, level: float, dips: dict[dt.date, float]
) -> list[Row]:
    """Weekly active % of enrolled leaders: onboarding ramp, a settle, a
    summer dip and bumps where ``dips`` (week -> offset) says."""
    rng = rng_for(name)
    rows: list[Row] = []
    for week in weeks:
        w = (week - start).days / 7
        ramp = min(w / 5, 1.0)
        value = 44 + (level + 8 - 44) * ramp - 8 * max(0.0, min((w - 6) / 8, 1.0))
        if 7 <= week.month <= 8:
            value -= 9
        value += dips.get(week, 0.0) + rng.normal(0, 2.2)
        rows.append([week, fmt(float(np.clip(value, 0, 100)))])
    return rows


def selection_outcomes(name: str, plan: dict[str, tuple[int, int]]) -> list[Row]:
    """One row per candidate: self-reported group ('' when not given) and 1/0.
    ``plan`` maps group -> (candidates, selected); counts are exact."""
    rng = rng_for(name)
    rows: list[Row] = []
    for group, (n, k) in plan.items():
        chosen = np.zeros(n, dtype=int)
        chosen[:k] = 1
        rows.extend([group, int(c)] for c in chosen)
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]


def learning_nps(
    name: str, ids: list[str], rounds: list[tuple[dt.date, int, tuple[int, int, int]]]
) -> list[Row]:
    """0-10 answers to "how likely are you to recommend this program to a peer?".
    Each round is (first day, how many answer, (promoters, passives, detractors));
    the counts are exact, answers within a category and the days (five) random."""
    rng = rng_for(name)
    rows: list[Row] = []
    for first, n, (promoters, passives, detractors) in rounds:
        assert promoters + passives + detractors == n <= len(ids)
        who = rng.permutation(ids)[:n]
        answers = [
            *rng.choice([9, 10], promoters, p=[0.45, 0.55]),
            *rng.choice([7, 8], passives),
            *rng.choice(range(7), detractors, p=[0.02, 0.02, 0.04, 0.08, 0.14, 0.3, 0.4]),
        ]
        for pid, answer in zip(who, rng.permutation(answers), strict=True):
            rows.append([first + dt.timedelta(int(rng.integers(5))), int(answer), pid])
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


# ------------------------------------------------------- decision-velocity


def decision_velocity() -> None:
    program = "decision-velocity"
    start = dt.date(2026, 1, 12)
    months = month_ends(dt.date(2025, 10, 1))

    write(
        program,
        "decision_latency.csv",
        ["decided_on", "latency_days", "cohort"],
        business_series(
            "dv-latency",
            start,
            months,
            baseline=40.0,
            pilot_end=29.5,
            tau_months=5.0,
            comparison_drift=-1.2,
            noise=0.9,
        ),
    )

    # Share of launch and go/no-go decisions logged with a completed rubric.
    # Logistic adoption; end of March (the day-90 gate) sits in the mid 50s.
    rng = rng_for("dv-rubric")
    rows: list[Row] = []
    for day in months:
        m = months_after(start, day)
        value = 9 + 77 / (1 + np.exp(-(m - 2.1) / 1.0)) if m > 0 else 10 + m
        rows.append([day, fmt(float(np.clip(value + rng.normal(0, 1.5), 0, 100)))])
    write(program, "rubric_use.csv", ["month", "pct_with_rubric"], rows)

    survey = survey_360(
        "dv-360",
        pre_days=[dt.date(2026, 1, d) for d in (5, 6, 7, 8, 9)],
        post_days=[dt.date(2026, 6, 29) + dt.timedelta(d) for d in range(5)],
        n_pilot=30,
        n_comparison=28,
        pre_mean=3.4,
        pilot_gain=0.46,
        comparison_gain=0.10,
    )
    header = ["surveyed_on", "score", "leader_id", "wave", "cohort"]
    write(program, "leader_360.csv", header, survey)

    # Learning NPS of the pilot leaders (the same pseudonyms as the 360): after the
    # second workshop, at the end of the pilot, at day 180 and at day 270.
    pilot_ids = sorted({str(r[2]) for r in survey if r[4] == "pilot"})
    write(
        program,
        "learning_nps.csv",
        ["answered_on", "likelihood", "leader_id"],
        learning_nps(
            "dv-learning-nps",
            pilot_ids,
            [
                (dt.date(2026, 2, 16), 27, (14, 9, 4)),
                (dt.date(2026, 4, 13), 28, (16, 9, 3)),
                (dt.date(2026, 7, 13), 24, (14, 7, 3)),
                (dt.date(2026, 10, 12), 22, (13, 7, 2)),
            ],
        ),
    )

    weeks = week_endings(dt.date(2026, 1, 18))
    write(
        program,
        "platform_engagement.csv",
        ["week_ending", "weekly_active_pct"],
        weekly_active(
            "dv-platform",
            start,
            weeks,
            level=61,
            dips={dt.date(2026, 4, 26): 6, dt.date(2026, 5, 3): 4},
        ),
    )

    # Cohort nomination shortlist: all impact ratios at or above 0.8
    # (women 11/24 = .458 vs men 15/30 = .500 -> 0.92).
    write(
        program,
        "recommendations.csv",
        ["group", "recommended"],
        selection_outcomes(
            "dv-recommendations",
            {
                "women": (24, 11),
                "men": (30, 15),
                "undisclosed": (6, 3),
                "non-binary": (3, 1),
                "": (3, 1),
            },
        ),
    )


# ------------------------------------------------------- approval-velocity


def approval_velocity() -> None:
    program = "approval-velocity"
    start = dt.date(2026, 3, 2)
    months = month_ends(dt.date(2025, 12, 1))

    write(
        program,
        "approval_time.csv",
        ["period_end", "median_approval_days", "group"],
        business_series(
            "av-approval",
            start,
            months,
            baseline=25.0,
            pilot_end=19.6,
            tau_months=3.0,
            comparison_drift=-0.9,
            noise=0.6,
        ),
    )

    # Quarterly cross-team NPS from the internal requester survey.
    surveys = [
        dt.date(2025, 11, 28),
        dt.date(2026, 2, 27),
        dt.date(2026, 5, 29),
        dt.date(2026, 8, 28),
        dt.date(2026, 11, 13),
    ]
    write(
        program,
        "cross_team_nps.csv",
        ["survey_date", "nps", "group"],
        business_series(
            "av-nps",
            start,
            surveys,
            baseline=14.0,
            pilot_end=29.5,
            tau_months=3.2,
            comparison_drift=2.5,
            noise=1.4,
            digits=0,
        ),
    )

    # Share of approvals decided at the delegated level, by group. The pilot
    # is still below the 45 % gate at the end of May (day 90).
    rng = rng_for("av-delegated")
    rows: list[Row] = []
    for day in months:
        m = months_after(start, day)
        pilot = 30 + 30 / (1 + np.exp(-(m - 3.4) / 1.1)) if m > 0 else 30 + m
        comparison = 29 + 2.5 * max(m, 0.0) / 12
        rows.append([day, fmt(pilot + rng.normal(0, 1.3)), "pilot"])
        rows.append([day, fmt(comparison + rng.normal(0, 1.3)), "comparison"])
    write(
        program,
        "delegated_approvals.csv",
        ["period_end", "pct_decided_at_delegated_level", "group"],
        rows,
    )

    write(
        program,
        "leader_360.csv",
        ["survey_date", "score", "subject", "wave", "group"],
        survey_360(
            "av-360",
            pre_days=[dt.date(2026, 2, d) for d in (23, 24, 25, 26, 27)],
            post_days=[dt.date(2026, 8, d) for d in (24, 25, 26, 27, 28)],
            n_pilot=40,
            n_comparison=26,
            pre_mean=3.2,
            pilot_gain=0.44,
            comparison_gain=0.09,
        ),
    )

    weeks = week_endings(dt.date(2026, 3, 8))
    # the platform KPI reads the LMS's raw xAPI log through weekly_active.sql
    learners = sorted(pseudonyms(rng_for("av-enrolled"), 40, set()))
    write(program, "enrolled.csv", ["leader", "enrolled_on"],
          [[p, dt.date(2026, 3, 2)] for p in learners])
    active = weekly_active("av-platform", start, weeks, level=57,
                           dips={dt.date(2026, 6, 7): 5, dt.date(2026, 9, 13): 4})
    lms_log(DATA / program / "lms_statements.jsonl", rng_for("av-lms"), learners,
            [(week, float(str(pct))) for week, pct in active])  # type: ignore[misc]

    # Action-project lead shortlist: women 12/36 = .333 vs men 15/34 = .441,
    # an impact ratio of 0.76, under the four-fifths threshold.
    write(
        program,
        "staffing_recommendations.csv",
        ["self_reported_group", "shortlisted"],
        selection_outcomes(
            "av-recommendations",
            {
                "women": (36, 12),
                "men": (34, 15),
                "undisclosed": (5, 2),
                "non-binary": (3, 1),
                "": (4, 2),
            },
        ),
    )


def main() -> None:
    decision_velocity()
    approval_velocity()


if __name__ == "__main__":
    main()
