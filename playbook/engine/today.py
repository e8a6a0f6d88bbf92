"""The build date, injected so the same commit builds the same site in every time zone.

Every "today" of the engine and the commands comes from :func:`today_from_env`:
``PLAYBOOK_TODAY`` when set, else the date in :data:`ZONE` (UTC), never the
machine's: a build at 23:30 in New York and one at 04:30 in Dublin the same moment
judge every KPI on the same day, as DuckDB reads every timestamp in UTC
(:data:`playbook.load.sql.TIME_ZONE`).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from typing import Final

from playbook.model.problems import UsageError

TODAY_ENV = "PLAYBOOK_TODAY"
ZONE: Final = UTC
"""The zone whose date is today when ``PLAYBOOK_TODAY`` is not set (not the machine's)."""


class TodayError(UsageError, ValueError):
    """``PLAYBOOK_TODAY`` is set but is not an ISO date."""


def today_from_env(default: date | None = None) -> date:
    """The build date: ``PLAYBOOK_TODAY`` when set, else ``default`` or today in UTC."""
    raw = os.environ.get(TODAY_ENV, "").strip()
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise TodayError(f"{TODAY_ENV}='{raw}' is not a date YYYY-MM-DD") from exc
    return default or datetime.now(ZONE).date()
