"""The engine's build cache (``mkdocs serve``): reload only what changed, never serve stale.

Every cached build is compared with an uncached build of the same files: the
pages generated from both must be the same, whatever was edited.
"""

from __future__ import annotations

import gc
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import TmpPlaybook

from playbook import engine
from playbook.load.digest import files_digest, program_digest
from playbook.pages import site_pages

TODAY = date(2026, 11, 24)


def _pages(root: Path, cache: engine.BuildCache | None) -> dict[str, str]:
    data, problems = engine.build(root, TODAY, cache)
    assert data is not None, problems.render()
    return {p.path: p.markdown for p in site_pages.generate(data)}


@pytest.fixture
def two(tmp_playbook: TmpPlaybook) -> TmpPlaybook:
    """The mini playbook with a second program, a copy of the first."""
    root = tmp_playbook.root
    shutil.copytree(root / "program" / "mini", root / "program" / "other")
    shutil.copytree(root / "data" / "mini", root / "data" / "other")
    tmp_playbook.edit("program/other/program.yml", "id: mini", "id: other")
    for name in ("kpis.yml", "ai.yml"):
        path = root / "program" / "other" / name
        path.write_text(path.read_text(encoding="utf-8").replace("data/mini/", "data/other/"),
                        encoding="utf-8")
    return tmp_playbook


def test_an_unchanged_playbook_is_served_from_the_cache(two: TmpPlaybook) -> None:
    cache = engine.BuildCache()
    first = _pages(two.root, cache)
    assert cache.hits == 0
    assert _pages(two.root, cache) == first
    assert cache.hits == 2


def test_an_edit_reloads_only_its_program_and_shows(two: TmpPlaybook) -> None:
    cache = engine.BuildCache()
    _pages(two.root, cache)
    two.edit("program/other/program.yml", "within 12 months", "within 14 months")
    cached = _pages(two.root, cache)
    assert cache.hits == 1
    assert cached == _pages(two.root, None)
    assert "within 14 months" in cached["programs/other/index.md"]


