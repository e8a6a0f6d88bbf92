"""``mkdocs serve --dirty`` that re-renders only the pages a save changed, and is never stale.

A full rebuild of 200 programs takes minutes; an editor saving one value
should see it in seconds (issue 13). MkDocs' dirty build skips a page whose
source file is older than its output, but it cannot tell on its own when that
is safe, so this module decides for it:

- Generated pages are written to a private folder, each only when its Markdown
  changed, so its file date moves only then and MkDocs re-renders it.
- Everything a page shows besides its own Markdown (the navigation, the
  footer's provenance, the configuration, the set of pages) goes into one
  signature; when it changes, every page is written again: a full rebuild.
- Hand-written pages are always re-rendered: their macros read the programs.
- Material's search keeps the entries of the pages not re-rendered (its own
  merge assumes one page per rebuild), in the order a full build writes them.

The tests build a site this way after an edit and compare every file with a
clean build of the same sources.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

DIRTY_WARNING = "A 'dirty' build is being performed"
"""MkDocs' warning on every dirty build; not true of these builds, so it is not shown."""


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


@dataclass
class Incremental:
    """What one ``mkdocs serve --dirty`` process keeps between its builds."""

    def __post_init__(self) -> None:
        build_log = logging.getLogger("mkdocs.commands.build")
        if not any(isinstance(f, _DropDirtyWarning) for f in build_log.filters):
            build_log.addFilter(_DropDirtyWarning())

    folder: Path | None = None
    """Where the generated Markdown is written (created on first use, removed at shutdown)."""
    written: dict[str, str] = field(default_factory=dict)
    """Generated page path → digest of the Markdown last written for it."""
    signature: str = ""
    """Digest of what every page shows besides its own Markdown, at the last build."""
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Page URL → its search entries, from the build that last rendered it."""
    order: list[str] = field(default_factory=list)
    """This build's page URLs in build order (the order of a full build's search index)."""
    rendered: set[str] = field(default_factory=set)
    """URLs of the pages this build rendered."""
    outputs: set[str] = field(default_factory=set)
    """Every file the last build wrote into the site folder (to remove pages now gone)."""

    def begin(self, config: MkDocsConfig, files: Files, generated: Iterable[str],
              everywhere: object) -> None:
        """Start a build: a full one when anything shown on every page changed.

        Args:
            config: This build's configuration (its nav already spliced).
            files: Every file of the build, hand-written and theme files included.
            generated: The paths of the generated pages.
            everywhere: Anything else every page shows (the footer's provenance).
        """
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="playbook-serve-"))
        config_text = Path(config.config_file_path).read_bytes() \
            if config.config_file_path else b""
        signature = _digest(json.dumps({
            "config": hashlib.sha256(config_text).hexdigest(),
            "nav": config.nav,
            "files": sorted(f.src_uri for f in files),
            "generated": sorted(generated),
            "everywhere": everywhere,
        }, sort_keys=True, default=str).encode())
        if signature != self.signature:
            self.written.clear()  # every page is written again, so rendered again
            self.signature = signature
        self.rendered.clear()

    def file(self, config: MkDocsConfig, path: str, markdown: str, shown_with: object) -> File:
        """A generated page whose file date moves only when what it shows changed.

        Args:
            config: This build's configuration.
            path: The page's path under ``docs/``.
            markdown: Its Markdown.
            shown_with: What its template shows besides the Markdown (its footer).
        """
        assert self.folder is not None, "begin() first"
        target = self.folder / path
        digest = _digest(markdown.encode("utf-8")
                         + json.dumps(shown_with, sort_keys=True, default=str).encode())
        if self.written.get(path) != digest or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
            self.written[path] = digest
        return File.generated(config, path, abs_src_path=str(target))

    def finish_files(self, files: Files) -> None:
        """Mark hand-written pages as changed, remember the build order of pages, and
        remove what an earlier build wrote for a page or file that is gone."""
        for file in files.documentation_pages():
            if file.abs_src_path is None or self.folder is None or \
                    not Path(file.abs_src_path).is_relative_to(self.folder):
                always_rendered(file)
        # as the page's URL, which search entries start with ("" for the home page)
        self.order = ["" if f.url in (".", "./") else f.url for f in files.documentation_pages()]
        outputs = {f.abs_dest_path for f in files}
        for gone in self.outputs - outputs:
            Path(gone).unlink(missing_ok=True)  # a deleted program's pages are not served
        self.outputs = outputs

    def page_rendered(self, url: str) -> None:
        """Note that this build rendered the page at ``url``."""
        self.rendered.add(url)

    def merge_search(self, config: MkDocsConfig) -> None:
        """Give Material's search every page's entries, not only this build's pages'.

        Runs before the search plugin writes its index; afterwards the plugin's own
        merge (made for one page per rebuild) has nothing left to do.
        """
        plugin = next((p for p in config.plugins.values() if hasattr(p, "search_index")
                       and hasattr(p, "search_index_prev")), None)
        if plugin is None:
            return
        fresh: dict[str, list[dict[str, Any]]] = {url: [] for url in self.rendered}
        for entry in plugin.search_index.entries:
            fresh.setdefault(str(entry["location"]).split("#", 1)[0], []).append(entry)
        self.search.update(fresh)
        self.search = {url: self.search[url] for url in self.order if url in self.search}
        plugin.search_index.entries = [e for url in self.order for e in self.search.get(url, [])]
        plugin.search_index_prev = None

    def close(self) -> None:
        """Remove the folder of generated Markdown."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
            self.written.clear()


def always_rendered(file: File) -> None:
    """Make a dirty build render ``file`` even when its output is newer than it.

    A hand-written page calling playbook macros shows program data its own file
    date knows nothing about.
    """
    file.is_modified = lambda: True  # type: ignore[method-assign]


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()
