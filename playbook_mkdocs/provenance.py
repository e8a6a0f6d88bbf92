"""Provenance on every page: the footer's commit, build date and versions, and the edit link.

The hook stamps the site data with :func:`playbook.review.history.provenance`
(git optional), puts :data:`THEME_DIR` in front of Material's templates so the
footer and the printout show where the page came from, and points each
generated program page's "edit" button at the program file it is rendered
from. Only when ``repo_url`` is configured: without it there is no forge to
link to, and MkDocs would warn about every page.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Final

from mkdocs.config.defaults import MkDocsConfig

from playbook.figures.site import SiteData
from playbook.pages.sections import SECTIONS
from playbook.pages.site_pages import PROGRAMS_DIR
from playbook.review import history

THEME_DIR: Final = Path(__file__).parent / "overrides"
"""Templates that add the provenance line to Material's footer and to the printout."""
VERSION_ENV: Final = "MIKE_DOCS_VERSION"
"""Set by ``mike deploy`` to the version it builds."""
SOURCE_OF: Final = MappingProxyType({s.file: s.source for s in SECTIONS})
"""The program file each generated page is mostly rendered from: what an editor edits."""


def stamp(data: SiteData) -> SiteData:
    """``data`` with its provenance read from git (empty parts without git)."""
    found = history.provenance(data.root, data.today, os.environ.get(VERSION_ENV) or None,
                               (v.id for v in data.programs))
    return replace(data, provenance=found)


def add_templates(config: MkDocsConfig) -> None:
    """Put :data:`THEME_DIR` before the theme's own templates, after the user's overrides.

    The user's ``custom_dir`` stays first, so a site that overrides the same
    partial keeps its own.
    """
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))


def program_of(src_uri: str) -> tuple[str, str] | None:
    """``(program id, page file)`` of a generated program page, else ``None``."""
    parts = PurePosixPath(src_uri).parts
    if len(parts) == 3 and parts[0] == PROGRAMS_DIR and parts[2] in SOURCE_OF:
        return parts[1], parts[2]
    return None


def edit_uri(config: MkDocsConfig, root: Path, src_uri: str) -> str | None:
    """The "edit" path of a generated page: its program file, relative to ``docs_dir``.

    MkDocs joins ``repo_url``, ``edit_uri`` (which points at the docs folder on
    the forge) and this path, so ``../program/<id>/<file>.yml`` lands on the
    program file. ``None`` (no button) without a ``repo_url`` or for pages
    that are not a program's.
    """
    found = program_of(src_uri)
    if not config.repo_url or found is None:
        return None
    program, page = found
    target = root / "program" / program / f"{SOURCE_OF[page]}.yml"
    return Path(os.path.relpath(target, Path(config.docs_dir).resolve())).as_posix()


def context(data: SiteData | None, src_uri: str | None) -> dict[str, str | None]:
    """What the footer partial shows; plain strings, escaped by the template."""
    p = data.provenance if data is not None else None
    program_version = None
    found = program_of(src_uri) if src_uri and data is not None else None
    if found is not None and data is not None:
        bundle = next((v.bundle for v in data.programs if v.id == found[0]), None)
        program_version = bundle.program.version if bundle and bundle.program else None
    return {
        "commit": p.commit if p else None,
        "built": p.built.isoformat() if p and p.built else None,
        "site_version": p.site_version if p else None,
        "program_version": program_version,
    }
