"""`playbook codeowners`: review requests follow each program file's owners."""

from __future__ import annotations

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
]


def test_codeowners_lists_handles_per_file(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    # L&D owner, HRBP, legal, IT/AI lead and DEI reviewer have no handle in the mini
    # program, so files only they review get no line at all
    assert out.splitlines()[3:] == ["# mini", *RULES]


def test_codeowners_refuses_a_playbook_with_errors(tmp_playbook: TmpPlaybook,
                                                   run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", "title: Mini staffing program\n", "")
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, out) == (1, "")
    assert err == ("program/mini/program.yml:2:1: required field 'title' is missing "
                   "(add 'title:')\n")


def test_a_title_with_newlines_adds_no_rule(tmp_playbook: TmpPlaybook,
                                            run_cli: RunCli) -> None:
    # the title is free text: were it printed, its second line would be a rule
    tmp_playbook.edit("program.yml", "title: Mini staffing program\n",
                      'title: "Mini\\n* @attacker\\n/program/ @attacker"\n')
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert out.splitlines()[3:] == ["# mini", *RULES]
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
