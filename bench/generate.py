"""Synthetic playbooks for the benchmark: N programs made from the example ones.

Each program is a copy of one of the example programs (alternating), renamed,
with its event-level CSV grown to a realistic size drawn from a fixed seed; the
big-data variant spreads a total row count over those CSVs instead. The
playbook folder gets the project's ``mkdocs.yml``, ``docs/`` and ``hooks/``, so
``mkdocs build`` there is the real site build. The same seed and N always give
the same files.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from playbook.load import loader, signoffs

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = ("decision-velocity", "approval-velocity")
"""The example programs the generated ones copy, in turn."""
SEED = 20261124
EVENTS = {"decision-velocity": "decision_latency.csv"}
"""The event-level CSV of a template (one row per decision), grown per program."""
ROWS_PER_PROGRAM = (200, 5_000)
"""Range of event rows per program in a realistic playbook (a few years of decisions)."""
SITE_FILES = ("mkdocs.yml", "docs", "hooks")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_PROMISE = re.compile(r"((?:change|low|high|first_year_pct|low_pct|high_pct): )(-?[0-9.]+)")
"""A number of a forecast: each copy promises more or less than its template, so the
portfolio's calibration plot has as many different points as programs."""
FORECAST_SCALE = (0.5, 1.6)
"""Range of the factor a copy's forecast is scaled by (drawn per program, seeded)."""


def program_id(i: int) -> str:
    """The id of the ``i``-th generated program (``bench-007``)."""
    return f"bench-{i:03d}"


def make(root: Path, programs: int, total_rows: int | None = None) -> Path:
    """Write a playbook of ``programs`` programs under ``root``; return ``root``.

    Args:
        root: An empty or missing folder.
        programs: How many programs.
        total_rows: Event rows over all programs (spread evenly over the programs
            with an event CSV); ``None`` draws a realistic size per program.
    """
    rng = random.Random(SEED)
    root.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    for page in (root / "docs").rglob("*.md"):  # hand-written pages name example programs
        text = page.read_text(encoding="utf-8")
        for n, template in enumerate(TEMPLATES):
            text = text.replace(template, program_id(n))
        page.write_text(text, encoding="utf-8")
    with_events = [i for i in range(programs) if TEMPLATES[i % len(TEMPLATES)] in EVENTS]
    for i in range(programs):
        template = TEMPLATES[i % len(TEMPLATES)]
        pid = program_id(i)
        _copy_program(root, template, pid, i)
        if template in EVENTS:
            rows = (total_rows // len(with_events) if total_rows is not None
                    else rng.randint(*ROWS_PER_PROGRAM))
            _events(root / "data" / pid / EVENTS[template], rows, rng)
    _resign(root)
    return root


def _resign(root: Path) -> None:
    """Give every copied sign-off the digest of its program as generated.

    The copies differ from what was signed (id, title), so their sign-offs would
    be stale: pending items on every program page, which the example never has.
    """
    playbook, _ = loader.load_playbook(root)
    for bundle in playbook.programs:
        assert bundle.program is not None
        path = root / "program" / bundle.program.id / "program.yml"
        text = _DIGEST.sub(signoffs.digest(bundle), path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")


def _copy_program(root: Path, template: str, pid: str, i: int) -> None:
    """Copy a template program and its data under a new id and title."""
    folder = root / "program" / pid
    shutil.copytree(REPO / "program" / template, folder)
    shutil.copytree(REPO / "data" / template, root / "data" / pid)
    for yml in [*folder.glob("*.yml"), *(root / "data" / pid).glob("*.sql")]:
        text = yml.read_text(encoding="utf-8").replace(template, pid)
        if yml.name == "program.yml":  # titles must differ: the nav and the portfolio list them
            text = re.sub(r"^title: (.*)$", rf"title: \1 {i:03d}", text, count=1, flags=re.M)
            text = _forecast(text, random.Random(SEED + i).uniform(*FORECAST_SCALE))
        yml.write_text(text, encoding="utf-8")


def _forecast(text: str, factor: float) -> str:
    """``program.yml`` with every number of its ``forecast:`` block times ``factor`` (a
    positive factor keeps each range around its change)."""
    head, found, tail = text.partition("\nforecast:\n")
    if not found:
        return text
    block, rest = tail, ""
    if "\nsignoff:" in tail:
        block, _, rest = tail.partition("\nsignoff:")
        rest = "\nsignoff:" + rest
    scaled = _PROMISE.sub(lambda m: f"{m.group(1)}{float(m.group(2)) * factor:.2f}", block)
    return head + found + scaled + rest


def _events(path: Path, rows: int, rng: random.Random) -> None:
    """Rewrite the daily latency CSV with ``rows`` rows: one a day per group, seeded noise.

    The KPI holds one value per date and group, so more rows means more days:
    they run back from the last day of the example's data, years for big files.
    """
    last = date(2026, 10, 31)
    days = max(1, rows // 2)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["decided_on", "latency_days", "cohort"])
        for back in range(days - 1, -1, -1):
            day = last - timedelta(days=back)
            for cohort, drift in (("comparison", 0.002), ("pilot", 0.02)):
                value = 40 - drift * max(0, 340 - back) + rng.uniform(-3, 3)
                out.writerow([day.isoformat(), f"{value:.1f}", cohort])


def edit_value(root: Path, i: int, stamp: str) -> tuple[Path, str]:
    """Change one value of program ``i`` as an editor would; return the page showing it.

    The program's outcome sentence gets ``stamp`` appended; it is printed on the
    program's overview page.

    Returns:
        The file changed and the page's URL path under the site.
    """
    path = root / "program" / program_id(i) / "program.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.lstrip().startswith("outcome:"):
            lines[n] = line.rstrip("\n") + f" {stamp}\n"
            break
    else:
        raise ValueError(f"{path}: no outcome line to edit")
    path.write_text("".join(lines), encoding="utf-8")
    return path, f"programs/{program_id(i)}/"


if __name__ == "__main__":
    # `python -m bench.generate ROOT PROGRAMS [ROWS]`: the benchmark generates in a child
    # process, so that its own memory (it loads the programs to sign them) is not
    # counted in the peak of the processes it measures, which start as its copies
    make(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None)
