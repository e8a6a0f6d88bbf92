"""The pins: ``requirements.lock`` (with hashes) holds exactly ``constraints.txt``'s pins,
and every pin ``pyproject.toml`` names, and the venv is installed from it.

``make lock`` writes both files; this test, run offline, fails when one was edited
without the other (regenerating needs the package index, which a test does not ask).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s+--hash=\S+)*)", re.M)
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def _lock() -> dict[str, tuple[str, int]]:
    """Each locked package's version and how many sha256 hashes it carries."""
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    found = {canonicalize_name(m[1]): (m[2], len(HASH.findall(m[3])))
             for m in ENTRY.finditer(text)}
    entries = [line for line in text.splitlines() if line and not line[0].isspace()
               and not line.startswith("#")]
    assert len(found) == len(entries), "an entry of requirements.lock did not parse"
    return found


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", line
        pins[canonicalize_name(req.name)] = spec.version
    return pins


def test_every_locked_package_carries_its_hashes() -> None:
    lock = _lock()
    assert [name for name, (_, hashes) in lock.items() if hashes == 0] == []
    assert "uv" in lock  # make installs uv itself from the lock, by its hash


def test_the_lock_holds_exactly_the_constraints() -> None:
    assert {name: version for name, (version, _) in _lock().items()} == _constraints()


def test_every_pin_of_pyproject_is_locked_at_its_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = _lock()
    named = [*project["dependencies"],
             *(r for extra in project["optional-dependencies"].values() for r in extra)]
    pins = [Requirement(r) for r in named]
    own = canonicalize_name(project["name"])
    checked = 0
    for req in pins:
        if canonicalize_name(req.name) == own:
            continue  # an extra of the package itself
        (spec,) = req.specifier
        assert lock[canonicalize_name(req.name)][0] == spec.version, req
        checked += 1
    assert checked > 20


def test_make_installs_from_the_lock_with_hashes_only() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"^\t.*\binstall\b.*$", makefile, re.M)
    pip = [line for line in installs if "pip install" in line and "apt-get" not in line]
    assert pip, "no install step found"
    for line in pip:
        assert "--require-hashes" in line or "--no-deps -e ." in line, line
        assert "-c constraints.txt" not in line, line
