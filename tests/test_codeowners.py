"""`playbook codeowners`: review requests follow each program file's owners."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.engine import load_playbook
from playbook.review import codeowners

RULES = [
    "/program/mini/program.yml @aquill @bortiz",
    "/program/mini/roadmap.yml @bortiz",
    "/program/mini/kpis.yml @bortiz",
    "/program/mini/budget.yml @aquill @bortiz",
    "/program/mini/reviews.yml @aquill @bortiz",
    # the business owner owns the start-time KPI, so reviews the data it is read from
    "/data/mini/ @bortiz",
]
SIGNERS = ["", "# allowed_signers: the keys sign-offs are verified against",
           "/allowed_signers @aquill"]
"""The sponsor owns the keys that sign-offs are verified against."""
REPO = Path(__file__).resolve().parents[1]
HRBP = ("title: HR Business Partner}", 'title: HR Business Partner, handle: "@dbrandt"}')
"""Give a handle to the HR business partner, who owns the mini program's 360 KPI."""


def test_codeowners_lists_handles_per_file(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    # L&D owner, HRBP, legal, IT/AI lead and DEI reviewer have no handle in the mini
    # program, so files only they review get no line at all
    assert out.splitlines()[3:] == ["# mini", *RULES, *SIGNERS]


def test_codeowners_refuses_a_playbook_with_errors(tmp_playbook: TmpPlaybook,
                                                   run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", "title: Mini staffing program\n", "")
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, out) == (1, "")
    assert err == ("program/mini/program.yml:2:1: required field 'title' is missing "
                   "(add 'title:')\n")


def test_the_check_hook_points_to_check_once_instead_of_repeating_errors(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    """The pre-commit hook runs beside `playbook check`: one line, however many errors."""
    tmp_playbook.edit("program.yml", "title: Mini staffing program\n", "")
    tmp_playbook.edit("kpis.yml", "kpis:", "kpis: 3\nkpiz:")
    _, listed, summary = run_cli("check", str(tmp_playbook.root))
    assert summary.startswith("playbook check failed: 3 error(s),")
    assert len(listed.splitlines()) >= 3
    code, out, err = run_cli("codeowners", "--check", "--dir", tmp_playbook.root)
    assert (code, out) == (1, "")
    assert err == (".github/CODEOWNERS: not checked: the playbook has 3 error(s); "
                   "run 'playbook check' to see them\n")


def test_a_title_with_newlines_adds_no_rule(tmp_playbook: TmpPlaybook,
                                            run_cli: RunCli) -> None:
    # the title is free text: were it printed, its second line would be a rule
    tmp_playbook.edit("program.yml", "title: Mini staffing program\n",
                      'title: "Mini\\n* @attacker\\n/program/ @attacker"\n')
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert out.splitlines()[3:] == ["# mini", *RULES, *SIGNERS]
    assert "attacker" not in out


def test_a_handle_with_a_newline_is_refused_by_the_model(tmp_playbook: TmpPlaybook,
                                                         run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", 'handle: "@aquill"', 'handle: "@aquill\\n* @attacker"')
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, out) == (1, "")
    assert "attacker" not in out
    assert err == ("program/mini/program.yml:24:50: stakeholders.sponsor.handle: does not "
                   "match the pattern ^@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9-]+)?$, got "
                   "'@aquill\\x0a* @attacker'\n")


@pytest.mark.parametrize("handle", ["@aquill\n* @attacker", "@aquill @attacker", "@a#b",
                                    "aquill", "@aquill\n", "@org/team/x", "a@b"])
def test_render_refuses_a_handle_that_is_not_a_github_owner(tmp_playbook: TmpPlaybook,
                                                           handle: str) -> None:
    # the model rejects these already; render checks again, as it writes access rules
    playbook, _ = load_playbook(tmp_playbook.root)
    bundle = playbook.programs[0]
    assert bundle.program is not None
    people = bundle.program.stakeholders
    sponsor = people.sponsor.model_copy(update={"handle": handle})
    bundle.program = bundle.program.model_copy(
        update={"stakeholders": people.model_copy(update={"sponsor": sponsor})})
    with pytest.raises(codeowners.CodeownersError) as caught:
        codeowners.render(playbook)
    assert str(caught.value) == (f"program 'mini': handle {handle!r} is not a GitHub owner; "
                                 "use @user, @org/team or an e-mail address")


@pytest.mark.parametrize("handle", ["@aquill", "@my-org/team_1", "ada.quill+x@example.com"])
def test_render_accepts_users_teams_and_e_mail_addresses(tmp_playbook: TmpPlaybook,
                                                         handle: str) -> None:
    playbook, _ = load_playbook(tmp_playbook.root)
    bundle = playbook.programs[0]
    assert bundle.program is not None
    people = bundle.program.stakeholders
    sponsor = people.sponsor.model_copy(update={"handle": handle})
    bundle.program = bundle.program.model_copy(
        update={"stakeholders": people.model_copy(update={"sponsor": sponsor})})
    assert f"/program/mini/budget.yml {handle} @bortiz\n" in codeowners.render(playbook)


def test_render_refuses_a_program_id_that_is_not_safe(tmp_playbook: TmpPlaybook) -> None:
    playbook, _ = load_playbook(tmp_playbook.root)
    bundle = playbook.programs[0]
    assert bundle.program is not None
    bundle.program = bundle.program.model_copy(update={"id": "mini\n* @attacker"})
    with pytest.raises(codeowners.CodeownersError) as caught:
        codeowners.render(playbook)
    assert str(caught.value) == ("program id 'mini\\n* @attacker' is not a kebab-case id "
                                 "equal to its folder name")


def test_a_kpi_owner_reviews_the_kpi_file_and_the_data_folder(tmp_playbook: TmpPlaybook,
                                                             run_cli: RunCli) -> None:
    # the HRBP reviews competencies and AI tools by role, kpis.yml and data/ only as the
    # owner of leader-360; the file-level roles come first, then the KPI owners
    tmp_playbook.edit("program.yml", *HRBP)
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert "/program/mini/kpis.yml @bortiz @dbrandt" in out.splitlines()
    assert "/data/mini/ @bortiz @dbrandt" in out.splitlines()
    assert "/program/mini/budget.yml @aquill @bortiz" in out.splitlines()


def test_a_role_that_owns_no_kpi_is_not_asked_to_review_the_data(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", *HRBP)
    tmp_playbook.edit("kpis.yml", "    owner: hr_business_partner\n", "")
    code, out, _ = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert code == 0
    assert "/program/mini/kpis.yml @bortiz" in out.splitlines()
    assert "/data/mini/ @bortiz" in out.splitlines()
    assert "/program/mini/competencies.yml @dbrandt" in out.splitlines()


def test_check_fails_until_write_refreshes_the_file(tmp_playbook: TmpPlaybook,
                                                    run_cli: RunCli) -> None:
    root = tmp_playbook.root
    assert run_cli("codeowners", "--check", "--dir", root) == (
        1, "", ".github/CODEOWNERS: missing; run 'playbook codeowners --write'\n")
    assert run_cli("codeowners", "--write", "--dir", root) == (0, ".github/CODEOWNERS\n", "")
    printed = run_cli("codeowners", "--dir", root)[1]
    assert (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == printed
    assert run_cli("codeowners", "--check", "--dir", root) == (0, "", "")
    # a new KPI owner changes the review requests: the committed file is now stale
    tmp_playbook.edit("kpis.yml", "    owner: ld_owner\n", "    owner: sponsor\n")
    assert run_cli("codeowners", "--check", "--dir", root) == (
        1, "", ".github/CODEOWNERS: stale (stakeholders or KPI owners changed); run "
        "'playbook codeowners --write'\n")


def test_check_and_write_exclude_each_other(tmp_playbook: TmpPlaybook,
                                            run_cli: RunCli) -> None:
    code, out, err = run_cli("codeowners", "--check", "--write", "--dir", tmp_playbook.root)
    assert (code, out) == (2, "")
    assert "not allowed with argument" in err


def test_the_committed_codeowners_is_current(run_cli: RunCli) -> None:
    assert run_cli("codeowners", "--check", "--dir", REPO) == (0, "", "")


def test_allowed_signers_gets_no_rule_when_no_sponsor_has_a_handle(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", 'title: COO, handle: "@aquill"}', "title: COO}")
    code, out, _ = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert code == 0
    assert "allowed_signers" not in out
