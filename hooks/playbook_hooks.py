"""MkDocs hooks: a few lines per event, each handing over to the engine.

Validation runs in ``on_config``, before MkDocs cleans or writes anything. A
build writes into a fresh staging folder beside the site folder and moves it
into place only when the whole build succeeded (strict-mode warnings
included), so a failed build of any kind leaves the last good site as it was.
``mkdocs serve`` never stops on bad input: it shows the problems in the browser
and recovers when the files are fixed.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from playbook.engine import BuildCache, TodayError, build, today_from_env
from playbook.figures.site import SiteData
from playbook.pages import assets, downloads, htmlblocks, reference
from playbook.pages import site_pages as pages
from playbook.pages.problems import PROBLEMS_PAGE, problems_body, problems_page
from playbook_mkdocs import incremental, offline, provenance, publish, sandbox, terminal

log = logging.getLogger("mkdocs.plugins.playbook")
STATE_KEY = "playbook_site"
"""Key on the per-build config that carries the site data to files and macros."""
_run: dict[str, Any] = {"command": None, "dirty": False}
"""How MkDocs was started (``on_startup``); hook modules live for the whole process."""
_build: dict[str, Any] = {}
"""This build's staging folder, generated pages and problems; reset in ``on_config``."""
_bar = terminal.BuildBar()
"""Progress on a terminal: programs loaded, then pages written (builds only)."""


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _serving() -> bool:
    return bool(_run["command"] == "serve")


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this process serves or builds; a server keeps programs and
    pages between its builds and, with ``--dirty``, re-renders only what changed."""
    serving = command == "serve"
    _run.update(command=command, dirty=dirty, cache=BuildCache() if serving else None,
                incremental=incremental.Incremental() if serving and dirty else None)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check every program; abort the build on any error (serve shows them)."""
    _build.clear()
    if _serving():
        publish.stop_counting_warnings()
    sandbox.sandbox_macros(config.plugins.get("macros"), serving=_serving())
    try:
        today = today_from_env()
    except TodayError as exc:
        raise PluginError(str(exc)) from exc
    _bar.start(enabled=not _serving())
    try:  # stopped here: `mike` runs this event alone to read the configuration
        data, problems = build(_root(config), today, _run.get("cache"), _bar.programs)
    finally:
        _bar.stop()
    if _run["command"] in ("build", "gh-deploy"):
        # a command-line build keeps every program it computed until it exits: the collector's
        # full passes over the pages' garbage need not walk them (1 s of 40 at 200 programs);
        # a server, or a build inside another program (tests), keeps collecting them
        gc.freeze()
    if data is not None:
        data = provenance.stamp(data)  # commit and history from git, when there is git
    for warning in problems.warnings:
        log.warning(str(warning))
    if data is None and not _serving():
        raise PluginError("playbook check failed; nothing was built:\n"
                          + "\n".join(str(p) for p in problems.errors))
    config[STATE_KEY] = data
    _build["problems"] = problems if data is None else None
    config.nav = pages.splice_nav(config.nav, pages.nav(data) if data else [
        {"Problems": PROBLEMS_PAGE}])
    if os.environ.get("MIKE_DOCS_VERSION") and not config.extra.get("version"):
        # built by `mike deploy`: show Material's version selector over versions.json
        config.extra["version"] = {"provider": "mike"}
    config.extra_css.extend(assets.CSS)
    config.extra_javascript.extend(assets.JAVASCRIPT)
    provenance.add_templates(config)
    if not config.repo_url:
        config.edit_uri = None  # no forge to edit on: no button (and no warning per page)
    offline.prepare(config)  # `make offline`: no CDN shim, no instant navigation
    return config


