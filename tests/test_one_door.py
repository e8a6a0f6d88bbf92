"""Every command that reads a playbook meets the same problems: the engine is the one door.

A bad program is made in three ways (a file that does not validate, a
reference the checks refuse, a data file the loader refuses) and every
command that reads programs is run on it. Each must name exactly the errors
``playbook check`` names, no fewer (a command that skipped the checks would
build figures from a wrong program) and none of its own invention.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from playbook import engine
from tests.conftest import MINI, RunCli, TmpPlaybook

TODAY = "2026-06-01"

BREAKS = {
    "check stage": ("kpis.yml", "owner: business_owner", "owner: it_ai_lead"),
    "model stage": ("kpis.yml", "cadence: quarterly", "cadence: fortnightly"),
    "load stage": ("kpis.yml", "value: score", "value: no_such_column"),
}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                        "PATH": "/usr/bin:/bin"})


def _lines(text: str) -> set[str]:
    """The problem lines of a command's output (``path:line:col: …``)."""
    return {line for line in text.splitlines() if line.startswith(("program/", "data/"))}


@pytest.fixture(params=sorted(BREAKS))
def broken(request: pytest.FixtureRequest, tmp_playbook: TmpPlaybook,
           run_cli: RunCli) -> tuple[TmpPlaybook, set[str]]:
    """The mini playbook committed clean, then broken in the work tree; its check errors."""
    root = tmp_playbook.root
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "clean")
    tmp_playbook.edit(*BREAKS[request.param])
    code, out, _ = run_cli("check", root, "--format", "json")
    assert code == 1
    errors = {f"{p['path']}:{p['line']}:{p['column']}: "
              + (f"{p['field']}: " if p["field"] else "") + p["message"]
              + (f" ({p['hint']})" if p["hint"] else "")
              for p in json.loads(out)["problems"] if p["severity"] == "error"}
    assert errors, "the break must be an error"
    return tmp_playbook, errors


def test_report_names_the_errors_check_names(broken: tuple[TmpPlaybook, set[str]],
                                             run_cli: RunCli) -> None:
    book, errors = broken
    code, out, err = run_cli("report", "mini", "--dir", book.root, "--today", TODAY)
    assert (code, out) == (1, "")
    assert _lines(err) == errors


def test_pages_names_the_errors_check_names(broken: tuple[TmpPlaybook, set[str]],
                                            run_cli: RunCli, tmp_path: Path) -> None:
    book, errors = broken
    out_dir = tmp_path / "pages-out"
    code, _, err = run_cli("pages", "--dir", book.root, "--out", out_dir, "--today", TODAY)
    assert code == 1
    assert _lines(err) == errors
    # the program is a page of its errors, nothing computed from it
    assert sorted(p.name for p in (out_dir / "programs" / "mini").iterdir()) == ["index.md"]
    page = (out_dir / "programs" / "mini" / "index.md").read_text(encoding="utf-8")
    assert "Nothing was built from this program" in page


def test_another_programs_errors_do_not_stop_pages(tmp_playbook: TmpPlaybook,
                                                   run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_playbook.root
    other = root / "program" / "other"
    other.mkdir()
    (other / "program.yml").write_text("id: other\n", encoding="utf-8")
    out_dir = tmp_path / "pages-out"
    code, _, err = run_cli("pages", "--dir", root, "--out", out_dir, "--today", TODAY)
    assert code == 1
    assert _lines(err) and all(line.startswith("program/other/") for line in _lines(err))
    assert (out_dir / "programs" / "mini" / "measurement.md").is_file()
    assert "program/other/program.yml:1:1" in (
        out_dir / "programs" / "other" / "index.md").read_text(encoding="utf-8")
    data, _ = engine.build(root, date.fromisoformat(TODAY))
    assert data is not None and [v.id for v in data.programs] == ["mini"]


def test_diff_names_the_errors_check_names_at_the_head(
        broken: tuple[TmpPlaybook, set[str]], run_cli: RunCli) -> None:
    book, errors = broken
    code, out, err = run_cli("diff", "HEAD", "--dir", book.root, "--today", TODAY)
    assert (code, out) == (1, "")
    assert "errors at the head (work tree):" in err
    assert "errors at the base" not in err
    assert _lines(err) == errors


def test_diff_names_the_errors_check_names_at_the_base(
        broken: tuple[TmpPlaybook, set[str]], run_cli: RunCli) -> None:
    book, errors = broken
    _git(book.root, "commit", "-qam", "broken")
    book.write("kpis.yml", (MINI / "program" / "mini" / "kpis.yml").read_text("utf-8"))
    assert run_cli("check", book.root)[0] == 0  # the head (work tree) is clean
    code, _, err = run_cli("diff", "HEAD", "--dir", book.root, "--today", TODAY)
    assert code == 1
    assert "errors at the base HEAD:" in err
    assert "errors at the head" not in err
    assert _lines(err) == errors


def test_sign_names_the_errors_check_names(broken: tuple[TmpPlaybook, set[str]],
                                           run_cli: RunCli) -> None:
    book, errors = broken
    before = book.snapshot()
    code, _, err = run_cli("sign", "mini", "--role", "sponsor", "--dir", book.root)
    assert code == 1
    assert "fix these errors before signing" in err
    assert _lines(err) == errors
    book.assert_unchanged(before)


def test_the_build_meets_the_errors_check_names(broken: tuple[TmpPlaybook, set[str]]) -> None:
    book, errors = broken
    data, problems = engine.build(book.root, date.fromisoformat(TODAY))
    assert data is not None and data.programs == [] and list(data.broken) == ["mini"]
    assert {str(p) for p in problems.errors} == {str(p) for p in data.broken["mini"]} == errors


def test_evaluate_computes_no_figures_for_a_program_with_errors(
        broken: tuple[TmpPlaybook, set[str]]) -> None:
    book, errors = broken
    judged = engine.evaluate(book.root, date.fromisoformat(TODAY))
    assert {str(p) for p in judged.problems.errors} == errors
    assert dict(judged.figures) == {}


def test_another_programs_errors_do_not_stop_a_report(tmp_playbook: TmpPlaybook,
                                                      run_cli: RunCli) -> None:
    """A report is one program's: an error in another program's files is not its."""
    root = tmp_playbook.root
    other = root / "program" / "other"
    other.mkdir()
    (other / "program.yml").write_text("id: other\n", encoding="utf-8")
    assert run_cli("check", root)[0] == 1
    code, out, _ = run_cli("report", "mini", "--dir", root, "--today", TODAY)
    assert code == 0
    assert json.loads(out)["program_id"] == "mini"
    code, _, err = run_cli("report", "other", "--dir", root, "--today", TODAY)
    assert code == 1
    assert _lines(err) and all(line.startswith("program/other/") for line in _lines(err))


def test_pull_names_the_errors_check_names(broken: tuple[TmpPlaybook, set[str]],
                                           run_cli: RunCli) -> None:
    book, errors = broken
    before = book.snapshot()
    code, _, err = run_cli("pull", "--dir", book.root)
    assert code == 1
    assert "no snapshot written" in err
    assert _lines(err) == errors
    book.assert_unchanged(before)
