"""Sign-offs: written by `playbook sign`, stale when the signed content changes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import RunCli, TmpPlaybook

from playbook.engine import load_playbook, today_from_env
from playbook.load import yaml_source as yamlsrc
from playbook.load.signoffs import digest, states
from playbook.review import diff, snapshots


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
        ": pending signoff-stale: signoff[0].digest: sign-off by sponsor (Ada Quill, "
        "2026-05-01) is stale: "
        "the program changed after it was signed (review with 'playbook diff', then "
        "'playbook sign mini --role sponsor')")
    code, _, _ = run_cli("check", "--strict", tmp_playbook.root)
    assert code == 1
    # signing again makes it current; the old entry stays as history
    run_cli("sign", "mini", "--role", "sponsor", "--dir", tmp_playbook.root)
    code, out, _ = run_cli("check", "--strict", tmp_playbook.root)
    # the one sign-off in effect is noted as unverified; a notice is never an error
    assert (code, out.splitlines()) == (0, [
        "program/mini/program.yml:55:5: notice: signoff[1]: sign-off by sponsor (Ada Quill, "
        f"{today_from_env().isoformat()}) is unverified: no git history says who added it, not "
        "verifiable (anyone can commit a sign-off in another's name: confirm it with "
        "Ada Quill)"])


def test_sign_refuses_unknown_program_role_without_person_and_bad_files(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    snap = tmp_playbook.snapshot()
    code, _, err = run_cli("sign", "nope", "--role", "sponsor", "--dir", tmp_playbook.root)
    assert (code, err) == (2, "playbook sign: unknown program 'nope'; known programs: mini\n")
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
    changed = out.split("### Pending")[0]  # the pending table comes last
    rows = [line for line in changed.splitlines() if line.startswith("| ") and "---" not in line]
    # the vendor scorecard comes first; the changed values' table starts at its header
    assert rows[rows.index("| Kind | File | Field | Before | After |") + 1:] == [
        "| target | kpis.yml | <code>kpis\\[start-time\\].target.value</code> | 24.0 | 22.0 |",
        "| weight | vendors.yml | <code>criteria\\[cost\\].weight</code> | 40.0 | 45.0 |",
        "| weight | vendors.yml | <code>criteria\\[outcomes\\].weight</code> | 60.0 | 55.0 |",
        "| owner | kpis.yml | <code>kpis\\[board-use\\].owner</code> | ld\\_owner | "
        "business\\_owner |",
    ]
    assert "This change makes these sign-offs stale: sponsor \\(Ada Quill, 2026-05-01, " \
           "version 1.0.0\\). They must sign again." in out
    assert ("The version was not bumped although targets, weights, owners, dates, money or "
            "a query changed: bump `version` in program.yml.") in out
    tmp_playbook.edit("program.yml", "\nversion: 1.0.0", "\nversion: 1.1.0")
    _, out, _ = run_cli("diff", "--base", "HEAD", "--dir", tmp_playbook.root)
    assert "| other | program.yml | <code>version</code> | 1.0.0 | 1.1.0 |" in out
    assert "The version was not bumped" not in out


def test_reordering_and_reformatting_is_no_change(tmp_playbook: TmpPlaybook) -> None:
    _git_init(tmp_playbook.root)
    text = tmp_playbook.read("vendors.yml")
    lines = text.splitlines(keepends=True)
    a, b = lines.index(next(x for x in lines if "id: outcomes" in x)), lines.index(
        next(x for x in lines if "id: cost" in x))
    lines[a], lines[b] = lines[b], lines[a]
    tmp_playbook.write("vendors.yml", "".join(lines) + "# a comment\n")
    before, _ = snapshots.snapshot_at(tmp_playbook.root, "HEAD")
    after, _ = snapshots.snapshot_at(tmp_playbook.root, None)
    assert diff.compare(before, after) == []


# `playbook sign` on files written by strangers: it adds exactly one sign-off and
# nothing else, or refuses and leaves every file byte-identical.

def _digest_now(tmp_playbook: TmpPlaybook) -> str:
    playbook, _ = load_playbook(tmp_playbook.root)
    bundle = playbook.get("mini")
    assert bundle is not None
    return digest(bundle)


def _item(value: str, indent: int = 2, nl: str = "\n") -> str:
    dash, body = " " * indent, " " * (indent + 2)
    return (f"{dash}- role: sponsor{nl}{body}name: \"Ada Quill\"{nl}{body}date: 2026-05-01{nl}"
            f"{body}version: 1.0.0{nl}{body}digest: {value}{nl}")


def _sign(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> tuple[int, str, str]:
    return run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
                   "--dir", tmp_playbook.root)


def _signed_ok(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> bytes:
    """Sign as the sponsor; check the result loads clean and current; return the bytes."""
    code, _, err = _sign(tmp_playbook, run_cli)
    assert (code, err) == (0, "")
    code, out, err = run_cli("check", "--strict", tmp_playbook.root)
    assert code == 0
    assert [line for line in out.splitlines() if ": notice: " not in line] == [], out
    return tmp_playbook.path("program.yml").read_bytes()


def _refused(tmp_playbook: TmpPlaybook, run_cli: RunCli, value: str, reason: str) -> None:
    snap = tmp_playbook.snapshot()
    code, out, err = _sign(tmp_playbook, run_cli)
    assert (code, out) == (1, "")
    assert err == ("playbook sign: cannot append a sign-off to program/mini/program.yml "
                   f"safely: {reason}; add it by hand to its 'signoff' list:\n"
                   f"{_item(value).rstrip()}\n")
    tmp_playbook.assert_unchanged(snap)


def test_sign_keeps_crlf_line_endings_and_the_bom(tmp_playbook: TmpPlaybook,
                                                  run_cli: RunCli) -> None:
    lf = tmp_playbook.read("program.yml")
    original = b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode("utf-8")
    tmp_playbook.write_bytes("program.yml", original)
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli) == original + (
        "\r\nsignoff:\r\n" + _item(value, nl="\r\n")).encode("utf-8")


def test_sign_keeps_a_missing_final_line_break(tmp_playbook: TmpPlaybook,
                                               run_cli: RunCli) -> None:
    original = tmp_playbook.read("program.yml").rstrip("\n")
    tmp_playbook.write("program.yml", original)
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli).decode() == (
        original + "\n\nsignoff:\n" + _item(value).rstrip("\n"))


def test_sign_extends_an_existing_list_before_trailing_comments_and_keys(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    value = _digest_now(tmp_playbook)  # sign-offs are not part of what is signed
    text = tmp_playbook.read("program.yml")
    raci = text.index("\nraci:\n")
    listed = ("\nsignoff:\n- role: business_owner  # dashes at the key's column\n"
              "  name: Ben Ortiz\n  date: 2026-04-01\n  version: 1.0.0\n"
              f"  digest: {value}  # first\n# end of sign-offs\n")
    text = text[:raci] + listed + text[raci:] + "\n# trailing comment\n"
    tmp_playbook.write("program.yml", text)
    cut = text.index("# end of sign-offs")
    assert _signed_ok(tmp_playbook, run_cli).decode() == (
        text[:cut] + _item(value, indent=0) + text[cut:])


def test_sign_keeps_a_keep_chomping_block_scalar_at_the_end_intact(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    # `|+` keeps the trailing blank lines: a blank line before `signoff:` would
    # become part of the summary and make the new sign-off stale at once
    tmp_playbook.edit("program.yml", "summary: >\n  Team leads staff new projects from one "
                      "shared board, so projects start\n  sooner.\n", "")
    original = tmp_playbook.read("program.yml") + "summary: |+\n  Leads staff from a board.\n\n"
    tmp_playbook.write("program.yml", original)
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli).decode() == original + "signoff:\n" + _item(value)
    playbook, _ = load_playbook(tmp_playbook.root)
    bundle = playbook.get("mini")
    assert bundle is not None and bundle.program is not None
    assert bundle.program.summary == "Leads staff from a board.\n\n"


def test_sign_refuses_when_any_way_of_adding_would_change_a_value(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    # a `|+` summary with no final line break: any new line would end up in it
    tmp_playbook.edit("program.yml", "summary: >\n  Team leads staff new projects from one "
                      "shared board, so projects start\n  sooner.\n", "")
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml")
                       + "summary: |+\n  Leads staff from a board.")
    _refused(tmp_playbook, run_cli, _digest_now(tmp_playbook), "it would also change 'summary'")


def test_sign_adds_to_a_flow_style_file(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    source, _ = yamlsrc.parse(tmp_playbook.read("program.yml"), "program.yml")
    original = json.dumps(source.data) + "\n"  # JSON is YAML written in flow style
    tmp_playbook.write("program.yml", original)
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli).decode() == original[:-2] + (
        ', signoff: [{role: sponsor, name: "Ada Quill", date: 2026-05-01, version: "1.0.0", '
        f'digest: "{value}"}}]}}\n')


def test_sign_adds_to_a_flow_style_list(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    original = tmp_playbook.read("program.yml") + "signoff: []  # none yet\n"
    tmp_playbook.write("program.yml", original)
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli).decode() == original.replace("[]", (
        '[{role: sponsor, name: "Ada Quill", date: 2026-05-01, version: "1.0.0", '
        f'digest: "{value}"}}]'))


def test_sign_inserts_before_a_document_end_marker(tmp_playbook: TmpPlaybook,
                                                   run_cli: RunCli) -> None:
    text = tmp_playbook.read("program.yml")
    tmp_playbook.write("program.yml", text + "...\n# after the document\n")
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli).decode() == (
        text + "\nsignoff:\n" + _item(value) + "...\n# after the document\n")


def test_sign_follows_an_indented_top_level_mapping(tmp_playbook: TmpPlaybook,
                                                    run_cli: RunCli) -> None:
    text = "".join(f"  {line}" if line.strip() else line
                   for line in tmp_playbook.read("program.yml").splitlines(keepends=True))
    tmp_playbook.write("program.yml", text)
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli).decode() == (
        text + "\n  signoff:\n" + _item(value, indent=4))


def test_sign_escapes_a_name_yaml_would_fold(tmp_playbook: TmpPlaybook,
                                             run_cli: RunCli) -> None:
    code, _, err = run_cli("sign", "mini", "--role", "sponsor", "--name",
                           'Ada "Q"\u2028\\ \u00e9\n- role: x', "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert '    name: "Ada \\"Q\\"\\u2028\\\\ \u00e9\\n- role: x"\n' in tmp_playbook.read(
        "program.yml")
    playbook, problems = load_playbook(tmp_playbook.root)
    bundle = playbook.get("mini")
    assert bundle is not None and bundle.program is not None and problems.items == []
    assert [s.name for s in bundle.program.signoff] == ['Ada "Q"\u2028\\ \u00e9\n- role: x']


def test_sign_refuses_bare_cr_line_endings(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.write("program.yml", tmp_playbook.read("program.yml").replace("\n", "\r"))
    _refused(tmp_playbook, run_cli, _digest_now(tmp_playbook),
             "it has lines ending in a bare CR")


def test_sign_never_writes_through_a_committed_temporary_file_link(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    # the name the temporary file used to have, committed as a link
    (tmp_playbook.path(".program.yml.signing")).symlink_to(outside)
    original = tmp_playbook.read("program.yml")
    value = _digest_now(tmp_playbook)
    assert _signed_ok(tmp_playbook, run_cli).decode() == (
        original + "\nsignoff:\n" + _item(value))
    assert outside.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_playbook.path("program.yml").parent.iterdir()
                  if p.name.startswith(".")) == [".program.yml.signing"]


def test_sign_refuses_a_program_file_that_is_a_link(tmp_playbook: TmpPlaybook,
                                                    run_cli: RunCli, tmp_path: Path) -> None:
    outside = tmp_path / "program.yml"
    outside.write_bytes(tmp_playbook.path("program.yml").read_bytes())
    tmp_playbook.path("program.yml").unlink()
    tmp_playbook.path("program.yml").symlink_to(outside)
    before = outside.read_bytes()
    # the loader refuses the link before sign could write through it
    code, out, err = _sign(tmp_playbook, run_cli)
    assert (code, out) == (1, "")
    assert err == ("playbook sign: fix these errors before signing:\n"
                   "program/mini/program.yml:1:1: 'program/mini/program.yml' is a symbolic "
                   "link (replace the link with the file itself: nothing is read through a "
                   "link)\n")
    assert outside.read_bytes() == before


def test_sign_refuses_a_program_folder_outside_the_playbook(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    tmp_playbook.path("program.yml").parent.rename(elsewhere)
    tmp_playbook.path("program.yml").parent.symlink_to(elsewhere)
    before = (elsewhere / "program.yml").read_bytes()
    code, out, err = _sign(tmp_playbook, run_cli)
    assert (code, out) == (1, "")
    assert err.startswith("playbook sign: fix these errors before signing:\nprogram/mini:1:1: "
                          "'program/mini' is a symbolic link (replace the link with the "
                          "folder itself: nothing is read through a link)")
    assert (elsewhere / "program.yml").read_bytes() == before


def test_sign_refuses_a_name_that_is_not_text(tmp_playbook: TmpPlaybook,
                                              run_cli: RunCli) -> None:
    snap = tmp_playbook.snapshot()
    code, _, err = run_cli("sign", "mini", "--role", "sponsor", "--name", "Ada\udcff",
                           "--dir", tmp_playbook.root)
    assert (code, err) == (1, "playbook sign: the name is not valid UTF-8 text\n")
    tmp_playbook.assert_unchanged(snap)
