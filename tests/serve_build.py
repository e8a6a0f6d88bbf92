"""Build a playbook as ``mkdocs serve`` does, in one process, for the incremental tests.

``python serve_build.py ROOT SITE dirty|clean STEPS.json`` makes the first build,
then for each step applies its edits (``[path, old, new]``: replace the first
``old``; ``new`` None deletes the file or folder; ``old`` None writes ``new``)
and rebuilds, as the server does on a save. After each build it prints one JSON
line: the step, the seconds taken and the digests of every file of the site.

A clean build (``clean``) depends on the sources only, not on the build before it, so
given steps the clean server makes no build before the first step's: nothing compares it
(a whole example build, a twelfth of the incremental tests' time).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

SERVE_URL = "http://127.0.0.1:8000/"


def digests(site: Path) -> dict[str, str]:
    """Every file of ``site`` → its SHA-256."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def apply(root: Path, edits: list[list[str | None]]) -> None:
    """Apply one step's edits to the playbook under ``root``."""
    for path, old, new in edits:
        assert path is not None
        target = root / path
        if new is None:
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        elif old is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(new, encoding="utf-8")
        else:
            text = target.read_text(encoding="utf-8")
            assert old in text, (path, old)
            target.write_text(text.replace(old, new, 1), encoding="utf-8")


def main() -> None:
    """Build, then edit and rebuild per step, printing the site's digests each time."""
    root, site, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    steps = json.loads(Path(sys.argv[4]).read_text(encoding="utf-8")) if len(sys.argv) > 4 else []
    dirty = mode == "dirty"

    def config() -> MkDocsConfig:
        c = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
        c.site_url = SERVE_URL
        return c

    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)
    before: dict[str, int] = {}
    first_step = 1 if steps and not dirty else 0  # no steps: the first build is all there is
    for n, edits in enumerate([[], *steps][first_step:], start=first_step):
        apply(root, edits)
        time.sleep(0.01)  # a file written now is dated after every output of the last build
        start = time.perf_counter()
        build(first if n == first_step else config(), serve_url=SERVE_URL, dirty=dirty)
        seconds = time.perf_counter() - start
        dates = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns
                 for p in site.rglob("*") if p.is_file()}
        written = sorted(k for k, v in dates.items() if before.get(k) != v)
        before = dates
        print(json.dumps({"step": n, "seconds": seconds, "site": digests(site),
                          "written": written}), flush=True)
    first.plugins.on_shutdown()


if __name__ == "__main__":
    main()
