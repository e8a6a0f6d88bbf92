"""The monthly cycle: what each kind of problem means, acknowledgements, the policy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.engine import Context, blocking, load_playbook
from playbook.load.reporter import severity_of
from playbook.model.findings import FindingCode, PendingCode, member_docs
from playbook.model.problems import (
    Acknowledged,
    Problem,
    Problems,
    Severity,
    github_annotations,
)
from playbook.model.settings import Publish

REPO = Path(__file__).resolve().parents[1]
COHORT = ("program/mini/program.yml:32:16: finding cohort-size: pilot.cohort_size: pilot "
          "cohort of 12 is outside 20–50: too small to tell an effect from noise (sample 20–50 "
          "leaders across functions)")


def acknowledge(pb: TmpPlaybook, until: str, code: str = "cohort-size",
                field: str = "pilot.cohort_size") -> None:
    pb.write("program.yml", pb.read("program.yml") + (
        "acknowledgements:\n"
        f"  - code: {code}\n"
        "    file: program/mini/program.yml\n"
        f"    field: {field}\n"
        "    reason: The pilot unit has twelve charge nurses; there are no more.\n"
        "    accepted_by: sponsor\n"
        f"    until: {until}\n"))


# --- severities ------------------------------------------------------------------------

def test_every_code_is_a_finding_or_pending_and_no_code_is_an_error() -> None:
    assert {severity_of(c) for c in FindingCode} == {Severity.FINDING}
    assert {severity_of(c) for c in PendingCode} == {Severity.PENDING}
    assert severity_of(None) is Severity.ERROR


@pytest.mark.parametrize("code", [*FindingCode, *PendingCode])
def test_every_code_is_given_by_the_engine_and_documented(code: FindingCode) -> None:
    # a code nothing emits, or that the format reference does not explain, is a dead letter
    member = f"{type(code).__name__}.{code.name}"
    sources = [p for p in (REPO / "playbook").rglob("*.py")
               if p.name != "findings.py" and member in p.read_text(encoding="utf-8")]
    assert sources, f"no module emits {member}"
    assert member_docs(type(code))[code.value]
    reference = (REPO / "tests" / "golden" / "reference" / "format.md").read_text("utf-8")
    assert f"<code>{code.value}</code>" in reference


def test_a_former_warning_is_a_finding_and_a_stale_sign_off_is_pending(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
            "--dir", tmp_playbook.root)
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")
    problems = load_playbook(tmp_playbook.root)[1]
    assert [(p.severity, p.code, p.role) for p in problems.sorted()] == [
        (Severity.FINDING, "cohort-size", ""), (Severity.PENDING, "signoff-stale", "sponsor")]
    code, out, err = run_cli("check", tmp_playbook.root)
    assert code == 0  # neither blocks the build
    # (no git here: who added the sign-off is unknown, a notice that never blocks)
    lines = [line for line in out.splitlines() if ": notice: " not in line]
    assert lines[0] == COHORT
    assert re.fullmatch(r"program/mini/program\.yml:\d+:\d+: pending signoff-stale: "
                        r"signoff\[0\]\.digest: sign-off by sponsor .* is stale: .*",
                        lines[1])
    assert err == ("playbook check ok: 0 error(s), 1 finding(s), 1 pending, 0 acknowledged, "
                   "1 notice(s)\n")
    code, _, err = run_cli("check", tmp_playbook.root, "--strict")
    assert (code, err) == (1, "playbook check failed: 0 error(s), 1 finding(s), 1 pending, "
                              "0 acknowledged, 1 notice(s) (2 more blocking clean)\n")


def test_github_levels_are_error_warning_notice_and_error_when_blocking() -> None:
    err = Problem("a.yml", 1, 1, "x", "wrong")
    found = Problem("a.yml", 2, 1, "y", "fact", "", Severity.FINDING, "cohort-size")
    wait = Problem("a.yml", 3, 1, "z", "sign", "", Severity.PENDING, "signoff-stale", "sponsor")
    known = Problem("a.yml", 4, 1, "w", "fact", "", Severity.FINDING, "pilot-short",
                    acknowledged=Acknowledged(__import__("datetime").date(2027, 1, 31),
                                              "sponsor", "closed wave"))
    levels = [line.split(" ", 1)[0] for line in
              github_annotations(Problems([err, found, wait, known])).splitlines()]
    assert levels == ["::error", "::warning", "::notice", "::notice"]
    levels = [line.split(" ", 1)[0] for line in
              github_annotations(Problems([err, found, wait]), {wait}).splitlines()]
    assert levels == ["::error", "::warning", "::error"]
    assert str(known) == ("a.yml:4:1: acknowledged pilot-short until 2027-01-31 by sponsor: "
                          "w: fact")


# --- acknowledgements -------------------------------------------------------------------

def test_an_acknowledged_finding_is_a_known_limitation_until_its_day(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")
    acknowledge(tmp_playbook, "2027-01-31")
    monkeypatch.setenv("PLAYBOOK_TODAY", "2027-01-31")  # its last day: it holds
    code, out, err = run_cli("check", tmp_playbook.root, "--strict")
    assert (code, err) == (0, "playbook check ok: 0 error(s), 0 finding(s), 0 pending, "
                              "1 acknowledged\n")
    assert out == COHORT.replace("finding cohort-size:", "acknowledged cohort-size until "
                                 "2027-01-31 by sponsor:") + "\n"
    data = json.loads(run_cli("check", tmp_playbook.root, "--format", "json")[1])
    assert data["problems"][0]["acknowledged"] == {
        "until": "2027-01-31", "role": "sponsor",
        "reason": "The pilot unit has twelve charge nurses; there are no more."}
    assert blocking(load_playbook(tmp_playbook.root)[1],
                    Publish(findings_must_be_acknowledged=True), Context.DEPLOY) == []


def test_an_expired_acknowledgement_turns_the_finding_back_on(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")
    acknowledge(tmp_playbook, "2027-01-31")
    monkeypatch.setenv("PLAYBOOK_TODAY", "2027-02-01")
    code, out, err = run_cli("check", tmp_playbook.root, "--strict")
    assert code == 1
    assert out == COHORT[:-1] + "; its acknowledgement held until 2027-01-31)\n"
    assert err.startswith("playbook check failed: 0 error(s), 1 finding(s), 0 pending, "
                          "0 acknowledged")
    assert run_cli("check", tmp_playbook.root)[0] == 0  # still a finding: it never blocks


@pytest.mark.parametrize(("code", "field"), [
    ("cohort-size", "pilot.duration_days"),   # the right code at another field
    ("pilot-short", "pilot.cohort_size"),     # another code at the right field
])
def test_an_acknowledgement_that_matches_nothing_is_a_finding(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, code: str, field: str) -> None:
    acknowledge(tmp_playbook, "2099-01-01", code, field)
    status, out, _ = run_cli("check", tmp_playbook.root)
    assert status == 0
    assert re.fullmatch(
        r"program/mini/program\.yml:\d+:5: finding acknowledgement-unmatched: "
        r"acknowledgements\[0\]: acknowledgement of " + re.escape(f"{code} at "
        f"program/mini/program.yml {field} matches no finding (remove it if the finding is "
        "gone, or copy the code, file and field from 'playbook check')") + "\n", out)


def test_an_acknowledgement_is_checked_like_any_field(tmp_playbook: TmpPlaybook,
                                                      run_cli: RunCli) -> None:
    acknowledge(tmp_playbook, "2099-01-01", "attrition-hgh")
    status, out, _ = run_cli("check", tmp_playbook.root)
    assert status == 1
    assert "acknowledgements[0].code: expected one of 'outcome-not-measurable', " in out


def test_an_acknowledgement_is_part_of_what_is_signed(tmp_playbook: TmpPlaybook,
                                                      run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
            "--dir", tmp_playbook.root)
    assert load_playbook(tmp_playbook.root)[1].pending == []
    acknowledge(tmp_playbook, "2099-01-01")
    assert [p.code for p in load_playbook(tmp_playbook.root)[1].pending] == ["signoff-stale"]


# --- the publishing policy ----------------------------------------------------------------

ERR = Problem("p.yml", 1, 1, "", "wrong")
FOUND = Problem("p.yml", 2, 1, "", "fact", "", Severity.FINDING, "cohort-size")
STALE = Problem("p.yml", 3, 1, "", "stale", "", Severity.PENDING, "signoff-stale", "sponsor")
MISSING = Problem("p.yml", 4, 1, "", "none", "", Severity.PENDING, "signoff-missing",
                  "business_owner")
ALL = Problems([ERR, FOUND, STALE, MISSING])
STRICT_POLICY = Publish(require_signoffs=["sponsor"], findings_must_be_acknowledged=True)


@pytest.mark.parametrize(("context", "policy", "blocked"), [
    *((c, p, [ERR]) for c in (Context.PRE_COMMIT, Context.PR, Context.BUILD, Context.PREVIEW)
      for p in (Publish(), STRICT_POLICY)),
    (Context.DEPLOY, Publish(), [ERR]),
    (Context.DEPLOY, Publish(require_signoffs=["sponsor"]), [ERR, STALE]),
    (Context.DEPLOY, Publish(require_signoffs=["business_owner"]), [ERR, MISSING]),
    (Context.DEPLOY, Publish(findings_must_be_acknowledged=True), [ERR, FOUND]),
    (Context.DEPLOY, STRICT_POLICY, [ERR, FOUND, STALE]),
    (Context.CLEAN, Publish(), [ERR, FOUND, STALE, MISSING]),
    # the pull request's sign-off status waits only for the sign-offs the policy requires
    (Context.SIGNOFF, Publish(), []),
    (Context.SIGNOFF, Publish(require_signoffs=["business_owner"]), [MISSING]),
    (Context.SIGNOFF, STRICT_POLICY, [STALE]),
])
def test_what_blocks_in_each_context(context: Context, policy: Publish,
                                     blocked: list[Problem]) -> None:
    assert blocking(ALL, policy, context) == blocked


def test_every_context_is_decided() -> None:
    assert {c for c in Context} == {Context.PRE_COMMIT, Context.PR, Context.SIGNOFF,
                                    Context.BUILD, Context.PREVIEW, Context.DEPLOY,
                                    Context.CLEAN}


def test_a_required_sign_off_blocks_the_deploy_only(tmp_playbook: TmpPlaybook,
                                                    run_cli: RunCli) -> None:
    tmp_playbook.write("./playbook.yml", "publish:\n  require_signoffs: [sponsor]\n")
    missing = ("program/mini/program.yml:24:12: pending signoff-missing: stakeholders.sponsor: "
               "no sign-off by sponsor, which the publishing policy requires (review the "
               "program, then 'playbook sign mini --role sponsor')\n")
    for where in ("pre-commit", "pr", "build", "preview"):
        assert run_cli("check", tmp_playbook.root, "--for", where)[:2] == (0, missing)
    code, out, err = run_cli("check", tmp_playbook.root, "--for", "deploy")
    assert (code, out) == (1, missing)
    assert err == ("playbook check failed: 0 error(s), 0 finding(s), 1 pending, "
                   "0 acknowledged (1 more blocking deploy)\n")
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
            "--dir", tmp_playbook.root)
    code, out, _ = run_cli("check", tmp_playbook.root, "--for", "deploy")
    assert code == 0
    assert [line.split(": ")[1] for line in out.splitlines()] == ["notice"]  # unverified


def test_the_sign_off_status_shows_only_sign_offs_and_waits_for_the_required_ones(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")  # a finding
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
            "--dir", tmp_playbook.root)
    tmp_playbook.edit("program.yml", "title: Mini staffing program", "title: Mini")  # stale
    code, out, err = run_cli("check", tmp_playbook.root, "--for", "signoff")
    assert code == 0  # no policy: nothing is required
    assert re.fullmatch(r"program/mini/program\.yml:\d+:\d+: pending signoff-stale: "
                        r"signoff\[0\]\.digest: sign-off by sponsor .*\n", out)
    assert err.startswith("playbook check ok: 0 error(s), 0 finding(s), 1 pending")
    tmp_playbook.write("./playbook.yml", "publish:\n  require_signoffs: [sponsor]\n")
    code, _, err = run_cli("check", tmp_playbook.root, "--for", "signoff")
    assert (code, err) == (1, "playbook check failed: 0 error(s), 0 finding(s), 1 pending, "
                              "0 acknowledged (1 more blocking signoff)\n")


def test_the_sign_off_status_can_be_judged_by_the_base_revisions_policy(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    """A pull request that drops a required role from playbook.yml still waits for it."""
    base = tmp_path / "base"
    base.mkdir()
    (base / "playbook.yml").write_text("publish:\n  require_signoffs: [business_owner]\n")
    tmp_playbook.write("./playbook.yml", "publish:\n  require_signoffs: []\n")
    assert run_cli("check", tmp_playbook.root, "--for", "signoff")[0] == 0
    code, out, _ = run_cli("check", tmp_playbook.root, "--for", "signoff",
                           "--policy-from", base)
    assert code == 1
    assert out == ("program/mini/program.yml:25:19: pending signoff-missing: "
                   "stakeholders.business_owner: no sign-off by business_owner, which the "
                   "publishing policy requires (review the program, then 'playbook sign mini "
                   "--role business_owner')\n")
    assert run_cli("check", tmp_playbook.root, "--for", "deploy",
                   "--policy-from", tmp_path / "nowhere")[0] == 0  # no file: the default


def test_findings_block_a_deploy_when_the_policy_wants_them_acknowledged(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_playbook.write("./playbook.yml", "publish:\n  findings_must_be_acknowledged: true\n")
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")
    assert run_cli("check", tmp_playbook.root, "--for", "pr")[0] == 0
    assert run_cli("check", tmp_playbook.root, "--for", "deploy")[0] == 1
    acknowledge(tmp_playbook, "2027-01-31")
    monkeypatch.setenv("PLAYBOOK_TODAY", "2027-01-01")
    assert run_cli("check", tmp_playbook.root, "--for", "deploy")[0] == 0


def test_a_policy_with_an_unknown_role_is_a_located_error(tmp_playbook: TmpPlaybook,
                                                          run_cli: RunCli) -> None:
    tmp_playbook.write("./playbook.yml", "publish:\n  require_signoffs: [sponsr]\n")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 1
    assert out.startswith("playbook.yml:2:22: publish.require_signoffs[0]: expected one of "
                          "'sponsor', ")
