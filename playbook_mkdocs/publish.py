"""Build into a staging folder; replace the site only after a whole, clean build.

MkDocs cleans the site folder before it writes pages and, under ``--strict``,
aborts on warnings only after the last event. Writing into a sibling staging
folder and swapping it in at the end of ``on_post_build`` keeps the previous
site byte-identical whenever a build fails, whatever failed.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mkdocs.utils import CountHandler

STAGING_SUFFIX = ".playbook-staging"
"""Suffix of the staging folder, created beside the site folder (same file system)."""
OLD_SUFFIX = ".playbook-old"
"""Suffix the previous site carries for the instant between the two renames."""


def staging_dir(site_dir: Path) -> Path:
    """A fresh, empty staging folder beside ``site_dir``.

    A staging folder left by a killed build is removed first.
    """
    site_dir = site_dir.absolute()
    staging = site_dir.with_name(site_dir.name + STAGING_SUFFIX)
    discard(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    return staging


def warnings_counted() -> bool:
    """Whether MkDocs' strict-mode counter saw a warning in this build."""
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler) and handler.get_counts():
            return True
    return False


def stop_counting_warnings() -> None:
    """Let this build finish despite warnings (``mkdocs serve`` under ``strict: true``).

    A preview whose build aborts leaves the browser waiting for a page that never
    comes; it should show the page, and the warnings stay in the server's log.
    """
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):
        if isinstance(handler, CountHandler):
            mkdocs_log.removeHandler(handler)


def swap(staging: Path, site_dir: Path) -> None:
    """Move ``staging`` to ``site_dir``; the previous site is removed only afterwards."""
    site_dir = site_dir.absolute()
    old = site_dir.with_name(site_dir.name + OLD_SUFFIX)
    discard(old)
    if site_dir.is_symlink() or site_dir.is_file():
        site_dir.unlink()
    elif site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    discard(old)


def discard(folder: Path) -> None:
    """Remove ``folder`` if it exists (a symlink is removed, never followed)."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
