"""MkDocs hooks: a few lines per event, each handing over to the engine.

Validation runs in ``on_config``, before MkDocs cleans or writes the site, so a
bad program aborts the build with the checker's messages and leaves the last
good site untouched.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from playbook import assets, pages, reference
from playbook.site import SiteData, TodayError, build, today_from_env

log = logging.getLogger("mkdocs.plugins.playbook")
STATE_KEY = "playbook_site"
"""Key on the per-build config that carries the site data to files and macros."""


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check every program; abort the build on any error."""
    try:
        today = today_from_env()
    except TodayError as exc:
        raise PluginError(str(exc)) from exc
    data, problems = build(_root(config), today)
    for warning in problems.warnings:
        log.warning(str(warning))
    if data is None:
        raise PluginError("playbook check failed; nothing was built:\n"
                          + "\n".join(str(p) for p in problems.errors))
    config[STATE_KEY] = data
    config.nav = pages.splice_nav(config.nav, pages.nav(data))
    if os.environ.get("MIKE_DOCS_VERSION") and not config.extra.get("version"):
        # built by `mike deploy`: show Material's version selector over versions.json
        config.extra["version"] = {"provider": "mike"}
    config.extra_css.extend(assets.CSS)
    config.extra_javascript.extend(assets.JAVASCRIPT)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages, the format reference and the site assets."""
    data: SiteData = config[STATE_KEY]
    generated = [(p.path, p.markdown) for p in pages.generate(data)]
    generated.append((reference.PATH, reference.markdown()))
    for path, markdown in generated:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} is generated from program/; remove the "
                              "hand-written file")
        files.append(File.generated(config, path, content=markdown))
    for uri, source in assets.files():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    return files


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when program definitions or measurement data change."""
    root = _root(config)
    for folder in ("program", "data"):
        if (root / folder).is_dir():
            server.watch(str(root / folder))
    return server
