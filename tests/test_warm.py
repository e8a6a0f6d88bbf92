"""The tests' warm interpreter (``tests/warm.py``) runs a command as a fresh Python would:
the caller's arguments, environment, folder, output and exit code, and nothing left
behind by an earlier command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import warm

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
