"""Model of ``playbook.yml``: settings of the whole playbook, beside ``program/``.

It names the warehouse connections that SQL sources may run in (a
connection's URL holds credentials, so the file names only the environment
variable that holds it; the URL itself never enters the repository), and the
publishing policy: what a deploy of main requires beyond a playbook without
errors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field, StringConstraints, field_validator

from playbook.model.base import Id, Role, StrictModel, Text

FORMAT_VERSION: Final = 1
"""The version of the program format this package reads and writes.

It rises only when a valid playbook's files must change to stay valid (or to mean
the same); ``playbook migrate`` then rewrites them.
"""

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


class Context(StrEnum):
    """Where the playbook is being checked or built."""

    PRE_COMMIT = "pre-commit"
    """An editor's commit (the pre-commit hook): errors block."""
    PR = "pr"
    """The pull request's check: errors block; sign-offs are a status of their own."""
    SIGNOFF = "signoff"
    """The pull request's sign-off status: pending (it fails) until every role that
    ``publish:`` requires has a current, verifiable sign-off; nothing else blocks it."""
    BUILD = "build"
    """``mkdocs build``: errors block (and, as MkDocs decides, broken links)."""
    PREVIEW = "preview"
    """The pull request's preview and ``mkdocs serve``: errors block; a pending
    sign-off is shown on the page it belongs to."""
    DEPLOY = "deploy"
    """Publishing main: errors block, and what ``publish:`` in ``playbook.yml`` asks."""
    CLEAN = "clean"
    """``playbook check --strict``, what an editor aims for: every error, finding
    and pending item not acknowledged blocks."""


class Publish(StrictModel):
    """What a deploy of main requires beyond a playbook without errors.

    Errors block everywhere. By default nothing else does: monthly data is
    published, a stale sign-off shows as stale on the site, a finding as a
    finding. ``playbook check --for deploy`` (the Makefile's ``deploy``) applies
    this policy; pre-commit, the pull-request check, the build and the preview
    never block on a finding or a pending sign-off.
    """

    require_signoffs: list[Role] = Field(default_factory=list)
    """Roles whose current sign-off (its digest matching the program as it is)
    every program needs before it is deployed; a missing or stale one blocks."""
    findings_must_be_acknowledged: bool = False
    """Whether every finding must be acknowledged (``acknowledgements:`` in
    ``program.yml``) before a deploy."""


BenchmarkFile = Annotated[str, StringConstraints(
    pattern=r"^benchmarks/[a-z0-9]+(-[a-z0-9]+)*\.yml$")]
"""A benchmark file of the playbook: ``benchmarks/<name>.yml`` beside ``program/``."""


class Benchmarks(StrictModel):
    """Published effects that each program's effects are placed against."""

    files: list[BenchmarkFile] = Field(default_factory=list)
    """The playbook's own benchmark files (``benchmarks/<name>.yml``, in the format of
    the packaged ``lacerenza-2017.yml``); for a criterion both give, a file here wins."""
    packaged: bool = True
    """Whether the benchmarks shipped with the package (Lacerenza et al., 2017) apply;
    ``false`` replaces them with ``files``."""


class Settings(StrictModel):
    """``playbook.yml``: settings shared by every program of the playbook."""

    format_version: int = Field(default=FORMAT_VERSION, ge=1)
    """The version of the program format the playbook's files are written in (``1``);
    ``playbook init`` writes the current one. A newer version than the installed
    package reads is refused: upgrade the package, never edit the number."""
    connections: dict[Id, Connection] = Field(default_factory=dict)
    """Warehouse connections by name, referenced by a source's ``connection``."""
    publish: Publish = Field(default_factory=Publish)
    """The publishing policy: what blocks a deploy of main."""
    benchmarks: Benchmarks = Field(default_factory=Benchmarks)
    """Research benchmarks each program's effects are placed against."""

    @field_validator("format_version")
    @classmethod
    def _readable(cls, value: int) -> int:
        # a newer format may mean something else by the same field: refuse, never guess
        if value > FORMAT_VERSION:
            raise ValueError(f"format version {value} is newer than this package reads "
                             f"({FORMAT_VERSION}); upgrade mkdocs-playbook")
        return value
