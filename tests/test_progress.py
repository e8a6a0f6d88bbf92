"""Progress on a terminal only: never in CI, in a pipe or in JSON output."""

from __future__ import annotations

import io
import sys

import pytest

from playbook.commands import progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("tty", "ci", "fmt", "expected"), [
    (True, None, "text", True),
    (True, "true", "text", False),
    (False, None, "text", False),
    (True, None, "json", False),
    (True, None, "github", False),
])
def test_a_bar_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch, tty: bool,
                                               ci: str | None, fmt: str,
                                               expected: bool) -> None:
    monkeypatch.setattr(sys, "stderr", _Tty() if tty else io.StringIO())
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert progress.wanted(fmt) is expected


def test_the_bar_takes_updates_and_an_off_bar_is_none() -> None:
    with progress.bar("checking", enabled=False) as tell:
        assert tell is None
    with progress.bar("checking", enabled=True) as tell:
        assert tell is not None
        for done in range(12):
            tell(done, 12, f"program-{done}")


# --- mkdocs build ----------------------------------------------------------------------


def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Tty())
    monkeypatch.delenv("CI", raising=False)


def test_a_long_build_counts_programs_then_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook_mkdocs.terminal import BuildBar

    _terminal(monkeypatch)
    bar = BuildBar()
    bar.start(enabled=True)
    assert bar.shown is not None
    bar.programs(199, 200, "bench-199")
    task = bar.shown.tasks[0]
    assert (task.description, task.completed, task.total) == ("programs", 200, 200)
    bar.pages(1800)
    for name in ("a.md", "b.md"):
        bar.page_converted(name)
    task = bar.shown.tasks[0]
    assert (task.description, task.completed, task.total) == ("converting pages", 2, 1800)
    for name in ("a.md", "b.md", "c.md"):
        bar.page_written(name)
    task = bar.shown.tasks[0]
    assert (task.description, task.completed, task.total) == ("writing pages", 3, 1800)
    assert task.fields["name"] == "c.md"
    bar.stop()
    assert bar.shown is None


def test_no_build_bar_when_serving_in_ci_or_for_a_small_site(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook_mkdocs.terminal import BuildBar

    _terminal(monkeypatch)
    bar = BuildBar()
    bar.start(enabled=False)  # mkdocs serve
    assert bar.shown is None
    bar.start(enabled=True)
    bar.pages(40)  # a small site is written in seconds
    assert bar.shown is None
    monkeypatch.setenv("CI", "true")
    bar.start(enabled=True)
    assert bar.shown is None
    bar.page_converted("a.md")  # an absent bar takes updates and shows nothing
    bar.page_written("a.md")
    bar.stop()
