"""`playbook codeowners`: review requests follow each program file's owners."""

from __future__ import annotations

from conftest import RunCli, TmpPlaybook


def test_codeowners_lists_handles_per_file(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    # L&D owner, HRBP, legal, IT/AI lead and DEI reviewer have no handle in the mini
    # program, so files only they review get no line at all
    assert out.splitlines()[3:] == [
        "# Mini staffing program",
        "/program/mini/program.yml @aquill @bortiz",
        "/program/mini/roadmap.yml @bortiz",
        "/program/mini/kpis.yml @bortiz",
        "/program/mini/budget.yml @aquill @bortiz",
        "/program/mini/reviews.yml @aquill @bortiz",
    ]

def test_codeowners_refuses_a_playbook_with_errors(tmp_playbook: TmpPlaybook,
                                                   run_cli: RunCli) -> None:
    tmp_playbook.edit("program.yml", "title: Mini staffing program\n", "")
    code, out, err = run_cli("codeowners", "--dir", tmp_playbook.root)
    assert (code, out) == (1, "")
    assert err == ("program/mini/program.yml:2:1: required field 'title' is missing "
                   "(add 'title:')\n")
