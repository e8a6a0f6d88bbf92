"""``playbook pages``: the generated Markdown pages, written without MkDocs.

A program with errors gets a page of them in place of its own; every other
program's pages are written all the same, and the command exits 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playbook import engine
from playbook.commands.common import day_option
from playbook.load.safewrite import anchor, write_files
from playbook.model.problems import Problems


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    # imported here: every other verb (`playbook check` in a pre-commit hook) starts faster
    from playbook.pages import assets, downloads
    from playbook.pages import site_pages as pages

    data, problems = engine.build(Path(args.dir), day_option(args.today))
    if problems.errors:
        print(Problems(problems.errors).render(), file=sys.stderr)
    if data is None:
        return 1
    generated = pages.generate(data)
    out = Path(args.out)
    files: list[tuple[str, str]] = [(page.path, page.markdown) for page in generated]
    # the downloads the pages link to, so the folder is the site's docs as MkDocs sees them
    files += [(download.path, download.content)
              for download in downloads.files(data, pages.PROGRAMS_DIR)]
    # the chart assets and the settings that load them: an engine without MkDocs hooks
    # (Zensical) gets no plugin to add them, and draws no chart without them
    files.append((assets.SNIPPET, assets.snippet()))
    data_files = [(path, source.read_bytes()) for path, source in assets.files()]
    # a folder inside the playbook is written from it: a committed link on the way is refused
    root, below, prefix = anchor(Path(args.dir), out)
    write_files(root, [*((below / path, text.encode("utf-8")) for path, text in files),
                       *((below / path, blob) for path, blob in data_files)], prefix)
    for path in [*(path for path, _ in files), *(path for path, _ in data_files)]:
        print((out / path).as_posix())
    return 1 if problems.errors else 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("pages", help="write the generated Markdown pages without MkDocs")
    p.add_argument("--out", required=True, help="folder to write the pages into")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--today", help="status as of YYYY-MM-DD (default: $PLAYBOOK_TODAY "
                   "or today)")
    p.set_defaults(func=run)
