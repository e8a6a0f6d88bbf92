"""What several commands share: the build date from an option or the environment."""

from __future__ import annotations

from datetime import date

from playbook.engine import today_from_env
from playbook.model.problems import UsageError


def day_option(value: str | None) -> date:
    """``value`` as a date, else the build date.

    Raises:
        UsageError: ``value`` (or ``PLAYBOOK_TODAY``) is not a date.
    """
    try:
        return date.fromisoformat(value) if value else today_from_env()
    except ValueError as exc:
        raise UsageError(f"bad date: {exc}") from exc
