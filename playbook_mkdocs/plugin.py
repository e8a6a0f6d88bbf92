"""The MkDocs plugin: a few lines per event, each handing over to the engine.

Named ``playbook`` under ``plugins:`` in ``mkdocs.yml`` once the package is
installed (entry point ``mkdocs.plugins``); this repository's
``hooks/playbook_hooks.py`` hands its events to one instance instead.
Validation runs in ``on_config``, before MkDocs cleans or writes anything. A
build writes into a fresh staging folder beside the site folder and moves it
into place only when the whole build succeeded (strict-mode warnings
included), so a failed build of any kind leaves the last good site as it was.
``mkdocs serve`` never stops on bad input: a program with errors is shown as
a page of its errors while the others are built (every page, when the error
is the whole playbook's), and it recovers when the files are fixed.
"""

from __future__ import annotations

import gc
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from playbook import engine
from playbook.figures.site import SiteData
from playbook.model import schema
from playbook.model.problems import Problems, Severity
from playbook.pages import assets, downloads, figures_schema, htmlblocks, reference
from playbook.pages import site_pages as pages
from playbook.pages.problems import PROBLEMS_PAGE, problems_body, problems_page
from playbook_mkdocs import incremental, offline, provenance, publish, sandbox, terminal
from playbook_mkdocs.macros import STATE_KEY, site_data, site_macros

log = logging.getLogger("mkdocs.plugins.playbook")
SCHEMA_DIR = "schema"
"""Where the site publishes the JSON Schemas: ``<site>/schema/<file>.schema.json``."""


class PlaybookConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's settings under ``- playbook:`` in ``mkdocs.yml``."""

    root = c.Optional(c.Type(str))
    """The playbook folder (holding ``program/`` and ``data/``), relative to
    ``mkdocs.yml``; default: the folder of ``mkdocs.yml``."""


@dataclass
class Staged:
    """One build's state, made afresh in ``on_config``."""

    problems: Problems | None = None
    """The problems of a served playbook with errors: hand-written pages show them
    (their macros may name a program that was not built)."""
    target: str | None = None
    """The site folder the staged build replaces when it succeeds."""
    staging: Path | None = None
    """The folder this build writes into."""
    generated: dict[str, htmlblocks.Stashed] = field(default_factory=dict)
    """Generated page path → its Markdown with the HTML blocks stashed away."""


