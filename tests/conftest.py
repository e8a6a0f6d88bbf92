"""Shared fixtures: a copy of the mini playbook to break, the CLI run in-process, the
sites built once per run, and the hypothesis profile every run uses."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _pytest.pathlib import LOCK_TIMEOUT, cleanup_numbered_dir
from hypothesis import HealthCheck, settings
from xdist.scheduler import LoadFileScheduling

from scripts.pdf import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from sites import Site

# The engine and the site helpers are imported where a fixture first needs them: the
# controller of an xdist run imports this module too, and runs no test, and its imports
# delay both workers' start (it writes no bytecode for them to share).

# A loaded machine (two cores shared by a CI runner, or a laptop building a site) must not
# fail a property test: no deadline, no too-slow health check, and the same examples on
# every run (derandomised), so a failure is one anyone can reproduce. The "explore"
# profile (HYPOTHESIS_PROFILE=explore) draws fresh random examples to look for new ones.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SLOWEST_FIRST = ("test_browser.py", "test_hostile.py", "test_preview.py", "test_site_safety.py",
                 "test_deploy.py", "test_init.py", "test_incremental.py", "test_robustness.py",
                 "test_measure_sql.py", "test_precommit.py", "test_site.py", "test_links.py",
                 "test_redos.py", "test_figures_time_zone.py", "test_scale.py", "test_pdf.py",
                 "test_portfolio_browser.py", "test_site_output.py", "test_hostile_files.py",
                 "test_warehouse_readonly.py", "test_schema.py", "test_editor_schemas.py",
                 "test_year.py")
"""The modules whose tests take longest, slowest first (CPU seconds of the whole machine
while each ran, summed over a serial run: the suite keeps both cores busy throughout).
`make test` hands whole modules to two workers in collection order (--no-loadscope-reorder: xdist
would otherwise send the modules with the most tests first, and one long module last);
the long ones go first so that the short ones even out the end, and neither worker is
left running one long module alone."""


@pytest.hookimpl(trylast=True)  # after pytest made its temp folder factory
def pytest_configure(config: pytest.Config) -> None:
    """Let every Python the suite starts share one bytecode cache, in this run's temp folder.

    Hundreds of subprocesses (MkDocs builds, the CLI, pre-commit's hooks, the wheel's fresh
    virtual environment) import the same 900 modules. With PYTHONDONTWRITEBYTECODE set (as
    on the machines here) and a venv installed without bytecode, each compiled them all
    again: an example build took 6.7 s of CPU instead of 3.6. The cache lives under the
    run's temp folder (PYTHONPYCACHEPREFIX), which pytest prunes after three runs, so no
    ``__pycache__`` appears in a playbook a test copies and compares. The controller picks
    the folder before xdist starts its workers, which inherit it.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        pin_build_date()
        pin_time_zone()
        factory = config._tmp_path_factory  # type: ignore[attr-defined]
        basetemp = factory.getbasetemp()
        os.environ["PYTHONPYCACHEPREFIX"] = str(basetemp / "pycache")
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        if factory._given_basetemp is None and factory._retention_policy != "none":
            remove_old_runs(basetemp.parent, factory._retention_count,
                            basetemp.stat().st_mtime - LOCK_TIMEOUT)
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"]
    sys.dont_write_bytecode = False


def pin_build_date() -> str:
    """Give every site the run builds one build date, the run's start (unless one is set).

    MkDocs dates ``sitemap.xml`` by ``SOURCE_DATE_EPOCH``, else by the clock: a run that
    crossed midnight built the example before it and again after, and the tests that
    compare two builds file by file failed on the sitemap's date alone. The workers and
    every build they start inherit the variable.
    """
    return os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))


def pin_time_zone() -> None:
    """Run the suite in UTC unless ``TZ`` names a zone already.

    The machines here are in UTC without saying so (no ``TZ``); said, every process of the
    run inherits it, and the tests that compare zones run their UTC side forked from the
    warm server (which starts fresh only for a ``TZ`` other than its own): 2 CPU-seconds
    a fresh interpreter. A zone set for the run is kept, and those tests start fresh.
    """
    os.environ.setdefault("TZ", "UTC")


