"""Where a built site came from: commit, build date, site version, each program's history.

Plain data beside :class:`playbook.figures.site.SiteData`; git is read by
:mod:`playbook.review.history` (git is optional, so every field may be empty)
and the pages and the theme's footer only show what is here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Final

HISTORY_LIMIT: Final = 20
"""Commits listed per program on its overview, newest first."""


@dataclass(frozen=True)
class Revision:
    """One commit that touched a program's definition or data."""

    commit: str
    """The short commit id."""
    date: date
    """The author date."""
    author: str
    """The author's name, as git records it."""
    subject: str
    """The first line of the commit message."""
    version: str | None
    """The program's ``version`` at that commit (``None``: no readable program.yml)."""


@dataclass(frozen=True)
class Provenance:
    """What a built site says about its own origin."""

    commit: str | None = None
    """Short id of the commit built; ``None``: built without git (from a tarball)."""
    built: date | None = None
    """The build date (``PLAYBOOK_TODAY`` when set, so a rebuild is identical)."""
    site_version: str | None = None
    """The version mike deploys the site as; ``None``: not a versioned build."""
    history: Mapping[str, tuple[Revision, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    """Program id → its last :data:`HISTORY_LIMIT` commits, newest first."""