class PlaybookPlugin(BasePlugin[PlaybookConfig]):  # type: ignore[no-untyped-call]
    """Builds the playbook site from ``program/`` and ``data/`` through the engine."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.dirty = False
        self.cache: engine.BuildCache | None = None
        self.incremental: incremental.Incremental | None = None
        self.bar = terminal.BuildBar()
        self.build = Staged()

    @property
    def serving(self) -> bool:
        """Whether this process is ``mkdocs serve`` (it keeps going on bad input)."""
        return self.command == "serve"

    def root(self, config: MkDocsConfig) -> Path:
        """The playbook folder."""
        return Path(config.config_file_path).resolve().parent / (self.config.root or ".")

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this process serves or builds; a server keeps programs and
        pages between its builds and, with ``--dirty``, re-renders only what changed."""
        self.command, self.dirty = command, dirty
        self.cache = engine.BuildCache() if self.serving else None
        self.incremental = incremental.Incremental() if self.serving and dirty else None

    @event_priority(-10)  # after mkdocs-macros made its environment: it is sandboxed here
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check every program; abort the build on what the publishing policy
        blocks a build on, errors (serve shows them); findings and pending items go on
        the pages."""
        self.build = Staged()
        if self.serving:
            publish.stop_counting_warnings()
        macros_plugin = config.plugins.get("macros")
        if macros_plugin is not None:
            # those its `modules:` loaded from playbook_mkdocs.macros are there already
            macros_plugin.register_macros({
                name: fn for name, fn in site_macros(site_data(config)).items()
                if name not in macros_plugin.macros})
        sandbox.sandbox_macros(macros_plugin, serving=self.serving)
        try:
            today = engine.today_from_env()
        except engine.TodayError as exc:
            raise PluginError(str(exc)) from exc
        self.bar.start(enabled=not self.serving)
        try:  # stopped here: `mike` runs this event alone to read the configuration
            data, problems = engine.build(self.root(config), today, self.cache,
                                          self.bar.programs)
        finally:
            self.bar.stop()
        if self.command in ("build", "gh-deploy"):
            # a command-line build keeps every program it computed until it exits: the
            # collector's full passes over the pages' garbage need not walk them
            gc.freeze()
        # findings and pending items are shown on the pages, not logged as MkDocs
        # warnings: `strict` keeps its MkDocs meaning (broken links, bad pages)
        for problem in problems:
            if problem.severity is not Severity.ERROR:
                log.info(str(problem))
        context = engine.Context.PREVIEW if self.serving else engine.Context.BUILD
        blockers = engine.blocking(problems, engine.publish_policy(self.root(config)), context)
        if blockers and not self.serving:
            raise PluginError("playbook check failed; nothing was built:\n"
                              + "\n".join(str(p) for p in blockers))
        if data is not None:
            data = provenance.stamp(data)  # commit and history from git, when there is git
        config[STATE_KEY] = data
        self.build.problems = problems if problems.errors else None
        config.nav = pages.splice_nav(config.nav, pages.nav(data) if data else [
            {"Problems": PROBLEMS_PAGE}])
        if os.environ.get("MIKE_DOCS_VERSION") and not config.extra.get("version"):
            config.extra["version"] = {"provider": "mike"}  # mike's version selector
        config.extra_css.extend(assets.CSS)
        config.extra_javascript.extend(assets.JAVASCRIPT)
        provenance.add_templates(config)
        if not config.repo_url:
            config.edit_uri = None  # no forge to edit on: no button (and no warning per page)
        offline.prepare(config)  # `make offline`: no CDN shim, no instant navigation
        return config

    @event_priority(100)  # before any plugin looks at the site folder
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Write this build into a fresh staging folder (not in ``on_config``: mike runs
        that alone to read the configuration, then reads the real site folder)."""
        if not self.serving and not self.dirty:
            self.build.target = config.site_dir
            self.build.staging = publish.staging_dir(Path(config.site_dir))
            config.site_dir = str(self.build.staging)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the format reference, downloads and site assets."""
        data: SiteData | None = config[STATE_KEY]
        if data is None:  # serving with an error of the whole playbook: problems, reference
            assert self.build.problems is not None
            generated = [(PROBLEMS_PAGE, problems_page(self.build.problems)),
                         (reference.PATH, reference.markdown())]
        else:  # a program with errors has a page of them among the others
            assert self.build.problems is None or self.serving
            generated = [(p.path, p.markdown) for p in pages.generate(data)]
        # charts go into the page after Markdown (playbook.pages.htmlblocks)
        self.build.generated = {path: htmlblocks.stash(md) for path, md in generated}
        inc = self.incremental
        if inc is not None:
            inc.begin(config, files, set(self.build.generated), (
                provenance.context(data, None), self.build.problems is None))
        for path, page in self.build.generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} is generated from program/; remove the "
                                  "hand-written file")
            file = File.generated(config, path, content=page.markdown) if inc is None else \
                inc.file(config, path, page.markdown, provenance.context(data, path))
            file.edit_uri = provenance.edit_uri(config, self.root(config), path)
            files.append(file)
        if data is not None:  # each program's open-format downloads, linked from its pages
            for download in downloads.files(data, pages.PROGRAMS_DIR):
                files.append(File.generated(config, download.path, content=download.content))
        for uri, source in assets.files():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        # the JSON Schemas at a stable address beside the site (latest/schema/… under mike),
        # for editors and tools outside a checkout, generated from the installed model
        for name, text in {**schema.texts(), figures_schema.FILE: figures_schema.render()}.items():
            files.append(File.generated(config, f"{SCHEMA_DIR}/{name}", content=text))
        self.bar.start(enabled=not self.serving)
        self.bar.pages(len(files.documentation_pages()))
        if inc is not None:
            inc.finish_files(files)
        elif self.dirty:  # `mkdocs build --dirty`: pages calling macros show program data
            for file in files.documentation_pages():
                incremental.always_rendered(file)
        return files

    @event_priority(100)  # before mkdocs-macros sees the page
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Never let a template engine see a generated page, whatever its front matter."""
        if page.file.src_uri in self.build.generated:
            page.meta["render_macros"] = False
        elif self.build.problems is not None:
            # serving with errors: hand-written pages would call macros over missing data
            page.meta["render_macros"] = False
            return problems_body(self.build.problems)
        elif called := sandbox.missed_opt_in(config.plugins.get("macros"), markdown,
                                             page.meta):
            log.warning(f"docs/{page.file.src_uri} calls the playbook macro '{called}' but "
                        "is not a template: add 'render_macros: true' to its front matter")
        return markdown

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig,
                        nav: Any) -> Any:
        """Give the footer partial this page's provenance (program version included)."""
        context["playbook_provenance"] = provenance.context(config[STATE_KEY],
                                                            page.file.src_uri)
        if self.incremental is not None:
            self.incremental.page_rendered(page.url)
        return context

    def on_template_context(self, context: Any, *, template_name: str,
                            config: MkDocsConfig) -> Any:
        """The same for pages rendered from a theme template alone (``404.html``)."""
        context["playbook_provenance"] = provenance.context(config[STATE_KEY], None)
        return context

    @event_priority(100)  # before any plugin reads the page's HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        """Put a generated page's charts back, after Markdown; count the page converted."""
        self.bar.page_converted(page.file.src_uri)
        stashed = self.build.generated.get(page.file.src_uri)
        return htmlblocks.restore(html, stashed.blocks if stashed else {})

    @event_priority(100)  # before any plugin reads the written page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Put back what the search leaves out of a generated page; count it written."""
        self.bar.page_written(page.file.src_uri)
        stashed = self.build.generated.get(page.file.src_uri)
        return htmlblocks.restore_late(output, stashed.late if stashed else {})

    @event_priority(50)  # before the search plugin writes its index
    def _merge_search(self, *, config: MkDocsConfig) -> None:
        self.bar.stop()
        if self.incremental is not None:
            self.incremental.merge_search(config)

    @event_priority(-100)  # after every plugin has written its files (search index)
    def _publish_staged(self, *, config: MkDocsConfig) -> None:
        """Move the staged site into place, unless strict mode will abort the build."""
        staging, self.build.staging = self.build.staging, None
        if staging is None or self.build.target is None:
            return
        if config.strict and publish.warnings_counted():
            publish.discard(staging)  # MkDocs aborts right after this event
            return
        publish.swap(staging, Path(self.build.target))

    on_post_build = CombinedEvent(_merge_search, _publish_staged)

    def on_build_error(self, *, error: Exception) -> None:
        """Drop the half-built staging folder; the last good site stays."""
        self.bar.stop()
        staging, self.build.staging = self.build.staging, None
        if staging is not None:
            publish.discard(staging)

    def on_shutdown(self) -> None:
        """Drop a staging folder left by a build that ended without an exception event,
        and a server's generated Markdown."""
        self.on_build_error(error=RuntimeError("shutdown"))
        if self.incremental is not None:
            self.incremental.close()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when program definitions or measurement data change."""
        for folder in ("program", "data"):
            if (self.root(config) / folder).is_dir():
                server.watch(str(self.root(config) / folder))
        return server