def remove_old_runs(root: Path, keep: int, lock_dead_before: float) -> threading.Thread:
    """Delete the temp folders of the runs pytest keeps no longer, beside the tests rather
    than after them; return the thread that does it.

    pytest deletes the folders of all but the last ``keep`` runs (3) when a run ends, and a
    run leaves about 1 GB in 80,000 files (the wheel's fresh environments, sites, the
    bytecode): deleting one took 15 s of waiting on the disk with both cores idle. Started
    as the run starts, it waits on the disk while the workers import and compile, and at
    the end pytest finds nothing left. It is pytest's own clean-up of ``root``, whose
    locks keep the two from deleting one folder twice.
    """
    thread = threading.Thread(target=cleanup_numbered_dir, name="remove-old-runs",
                              args=(root, "pytest-", keep, lock_dead_before), daemon=True)
    thread.start()
    return thread


SHARED_SITES = ("test_browser.py", "test_site_safety.py", "test_deploy.py", "test_site.py",
                "test_pdf.py", "test_provenance.py", "test_htmlblocks.py")
"""The modules that read the sites built once per worker (``example_site``,
``tiny_site_built``, below). `make test` hands them to one worker as one unit, so each
site is built once per run, not once per worker, and the browser tests among them share
one Chromium and the code cache it keeps for the example's scripts."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the modules of :data:`SLOWEST_FIRST` first, in that order (the modules of
    :data:`SHARED_SITES` together, where the slowest of them goes); the rest by path, so
    that every worker lists the same tests in the same order however it collected them."""
    def rank(item: pytest.Item) -> tuple[int, str]:
        name = SHARED_SITES[0] if item.path.name in SHARED_SITES else item.path.name
        first = SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)
        return first, str(item.path)
    items.sort(key=rank)  # stable: each module's tests keep their order


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Any:
    """Collect without the cycle collector, then keep what collection imported out of its
    sweeps (``gc.freeze``).

    A worker holds half a million objects once it has imported every test module, and
    each of its few dozen full collections walked all of them again: 8 to 11 CPU-seconds
    a worker, 2 of them while importing, which leaves few cycles to find. Frozen, the
    objects are still freed when nothing refers to them; only a reference cycle among them
    would outlive the run.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return (yield)
    finally:
        gc.collect()
        gc.freeze()
        if enabled:
            gc.enable()


def refreeze() -> bool:
    """Freeze what is alive again when nothing is frozen any more; whether it did.

    mypy run in-process (``test_mdtext.py``, which calls this after it) ends with
    ``gc.freeze(); gc.unfreeze()``, which leaves every object in the oldest generation and
    none frozen: the worker's full collections would walk all of them again for the rest
    of the run. Called by the test that thaws, not after every test: counting the frozen
    objects walks all of them (40 ms in a worker), which after each test cost a run 100
    CPU-seconds.
    """
    if gc.get_freeze_count():
        return False
    gc.collect()
    gc.freeze()
    return True


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """Let every second xdist worker import the test modules in the reverse order.

    Each worker imports every test module, and the run's bytecode cache (above) starts
    empty, so the first to import a module compiles it and the other reads it. In the same
    order the two workers compiled the same 2,200 modules side by side; in opposite orders
    each compiles about half: collecting takes about 16 s instead of 21 on a fresh run.
    :func:`pytest_collection_modifyitems` puts the tests back in one order, as xdist needs.
    """
    report: pytest.CollectReport = yield
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if isinstance(collector, pytest.Dir) and int(worker.removeprefix("gw")) % 2:
        report.result = report.result[::-1]
    return report


class SharedSitesScheduling(LoadFileScheduling):  # type: ignore[misc]
    """xdist's ``--dist loadfile``, with the modules of :data:`SHARED_SITES` as one unit.

    (xdist's own grouping, ``--dist loadgroup``, renames each test's node id, which
    pytest 9 no longer lets a plugin do: its groups are silently ignored.)
    """

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return "shared-sites" if Path(module).name in SHARED_SITES else module


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Schedule ``--dist loadfile`` runs with :class:`SharedSitesScheduling`."""
    return SharedSitesScheduling(config, log) if config.getvalue("dist") == "loadfile" else None


FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
"""A tiny, complete playbook with one program, ``mini``: zero errors, zero warnings."""


