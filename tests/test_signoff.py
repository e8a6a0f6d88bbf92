"""Sign-offs: written by `playbook sign`, stale when the signed content changes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import RunCli, TmpPlaybook

from playbook import diff
from playbook.load import load_playbook
from playbook.signoff import digest, states


def _git_init(root: Path) -> None:
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm",
                  "base"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_sign_appends_an_entry_and_keeps_the_rest_of_the_file(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    before = tmp_playbook.read("program.yml")
    code, out, err = run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
                             "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    after = tmp_playbook.read("program.yml")
    assert after.startswith(before)  # nothing rewritten, only appended
    playbook, problems = load_playbook(tmp_playbook.root)
    bundle = playbook.get("mini")
    assert bundle is not None and bundle.program is not None
    entry = bundle.program.signoff[-1]
    assert (entry.role, entry.name, str(entry.date), entry.version) == (
        "sponsor", "Ada Quill", "2026-05-01", "1.0.0")
    assert entry.digest == digest(bundle)
    assert out == f"signed mini 1.0.0 as sponsor (Ada Quill, 2026-05-01): {entry.digest}\n"
    assert problems.items == []


def test_comment_or_formatting_changes_keep_a_sign_off_current(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    run_cli("sign", "mini", "--role", "sponsor", "--dir", tmp_playbook.root)
    tmp_playbook.edit("kpis.yml", "    target: {value: 24, by: 2026-12-31}",
                      "    # agreed with finance\n    target:\n      value: 24\n"
                      "      by: 2026-12-31")
    playbook, problems = load_playbook(tmp_playbook.root)
    assert problems.items == []
    bundle = playbook.get("mini")
    assert bundle is not None
    assert [s.current for s in states(bundle) if s.role == "sponsor"] == [True]


def test_a_changed_target_makes_the_sign_off_stale(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
            "--dir", tmp_playbook.root)
    tmp_playbook.edit("kpis.yml", "target: {value: 24,", "target: {value: 22,")
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 0
    line = [x for x in out.splitlines() if "stale" in x]
    assert len(line) == 1
    assert line[0].startswith("program/mini/program.yml:")
    assert line[0].endswith(
        ": warning: signoff[0].digest: sign-off by sponsor (Ada Quill, 2026-05-01) is stale: "
        "the program changed after it was signed (review with 'playbook diff', then "
        "'playbook sign mini --role sponsor')")
    code, _, _ = run_cli("check", "--strict", tmp_playbook.root)
    assert code == 1
    # signing again makes it current; the old entry stays as history
    run_cli("sign", "mini", "--role", "sponsor", "--dir", tmp_playbook.root)
    code, out, _ = run_cli("check", "--strict", tmp_playbook.root)
    assert (code, out) == (0, "")


def test_sign_refuses_unknown_program_role_without_person_and_bad_files(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    snap = tmp_playbook.snapshot()
    code, _, err = run_cli("sign", "nope", "--role", "sponsor", "--dir", tmp_playbook.root)
    assert (code, err) == (1, "playbook sign: unknown program 'nope'; known programs: mini\n")
    code, _, err = run_cli("sign", "mini", "--role", "it_ai_lead", "--dir",
                           tmp_playbook.root)
    assert (code, err) == (1, "playbook sign: role 'it_ai_lead' has no person in "
                              "stakeholders of 'mini'\n")
    tmp_playbook.assert_unchanged(snap)
    tmp_playbook.edit("kpis.yml", "target: {value: 24,", "tagret: {value: 24,")
    snap = tmp_playbook.snapshot()
    code, _, err = run_cli("sign", "mini", "--role", "sponsor", "--dir", tmp_playbook.root)
    assert code == 1
    assert err.startswith("playbook sign: fix these errors before signing:\n"
                          "program/mini/kpis.yml:9:5: kpis[0]: unknown field 'tagret'")
    tmp_playbook.assert_unchanged(snap)


def test_diff_names_meaning_changes_and_the_sign_offs_they_make_stale(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
            "--dir", tmp_playbook.root)
    _git_init(tmp_playbook.root)
    tmp_playbook.edit("kpis.yml", "target: {value: 24,", "target: {value: 22,")
    tmp_playbook.edit("vendors.yml", "weight: 60}", "weight: 55}")
    tmp_playbook.edit("vendors.yml", "weight: 40}", "weight: 45}")
    tmp_playbook.edit("kpis.yml", "    owner: ld_owner", "    owner: business_owner")
    code, out, err = run_cli("diff", "--base", "HEAD", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[1:] == [
        "| target | kpis.yml | `kpis[start-time].target.value` | 24.0 | 22.0 |",
        "| weight | vendors.yml | `criteria[cost].weight` | 40.0 | 45.0 |",
        "| weight | vendors.yml | `criteria[outcomes].weight` | 60.0 | 55.0 |",
        "| owner | kpis.yml | `kpis[board-use].owner` | ld_owner | business_owner |",
    ]
    assert "This change makes these sign-offs stale: sponsor (Ada Quill, 2026-05-01, " \
           "version 1.0.0). They must sign again." in out
    assert "The version was not bumped although targets, weights, owners, dates or money " \
           "changed: bump `version` in program.yml." in out
    tmp_playbook.edit("program.yml", "\nversion: 1.0.0", "\nversion: 1.1.0")
    _, out, _ = run_cli("diff", "--base", "HEAD", "--dir", tmp_playbook.root)
    assert "| other | program.yml | `version` | 1.0.0 | 1.1.0 |" in out
    assert "The version was not bumped" not in out


def test_reordering_and_reformatting_is_no_change(tmp_playbook: TmpPlaybook) -> None:
    _git_init(tmp_playbook.root)
    text = tmp_playbook.read("vendors.yml")
    lines = text.splitlines(keepends=True)
    a, b = lines.index(next(x for x in lines if "id: outcomes" in x)), lines.index(
        next(x for x in lines if "id: cost" in x))
    lines[a], lines[b] = lines[b], lines[a]
    tmp_playbook.write("vendors.yml", "".join(lines) + "# a comment\n")
    before, _ = diff.snapshot_at(tmp_playbook.root, "HEAD")
    after, _ = diff.snapshot_at(tmp_playbook.root, None)
    assert diff.compare(before, after) == []
