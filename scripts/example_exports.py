"""Raw tool exports for the example playbook, read through SQL rather than reshaped.

The approval-velocity program's platform KPI reads its LMS's xAPI statement
log as the LMS exports it (JSON Lines, one statement per line, some without a
score, some about no learner) and the enrolment list, through a DuckDB query
in ``data/approval-velocity/weekly_active.sql``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

VERBS = ("launched", "experienced", "attempted", "completed", "answered")
ADL = "http://adlnet.gov/expapi/verbs/"


def _statement(rng: np.random.Generator, person: str, verb: str, at: dt.datetime) -> str:
    statement: dict[str, object] = {
        "id": f"{int(rng.integers(0, 2**62)):016x}",
        "actor": {"objectType": "Agent",
                  "account": {"homePage": "https://lms.example.com", "name": person}},
        "verb": {"id": ADL + verb},
        "object": {"id": f"https://lms.example.com/activity/{int(rng.integers(1, 40))}"},
        "timestamp": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if verb in ("completed", "answered") and rng.random() < 0.85:
        statement["result"] = {"score": {"scaled": round(float(rng.random()), 2)}}
    return json.dumps(statement, separators=(",", ":"))


def lms_log(path: Path, rng: np.random.Generator, learners: list[str],
            weekly_pct: list[tuple[dt.date, float]]) -> None:
    """Write a statement log in which each week's active share is as close to ``weekly_pct``
    as whole learners allow (the week ends on the given Sunday)."""
    lines = []
    for sunday, pct in weekly_pct:
        monday = sunday - dt.timedelta(days=6)
        active = round(pct / 100 * len(learners))
        for person in rng.choice(learners, size=active, replace=False):
            for _ in range(int(rng.integers(1, 4))):
                at = dt.datetime.combine(monday, dt.time(7)) + dt.timedelta(
                    minutes=int(rng.integers(0, 6 * 24 * 60 + 12 * 60)))
                lines.append(_statement(rng, str(person), str(rng.choice(VERBS)), at))
        # the LMS also logs statements about no enrolled learner: a voided one, a guest
        lines.append(_statement(rng, "guest-7731", "launched",
                                dt.datetime.combine(monday, dt.time(9))))
    lines.sort(key=lambda line: json.loads(line)["timestamp"])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(path.parents[2])} ({len(lines)} statements)")