@event_priority(100)  # before any plugin looks at the site folder
def on_pre_build(config: MkDocsConfig) -> None:
    """Write this build into a fresh staging folder (not in ``on_config``: mike runs
    that alone to read the configuration, then reads the real site folder)."""
    if not _serving() and not _run["dirty"]:
        _build["target"] = config.site_dir
        _build["staging"] = publish.staging_dir(Path(config.site_dir))
        config.site_dir = str(_build["staging"])


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages, the format reference and the site assets."""
    data: SiteData | None = config[STATE_KEY]
    if data is None:  # serving with errors: one page lists them, beside the reference
        generated = [(PROBLEMS_PAGE, problems_page(_build["problems"])),
                     (reference.PATH, reference.markdown())]
    else:
        generated = [(p.path, p.markdown) for p in pages.generate(data)]
    # charts go into the page after Markdown (playbook.pages.htmlblocks)
    stashed = {path: htmlblocks.stash(markdown) for path, markdown in generated}
    _build["blocks"] = {path: s.blocks for path, s in stashed.items()}
    _build["late"] = {path: s.late for path, s in stashed.items()}
    _build["generated"] = set(stashed)
    inc: incremental.Incremental | None = _run.get("incremental")
    if inc is not None:
        inc.begin(config, files, _build["generated"], (
            provenance.context(data, None), _build["problems"] is None))
    for path, page in stashed.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} is generated from program/; remove the "
                              "hand-written file")
        file = File.generated(config, path, content=page.markdown) if inc is None else \
            inc.file(config, path, page.markdown, provenance.context(data, path))
        file.edit_uri = provenance.edit_uri(config, _root(config), path)
        files.append(file)
    if data is not None:  # each program's open-format downloads, linked from its pages
        for download in downloads.files(data, pages.PROGRAMS_DIR):
            files.append(File.generated(config, download.path, content=download.content))
    for uri, source in assets.files():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    _bar.start(enabled=not _serving())
    _bar.pages(len(files.documentation_pages()))
    if inc is not None:
        inc.finish_files(files)
    elif _run["dirty"]:  # `mkdocs build --dirty`: pages calling macros show program data
        for file in files.documentation_pages():
            incremental.always_rendered(file)
    return files


@event_priority(100)  # before mkdocs-macros sees the page
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """Never let a template engine see a generated page, whatever its front matter says."""
    if page.file.src_uri in _build.get("generated", ()):
        page.meta["render_macros"] = False
    elif (called := sandbox.missed_opt_in(config.plugins.get("macros"), markdown,
                                          page.meta)) and _build.get("problems") is None:
        log.warning(f"docs/{page.file.src_uri} calls the playbook macro '{called}' but is "
                    "not a template: add 'render_macros: true' to its front matter")
    elif _build.get("problems") is not None:
        # serving with errors: hand-written pages would call macros over missing data
        page.meta["render_macros"] = False
        return problems_body(_build["problems"])
    return markdown


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    **_: Any) -> dict[str, Any]:
    """Give the footer partial this page's provenance (program version included)."""
    context["playbook_provenance"] = provenance.context(config[STATE_KEY], page.file.src_uri)
    if (inc := _run.get("incremental")) is not None:
        inc.page_rendered(page.url)
    return context


def on_template_context(context: dict[str, Any], template_name: str,
                        config: MkDocsConfig) -> dict[str, Any]:
    """The same for pages rendered from a theme template alone (``404.html``)."""
    context["playbook_provenance"] = provenance.context(config[STATE_KEY], None)
    return context


@event_priority(100)  # before any plugin reads the page's HTML
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put a generated page's charts back, after Markdown; count the page converted."""
    _bar.page_converted(page.file.src_uri)
    return htmlblocks.restore(html, _build.get("blocks", {}).get(page.file.src_uri, {}))


@event_priority(100)  # before any plugin reads the written page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Put back what the search leaves out of a generated page; count the page written."""
    _bar.page_written(page.file.src_uri)
    return htmlblocks.restore_late(output, _build.get("late", {}).get(page.file.src_uri, {}))


@event_priority(50)  # before the search plugin writes its index
def _merge_search(config: MkDocsConfig) -> None:
    _bar.stop()
    if (inc := _run.get("incremental")) is not None:
        inc.merge_search(config)


@event_priority(-100)  # after every plugin has written its files (search index)
def _publish_staged(config: MkDocsConfig) -> None:
    """Move the staged site into place, unless strict mode will abort the build."""
    staging = _build.pop("staging", None)
    if staging is None:
        return
    if config.strict and publish.warnings_counted():
        publish.discard(staging)  # MkDocs aborts right after this event
        return
    publish.swap(staging, Path(_build["target"]))


on_post_build = CombinedEvent(_merge_search, _publish_staged)
"""Two handlers, at different priorities, for one event."""


def on_build_error(error: Exception) -> None:
    """Drop the half-built staging folder; the last good site stays."""
    _bar.stop()
    staging = _build.pop("staging", None)
    if staging is not None:
        publish.discard(staging)


def on_shutdown() -> None:
    """Drop the staging folder left by a build that ended without an exception event,
    and a server's generated Markdown."""
    on_build_error(RuntimeError("shutdown"))
    if (inc := _run.get("incremental")) is not None:
        inc.close()


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when program definitions or measurement data change."""
    root = _root(config)
    for folder in ("program", "data"):
        if (root / folder).is_dir():
            server.watch(str(root / folder))
    return server
