"""The suite itself: reproducible on a loaded machine, and it says what is slow."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]


def test_the_hypothesis_profile_cannot_fail_on_a_slow_machine() -> None:
    ci = settings.get_profile("ci")
    assert ci.deadline is None
    assert ci.derandomize is True  # the same examples on every run
    assert HealthCheck.too_slow in ci.suppress_health_check
    if "HYPOTHESIS_PROFILE" not in os.environ:  # conftest.py loads it by default
        assert settings.default.deadline is None and settings.default.derandomize is True


def test_every_run_prints_its_ten_slowest_tests() -> None:
    pytest_config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["pytest"]["ini_options"]
    assert "--durations=10" in pytest_config["addopts"].split()


def test_make_test_runs_the_suite_on_two_workers_a_module_each() -> None:
    """Two cores, two workers; a module's tests stay on one worker, so a module's shared
    fixture (a built site, a served one) is made once, not once per worker; the modules go
    out in conftest's order, slowest first (no reordering by test count). The `large`
    tests (a 200-program build each) are `make bench`'s, which runs every one of them."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    pytest = '$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not large"'
    assert [line for line in recipe.splitlines() if "$(BIN)/pytest" in line] == [
        f"\t{pytest}; tested=$$?; \\"]
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"pytest-xdist==3.8.0"' in pyproject


def test_make_test_lints_beside_the_tests_and_fails_when_either_fails(tmp_path: Path) -> None:
    """`make test` starts `make lint` in the background, runs pytest, then waits for the
    linters: their output comes after the tests', and a failed lint fails the run even
    when every test passed (and a failed test when every lint passed)."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert recipe.splitlines()[0] == " $(STAMP) browser-deps db-deps"
    shell = "\n".join(recipe.splitlines()[1:]).replace("\\\n", "\n").replace("$$", "$")
    for lint, tests, code, said in ((0, 0, 0, ""), (0, 3, 3, ""), (2, 0, 2, "lint failed"),
                                    (2, 1, 2, "lint failed")):
        script = (shell.replace("$(MAKE) -s --no-print-directory lint",
                                f"{{ echo linted; exit {lint}; }}")
                  .replace('$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder '
                           '-m "not large"', f"{{ echo tested; (exit {tests}); }}"))
        done = subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                              check=False, timeout=30, cwd=tmp_path)
        assert (done.returncode, done.stdout) == (code, "tested\nlinted\n"), done
        assert (said in done.stderr) if said else done.stderr == "", done.stderr


def test_every_python_the_suite_starts_shares_one_bytecode_cache() -> None:
    """conftest.py points every Python of the run, this one and the ones it starts, at one
    bytecode cache outside the tree, and lets them write it (see its pytest_configure)."""
    prefix = os.environ["PYTHONPYCACHEPREFIX"]
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
    assert (sys.pycache_prefix, sys.dont_write_bytecode) == (prefix, False)
    assert not Path(prefix).is_relative_to(REPO)
    child = subprocess.run([sys.executable, "-c", "import sys; print(sys.pycache_prefix, "
                            "sys.dont_write_bytecode)"], capture_output=True, text=True,
                           check=True, timeout=60)
    assert child.stdout == f"{prefix} False\n"


def test_make_bench_runs_the_large_tests_make_test_leaves_out() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert "\t$(BIN)/pytest -m large -p no:randomly" in recipe.splitlines()


def test_the_modules_that_read_the_sites_built_once_go_to_one_worker() -> None:
    """Every module that asks for a site conftest builds once per worker is in
    SHARED_SITES (one group, so the site is built once per run), and each is a module."""
    from conftest import SHARED_SITES, SharedSitesScheduling

    asks = re.compile(r"^def \w+\([^)]*\b(example_site|tiny_site_built)\b", re.M | re.S)
    readers = sorted(path.name for path in (REPO / "tests").glob("test_*.py")
                     if asks.search(path.read_text(encoding="utf-8")))
    assert readers == sorted(SHARED_SITES)
    unit = SharedSitesScheduling.__new__(SharedSitesScheduling)._split_scope
    assert {unit(f"tests/{name}::test_x[a::b]") for name in SHARED_SITES} == {"shared-sites"}
    assert unit("tests/test_suite.py::test_x") == "tests/test_suite.py"


def _reported(hook: Any, node: pytest.Collector, result: list[Any]) -> list[Any]:
    """What the wrapper ``hook`` makes of a collect report of ``node`` listing ``result``."""
    wrapper = hook(node)
    next(wrapper)
    report = pytest.CollectReport(node.nodeid, "passed", None, list(result))
    try:
        wrapper.send(report)
    except StopIteration as stop:
        final: pytest.CollectReport = stop.value
        return list(final.result)
    raise AssertionError("the hook wrapper yielded twice")


def test_every_second_worker_collects_each_folder_backwards(
        request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """So that two workers compiling the same modules into one bytecode cache start at
    opposite ends; a module's own tests keep their order; a run without xdist is gw0's."""
    from conftest import pytest_make_collect_report as hook

    module = request.node.parent
    folder = module.parent
    assert isinstance(folder, pytest.Dir) and isinstance(module, pytest.Module)
    entries = ["a", "b", "c"]
    for worker, expected in (("gw0", entries), ("gw1", entries[::-1]), ("gw2", entries),
                             ("gw3", entries[::-1]), (None, entries)):
        if worker is None:
            monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
        else:
            monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        assert _reported(hook, folder, entries) == expected, worker
        assert _reported(hook, module, entries) == entries, worker


def test_the_order_of_the_tests_does_not_depend_on_the_order_of_collecting(
        request: pytest.FixtureRequest) -> None:
    """xdist needs every worker to list the same tests in the same order: modules
    collected backwards (one of them among the slowest) come out as those collected
    forwards, each module's tests in their own order."""
    from conftest import SLOWEST_FIRST, pytest_collection_modifyitems

    folder = request.node.parent.parent
    names = ["test_chromium.py", "test_suite.py", "test_year.py"]
    assert "test_year.py" in SLOWEST_FIRST
    modules = [[item for item in pytest.Module.from_parent(folder, path=REPO / "tests" / name)
                .collect() if isinstance(item, pytest.Item)] for name in names]
    forwards = [item for tests in modules for item in tests]
    backwards = [item for tests in reversed(modules) for item in tests]
    pytest_collection_modifyitems(forwards)
    pytest_collection_modifyitems(backwards)
    assert [item.nodeid for item in backwards] == [item.nodeid for item in forwards]
    assert forwards[0].path.name == "test_year.py"
    suite = [item.name for item in forwards if item.path.name == "test_suite.py"]
    assert suite == [item.name for item in modules[1]]


