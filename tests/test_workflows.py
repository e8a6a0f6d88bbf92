"""The GitHub workflows: pinned, least-privileged, and calling the project's own commands.

actionlint and zizmor (``make lint``) check that they are valid and free of the
known workflow weaknesses; these tests check what they are for: that a pull
request runs the same check, test and build as a developer, that its diff is
computed by the base revision's tool and lands in one sticky comment, that no
job running the repository's code holds a write credential, and that a deploy
goes through ``make deploy`` (strict, versioned, ``latest`` at the root).
"""

from __future__ import annotations

import re
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
    assert load("publish-latest.yml")["on"] == {"push": {"branches": ["main"]},
                                                "workflow_dispatch": None}
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
        expected = {"comment": {"pull-requests"}, "push": {"contents"}}.get(job_id, set())
        assert writes == expected, f"{name}: job {job_id} may write {writes}"


def test_the_pull_request_runs_the_projects_own_commands() -> None:
    jobs = load("pull-request.yml")["jobs"]
    assert "playbook check --for pr --format github" in runs(jobs["check"])
    assert "make test" in runs(jobs["test"]).splitlines()
    # the preview is the offline build, which opens from disk (make offline)
    assert "make offline" in runs(jobs["build"]).splitlines()
    assert re.search(r"^playbook diff .*> diff\.md$", runs(jobs["diff"]), re.MULTILINE)
    upload = [s for s in jobs["build"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert [(s["id"], s["with"]["path"]) for s in upload] == [("upload", "site-offline/")]
    assert jobs["build"]["outputs"] == {
        "preview-url": "${{ steps.upload.outputs.artifact-url }}"}


def test_sign_offs_are_a_status_of_their_own_judged_by_the_base_revisions_tool() -> None:
    """Pending until the policy's required roles signed; the preview never waits for it."""
    jobs = load("pull-request.yml")["jobs"]
    job = jobs["signoff"]
    assert job["name"] == "sign-offs"
    assert "needs" not in jobs["build"] and "needs" not in job
    pull_request, tool = _checkouts(job)
    assert pull_request == {"path": "pull-request", "persist-credentials": False}
    assert tool == {"ref": "${{ github.event.pull_request.base.sha }}", "path": "base-tool",
                    "persist-credentials": False}
    shell = runs(job)
    assert re.findall(r"pip install .*", shell) == [
        "pip install -c base-tool/constraints.txt ./base-tool"]
    # the exit code of the check, not of tee, decides the status
    assert job["steps"][-1]["run"].splitlines() == [
        "set -o pipefail",
        "playbook check pull-request --for signoff --policy-from base-tool 2>&1 \\",
        '  | tee -a "$GITHUB_STEP_SUMMARY"']


def test_the_diff_is_one_sticky_comment_found_again_by_its_marker() -> None:
    jobs = load("pull-request.yml")["jobs"]
    assert jobs["comment"]["needs"] == ["diff", "build"]
    # posted when the preview failed too, saying so
    assert jobs["comment"]["if"].startswith("!cancelled() && needs.diff.result == 'success'")
    (step,) = jobs["comment"]["steps"]
    assert "actions/github-script@" in step["uses"]
    assert step["env"]["PREVIEW_URL"] == "${{ needs.build.outputs.preview-url }}"
    script = step["with"]["script"]
    assert f"const marker = '{MARKER}';" in script
    assert "[download the site](${url})" in script and "url.startsWith('https://')" in script
    assert "`site-offline/index.html`" in script
    assert "updateComment" in script and "createComment" in script
    # the job that may write checks out and runs nothing from the pull request
    assert all("run" not in s and "checkout" not in s.get("uses", "")
               for s in jobs["comment"]["steps"])


def _checkouts(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s.get("with", {}) for s in job["steps"] if "actions/checkout@" in s.get("uses", "")]


def test_the_diff_is_computed_by_the_base_revisions_tool_over_the_pull_requests_files() -> None:
    """A pull request cannot change what the bot says about it: none of its code runs."""
    job = load("pull-request.yml")["jobs"]["diff"]
    pull_request, tool = _checkouts(job)
    assert pull_request == {"path": "pull-request", "fetch-depth": 0,
                            "persist-credentials": False}
    assert tool == {"ref": "${{ github.event.pull_request.base.sha }}", "path": "base-tool",
                    "persist-credentials": False}
    shell = runs(job)
    # installed from the base checkout, with the base's pins, not in editable mode
    assert re.findall(r"pip install .*", shell) == [
        "pip install -c base-tool/constraints.txt ./base-tool"]
    assert "playbook diff --dir pull-request --base HEAD^1 --head HEAD > diff.md" in shell
    # nothing is run from inside the pull request's checkout (its Python files could be
    # imported from the working directory), and no action or script comes from it
    assert all("working-directory" not in s for s in job["steps"])
    assert [line for line in shell.splitlines() if "pull-request/" in line
            or re.search(r"\bcd\b|python -m playbook|\./", line.replace("./base-tool", ""))] == []
    assert all(s.get("uses", "").startswith("actions/") for s in job["steps"] if "uses" in s)
    (setup,) = [s for s in job["steps"] if "actions/setup-python@" in s.get("uses", "")]
    assert setup["with"]["cache-dependency-path"] == "base-tool/constraints.txt"


def test_history_is_fetched_where_git_history_is_read() -> None:
    def depth(name: str, job: str) -> Any:
        return _checkouts(load(name)["jobs"][job])[0].get("fetch-depth")

    assert depth("pull-request.yml", "diff") == 0
    assert depth("pull-request.yml", "check") == 0  # who committed each sign-off
    assert depth("publish-latest.yml", "build") == 0
    assert depth("publish-release.yml", "build") == 0


@pytest.mark.parametrize("name", all_workflows())
def test_no_checkout_keeps_the_token_in_git_config(name: str) -> None:
    """``persist-credentials`` defaults to true: the token would sit in ``.git/config``,
    where a build (or a query reading through a link) can reach it."""
    found = [c for job in load(name)["jobs"].values() for c in _checkouts(job)]
    assert found
    assert [c for c in found if c.get("persist-credentials") is not False] == []


TOKEN = re.compile(r"\$\{\{\s*(github\.token|secrets\.)")
"""An expression that hands a step the job's token or a secret."""


def _writes(job: dict[str, Any]) -> bool:
    return "write" in job.get("permissions", {}).values()


@pytest.mark.parametrize("name", all_workflows())
def test_no_job_that_runs_the_repositorys_code_may_write(name: str) -> None:
    """A job given write rights checks out nothing, installs nothing, and runs git alone."""
    for job_id, job in load(name)["jobs"].items():
        if not _writes(job):
            continue
        uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
        assert set(uses) <= {"actions/github-script", "actions/download-artifact"}, job_id
        commands = [line.strip() for line in runs(job).splitlines()
                    if line.strip() and not line.startswith((" ", "\t"))]
        assert [c for c in commands if not c.startswith("git ")] == [], job_id


@pytest.mark.parametrize("name", all_workflows())
def test_the_token_reaches_the_one_step_that_writes(name: str) -> None:
    holders = []
    for job_id, job in load(name)["jobs"].items():
        for step in job["steps"]:
            if TOKEN.search(yaml.safe_dump(step)):
                assert _writes(job), f"{job_id}: a read-only job is handed a token"
                holders.append((job_id, step.get("name") or step.get("uses")))
    # github-script takes the job's token by default; the push step names it in its env
    expected = {"pull-request.yml": [], "publish-latest.yml": [("push", "Push gh-pages")],
                "publish-release.yml": [("push", "Push gh-pages")]}[name]
    assert holders == expected
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert "x-access-token:" not in text, "a token in a URL is printed and stored by git"


@pytest.mark.parametrize("name", ["publish-latest.yml", "publish-release.yml"])
def test_the_site_is_built_without_write_rights_and_pushed_by_git_alone(name: str) -> None:
    jobs = load(name)["jobs"]
    build, push = jobs["build"], jobs["push"]
    assert build["permissions"] == {"contents": "read"}
    assert push["needs"] == "build"
    assert re.search(r"^make deploy\b.* MIKE_PUSH=$", runs(build), re.MULTILINE)
    assert "git bundle create gh-pages.bundle gh-pages" in runs(build)
    (upload,) = [s for s in build["steps"] if "upload-artifact@" in s.get("uses", "")]
    (download,) = [s for s in push["steps"] if "download-artifact@" in s.get("uses", "")]
    assert upload["with"]["path"] == "gh-pages.bundle"
    assert upload["with"]["name"] == download["with"]["name"] == "gh-pages"
    assert "push \"$REMOTE\" FETCH_HEAD:refs/heads/gh-pages" in runs(push)
    assert "password=$GH_TOKEN" in runs(push)


@pytest.mark.parametrize("name", all_workflows())
def test_pip_is_cached_by_the_constraints_and_never_where_a_site_is_published(
        name: str) -> None:
    """A cache restored into a publishing build could be one that another run wrote."""
    publishes = name.startswith("publish-")
    for job in load(name)["jobs"].values():
        for step in job["steps"]:
            uses = step.get("uses", "")
            assert not (publishes and "actions/cache@" in uses)
            if "actions/setup-python@" in uses:
                cached = step["with"].get("cache")
                assert cached == (None if publishes else "pip")
                if cached:
                    assert step["with"]["cache-dependency-path"].endswith("constraints.txt")


@pytest.mark.parametrize("name", ["publish-latest.yml", "publish-release.yml"])
def test_publishing_goes_through_make_deploy(name: str) -> None:
    workflow = load(name)
    assert workflow["concurrency"] == {"group": "gh-pages", "cancel-in-progress": False}
    assert re.search(r"^make deploy\b", runs(workflow["jobs"]["build"]), re.MULTILINE)


def test_make_deploy_publishes_latest_with_mike_and_sets_it_as_the_default() -> None:
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\ndeploy:", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]
    # `latest` goes to the highest version only (scripts/latest.py; tests/test_latest.py)
    assert re.search(r"^\s*alias=\$\$\(\[ \$\$highest -eq 1 \] \|\| echo latest\)", recipe,
                     re.MULTILINE)
    assert re.search(r"mike deploy .*--update-aliases \S+ \$\$alias \\$", recipe, re.MULTILINE)
    assert re.search(r"mike set-default .*latest; }$", recipe, re.MULTILINE)


def test_a_release_tag_must_name_the_package_version() -> None:
    text = runs(load("publish-release.yml")["jobs"]["build"])
    assert 'make deploy SITE_VERSION="${TAG#v}" MIKE_PUSH=' in text
    assert "playbook --version" in text


def test_make_lint_runs_each_lint_once_zizmor_offline() -> None:
    """``make test`` runs ``make lint``; a test running a lint again would run it twice."""
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\nlint:", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]
    assert recipe.splitlines()[1:] == [
        "\t$(BIN)/ruff check playbook playbook_mkdocs hooks tests scripts bench",
        "\t$(BIN)/mypy",
        "\t$(BIN)/lint-imports",
        "\t$(BIN)/actionlint .github/workflows/*.yml",
        "\t$(BIN)/zizmor --offline --quiet --no-progress .",
    ]
    # a test starting one names it as a path, a first argument or a which() lookup; the
    # one exception lints a broken copy in tmp_path, never the repository: it proves the
    # one-door contract can fail (tests/test_layers.py)
    mutation = "test_a_command_that_loads_by_itself_breaks_the_one_door_contract"
    started = [(tool, p.name) for p in sorted((REPO / "tests").glob("*.py"))
               for tool in ("ruff", "mypy", "lint-imports", "actionlint", "zizmor")
               for found in [p.read_text(encoding="utf-8")]
               if re.search(rf'(/ |\[|which\()"{tool}"', found)]
    assert started == [("lint-imports", "test_layers.py")]
    layers = (REPO / "tests" / "test_layers.py").read_text(encoding="utf-8")
    assert layers.count('"lint-imports"') == 1
    assert layers.index(f"def {mutation}") < layers.index('"lint-imports"')


def test_zizmor_is_pinned_with_the_test_tools() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    (pin,) = re.findall(r"^zizmor==\S+$", (REPO / "constraints.txt").read_text(encoding="utf-8"),
                        re.MULTILINE)
    test_extra = pyproject.split("\ntest = [\n", 1)[1].split("\n]\n", 1)[0]
    assert [line for line in test_extra.splitlines() if line.startswith(f'    "{pin}",')]
