"""``make deploy`` aliases ``latest`` only to the highest version (``scripts/latest.py``):
a hotfix of an older release is published beside the others and leaves ``latest``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import warm

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import latest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "latest.py"


@pytest.mark.parametrize(("version", "others", "above"), [
    ("1.0.0", [], []),                                     # the first deploy
    ("1.3.0", ["1.2.0", "1.2.1", "1.0.0"], []),
    ("1.3.0", ["1.3.0"], []),                              # the same version again
    ("1.2.1", ["1.0.0", "1.3.0", "1.2.0"], ["1.3.0"]),     # the hotfix tag
    ("1.2.1", ["2.0.0", "1.3.0"], ["2.0.0", "1.3.0"]),     # highest first
    ("1.9.0", ["1.10.0"], ["1.10.0"]),                     # numbers, not text
    ("2.0.0", ["1.10.0", "2.0.0rc1"], []),                 # a release beats its candidate
    ("2.0.0rc1", ["1.10.0", "2.0.0"], ["2.0.0"]),
    ("1.0.0", ["dev", "latest", "1.0.0"], []),             # names that are no version
    ("1.0", ["1.0.0"], []),                                # 1.0 == 1.0.0
])
def test_only_the_highest_version_takes_latest(version: str, others: list[str],
                                               above: list[str]) -> None:
    assert latest.higher(version, others) == above


@pytest.mark.parametrize("version", ["", "main", "v1.x", "1.0.0; rm -rf /"])
def test_what_is_no_version_is_refused(version: str) -> None:
    with pytest.raises(ValueError, match=r"is not a version \(like 1\.4\.0\)$"):
        latest.higher(version, ["1.0.0"])


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return warm.run(SCRIPT, args, cwd=cwd)


def test_a_hotfix_tag_below_a_released_tag_leaves_latest(tmp_path: Path) -> None:
    # no gh-pages branch yet: the release tags alone say what is out
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "one")
    for tag in ("v1.2.0", "v1.3.0", "not-a-release"):
        _git(tmp_path, "tag", tag)
    assert sorted(latest.published(tmp_path)) == ["1.2.0", "1.3.0"]
    hotfix = _run(tmp_path, "1.2.1")
    assert (hotfix.returncode, hotfix.stdout) == (
        1, "1.2.1 is published without the alias latest: 1.3.0 is higher\n")
    assert _run(tmp_path, "1.3.1").returncode == 0
    bad = _run(tmp_path, "main")
    assert (bad.returncode, bad.stderr) == (2, "error: 'main' is not a version (like 1.4.0)\n")
    assert _run(tmp_path).returncode == 2