@dataclass
class TmpPlaybook:
    """A writable copy of the mini playbook under ``tmp_path``."""

    root: Path

    def path(self, relpath: str) -> Path:
        """Resolve ``relpath``; a bare file name means ``program/mini/<name>``."""
        return self.root / (relpath if "/" in relpath else f"program/mini/{relpath}")

    def edit(self, relpath: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old`` with ``new`` in ``relpath``."""
        file = self.path(relpath)
        text = file.read_bytes().decode("utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relpath}"
        file.write_bytes(text.replace(old, new).encode("utf-8"))

    def write(self, relpath: str, text: str) -> None:
        """Write ``text`` (UTF-8, newlines as given) to ``relpath``."""
        self.write_bytes(relpath, text.encode("utf-8"))

    def write_bytes(self, relpath: str, data: bytes) -> None:
        """Write ``data`` to ``relpath``, creating folders as needed."""
        file = self.path(relpath)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)

    def read(self, relpath: str) -> str:
        """Return the text of ``relpath``."""
        return self.path(relpath).read_bytes().decode("utf-8")

    def snapshot(self) -> dict[str, str]:
        """Return ``{relative path: sha256}`` of every file under the playbook."""
        return {
            file.relative_to(self.root).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
            for file in sorted(self.root.rglob("*")) if file.is_file()
        }

    def assert_unchanged(self, before: dict[str, str]) -> None:
        """Fail when any file was added, removed or changed since ``before``."""
        after = self.snapshot()
        assert after == before, {
            name: (before.get(name), after.get(name))
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)
        }


@pytest.fixture
def tmp_playbook(tmp_path: Path) -> TmpPlaybook:
    """A fresh copy of ``tests/fixtures/mini`` to edit."""
    root = tmp_path / "playbook"
    shutil.copytree(MINI, root)
    return TmpPlaybook(root)


RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run ``playbook ARGS...`` in-process; return (exit code, stdout, stderr)."""

    from playbook.commands.cli import main

    def run(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()  # drop anything printed before
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


# --------------------------------------------------------------------------- sites
# Each site every test reads alike is built once per run (as datasette's fixtures do);
# a test that needs a variant builds its own with sites.mkdocs_build.


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example playbook built once, strictly with no warning, served on 127.0.0.1."""
    from sites import served_example

    with served_example(tmp_path_factory.mktemp("example") / "site") as site:
        yield site


@pytest.fixture(scope="session")
def tiny_site_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The scaffolded tiny playbook and its site, built once: (root, site); read only
    (``sites.copy_tiny`` gives a copy to break)."""
    from sites import tiny_built

    return tiny_built(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def mini_online(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini playbook's site, built once."""
    from sites import mini_site

    return mini_site(tmp_path_factory.mktemp("mini-online"))


@pytest.fixture(scope="session")
def mini_offline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini playbook's offline copy (``OFFLINE=true``), built once."""
    from sites import mini_site

    return mini_site(tmp_path_factory.mktemp("mini-offline"), offline=True)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright for the session: the sync API runs one event loop at a time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _chromium() -> str:
    """The path of Debian's Chromium; fails the test when it is missing."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make browser-deps)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """Debian's Chromium, headless; never a browser Playwright downloaded."""
    browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def warm_context(playwright: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One light-scheme Chromium context (1280 × 900, service workers blocked) for the
    worker's tests of served sites, each on its own page (:func:`forget` clears what a
    test stored).

    A fresh context per test compiled the 4.8 MB plotly.min.js on every page: 2.5 of a
    page's 3.1 s. A context kept on disk has an HTTP cache, and Chromium caches the
    compiled code of a script it loads from it again, so a page takes 0.7 s from the
    third load on. Only pages served over HTTP gain: Chromium keeps no code cache for
    ``file://`` pages, which the offline tests open in their own contexts.
    """
    context = playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("chromium-profile"), executable_path=_chromium(),
        args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900}, color_scheme="light",
        service_workers="block")
    context.set_default_timeout(20_000)
    try:
        yield context
    finally:
        context.close()


def forget(context: Any, page: Any, *, close: bool = True) -> None:
    """Close a test's ``page`` of the shared ``context`` (unless ``close`` is false: a page
    the next test navigates anew) and clear what it stored: cookies, and the local storage
    where Material keeps the colour scheme a test chose (a later test would open its pages
    dark); fails when any is left."""
    with contextlib.suppress(Exception):  # a page that left the site has nothing to clear
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    if close:
        page.close()
    context.clear_cookies()
    state = context.storage_state()
    left = [o["origin"] for o in state["origins"] if o.get("localStorage")]
    assert not left and not state["cookies"], f"a test left storage behind: {state}"
