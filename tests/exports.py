"""Realistic exports of the tools an L&D team has, from a fixed seed.

Each file is written the way its tool writes it, quirks included: a survey
tool's question row and US dates, an HRIS report's title lines and ``Sep-25``
periods, an LMS's xAPI statement log (JSON Lines, some without a score), a
finance ledger's ``€16,625.78`` and ``(€1,961.20)``, an AI tool's counts per
group. The tests read them unchanged; ``python tests/exports.py DIR`` writes
them for a look (the committed copies are under ``tests/fixtures/exports``).
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SEED = 20261124
UNITS = {f"ORG-{n:03d}": ("pilot" if n % 2 else "comparison") for n in range(1, 9)}
CENTRES = ["CC-4101", "CC-4102", "CC-4103", "CC-4104", "CC-4105", "CC-4106"]
ACCOUNTS = ["6100 Agency fees", "6110 Contractors", "6200 Travel", "6300 Software"]
VERB = "http://adlnet.gov/expapi/verbs/"


def survey(rng: random.Random) -> str:
    """A 360 survey tool's export: question row, US dates, ``N/A``, words for waves."""
    rows = ['StartDate,EndDate,ResponseId,Respondent,Cohort,Round,Q7',
            '"Start Date","End Date","Response ID","Leader (pseudonym)","Cohort","Round",'
            '"Q7: Settles cross-team priorities in one forum (1-5)"']
    for i in range(60):
        arm = "Pilot" if i < 30 else "Control"
        base = rng.uniform(2.6, 3.8)
        for word, day, gain in (("Baseline", date(2026, 1, 12), 0.0),
                                ("Follow-up (6 mo)", date(2026, 7, 13), 0.5)):
            when = day + timedelta(days=rng.randint(0, 9))
            lift = gain if arm == "Pilot" else gain / 4
            noisy = min(5.0, base + lift + rng.gauss(0, 0.3))
            score = "N/A" if rng.random() < 0.05 else f"{noisy:.2f}"
            us = when.strftime("%m/%d/%Y")
            rows.append(f"{us},{us},R_{rng.getrandbits(40):010x},L{i:03d},{arm},{word},{score}")
    return "\n".join(rows) + "\n"


def hris(rng: random.Random) -> str:
    """An HRIS turnover report: title lines, ``Sep-25`` periods, thousands in FTE."""
    rows = ["Voluntary Turnover by Organisation - Monthly", "Generated 2026-10-02 by HR Analytics",
            "Period,Org Unit,Avg FTE,Terminations (Voluntary)"]
    for m in range(14):
        month = date(2025, 8 + m, 1) if m < 5 else date(2026, m - 4, 1)
        for unit, arm in UNITS.items():
            fte = rng.uniform(600, 1800)
            rate = 0.011 if arm == "comparison" or m < 6 else 0.008
            leavers = max(0, round(rng.gauss(fte * rate, 3)))
            rows.append(f'{month.strftime("%b-%y")},{unit},"{fte:,.1f}",{leavers}')
    return "\r\n".join(rows) + "\r\n"


def units() -> str:
    """The lookup that assigns each unit to pilot or comparison."""
    return "unit,arm\n" + "".join(f"{u},{a}\n" for u, a in UNITS.items())


def xapi(rng: random.Random) -> tuple[str, str]:
    """An LMS's xAPI statement log (JSON Lines) and its enrolment list."""
    people = [f"learner-{n:04d}" for n in range(120)]
    enrolled = "account,cohort\n" + "".join(f"{p},pilot\n" for p in people)
    lines = []
    for week in range(20):
        monday = date(2026, 1, 5) + timedelta(weeks=week)
        active = rng.sample(people, rng.randint(40, 100))
        for person in active:
            for _ in range(rng.randint(1, 3)):
                verb = rng.choice(["launched", "experienced", "completed", "answered"])
                at = monday + timedelta(days=rng.randint(0, 6))
                statement: dict[str, object] = {
                    "id": f"{rng.getrandbits(64):016x}",
                    "actor": {"objectType": "Agent",
                              "account": {"homePage": "https://lms.example", "name": person}},
                    "verb": {"id": VERB + verb, "display": {"en-US": verb}},
                    "object": {"id": f"https://lms.example/activities/{rng.randint(1, 30)}"},
                    "timestamp": f"{at.isoformat()}T{rng.randint(7, 19):02d}:"
                                 f"{rng.randint(0, 59):02d}:00Z"}
                if verb in ("completed", "answered") and rng.random() < 0.8:
                    statement["result"] = {"score": {"scaled": round(rng.random(), 2)}}
                lines.append(json.dumps(statement))
        # a system statement about no learner: an LMS logs these too
        lines.append(json.dumps({"id": f"{rng.getrandbits(64):016x}",
                                 "actor": {"objectType": "Agent", "account": {
                                     "homePage": "https://lms.example", "name": "system"}},
                                 "verb": {"id": VERB + "voided"},
                                 "object": {"id": "https://lms.example/statements/x"},
                                 "timestamp": f"{monday.isoformat()}T00:00:00Z"}))
    return "\n".join(lines) + "\n", enrolled


def _money(amount: float) -> str:
    text = f"€{abs(amount):,.2f}"
    return f"({text})" if amount < 0 else text


def ledger(rng: random.Random) -> str:
    """A finance ledger export: European dates, euro amounts, accounting negatives."""
    rows = ["Posting Date,Document No,Account,Cost Center,Amount,Currency"]
    for m in range(12):
        month = date(2025, 10, 1) if m == 0 else date(2025 + (9 + m) // 12, (9 + m) % 12 + 1, 1)
        for _ in range(60):
            day = month + timedelta(days=rng.randint(0, 27))
            account = rng.choice(ACCOUNTS)
            centre = rng.choice([*CENTRES, "CC-5001", "CC-5002"])
            amount = rng.uniform(200, 25000) * (-1 if rng.random() < 0.08 else 1)
            rows.append(f'{day.strftime("%d.%m.%Y")},{rng.randint(10**7, 10**8)},{account},'
                        f'{centre},"{_money(amount)}",EUR')
    return "\n".join(rows) + "\n"


def ai_summary() -> str:
    """An AI tool's outcome summary: counts per self-reported group, not one row per person."""
    return ("Group,n,selected\nWomen,2000,840\nMen,2000,1000\nUndisclosed,37,15\n"
            "Non-binary,12,5\n")


def write(folder: Path) -> dict[str, Path]:
    """Write every export into ``folder``; return them by name."""
    rng = random.Random(SEED)
    statements, enrolled = xapi(rng)
    files = {"survey_360.csv": survey(rng), "hris_turnover.csv": hris(rng),
             "units.csv": units(), "xapi_statements.jsonl": statements,
             "enrolment.csv": enrolled, "gl_export.csv": ledger(rng),
             "ai_outcomes.csv": ai_summary()}
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, text in files.items():
        out[name] = folder / name
        out[name].write_bytes(text.encode("utf-8"))
    return out


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "exports")).values():
        print(path)
