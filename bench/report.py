"""The benchmark's table and its targets (issue 13), each PASS or FAIL.

Targets are read here and printed; no test times anything. Ratios use CPU
seconds (user + system of the measured process), which a busy shared machine
disturbs less than wall time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from bench.measure import Size

BUILD_GROWTH = 11.0
"""Most the build may grow from the small to the large size (10× the programs)."""
FLOOR_RATIO = 1.3
CHECK_SECONDS = 3.0
BIG_RSS_MB = 1024.0
BIG_TIME_RATIO = 1.2
PAGE_BYTES = 300 * 1024
SERVE_EXAMPLE = 2.0
SERVE_LARGE = 10.0


def cores() -> int:
    """CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


def table(sizes: Sequence[Size]) -> str:
    """One row per size: build, floor, ratio, check, peak RSS, largest page, serve."""
    head = ("| programs | build --strict (cpu / wall) | floor (cpu) | build ÷ floor | "
            "playbook check (wall) | peak RSS build / floor | largest page | serve update | "
            "portfolio page (forest rows) |")
    rows = [head, "|" + "---|" * 9]
    for s in sizes:
        floor = f"{s.floor.cpu:.1f} s" if s.floor else "—"
        ratio = f"{s.build.cpu / s.floor.cpu:.2f}" if s.floor else "—"
        rss = f"{s.build.rss_mb:.0f} MB" + (f" / {s.floor.rss_mb:.0f} MB" if s.floor else "")
        serve = f"{s.serve:.1f} s" if s.serve is not None else "—"
        rows.append(f"| {s.label} | {s.build.cpu:.1f} s / {s.build.wall:.1f} s | {floor} | "
                    f"{ratio} | {s.check.wall:.2f} s | {rss} | {s.page[1] / 1024:.0f} KB "
                    f"({s.page[0]}) | {serve} | {s.portfolio[0] / 1024:.0f} KB "
                    f"({s.portfolio[1]}) |")
    return "\n".join(rows)


def _line(name: str, value: str, target: str, ok: bool) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {name}: {value} (target {target})"


def targets(sizes: Sequence[Size], example_serve: float | None) -> str:
    """Each target that these sizes measure, PASS or FAIL; one line each."""
    out = []
    small, large = sizes[0], (sizes[1] if len(sizes) > 1 else None)
    big = sizes[2] if len(sizes) > 2 else None
    if large is not None:
        growth = large.build.cpu / small.build.cpu
        out.append(_line(f"build {large.label} ÷ {small.label}", f"{growth:.1f}×",
                         f"≤ {BUILD_GROWTH:g}×", growth <= BUILD_GROWTH))
    for s in (small, large):
        if s is not None and s.floor is not None:
            ratio = s.build.cpu / s.floor.cpu
            out.append(_line(f"build ÷ floor at {s.label}", f"{ratio:.2f}",
                             f"≤ {FLOOR_RATIO:g}", ratio <= FLOOR_RATIO))
    checked = large or small
    out.append(_line(f"playbook check at {checked.label}", f"{checked.check.wall:.2f} s",
                     f"< {CHECK_SECONDS:g} s", checked.check.wall < CHECK_SECONDS))
    if big is not None and large is not None:
        out.append(_line(f"peak RSS at {big.label}", f"{big.build.rss_mb:.0f} MB",
                         f"< {BIG_RSS_MB:.0f} MB", big.build.rss_mb < BIG_RSS_MB))
        ratio = big.build.cpu / large.build.cpu
        out.append(_line(f"build {big.label} ÷ {large.label}", f"{ratio:.2f}×",
                         f"≤ {BIG_TIME_RATIO:g}×", ratio <= BIG_TIME_RATIO))
    page = max(sizes, key=lambda s: s.page[1])
    out.append(_line(f"largest page ({page.label}: {page.page[0]})",
                     f"{page.page[1] / 1024:.0f} KB", f"< {PAGE_BYTES // 1024} KB",
                     page.page[1] < PAGE_BYTES))
    for s in sizes:  # every program has a row in the forest plot, a point or a reason
        programs = int(s.label.split(",")[0])
        out.append(_line(f"portfolio forest rows at {s.label}", f"{s.portfolio[1]}",
                         f"≥ {programs}", s.portfolio[1] >= programs))
    out.append(_line("serve update, example", _seconds(example_serve),
                     f"≤ {SERVE_EXAMPLE:g} s", _within(example_serve, SERVE_EXAMPLE)))
    served = large or small
    out.append(_line(f"serve update at {served.label}", _seconds(served.serve),
                     f"≤ {SERVE_LARGE:g} s", _within(served.serve, SERVE_LARGE)))
    return "\n".join(out)


def _seconds(value: float | None) -> str:
    return "no update seen" if value is None else f"{value:.1f} s"


def _within(value: float | None, limit: float) -> bool:
    return value is not None and value <= limit
