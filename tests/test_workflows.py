"""The GitHub workflows: pinned, least-privileged, and calling the project's own commands.

actionlint (``make lint``) checks that they are valid workflows; these tests
check what they are for: that a pull request runs the same check, test and
build as a developer, that its diff lands in one sticky comment, and that a
deploy goes through ``make deploy`` (strict, versioned, ``latest`` at the root).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
PINNED = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}")
"""``owner/repo[/path]@<full commit SHA>``: a tag or branch can be moved, a commit cannot."""
VERSION_COMMENT = re.compile(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
MARKER = "<!-- playbook-diff -->"


def load(name: str) -> dict[str, Any]:
    """A workflow as data (PyYAML reads the key ``on`` as ``True``; put it back)."""
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(job: dict[str, Any]) -> str:
    """Every shell line a job runs, joined."""
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def all_workflows() -> list[str]:
    return sorted(p.name for p in WORKFLOWS.glob("*.yml"))


def test_there_is_a_workflow_for_pull_requests_main_and_tags() -> None:
    assert all_workflows() == ["publish-latest.yml", "publish-release.yml", "pull-request.yml"]
    assert set(load("pull-request.yml")["on"]) == {"pull_request"}
    assert load("publish-latest.yml")["on"] == {"push": {"branches": ["main"]}}
    assert load("publish-release.yml")["on"] == {"push": {"tags": ["v*"]}}


@pytest.mark.parametrize("name", all_workflows())
def test_every_action_is_pinned_to_a_commit_with_its_version(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = [step["uses"] for step in steps(load(name)) if "uses" in step]
    assert uses, "a workflow with no action is suspicious here: every job checks out"
    assert [u for u in uses if not PINNED.fullmatch(u)] == []
    lines = [line for line in text.splitlines() if "uses:" in line]
    assert [line for line in lines if not VERSION_COMMENT.search(line)] == []


@pytest.mark.parametrize("name", all_workflows())
def test_every_job_asks_for_its_own_least_permissions(name: str) -> None:
    workflow = load(name)
    assert workflow["permissions"] == {}, "the default token grants nothing"
    for job_id, job in workflow["jobs"].items():
        granted = job.get("permissions")
        assert isinstance(granted, dict) and granted, f"{name}: job {job_id} sets none"
        writes = {scope for scope, level in granted.items() if level == "write"}
        expected = {"comment": {"pull-requests"}, "deploy": {"contents"}}.get(job_id, set())
        assert writes == expected, f"{name}: job {job_id} may write {writes}"


def test_the_pull_request_runs_the_projects_own_commands() -> None:
    jobs = load("pull-request.yml")["jobs"]
    assert "playbook check --format github" in runs(jobs["check"])
    assert "make test" in runs(jobs["test"]).splitlines()
    assert "make build" in runs(jobs["build"]).splitlines()
    assert re.search(r"^playbook diff .*> diff\.md$", runs(jobs["diff"]), re.MULTILINE)
    upload = [s for s in jobs["build"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert [s["with"]["path"] for s in upload] == ["site/"]


def test_the_diff_is_one_sticky_comment_found_again_by_its_marker() -> None:
    jobs = load("pull-request.yml")["jobs"]
    assert jobs["comment"]["needs"] == "diff"
    (step,) = jobs["comment"]["steps"]
    assert "actions/github-script@" in step["uses"]
    script = step["with"]["script"]
    assert f"const marker = '{MARKER}';" in script
    assert "updateComment" in script and "createComment" in script
    # the job that may write checks out and runs nothing from the pull request
    assert all("run" not in s and "checkout" not in s.get("uses", "")
               for s in jobs["comment"]["steps"])


def test_history_is_fetched_where_git_history_is_read() -> None:
    def depth(name: str, job: str) -> Any:
        (checkout,) = [s for s in load(name)["jobs"][job]["steps"]
                       if "actions/checkout@" in s.get("uses", "")]
        return checkout.get("with", {}).get("fetch-depth")

    assert depth("pull-request.yml", "diff") == 0
    assert depth("publish-latest.yml", "deploy") == 0
    assert depth("publish-release.yml", "deploy") == 0


@pytest.mark.parametrize("name", all_workflows())
def test_pip_is_cached_by_the_constraints(name: str) -> None:
    for step in steps(load(name)):
        if "actions/setup-python@" in step.get("uses", ""):
            assert step["with"]["cache"] == "pip"
            assert step["with"]["cache-dependency-path"] == "constraints.txt"


@pytest.mark.parametrize("name", ["publish-latest.yml", "publish-release.yml"])
def test_publishing_goes_through_make_deploy(name: str) -> None:
    workflow = load(name)
    assert workflow["concurrency"] == {"group": "gh-pages", "cancel-in-progress": False}
    assert re.search(r"^make deploy\b", runs(workflow["jobs"]["deploy"]), re.MULTILINE)


def test_make_deploy_publishes_latest_with_mike_and_sets_it_as_the_default() -> None:
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\ndeploy:", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]
    assert re.search(r"mike deploy .*--update-aliases \S+ latest$", recipe, re.MULTILINE)
    assert re.search(r"mike set-default .*latest$", recipe, re.MULTILINE)


def test_a_release_tag_must_name_the_package_version() -> None:
    text = runs(load("publish-release.yml")["jobs"]["deploy"])
    assert 'make deploy SITE_VERSION="${TAG#v}"' in text
    assert "playbook --version" in text


def test_make_lint_runs_actionlint() -> None:
    """actionlint runs once, in ``make lint``, which ``make test`` runs first."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "\t$(BIN)/actionlint .github/workflows/*.yml" in lint
    assert re.search(r"^test: .*\blint\b", makefile, re.MULTILINE)
    assert (Path(sys.executable).parent / "actionlint").is_file()  # pinned in the .venv
