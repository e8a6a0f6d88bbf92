"""Whether a deploy takes the alias ``latest``: only the highest version does (``make deploy``).

A hotfix tag (``v1.2.1`` pushed after ``v1.3.0``) publishes its version beside the
others, but must not move ``latest``, which the site root redirects to, back to an
older release. The versions compared are the ones mike has deployed on the gh-pages
branch (``mike list --json``) and the repository's release tags (``v*``), as
semantic versions (``packaging.version``: ``1.10.0`` > ``1.9.0``, ``2.0.0rc1`` <
``2.0.0``); a deployed name that is no version (``dev``) is not compared.

``python scripts/latest.py VERSION`` exits 0 when VERSION takes ``latest``, 1 when
a higher version is out (saying which), and 2 when VERSION is no version.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from packaging.version import InvalidVersion, Version

MIKE = Path(sys.executable).parent / "mike"


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def higher(version: str, others: Iterable[str]) -> list[str]:
    """The versions among ``others`` above ``version``, highest first; none: it is the latest.

    Raises:
        ValueError: ``version`` is not a version (``packaging.version``).
    """
    mine = _version(version)
    if mine is None:
        raise ValueError(f"{version!r} is not a version (like 1.4.0)")
    above = {v: text for text in others if (v := _version(text)) is not None and v > mine}
    return [above[v] for v in sorted(above, reverse=True)]


def published(cwd: Path) -> list[str]:
    """The versions mike has deployed into gh-pages and the release tags (``v`` dropped).

    No gh-pages branch yet (the first deploy) lists no version.
    """
    listed = subprocess.run([str(MIKE), "list", "--json"], cwd=cwd, capture_output=True,
                            text=True, check=False)
    versions = ([item["version"] for item in json.loads(listed.stdout)]
                if listed.returncode == 0 and listed.stdout.strip() else [])
    tags = subprocess.run(["git", "tag", "--list", "v*"], cwd=cwd, capture_output=True,
                          text=True, check=True).stdout.split()
    return versions + [tag.removeprefix("v") for tag in tags]


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when ``argv[0]`` takes ``latest``, 1 when a higher version is out, 2 if bad."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python scripts/latest.py VERSION", file=sys.stderr)
        return 2
    try:
        above = higher(args[0], published(Path.cwd()))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if above:
        print(f"{args[0]} is published without the alias latest: {above[0]} is higher")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
