"""The tests' warm interpreter (``tests/warm.py``) runs a command as a fresh Python would:
the caller's arguments, environment, folder, output and exit code, and nothing left
behind by an earlier command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import warm
import warm_shim

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """\
import json, os, sys
print("argv", sys.argv[1:], "cwd", os.getcwd(), "path0", sys.path[0])
print("env", os.environ.get("WARM_PROBE"), "leak", hasattr(json, "LEFT_BEHIND"))
print("to stderr", file=sys.stderr)
json.LEFT_BEHIND = True  # a later command must not see it
sys.exit(int(os.environ.get("WARM_EXIT", "0")))
"""


def test_a_script_gets_its_arguments_environment_folder_and_exit_code(tmp_path: Path) -> None:
    script = tmp_path / "probe.py"
    script.write_text(SCRIPT, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "WARM_PROBE": "seen", "WARM_EXIT": "3"}
    done = warm.run(script, ["a b", "c"], env=env, cwd=work)
    assert done.returncode == 3
    assert done.args == [sys.executable, str(script), "a b", "c"]
    assert done.stdout.splitlines() == [
        f"argv ['a b', 'c'] cwd {work} path0 {tmp_path}", "env seen leak False"]
    assert done.stderr == "to stderr\n"
    again = warm.run(script, [], env={**os.environ}, cwd=work)
    assert again.returncode == 0
    assert again.stdout.splitlines()[1] == "env None leak False"  # nothing carried over


def test_a_module_runs_as_python_m_from_the_working_folder(tmp_path: Path) -> None:
    done = warm.run("mkdocs", ["--version"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.args[:3] == [sys.executable, "-m", "mkdocs"]
    assert done.stdout.startswith("python -m mkdocs, version 1.6.1"), done.stdout
    failed = warm.run("mkdocs", ["build", "--no-such-flag"], cwd=tmp_path)
    assert failed.returncode == 2  # click's usage error, as from a fresh interpreter
    assert failed.stderr.endswith("Error: No such option '--no-such-flag'.\n"), failed.stderr
    assert "Warning" not in failed.stderr  # runpy's, had mkdocs.__main__ been left imported


def test_a_python_setting_or_an_unknown_module_starts_a_fresh_interpreter(
        tmp_path: Path) -> None:
    script = tmp_path / "flags.py"
    script.write_text("import sys; print(sys.flags.optimize)\n", encoding="utf-8")
    # PYTHONOPTIMIZE is read only at start-up: a fork could not honour it
    fresh = warm.run(script, [], env={**os.environ, "PYTHONOPTIMIZE": "1"})
    assert (fresh.returncode, fresh.stdout) == (0, "1\n")
    assert warm.run(script, []).stdout == "0\n"
    timeit = warm.run("timeit", ["-n", "1", "-r", "1", "pass"])
    assert timeit.returncode == 0 and "loop" in timeit.stdout


def test_a_command_past_its_timeout_is_ended(tmp_path: Path) -> None:
    script = tmp_path / "sleep.py"
    script.write_text("import time; time.sleep(30)\n", encoding="utf-8")
    done = warm.run(script, [], timeout=1)
    assert done.returncode == -14  # SIGALRM


def test_code_runs_as_python_c_and_another_time_zone_runs_fresh(tmp_path: Path) -> None:
    # DuckDB's ICU reads TZ once, when duckdb is imported: a child forked from the server
    # kept the server's zone, so a command in another zone starts a fresh interpreter
    # (tests/test_time_zone.py asserts what DuckDB does in each zone)
    code = ("import sys, time, duckdb; print(sys.argv, repr(sys.path[0]), __name__, "
            "time.strftime('%Z', time.localtime(0)), duckdb.connect().execute("
            "\"SELECT current_setting('TimeZone')\").fetchone()[0], "
            "'mkdocs.commands.build' in sys.modules)")
    here = warm.run("-c", [code, "x"], cwd=tmp_path)
    assert here.args[:3] == [sys.executable, "-c", code]
    assert here.stdout.startswith("['-c', 'x'] '' __main__ "), here.stderr
    assert here.stdout.endswith(" True\n")  # forked from the server
    for zone, abbreviation in (("Pacific/Auckland", "NZST"), ("America/New_York", "EST")):
        done = warm.run("-c", [code, "x"], env={**os.environ, "TZ": zone}, cwd=tmp_path)
        assert done.stdout == f"['-c', 'x'] '' __main__ {abbreviation} {zone} False\n"


def test_a_child_takes_its_temporary_folder_from_its_own_environment(tmp_path: Path) -> None:
    """``TMPDIR`` as the caller gives it, not the server's folder cached by ``tempfile``."""
    code = "import sys, tempfile; print(tempfile.gettempdir(), 'mkdocs' in sys.modules)"
    done = warm.run("-c", [code], env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.stdout == f"{tmp_path} True\n", done.stderr


def test_a_child_starts_with_the_servers_imports_frozen_and_its_collector_on() -> None:
    """What the server imported is out of every child's cycle-collector sweeps."""
    code = "import gc; print(gc.isenabled(), gc.get_freeze_count())"
    done = warm.run("-c", [code])
    enabled, frozen = done.stdout.split()
    assert enabled == "True" and int(frozen) > 100_000, done.stderr
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert fresh.stdout == "True 0\n"


BUILD_IMPORTS = """\
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
before = set(sys.modules)
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
print(sorted(set(sys.modules) - before))
"""


def test_a_forked_build_of_the_example_imports_nothing_the_server_did_not(
        tmp_path: Path) -> None:
    """Every module a build reaches is imported by the server once (``warm.IMPORTS``), not
    by each build it forks; only the hooks file, which MkDocs loads by its path each time."""
    done = warm.run("-c", [BUILD_IMPORTS, REPO / "mkdocs.yml", tmp_path / "site"],
                    env={**os.environ, "PLAYBOOK_TODAY": "2026-11-24",
                         "NO_MKDOCS_2_WARNING": "1"}, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "['hooks/playbook_hooks.py']", done.stdout[-3000:]


LISTING = """\
import json, os, sys, jinja2
from mkdocs.theme import Theme
dirs = [sys.argv[1], *Theme(name="material").dirs]
walked, walk = [], os.walk
os.walk = lambda top, **kw: walked.append(top) or walk(top, **kw)
listed = jinja2.FileSystemLoader(dirs).list_templates()
open(sys.argv[1] + "/added.html", "w").close()
again = jinja2.FileSystemLoader(dirs).list_templates()
print(json.dumps({"listed": listed, "again": again, "walked": walked, "dirs": dirs}))
"""


def test_a_child_lists_installed_themes_as_jinja_does_and_any_other_folder_anew(
        tmp_path: Path) -> None:
    """The server lists Material's 14,500 files once; a playbook's own folder, each time."""
    (tmp_path / "main.html").write_text("x", encoding="utf-8")
    forked = json.loads(warm.run("-c", [LISTING, str(tmp_path)]).stdout)
    (tmp_path / "added.html").unlink()
    fresh = subprocess.run([sys.executable, "-c", LISTING, str(tmp_path)],
                           capture_output=True, text=True, check=True)
    expected = json.loads(fresh.stdout)
    assert len(expected["listed"]) > 10_000 and "main.html" in expected["listed"]
    assert "added.html" not in expected["listed"] and "added.html" in expected["again"]
    assert (forked["listed"], forked["again"]) == (expected["listed"], expected["again"])
    assert len(expected["dirs"]) == 3 and expected["walked"] == 2 * expected["dirs"]
    assert forked["walked"] == [str(tmp_path), str(tmp_path)]  # the themes: by the server


PROBE = """\
import os, sys, time
print("argv", sys.argv, "cwd", os.getcwd(), "path0", sys.path[0])
print("env", os.environ.get("WARM_PROBE"), "zone", time.strftime("%Z", time.localtime(0)))
print("stdin", sys.stdin.read() if not sys.stdin.isatty() else None)
print("to stderr", file=sys.stderr)
print("warm", "mkdocs.commands.build" in sys.modules, file=sys.stderr)
if os.environ.get("WARM_SIGNAL"):
    sys.stdout.flush()
    os.kill(os.getpid(), int(os.environ["WARM_SIGNAL"]))
sys.exit(int(os.environ.get("WARM_EXIT", "0")))
"""


def _probe(tmp_path: Path) -> tuple[Path, Path]:
    """A script and its stand-in (:mod:`warm_shim`) served by this worker's server."""
    real = tmp_path / "bin" / "probe"
    real.parent.mkdir()
    real.write_text(f"#!{sys.executable}\n{PROBE}", encoding="utf-8")
    real.chmod(0o755)
    (tmp_path / "shims").mkdir()
    return real, warm.shim(real, tmp_path / "shims")


def _both(real: Path, shim: Path, env: dict[str, str], cwd: Path,
          stdin: str = "") -> tuple[subprocess.CompletedProcess[str], ...]:
    return tuple(subprocess.run([str(exe), "a b", "c"], env=env, cwd=cwd, input=stdin,
                                capture_output=True, text=True, check=False, timeout=120)
                 for exe in (real, shim))


def test_a_stand_in_runs_its_script_on_the_server_as_the_script_would_run(
        tmp_path: Path) -> None:
    real, shim = _probe(tmp_path)
    env = {**os.environ, "WARM_PROBE": "seen", "WARM_EXIT": "3"}
    zone = time.strftime("%Z", time.localtime(0))  # another TZ runs fresh (test above)
    fresh, served = _both(real, shim, env, tmp_path, stdin="typed\n")
    assert (served.returncode, served.stdout) == (fresh.returncode, fresh.stdout) == (3, (
        f"argv ['{real}', 'a b', 'c'] cwd {tmp_path} path0 {real.parent}\n"
        f"env seen zone {zone}\nstdin typed\n\n"))
    assert (fresh.stderr, served.stderr) == ("to stderr\nwarm False\n",
                                             "to stderr\nwarm True\n")  # forked, not fresh
    # a command ended by a signal ends its stand-in by the same signal
    fresh, served = _both(real, shim, {**env, "WARM_SIGNAL": str(signal.SIGTERM)}, tmp_path)
    assert served.returncode == fresh.returncode == -signal.SIGTERM
    assert served.stdout == fresh.stdout


def test_a_stand_in_runs_its_script_itself_when_the_server_cannot(tmp_path: Path) -> None:
    real, shim = _probe(tmp_path)
    # a start-up setting the fork cannot give: the server declines, the script runs fresh
    optimized = {**os.environ, "PYTHONOPTIMIZE": "1"}
    fresh, served = _both(real, shim, optimized, tmp_path)
    assert (served.returncode, served.stdout, served.stderr) == (
        fresh.returncode, fresh.stdout, "to stderr\nwarm False\n")
    # no server (it is gone): the stand-in becomes the script
    gone = tmp_path / "gone"
    gone.mkdir()
    orphan = warm_shim.write(gone, real, gone / ".socket")
    fresh, served = _both(real, orphan, dict(os.environ), tmp_path)
    assert (served.returncode, served.stdout, served.stderr) == (
        fresh.returncode, fresh.stdout, "to stderr\nwarm False\n")


def test_a_python_path_runs_forked_unless_it_shadows_an_imported_module(
        tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "warm_extra.py").write_text("NAME = 'extra'\n", encoding="utf-8")
    code = ("import sys, warm_extra, yaml; "
            "print(warm_extra.NAME, yaml.__file__, 'duckdb' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(extra)}
    done = warm.run("-c", [code], env=env, cwd=tmp_path)
    assert done.stdout.split()[0::2] == ["extra", "True"], done.stderr  # forked: duckdb in
    # a yaml.py there would be imported by a fresh Python instead of PyYAML: run fresh
    (extra / "yaml.py").write_text("", encoding="utf-8")
    done = warm.run("-c", [code], env=env, cwd=tmp_path)
    assert done.stdout.split() == ["extra", str(extra / "yaml.py"), "False"], done.stderr


def test_the_stand_ins_folder_holds_the_suites_console_scripts() -> None:
    folder = warm.shims()
    for name in ("mkdocs", "playbook", "mike", "check-jsonschema"):
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith(f"#!{sys.executable} -ISB\n"), name
        assert repr(str(Path(sys.executable).parent / name)) in text, name
    done = subprocess.run([str(folder / "mkdocs"), "--version"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("mkdocs, version 1.6.1"), done