def test_a_data_edit_that_keeps_size_and_file_date_is_still_seen(two: TmpPlaybook) -> None:
    cache = engine.BuildCache()
    before = _pages(two.root, cache)
    csv = two.path("data/other/board_use.csv")
    stat = csv.stat()
    text = csv.read_text(encoding="utf-8")
    assert "2026-01-31,22" in text
    csv.write_text(text.replace("2026-01-31,22", "2026-01-31,29"), encoding="utf-8")
    os.utime(csv, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as a restore or checkout might
    assert csv.stat().st_size == stat.st_size and csv.stat().st_mtime_ns == stat.st_mtime_ns
    cached = _pages(two.root, cache)
    assert cache.hits == 1
    assert cached == _pages(two.root, None)
    assert cached != before


def test_a_file_outside_the_programs_data_folder_is_refused_from_the_cache_too(
        two: TmpPlaybook) -> None:
    # a source reads only its own program's data: a shared file is refused by its name,
    # whatever it holds, so the cached load says what a fresh load says
    two.edit("program/other/kpis.yml", "file: data/other/board_use.csv",
             "file: data/shared/board_use.csv")
    shared = two.path("data/shared/board_use.csv")
    shared.parent.mkdir()
    shutil.copy(two.path("data/other/board_use.csv"), shared)
    cache = engine.BuildCache()
    first = engine.build(two.root, TODAY, cache)[1].render()
    shared.write_text(shared.read_text(encoding="utf-8").replace(",55", ",58"),
                      encoding="utf-8")
    again = engine.build(two.root, TODAY, cache)[1].render()
    assert cache.hits == 2
    assert first == again == engine.build(two.root, TODAY, None)[1].render()
    assert ("program/other/kpis.yml:26:20: kpis[1].source.file: 'data/shared/board_use.csv' "
            "is not in the program's data folder (put the file under data/other/: a source "
            "reads only its own program's data)") in first.splitlines()


def test_a_settings_edit_reloads_every_program(two: TmpPlaybook) -> None:
    cache = engine.BuildCache()
    _pages(two.root, cache)
    (two.root / "playbook.yml").write_text("connections:\n  hr: {env: HR_WAREHOUSE_URL}\n",
                                           encoding="utf-8")
    assert _pages(two.root, cache) == _pages(two.root, None)
    assert cache.hits == 0


def test_a_removed_program_is_forgotten(two: TmpPlaybook) -> None:
    cache = engine.BuildCache()
    _pages(two.root, cache)
    shutil.rmtree(two.path("program/other"))
    shutil.rmtree(two.path("data/other"))
    pages = _pages(two.root, cache)
    assert not [p for p in pages if p.startswith("programs/other/")]
    assert set(cache.loaded) == set(cache.computed) == {"mini"}


def test_an_error_is_reported_from_the_cache_as_from_a_fresh_load(two: TmpPlaybook) -> None:
    cache = engine.BuildCache()
    two.edit("program/other/kpis.yml", "cadence: monthly\n    owner: business_owner",
             "cadense: monthly\n    owner: business_owner")
    fresh = engine.build(two.root, TODAY, None)[1].render()
    data, problems = engine.build(two.root, TODAY, cache)
    data, again = engine.build(two.root, TODAY, cache)
    # the program with the error is left out, the other one is built (from the cache)
    assert data is not None and list(data.broken) == ["other"] and cache.hits == 2
    assert [v.id for v in data.programs] == ["mini"]
    assert "program/other/kpis.yml" in fresh and "unknown field 'cadense'" in fresh
    assert problems.render() == again.render() == fresh


# --- the digest ------------------------------------------------------------------------


def test_the_digest_follows_content_names_and_links(tmp_playbook: TmpPlaybook) -> None:
    root = tmp_playbook.root
    first = program_digest(root, "mini")
    assert program_digest(root, "mini") == first
    csv = tmp_playbook.path("data/mini/board_use.csv")
    csv.rename(csv.with_name("board_use2.csv"))
    renamed = program_digest(root, "mini")
    assert renamed != first
    csv.with_name("board_use2.csv").rename(csv)
    assert program_digest(root, "mini") == first
    (root / "data" / "mini" / "link.csv").symlink_to("board_use.csv")
    linked = program_digest(root, "mini")
    assert linked != first
    (root / "data" / "mini" / "link.csv").unlink()
    (root / "data" / "mini" / "link.csv").symlink_to("start_time.csv")
    assert program_digest(root, "mini") not in (first, linked)


def test_the_digest_never_opens_a_fifo_nor_loops_on_a_symlink(tmp_playbook: TmpPlaybook) -> None:
    root = tmp_playbook.root
    digests = [program_digest(root, "mini")]
    os.mkfifo(root / "data" / "mini" / "pipe.csv")  # opening it would block forever
    digests.append(program_digest(root, "mini"))
    (root / "data" / "mini" / "loop").symlink_to(".")
    digests.append(program_digest(root, "mini"))
    (root / "data" / "mini" / "bad-\udcff.csv").write_bytes(b"x")  # a name that is no UTF-8
    digests.append(program_digest(root, "mini"))
    # each entry counts, by its kind and name; none is taken for unreadable (a random digest)
    assert len(set(digests)) == 4
    assert program_digest(root, "mini") == digests[-1]


def test_the_digest_never_reads_a_file_outside_the_playbook(tmp_playbook: TmpPlaybook,
                                                             tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.csv"
    secret.write_text("a,b\n1,2\n", encoding="utf-8")
    root = tmp_playbook.root
    (root / "data" / "mini" / "leak.csv").symlink_to(secret)
    (root / "data" / "mini" / "away").symlink_to(outside, target_is_directory=True)
    before = program_digest(root, "mini")
    seen = {str(root / "data" / "mini" / "away" / "secret.csv")}
    looked = files_digest(seen, root)
    secret.write_text("a,b\n9,9\n", encoding="utf-8")  # not read, so not seen
    assert program_digest(root, "mini") == before
    assert files_digest(seen, root) == looked


def test_a_build_leaves_no_reference_cycles(tmp_playbook: TmpPlaybook) -> None:
    """The engine runs without the cycle collector (:func:`engine.collecting_after`): what
    it drops must be freed by reference counting, or memory would grow with the rows."""
    engine.build(tmp_playbook.root, TODAY)  # first-time imports and caches out of the way
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        data, _ = engine.build(tmp_playbook.root, TODAY)
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert data is not None and left == []
    assert gc.isenabled()