def test_old_runs_are_deleted_beside_the_tests_and_the_last_ones_kept(tmp_path: Path) -> None:
    """The runs pytest keeps no longer (all but the last three) go while this one runs: a
    finished run's folder, with its files, and a half-deleted one (``garbage-*``); the
    newest three, the one running included, stay whole, and so does anything else."""
    from conftest import remove_old_runs

    root = tmp_path / "pytest-of-someone"
    for number in range(1, 7):
        run = root / f"pytest-{number}" / "test_x0"
        run.mkdir(parents=True)
        (run / "site.html").write_text("<p>a run's file</p>", encoding="utf-8")
    (root / "garbage-0c3d").mkdir()
    (root / "unrelated").mkdir()
    (root / "pytest-6" / ".lock").write_text("", encoding="utf-8")  # the run under way
    remove_old_runs(root, 3, lock_dead_before=0.0).join(timeout=60)
    assert sorted(path.name for path in root.iterdir()) == [
        "pytest-4", "pytest-5", "pytest-6", "unrelated"]
    assert (root / "pytest-4" / "test_x0" / "site.html").is_file()


def test_what_collection_imported_is_frozen_and_the_collector_is_back_on() -> None:
    """The worker collected without the cycle collector and froze what it made
    (``conftest.pytest_collection``): this module's namespace is out of its sweeps."""
    namespace = sys.modules[__name__].__dict__
    assert gc.isenabled()
    assert gc.get_freeze_count() > 10_000
    assert not any(o is namespace for o in gc.get_objects())


def test_a_test_that_thaws_everything_leaves_it_frozen_again() -> None:
    """As mypy run in-process does (``gc.freeze(); gc.unfreeze()``): ``conftest.refreeze``,
    which the test that runs mypy calls, freezes again, and only when nothing is frozen."""
    from conftest import refreeze

    frozen = gc.get_freeze_count()
    assert frozen > 10_000 and not refreeze()  # frozen: left as it is
    assert gc.get_freeze_count() == frozen
    gc.unfreeze()
    assert refreeze()
    assert gc.get_freeze_count() > 10_000
    assert not any(o is sys.modules[__name__].__dict__ for o in gc.get_objects())


def test_the_run_says_its_time_zone_so_a_command_in_it_is_forked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """conftest.py sets ``TZ`` for the run (UTC unless one is set): a command in the run's
    zone is forked from the warm server; in another, it starts fresh (``tests/warm.py``)."""
    import warm
    from conftest import pin_time_zone

    code = "import sys; print('mkdocs.commands.build' in sys.modules)"
    zone = os.environ["TZ"]
    assert warm.run("-c", [code]).stdout == "True\n"  # the run's environment: its TZ
    other = "Pacific/Auckland" if zone != "Pacific/Auckland" else "UTC"
    assert warm.run("-c", [code], env={**os.environ, "TZ": other}).stdout == "False\n"
    monkeypatch.delenv("TZ")
    pin_time_zone()
    assert os.environ["TZ"] == "UTC"
    monkeypatch.setenv("TZ", "Europe/Dublin")
    pin_time_zone()
    assert os.environ["TZ"] == "Europe/Dublin"
