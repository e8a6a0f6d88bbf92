"""The build date, injected so the same commit builds the same site."""

from __future__ import annotations

import os
from datetime import date

from playbook.model.problems import UsageError

TODAY_ENV = "PLAYBOOK_TODAY"


class TodayError(UsageError, ValueError):
    """``PLAYBOOK_TODAY`` is set but is not an ISO date."""


def today_from_env(default: date | None = None) -> date:
    """The build date: ``PLAYBOOK_TODAY`` when set, else ``default`` or the clock."""
    raw = os.environ.get(TODAY_ENV, "").strip()
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise TodayError(f"{TODAY_ENV}='{raw}' is not a date YYYY-MM-DD") from exc
    return default or date.today()
