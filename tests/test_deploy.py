"""Publishing with mike: the publishing policy decides what stops a deploy, and mike's
build is as strict as `make build` about MkDocs warnings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import warm
from mkdocs.config import load_config
from test_site import TODAY, tiny_site

from playbook.commands import cli

pytestmark = pytest.mark.site

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _bin(name: str) -> str:
    """The console script ``name`` (mike, mkdocs, playbook) as a stand-in that runs it on
    the worker's warm interpreter (tests/warm_shim.py): what is tested is what mike
    publishes, not how its Python starts."""
    return str(warm.shims() / name)


def _git_env() -> dict[str, str]:
    # mike starts `mkdocs` from PATH and commits to gh-pages: both need this environment
    return {**os.environ, "PLAYBOOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1",
            "PATH": os.pathsep.join([str(warm.shims()), str(BIN), os.environ.get("PATH", "")]),
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def _stale_repo(tmp_path: Path, policy: str = "") -> Path:
    """A tiny playbook in git whose sponsor signed before a KPI target changed."""
    root = tiny_site(tmp_path)
    if policy:
        (root / "playbook.yml").write_text(policy, encoding="utf-8")
    assert cli.main(["sign", "tiny", "--role", "sponsor", "--date", "2026-03-02",
                     "--dir", str(root)]) == 0
    kpis = root / "program" / "tiny" / "kpis.yml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace(
        "target: {value: 32,", "target: {value: 30,"), encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "target 30"]):
        subprocess.run(["git", *args], cwd=root, env=_git_env(), check=True)
    return root


def _mike(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_bin("mike"), *args], cwd=root, env=_git_env(),
                          capture_output=True, text=True, check=False, timeout=300)


def test_the_site_config_is_strict_for_every_build() -> None:
    # mike runs `mkdocs build` without --strict: only the config can make it strict
    config = load_config(str(REPO / "mkdocs.yml"))
    assert config.strict is True


def _check_for_deploy(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_bin("playbook"), "check", "--for", "deploy", str(root)],
                          env=_git_env(), capture_output=True, text=True, check=False)


def test_by_default_a_stale_sign_off_is_published_shown_as_stale(tmp_path: Path) -> None:
    root = _stale_repo(tmp_path)
    assert _check_for_deploy(root).returncode == 0
    deployed = _mike(root, "deploy", "--update-aliases", "0.1.0", "latest")
    assert deployed.returncode == 0, deployed.stderr  # under `strict: true`: no MkDocs warning
    page = subprocess.run(["git", "show", "gh-pages:0.1.0/programs/tiny/index.html"], cwd=root,
                          capture_output=True, text=True, check=True).stdout
    assert "Stale: changed since signed" in page and "<code>signoff-stale</code>" in page


def test_a_policy_that_requires_the_sponsor_refuses_the_deploy(tmp_path: Path) -> None:
    root = _stale_repo(tmp_path, "publish:\n  require_signoffs: [sponsor]\n")
    checked = _check_for_deploy(root)
    assert checked.returncode == 1
    assert re.search(r"program/tiny/program\.yml:\d+:\d+: pending signoff-stale: "
                     r"signoff\[0\]\.digest: "
                     r"sign-off by sponsor \(.*, 2026-03-02\) is stale", checked.stdout)
    assert checked.stderr.endswith("(1 more blocking deploy)\n")
    # the pull request's check and preview are not held up by it
    pr = subprocess.run([_bin("playbook"), "check", "--for", "pr", str(root)],
                        env=_git_env(), capture_output=True, text=True, check=False)
    assert pr.returncode == 0


def test_make_deploy_checks_the_policy_and_publishes_the_package_version() -> None:
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\ndeploy:", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]
    lines = [line.strip() for line in recipe.splitlines()[1:]]
    assert lines[0] == "$(BIN)/playbook check --for deploy"
    assert "playbook --version" in lines[1]
    # `latest` only when no higher version is deployed or tagged (tests/test_latest.py)
    assert lines[2].startswith('$(BIN)/python scripts/latest.py "$$version"; highest=$$?;')
    assert "[ $$highest -le 1 ] || exit $$highest" in lines[2]
    assert lines[3] == "alias=$$([ $$highest -eq 1 ] || echo latest); \\"
    assert "mike deploy $(MIKE_PUSH) --update-aliases \"$$version\" $$alias" in lines[4]
    assert 'PATH="$(abspath $(BIN)):$$PATH"' in lines[4]
    assert lines[5] == '&& { [ -z "$$alias" ] || $(BIN)/mike set-default $(MIKE_PUSH) latest; }'


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny playbook in git, deployed with mike as 1.0.0, then as 1.1.0 ``latest``,
    the default: the repository's root."""
    root = tiny_site(tmp_path_factory.mktemp("deployed"))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "v1"]):
        subprocess.run(["git", *args], cwd=root, env=_git_env(), check=True)
    for version in ("1.0.0", "1.1.0"):
        deployed = _mike(root, "deploy", "--update-aliases", version, "latest")
        assert deployed.returncode == 0, deployed.stderr
    assert _mike(root, "set-default", "latest").returncode == 0
    return root


def test_a_hotfix_below_the_deployed_latest_does_not_take_it(two_versions: Path) -> None:
    # what scripts/latest.py reads of gh-pages: the versions mike deployed
    script = REPO / "scripts" / "latest.py"
    runs = {version: warm.run(script, [version], cwd=two_versions, env=_git_env())
            for version in ("1.0.1", "1.1.0", "1.2.0")}
    assert runs["1.0.1"].returncode == 1, runs["1.0.1"].stderr
    assert runs["1.0.1"].stdout == "1.0.1 is published without the alias latest: 1.1.0 is higher\n"
    assert runs["1.1.0"].returncode == runs["1.2.0"].returncode == 0


def _shown(root: Path, path: str) -> str:
    """The file ``path`` of the gh-pages branch mike committed to."""
    return subprocess.run(["git", "show", f"gh-pages:{path}"], cwd=root, check=True,
                          capture_output=True, text=True).stdout


def test_two_versions_are_kept_and_the_root_redirects_to_latest(two_versions: Path) -> None:
    versions = json.loads(_shown(two_versions, "versions.json"))
    assert versions == [{"version": "1.1.0", "title": "1.1.0", "aliases": ["latest"]},
                        {"version": "1.0.0", "title": "1.0.0", "aliases": []}]
    assert 'url=latest/' in _shown(two_versions, "index.html")
    assert "tiny" in _shown(two_versions, "1.0.0/programs/index.html")


def test_a_deployed_version_has_a_selector_and_a_plain_build_none(
        two_versions: Path, tiny_site_built: tuple[Path, Path]) -> None:
    for version in ("1.0.0", "1.1.0"):
        page = _shown(two_versions, f"{version}/programs/tiny/index.html")
        assert '"version":{"provider":"mike"}' in page.replace(" ", "")
    # a plain build of the same playbook shows no version selector (it would fetch a
    # missing versions.json)
    _, site = tiny_site_built
    assert '"provider":"mike"' not in (site / "index.html").read_text(encoding="utf-8")
