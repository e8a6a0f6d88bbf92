"""The suite itself: reproducible on a loaded machine, and it says what is slow."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]


def test_the_hypothesis_profile_cannot_fail_on_a_slow_machine() -> None:
    ci = settings.get_profile("ci")
    assert ci.deadline is None
    assert ci.derandomize is True  # the same examples on every run
    assert HealthCheck.too_slow in ci.suppress_health_check
    if "HYPOTHESIS_PROFILE" not in os.environ:  # conftest.py loads it by default
        assert settings.default.deadline is None and settings.default.derandomize is True


def test_every_run_prints_its_ten_slowest_tests() -> None:
    pytest_config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["pytest"]["ini_options"]
    assert "--durations=10" in pytest_config["addopts"].split()
