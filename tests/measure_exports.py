"""Five raw exports, as their tools write them, for ``measure:`` (a fixed seed).

Each keeps the quirks that once needed SQL: a 360 tool's one row per rater with
wave labels and a self-rating, an HRIS report's title lines, ``Sep-25`` periods
and thousands in FTE with a unit → arm lookup, an LRS's xAPI statements as CSV
with ``Z`` timestamps (some late on a Sunday), a general ledger's many rows a
month with ``€ 1.234,56`` and ``(€ 12,30)``, numeric account codes and other
accounts mixed in, and an AI tool's weekly counts per team.
"""

from __future__ import annotations

import functools
import random
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20261207
UNITS = {f"ORG-{n:03d}": ("Pilot" if n % 2 else "Comparison") for n in range(1, 9)}
RELATIONS = ["Self", "Manager", "Peer", "Peer", "Direct report", "Direct report"]
WAVES = {"Wave 1 - Baseline": date(2026, 1, 12), "Wave 2 - 6 months": date(2026, 7, 13)}
VERBS = ["launched", "experienced", "completed", "answered"]


def survey(rng: random.Random) -> str:
    """A 360 tool's export: a row per rater, US date-times, wave labels, ``N/A`` answers."""
    rows = ["Response ID,Submitted,Wave,Leader ID,Rater relationship,Cohort,Q7 Score"]
    for wave, start in [*WAVES.items(), ("Test wave (ignore)", date(2026, 1, 5))]:
        for leader in range(40 if wave.startswith("Wave") else 2):
            cohort = "Pilot" if leader % 2 else "Control"
            for relation in RELATIONS:
                at = datetime.combine(start, datetime.min.time()) + timedelta(
                    days=rng.randint(0, 12), minutes=rng.randint(420, 1100))
                score = "N/A" if rng.random() < 0.06 else str(rng.randint(1, 5))
                rows.append(f"R_{rng.getrandbits(40):010x},{at:%m/%d/%Y %H:%M},{wave},"
                            f"L{leader:03d},{relation},{cohort},{score}")
    return "\n".join(rows) + "\n"


def hris(rng: random.Random) -> str:
    """An HRIS turnover report per unit: two title lines, ``Sep-25``, ``1,234.5`` FTE."""
    rows = ["Voluntary Turnover by Organisation - Monthly", "Generated 2026-10-02",
            "Period,Org Unit,Avg FTE,Terminations (Voluntary)"]
    for m in range(12):
        month = date(2025 + (8 + m) // 12, (8 + m) % 12 + 1, 1)
        for unit in UNITS:
            fte = rng.uniform(600, 1800)
            rows.append(f'{month:%b-%y},{unit},"{fte:,.1f}",{rng.randint(0, 20)}')
    return "\r\n".join(rows) + "\r\n"


def units() -> str:
    """The lookup of each unit's arm (one unit listed twice, with the same arm)."""
    return "Unit,Arm\n" + "".join(f"{u},{a}\n" for u, a in UNITS.items()) + "ORG-001,Pilot\n"


def xapi(rng: random.Random) -> str:
    """An LRS's xAPI statements as CSV: ``Z`` timestamps, a ``system`` actor, other verbs."""
    rows = ["id,timestamp,actor.account.name,verb.display.en-US,object.id"]
    people = [f"lrn-{n:04d}" for n in range(90)]
    for week in range(16):
        monday = datetime(2026, 1, 5) + timedelta(weeks=week)
        for person in rng.sample(people, rng.randint(20, 70)):
            for _ in range(rng.randint(1, 3)):
                at = monday + timedelta(days=rng.randint(0, 6), hours=rng.randint(6, 23),
                                        minutes=rng.choice([0, 15, 30, 59]))
                verb = rng.choice([*VERBS, "voided", "registered"])
                rows.append(f"{rng.getrandbits(64):016x},{at:%Y-%m-%dT%H:%M:%S}Z,{person},"
                            f"{verb},https://lms.example/activities/{rng.randint(1, 30)}")
        rows.append(f"{rng.getrandbits(64):016x},{monday:%Y-%m-%dT00:00:00}Z,system,"
                    "launched,https://lms.example/statements/x")
    return "\n".join(rows) + "\n"


def _euro(amount: float) -> str:
    whole, cents = f"{abs(amount):,.2f}".split(".")
    text = f"€ {whole.replace(',', '.')},{cents}"
    return f"({text})" if amount < 0 else text


def ledger(rng: random.Random) -> str:
    """A general ledger: many rows a month, ``dd.mm.yyyy``, ``€ 1.234,56``, ``(€ 12,30)``."""
    rows = ["Posting Date,Document No,Account,Cost Centre,Amount,Currency"]
    for m in range(12):
        month = date(2025 + (9 + m) // 12, (9 + m) % 12 + 1, 1)
        for _ in range(70):
            day = month + timedelta(days=rng.randint(0, 27))
            account = rng.choice([6100, 6110, 6200, 6300])
            centre = rng.choice(["CC-4101", "CC-4102", "CC-4103", "CC-9999"])
            amount = rng.uniform(10, 25000) * (-1 if rng.random() < 0.1 else 1)
            rows.append(f'{day:%d.%m.%Y},{rng.randint(10**7, 10**8)},{account},{centre},'
                        f'"{_euro(amount)}",EUR')
    return "\n".join(rows) + "\n"


def ai_counts(rng: random.Random) -> str:
    """An AI tool's weekly counts per team: suggestions made and accepted."""
    rows = ["Week starting,Team,Arm,Suggestions,Accepted"]
    for week in range(26):
        monday = date(2026, 1, 5) + timedelta(weeks=week)
        for team in range(6):
            made = rng.randint(20, 400)
            rate = 0.55 if team % 2 else 0.4
            rows.append(f"{monday:%Y-%m-%d},T{team},{'Pilot' if team % 2 else 'Comparison'},"
                        f"{made},{int(made * rng.uniform(rate - 0.1, rate + 0.1))}")
    return "\n".join(rows) + "\n"


@functools.cache
def _exports() -> dict[str, bytes]:
    """Every export's bytes, made once per process: the seed fixes them, and a dozen
    tests each writing them drew the same 3,000 random rows again (0.1 s each)."""
    rng = random.Random(SEED)
    files = {"rater_360.csv": survey(rng), "turnover.csv": hris(rng), "units.csv": units(),
             "xapi.csv": xapi(rng), "ledger.csv": ledger(rng), "ai_counts.csv": ai_counts(rng)}
    return {name: text.encode("utf-8") for name, text in files.items()}


def write(folder: Path) -> dict[str, Path]:
    """Write every export into ``folder``; return them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, data in _exports().items():
        out[name] = folder / name
        out[name].write_bytes(data)
    return out
