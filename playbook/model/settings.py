"""Model of ``playbook.yml``: settings of the whole playbook, beside ``program/``.

Today it names the warehouse connections that SQL sources may run in. A
connection's URL holds credentials, so the file names only the environment
variable that holds it; the URL itself never enters the repository.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from playbook.model.base import Id, StrictModel, Text

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
"""The name of an environment variable, such as ``PLAYBOOK_WAREHOUSE_URL``."""


class Connection(StrictModel):
    """A warehouse that SQL sources run in, reached through a SQLAlchemy URL."""

    env: EnvName
    """Environment variable holding the SQLAlchemy URL
    (``postgresql+psycopg://reader@host/analytics``, ``snowflake://…``,
    ``bigquery://project``, ``databricks://…``, ``trino://…``); set it where
    ``playbook pull`` runs, never in a file of the repository."""
    description: Text | None = None
    """What the warehouse is and which read-only role the URL should use."""
    timeout: float = Field(default=120, gt=0, le=3600)
    """Seconds a query may run in a PostgreSQL warehouse before it is stopped (its
    ``statement_timeout``, set for the session ``playbook pull`` opens); other warehouses
    apply their own limits."""


class Settings(StrictModel):
    """``playbook.yml``: settings shared by every program of the playbook."""

    connections: dict[Id, Connection] = Field(default_factory=dict)
    """Warehouse connections by name, referenced by a source's ``connection``."""
