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
