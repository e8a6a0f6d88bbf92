"""The floor: the same pages as static Markdown in a plain mkdocs-material project.

``python -m bench.floor PLAYBOOK OUT`` renders the playbook's generated pages
once (``playbook pages``' renderer), copies the hand-written pages as they are
(a macro call stays text), and writes an ``mkdocs.yml`` with the project's
theme, Markdown extensions and resulting nav but no macros, no hooks and no
chart script. Building ``OUT`` costs what MkDocs and Material cost for these
pages; the playbook's build cannot be cheaper, so the benchmark compares them.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bench.measure import TODAY
from playbook.engine import build
from playbook.pages import site_pages


class _Loader(yaml.SafeLoader):
    """Reads ``mkdocs.yml``, whose ``!ENV`` tags only MkDocs resolves."""


_Loader.add_constructor("!ENV", lambda loader, node: None)


def export(root: Path, out: Path) -> int:
    """Write the floor project for the playbook at ``root`` into ``out``; return its pages."""
    data, problems = build(root, date.fromisoformat(TODAY))
    if data is None:
        raise SystemExit(problems.render())
    shutil.copytree(root / "docs", out / "docs")
    pages = site_pages.generate(data)
    for page in pages:
        path = out / "docs" / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    project: dict[str, Any] = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"),
                                        Loader=_Loader)
    config = {
        "site_name": project["site_name"],
        "docs_dir": "docs",
        "use_directory_urls": project.get("use_directory_urls", True),
        "theme": project["theme"],
        "plugins": ["search"],
        "markdown_extensions": project.get("markdown_extensions", []),
        "nav": site_pages.splice_nav(project.get("nav"), site_pages.nav(data)),
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False,
                                                   allow_unicode=True), encoding="utf-8")
    return len(pages)


if __name__ == "__main__":
    export(Path(sys.argv[1]), Path(sys.argv[2]))
