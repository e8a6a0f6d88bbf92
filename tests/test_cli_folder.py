"""Where a command works: a named folder must exist; by default, the playbook around you.

As git finds its repository from a subfolder, a command run inside a playbook
(``program/<id>/``, ``data/<id>/``) works on the whole playbook; a folder named
on the command line that does not exist is a usage error (exit 2), not a
playbook with "no program folders".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook


@pytest.mark.parametrize("argv", [("check", "{}"), ("report", "mini", "--dir", "{}"),
                                  ("pages", "--out", "out", "--dir", "{}"),
                                  ("diff", "--dir", "{}"), ("pull", "--dir", "{}"),
                                  ("sign", "mini", "--role", "sponsor", "--dir", "{}"),
                                  ("codeowners", "--dir", "{}")])
def test_a_missing_folder_is_a_usage_error(tmp_path: Path, run_cli: RunCli,
                                           argv: tuple[str, ...]) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = run_cli(*(a.format(missing) for a in argv))
    assert (code, out) == (2, "")
    assert err == f"playbook {argv[0]}: the playbook folder '{missing}' does not exist\n"
    assert not missing.exists()


def test_a_file_is_not_a_folder(tmp_path: Path, run_cli: RunCli) -> None:
    file = tmp_path / "playbook.yml"
    file.write_text("connections: {}\n", encoding="utf-8")
    assert run_cli("check", file) == (
        2, "", f"playbook check: the playbook folder '{file}' is not a folder\n")


@pytest.mark.parametrize("below", ["program", "program/mini", "data/mini"])
def test_a_command_in_a_subfolder_works_on_the_whole_playbook(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        below: str) -> None:
    monkeypatch.chdir(tmp_playbook.root / below)
    tmp_playbook.edit("kpis.yml", "owner: business_owner", "owner: it_ai_lead")
    code, out, _ = run_cli("check")
    assert code == 1
    assert out.startswith("program/mini/kpis.yml:11:12: kpis[0].owner: role 'it_ai_lead'")


def test_outside_any_playbook_the_working_folder_is_checked(
        tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("check")
    assert (code, out) == (1, "program:1:1: no program folders found (run 'playbook new "
                              "PROGRAM-ID' to create one)\n")
