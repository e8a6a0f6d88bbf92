"""Progress on a terminal for a long ``mkdocs build``: programs loaded, then pages written.

At hundreds of programs a build runs for minutes, most of it MkDocs writing
pages; a person at a terminal sees how far it is. CI logs, pipes and
``mkdocs serve`` (whose rebuilds take seconds) get nothing, as for
``playbook check`` (:mod:`playbook.commands.progress`). The bar is rich's,
on standard error, and removed when the build ends.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from typing import Any

from playbook.commands import progress

MIN_PAGES = 200
"""Fewer pages are written in a few seconds: no bar."""


class Stage(StrEnum):
    """What the bar counts, in the order a build goes through them (its label)."""

    PROGRAMS = "programs"
    """Programs loaded, then computed (the engine's stages)."""
    CONVERTING = "converting pages"
    """Pages whose Markdown MkDocs converted (every page, before any is written)."""
    WRITING = "writing pages"
    """Pages MkDocs wrote."""


class BuildBar:
    """One transient bar per build, its task relabelled from stage to stage."""

    def __init__(self) -> None:
        self.shown: Any = None
        self.task: Any = None
        self.stage = Stage.PROGRAMS
        self.streams: list[tuple[logging.StreamHandler[Any], Any]] = []

    def start(self, enabled: bool) -> None:
        """Show the bar, when ``enabled`` and a person is watching (never twice)."""
        self.stop()
        if not enabled or not progress.wanted():
            return
        from rich.console import Console  # imported only for a person at a terminal
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.shown = Progress(TextColumn("{task.description}"), BarColumn(),
                              MofNCompleteColumn(), TextColumn("{task.fields[name]}"),
                              console=Console(stderr=True), transient=True)
        self.stage = Stage.PROGRAMS
        self.task = self.shown.add_task(self.stage, total=None, name="")
        before = sys.stderr
        self.shown.start()
        # MkDocs' log handler keeps the stream it started with; pointed at rich's
        # stand-in for standard error, a warning prints above the bar, not into it
        for handler in logging.getLogger("mkdocs").handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is before \
                    and sys.stderr is not before:
                self.streams.append((handler, handler.setStream(sys.stderr)))

    def programs(self, done: int, total: int, name: str) -> None:
        """Told as each program is loaded, then computed (the engine's progress callback)."""
        if self.shown is not None and total >= progress.MIN_PROGRAMS:
            self.shown.update(self.task, completed=done + 1, total=total, name=name)

    def pages(self, total: int) -> None:
        """Switch to counting pages, out of ``total``: MkDocs converts every page's
        Markdown first, then writes every page."""
        if self.shown is not None:
            if total < MIN_PAGES:
                self.stop()
                return
            self.stage = Stage.CONVERTING
            self.shown.update(self.task, description=self.stage, completed=0, total=total,
                              name="")

    def page_converted(self, name: str) -> None:
        """Count one page's Markdown converted."""
        if self.shown is not None:
            self.shown.update(self.task, advance=1, name=name)

    def page_written(self, name: str) -> None:
        """Count one page written (the first one starts the writing stage)."""
        if self.shown is not None:
            if self.stage is not Stage.WRITING:
                self.stage = Stage.WRITING
                self.shown.update(self.task, description=self.stage, completed=0)
            self.shown.update(self.task, advance=1, name=name)

    def stop(self) -> None:
        """Remove the bar (the build ended, or failed)."""
        if self.shown is not None:
            for handler, stream in self.streams:
                handler.setStream(stream)
            self.streams.clear()
            self.shown.stop()
            self.shown = None
