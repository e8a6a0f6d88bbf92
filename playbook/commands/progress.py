"""A progress bar for long runs, on a terminal only.

CI logs, pipes and ``--format json`` get nothing: a bar there is noise (or
breaks the JSON). The bar is rich's, drawn on standard error and cleared when
the run ends, so the output a person reads afterwards is unchanged.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

MIN_PROGRAMS = 10
"""Fewer programs load in well under a second: no bar."""


def wanted(fmt: str = "text") -> bool:
    """Whether to draw a bar: text output, standard error a terminal, not in CI."""
    return fmt == "text" and sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def bar(label: str, enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A ``(done, total, name)`` callback drawing a transient bar, or ``None`` when off."""
    if not enabled:
        yield None
        return
    from rich.console import Console  # imported only for a person at a terminal
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[name]}"), console=Console(stderr=True),
                  transient=True) as shown:
        task = shown.add_task(label, total=None, name="")

        def update(done: int, total: int, name: str) -> None:
            if total >= MIN_PROGRAMS:
                shown.update(task, completed=done, total=total, name=name)

        yield update
