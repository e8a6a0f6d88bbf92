"""Hostile pull requests: every program and data file is written by a stranger.

Control and bidirectional characters, symlinks out of the playbook folder,
FIFOs, folders and devices where files belong, nesting and cells that exhaust
the parsers, oversized files. Each is one located problem from ``playbook
check`` (exit 1 for errors), never a traceback, a hang or a quoted secret, and
the files stay as they were.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import warm
from conftest import RunCli, TmpPlaybook

from playbook.engine import load_playbook
from playbook.load import yaml_source as yamlsrc
from playbook.load.csv_table import read_table
from playbook.load.safefiles import size_text, too_large
from playbook.model.chars import escape, unsafe_character
from playbook.model.problems import Problem, Problems, github_annotations

REPO = Path(__file__).resolve().parents[1]
SECRET = "SECRET-TOKEN-4711"
LINK_HINT = "replace the link with the file itself: nothing is read through a link"
NOT_REGULAR_HINT = "replace it with a plain text file"


def check(run_cli: RunCli, pb: TmpPlaybook, *args: str) -> tuple[int, list[str]]:
    """Run ``playbook check`` in-process: exit code and problem lines; no secret in any."""
    before = pb.snapshot()
    code, out, err = run_cli("check", pb.root, *args)
    assert SECRET not in out + err
    assert "Traceback" not in out + err
    pb.assert_unchanged(before)
    return code, out.splitlines()


def check_process(root: Path) -> tuple[int, list[str]]:
    """Run ``playbook check`` as a process with a timeout: a FIFO must not block it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = warm.run("-c", ["from playbook.commands.cli import main; raise SystemExit(main())",
                           "check", str(root)], timeout=60, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    assert SECRET not in done.stdout + done.stderr
    return done.returncode, done.stdout.splitlines()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the playbook (outside it) holding a secret file."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"{SECRET}: [unclosed\n", encoding="utf-8")
    return folder


# --- one test for bad characters ------------------------------------------------------


@pytest.mark.parametrize(("text", "found"), [
    ("plain text, tab\tand newline\n", None),
    ("é ü ß 中文 עברית \u00a0", None),
    ("a\x9bb", ("U+009B", True)), ("\x00", ("U+0000", True)), ("\r", ("U+000D", True)),
    ("\x7f", ("U+007F", True)), ("\x85", ("U+0085", True)), ("\x1b[2J", ("U+001B", True)),
    ("\u202e", ("U+202E", False)), ("\u2066", ("U+2066", False)), ("\u200f", ("U+200F", False)),
    ("\u061c", ("U+061C", False)), ("\u202e then \x01", ("U+0001", True)),
])
def test_unsafe_character(text: str, found: tuple[str, bool] | None) -> None:
    assert unsafe_character(text) == found


def test_carriage_returns_may_be_line_breaks() -> None:
    assert unsafe_character("a\r\nb", line_breaks=True) is None
    assert unsafe_character("a\r\n\x9b", line_breaks=True) == ("U+009B", True)


def test_problem_texts_never_hold_raw_control_characters() -> None:
    problem = Problem("x\udcff.csv", 1, 1, "k\x9b", "got 'a\n::error::forged'", "\u202eb")
    assert str(problem) == "x\\udcff.csv:1:1: k\\x9b: got 'a\\x0a::error::forged' (\\u202eb)"
    assert escape("tab\tstays") == "tab\tstays"
    problems = Problems([problem])
    assert "\n" not in github_annotations(problems)
    assert json.loads(problems.to_json())["problems"][0]["field"] == "k\\x9b"


# --- 1. control and bidirectional characters ------------------------------------------


@pytest.mark.parametrize(("escape_seq", "code"), [
    ("\\x9b", "U+009B"), ("\\u0085", "U+0085"), ("\\0", "U+0000"), ("\\r", "U+000D"),
    ("\\x7f", "U+007F"), ("\\e", "U+001B"), ("\\x01", "U+0001"),
])
def test_control_character_escape_in_a_value(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                             escape_seq: str, code: str) -> None:
    tmp_playbook.edit("kpis.yml", "name: Days from request to project start",
                      f'name: "Days{escape_seq} from request to project start"')
    assert check(run_cli, tmp_playbook) == (1, [
        f"program/mini/kpis.yml:4:11: kpis[0].name: contains the control character {code} "
        "(remove it)"])


def test_control_character_in_a_key_is_shown_escaped(tmp_playbook: TmpPlaybook,
                                                     run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "    unit: days\n", '    unit: days\n    "no\\x9bte": x\n')
    code, lines = check(run_cli, tmp_playbook)
    assert code == 1
    assert lines[0] == ("program/mini/kpis.yml:7:5: kpis[0].no\\x9bte: key contains the "
                        "control character U+009B (remove it)")
    assert all("\x9b" not in line for line in lines)


def test_control_character_deep_in_a_list(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "confounders: [A new planning tool arrives in Q2]",
                      'confounders: [A new planning tool arrives in Q2, "x\\u009b"]')
    assert check(run_cli, tmp_playbook) == (1, [
        "program/mini/kpis.yml:45:52: attribution.confounders[1]: contains the control "
        "character U+009B (remove it)"])


def test_raw_control_character_is_found_where_it_stands(tmp_playbook: TmpPlaybook,
                                               run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "name: Days from", "name: Days\x9b from")
    assert check(run_cli, tmp_playbook) == (1, [
        "program/mini/kpis.yml:4:15: contains the control character U+009B (remove it)"])


def test_bidirectional_character_is_a_finding(tmp_playbook: TmpPlaybook,
                                              run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "name: Days from request to project start",
                      'name: "Days \\u202eyad"')
    line = ("program/mini/kpis.yml:4:11: finding bidi-character: kpis[0].name: contains the "
            "bidirectional "
            "formatting character U+202E (remove it: it makes text display in another order "
            "than it is stored)")
    assert check(run_cli, tmp_playbook) == (0, [line])
    assert check(run_cli, tmp_playbook, "--strict") == (1, [line])


def test_crlf_program_files_still_read(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    for name in ("program.yml", "kpis.yml"):  # program.yml has a folded block scalar
        tmp_playbook.write(name, tmp_playbook.read(name).replace("\n", "\r\n"))
    assert check(run_cli, tmp_playbook) == (0, [])
    playbook, _ = load_playbook(tmp_playbook.root)
    bundle = playbook.get("mini")
    assert bundle is not None and bundle.program is not None
    assert "\r" not in bundle.program.summary


def test_control_character_in_a_source_path_is_never_opened(tmp_playbook: TmpPlaybook,
                                                            run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "file: data/mini/start_time.csv",
                      'file: "data/mini/start\\0_time.csv"')
    assert check(run_cli, tmp_playbook) == (1, [
        "program/mini/kpis.yml:13:13: kpis[0].source.file: contains the control character "
        "U+0000 (remove it)"])


def test_control_characters_in_csv_cells_and_column_names(tmp_playbook: TmpPlaybook,
                                                          run_cli: RunCli) -> None:
    text = tmp_playbook.read("data/mini/recommendations.csv").splitlines()
    text[0] += ",no\x1bte"
    text[1:] = [f"{row}," for row in text[1:]]
    text[2] = text[2].replace("women", "wo\x9bmen")
    tmp_playbook.write("data/mini/recommendations.csv", "\n".join(text) + "\n")
    assert check(run_cli, tmp_playbook) == (1, [
        "data/mini/recommendations.csv:1:3: column name contains the control character U+001B "
        "(remove it)",
        "data/mini/recommendations.csv:3:1: cell in column 'group' contains the control "
        "character U+009B (remove it)",
    ])


def test_bidirectional_marks_in_a_csv_column_are_one_warning(tmp_playbook: TmpPlaybook,
                                                             run_cli: RunCli) -> None:
    csv = tmp_playbook.read("data/mini/recommendations.csv").replace("women", "\u200fwomen")
    tmp_playbook.write("data/mini/recommendations.csv", csv)
    assert check(run_cli, tmp_playbook) == (0, [
        "data/mini/recommendations.csv:2:1: finding bidi-character: cell in column 'group' "
        "contains the "
        "bidirectional formatting character U+200F (remove it: it makes text display in "
        "another order than it is stored)"])


def test_crlf_csv_with_a_line_break_inside_a_cell(tmp_path: Path) -> None:
    file = tmp_path / "x.csv"
    file.write_bytes(b'month,note\r\n2026-01-31,"two\r\nlines"\r\n2026-02-28,x\r\n')
    table, problems = read_table(file, "x.csv")
    assert problems == []
    assert table is not None
    assert table.rows == [(2, ["2026-01-31", "two\r\nlines"]), (4, ["2026-02-28", "x"])]


def test_control_character_in_a_program_folder_name(tmp_playbook: TmpPlaybook,
                                                    run_cli: RunCli) -> None:
    (tmp_playbook.root / "program" / "evil\x9b").mkdir()
    assert check(run_cli, tmp_playbook) == (1, [
        "program/evil\\x9b:1:1: folder name contains the control character U+009B "
        "(remove it)"])


# --- 2. files stay inside the playbook folder -----------------------------------------


def test_program_file_symlinked_outside_is_not_read(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                                    outside: Path) -> None:
    reviews = tmp_playbook.path("reviews.yml")
    reviews.unlink()
    os.symlink(outside / "secret.txt", reviews)
    line = ("program/mini/reviews.yml:1:1: 'program/mini/reviews.yml' is a symbolic link "
            f"({LINK_HINT})")
    code, lines = check(run_cli, tmp_playbook)
    assert (code, lines[0]) == (1, line)
    for fmt in ("json", "github"):
        assert check(run_cli, tmp_playbook, "--format", fmt)[0] == 1


def test_symlink_to_dev_null_leaves_the_playbook(tmp_playbook: TmpPlaybook,
                                                 run_cli: RunCli) -> None:
    kpis = tmp_playbook.path("kpis.yml")
    kpis.unlink()
    os.symlink("/dev/null", kpis)
    code, lines = check(run_cli, tmp_playbook)
    assert code == 1
    assert lines[0] == ("program/mini/kpis.yml:1:1: 'program/mini/kpis.yml' is a symbolic link "
                        f"({LINK_HINT})")


def test_program_folder_symlinked_outside_is_not_built(tmp_playbook: TmpPlaybook,
                                                       run_cli: RunCli, outside: Path) -> None:
    shutil.copytree(tmp_playbook.path("program/mini"), outside / "evil")
    (outside / "evil" / "program.yml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    os.symlink(outside / "evil", tmp_playbook.root / "program" / "evil")
    assert check(run_cli, tmp_playbook) == (1, [
        "program/evil:1:1: 'program/evil' is a symbolic link "
        f"({LINK_HINT.replace('file', 'folder', 1)})"])
    playbook, _ = load_playbook(tmp_playbook.root)
    assert [b.id for b in playbook.programs] == ["mini"]


def test_csv_symlinked_outside_is_not_read(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                           outside: Path) -> None:
    csv = tmp_playbook.path("data/mini/start_time.csv")
    (outside / "start_time.csv").write_text(f"month,days,group\n{SECRET},1,pilot\n",
                                            encoding="utf-8")
    csv.unlink()
    os.symlink(outside / "start_time.csv", csv)
    assert check(run_cli, tmp_playbook) == (1, [
        "program/mini/kpis.yml:13:13: kpis[0].source.file: 'data/mini/start_time.csv' is a "
        f"symbolic link ({LINK_HINT})"])


def test_data_folder_symlinked_outside_is_not_listed(tmp_playbook: TmpPlaybook,
                                                     run_cli: RunCli, outside: Path) -> None:
    data = tmp_playbook.path("data/mini")
    shutil.move(data, outside / "mini")
    (outside / "mini" / f"{SECRET}.csv").write_text("a\n", encoding="utf-8")
    os.symlink(outside / "mini", data)
    hint = LINK_HINT.replace('file', 'folder', 1)
    assert check(run_cli, tmp_playbook) == (1, [
        f"data/mini:1:1: 'data/mini' is a symbolic link ({hint})",
        "program/mini/ai.yml:9:9: outcomes.file: 'data/mini/recommendations.csv' is reached "
        f"through the symbolic link 'data/mini' ({hint})",
        "program/mini/kpis.yml:13:13: kpis[0].source.file: 'data/mini/start_time.csv' is "
        f"reached through the symbolic link 'data/mini' ({hint})",
        "program/mini/kpis.yml:26:20: kpis[1].source.file: 'data/mini/board_use.csv' is "
        f"reached through the symbolic link 'data/mini' ({hint})",
        "program/mini/kpis.yml:37:13: kpis[2].source.file: 'data/mini/leader_360.csv' is "
        f"reached through the symbolic link 'data/mini' ({hint})",
    ])


def test_top_folder_symlinked_outside(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                      outside: Path) -> None:
    shutil.move(tmp_playbook.root / "program", outside / "program")
    os.symlink(outside / "program", tmp_playbook.root / "program")
    assert check(run_cli, tmp_playbook) == (1, [
        f"program:1:1: 'program' is a symbolic link ({LINK_HINT.replace('file', 'folder', 1)})"])


def test_symlinks_inside_the_playbook_are_refused_too(tmp_playbook: TmpPlaybook,
                                                      run_cli: RunCli) -> None:
    # a link inside may lead to .git/config or .env: no link is followed, wherever it leads
    shared = tmp_playbook.root / "shared"
    shared.mkdir()
    shutil.move(tmp_playbook.path("reviews.yml"), shared / "reviews.yml")
    os.symlink("../../shared/reviews.yml", tmp_playbook.path("reviews.yml"))
    shutil.move(tmp_playbook.path("data/mini/board_use.csv"), shared / "board_use.csv")
    os.symlink(shared / "board_use.csv", tmp_playbook.path("data/mini/board_use.csv"))
    assert check(run_cli, tmp_playbook) == (1, [
        "program/mini/kpis.yml:26:20: kpis[1].source.file: 'data/mini/board_use.csv' is a "
        f"symbolic link ({LINK_HINT})",
        f"program/mini/reviews.yml:1:1: 'program/mini/reviews.yml' is a symbolic link "
        f"({LINK_HINT})"])


def test_a_playbook_reached_through_a_symlink_still_keeps_its_files_in(
        tmp_playbook: TmpPlaybook, outside: Path) -> None:
    link = outside.parent / "linked-playbook"
    os.symlink(tmp_playbook.root, link)
    for root in (link, tmp_playbook.root):  # the folder's real path is found once, then kept
        assert load_playbook(root)[1].errors == []
    csv = tmp_playbook.path("data/mini/start_time.csv")
    (outside / "start_time.csv").write_text(csv.read_text(encoding="utf-8"), encoding="utf-8")
    csv.unlink()
    os.symlink(outside / "start_time.csv", csv)
    for root in (link, tmp_playbook.root):
        assert [p.message for p in load_playbook(root)[1].errors] == [
            "'data/mini/start_time.csv' is a symbolic link"]


@pytest.mark.parametrize("target", ["missing.yml", "loop.yml"])
def test_symlink_that_leads_nowhere(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                    target: str) -> None:
    reviews = tmp_playbook.path("reviews.yml")
    reviews.unlink()
    os.symlink(target, reviews)
    os.symlink("reviews.yml", tmp_playbook.path("loop.yml"))
    code, lines = check(run_cli, tmp_playbook)
    assert code == 1
    assert ("program/mini/reviews.yml:1:1: 'program/mini/reviews.yml' is a symbolic link "
            f"({LINK_HINT})") in lines


def test_source_path_outside_the_playbook(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                          outside: Path) -> None:
    tmp_playbook.edit("kpis.yml", "file: data/mini/start_time.csv",
                      f"file: {outside / 'secret.txt'}")
    code, lines = check(run_cli, tmp_playbook)
    assert code == 1
    assert lines == [f"program/mini/kpis.yml:13:13: kpis[0].source.file: "
                     f"'{outside / 'secret.txt'}' is outside the playbook folder "
                     "(put the file under data/mini/)"]


# --- 3. FIFOs, folders and devices where files belong ---------------------------------


def test_folder_named_like_a_program_file(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.path("kpis.yml").unlink()
    tmp_playbook.path("kpis.yml").mkdir()
    code, lines = check(run_cli, tmp_playbook)
    assert code == 1
    assert lines[0] == ("program/mini/kpis.yml:1:1: 'program/mini/kpis.yml' is not a regular "
                        f"file but a folder ({NOT_REGULAR_HINT})")


def test_folder_named_program_yml_is_not_called_missing(tmp_playbook: TmpPlaybook,
                                                        run_cli: RunCli) -> None:
    tmp_playbook.path("program.yml").unlink()
    tmp_playbook.path("program.yml").mkdir()
    code, lines = check(run_cli, tmp_playbook)
    assert code == 1
    assert lines[0] == ("program/mini/program.yml:1:1: 'program/mini/program.yml' is not a "
                        f"regular file but a folder ({NOT_REGULAR_HINT})")
    assert not any("has no program.yml" in line for line in lines)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_program_file_is_not_opened(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.path("reviews.yml").unlink()
    os.mkfifo(tmp_playbook.path("reviews.yml"))
    code, lines = check_process(tmp_playbook.root)
    assert code == 1
    assert lines[0] == ("program/mini/reviews.yml:1:1: 'program/mini/reviews.yml' is not a "
                        f"regular file but a named pipe (FIFO) ({NOT_REGULAR_HINT})")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_csv_is_not_opened_nor_called_missing(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.path("data/mini/board_use.csv").unlink()
    os.mkfifo(tmp_playbook.path("data/mini/board_use.csv"))
    assert check_process(tmp_playbook.root) == (1, [
        "program/mini/kpis.yml:26:20: kpis[1].source.file: 'data/mini/board_use.csv' is not a "
        f"regular file but a named pipe (FIFO) ({NOT_REGULAR_HINT})"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_read_table_refuses_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.csv")
    assert read_table(tmp_path / "x.csv", "x.csv") == (None, [Problem(
        "x.csv", 1, 1, "", "'x.csv' is not a regular file but a named pipe (FIFO)",
        NOT_REGULAR_HINT)])


# --- 4. nesting and cells that exhaust the parsers -------------------------------------

DEEP = (f"nesting deeper than {yamlsrc.MAX_DEPTH} levels (a program file needs only a few "
        "levels of lists and mappings)")


@pytest.mark.parametrize(("brackets", "closing"), [("[", "]"), ("{a: ", "}")])
@pytest.mark.parametrize(("depth", "closed"), [
    (yamlsrc.MAX_DEPTH + 1, True), (300, True), (10_000, True),
    (10_000, False),  # past the composer's stack before the parser sees the end
])
def test_deep_nesting(tmp_playbook: TmpPlaybook, run_cli: RunCli, brackets: str, closing: str,
                      depth: int, closed: bool) -> None:
    ends = closing * depth if closed else ""
    tmp_playbook.write("reviews.yml", "reviews: " + brackets * depth + ends + "\n")
    code, lines = check(run_cli, tmp_playbook)
    column = 10 + (yamlsrc.MAX_DEPTH - 1) * len(brackets)
    assert (code, lines[0]) == (1, f"program/mini/reviews.yml:1:{column}: {DEEP}")


def test_deep_block_nesting_in_a_process(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("reviews.yml", "reviews:\n" + "".join(
        "  " * i + "- \n" for i in range(500)))
    code, lines = check_process(tmp_playbook.root)
    assert (code, lines[0]) == (1, f"program/mini/reviews.yml:65:127: {DEEP}")


def test_nesting_at_the_limit_is_fine() -> None:
    text = "a: " + "[" * (yamlsrc.MAX_DEPTH - 1) + "]" * (yamlsrc.MAX_DEPTH - 1) + "\n"
    source, problems = yamlsrc.parse(text, "f.yml")
    assert problems == []
    assert source.data is not None


def _board_use(pb: TmpPlaybook, rows: str) -> None:
    pb.write("data/mini/board_use.csv", "month,pct\n2025-12-31,10\n" + rows)


@pytest.mark.parametrize(("rows", "expected"), [
    ("2026-01-31," + "9" * 200_000 + "\n",
     "data/mini/board_use.csv:3:1: a cell is longer than 131,072 characters (check for a "
     "quote that is opened but never closed)"),
    ('2026-01-31,"22\n2026-02-28,30\n',
     "data/mini/board_use.csv:3:1: a quoted cell that starts on this line is never closed "
     '(add the closing quote, or double a quote inside a cell: "")'),
    ('2026-01-31,"22\n2026-02-28,30\n' + "x" * 140_000,
     "data/mini/board_use.csv:3:1: a cell is longer than 131,072 characters (check for a "
     "quote that is opened but never closed)"),
    ('2026-01-31,"22"%\n',
     "data/mini/board_use.csv:3:1: text follows the closing quote of a cell (double a quote "
     'inside a quoted cell: "")'),
    ("2026-01-31,2\x002\n",
     "data/mini/board_use.csv:3:2: cell in column 'pct' contains the control character U+0000 "
     "(remove it)"),
    ("2026-01-31,\xff22\n", None),
])
def test_csv_that_breaks_the_csv_module(tmp_playbook: TmpPlaybook, run_cli: RunCli, rows: str,
                                        expected: str | None) -> None:
    if expected is None:  # a byte that is not UTF-8, found while streaming
        tmp_playbook.write_bytes("data/mini/board_use.csv",
                                 b"month,pct\n2025-12-31,10\n2026-01-31,\xff22\n")
        expected = ("data/mini/board_use.csv:3:1: not UTF-8 text (export the file as "
                    "CSV UTF-8)")
    else:
        _board_use(tmp_playbook, rows)
    assert check(run_cli, tmp_playbook) == (1, [expected])


# --- 5. size limits ------------------------------------------------------------------


def test_size_texts() -> None:
    assert [size_text(n) for n in (0, 1023, 1024, 1536, 1024 * 1024, 50 * 1024 * 1024 + 1)] \
        == ["0 bytes", "1023 bytes", "1 KiB", "1.5 KiB", "1 MiB", "50 MiB"]
    assert too_large(2 * 1024 * 1024, 1024 * 1024, "x") == (
        "file is 2 MiB, over the 1 MiB limit for x")
    assert too_large(1024 * 1024 + 1, 1024 * 1024, "x") == (
        "file is 1,048,577 bytes, over the 1,048,576-byte limit for x")


def test_oversized_program_file(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    text = tmp_playbook.read("reviews.yml")
    tmp_playbook.write("reviews.yml", text + "#" * (2 * 1024 * 1024 - len(text) - 1) + "\n")
    code, lines = check(run_cli, tmp_playbook)
    assert (code, lines[0]) == (1, (
        "program/mini/reviews.yml:1:1: file is 2 MiB, over the 1 MiB limit for a program file "
        "(a program file is written by hand: keep measurements in CSV files under data/)"))


def test_oversized_csv_is_refused_unread(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    csv = tmp_playbook.path("data/mini/board_use.csv")
    with csv.open("ab") as stream:  # sparse: 60 MiB on paper, nothing on disk
        stream.truncate(60 * 1024 * 1024)
    assert check(run_cli, tmp_playbook) == (1, [
        "data/mini/board_use.csv:1:1: file is 60 MiB, over the 50 MiB limit for a data file "
        "(aggregate the rows before exporting (one row per date and group, or per subject and "
        "wave); larger data will need a SQL source)"])


# --- 6. a table read by several sources reports its problems once ----------------------


def test_shared_csv_reports_its_problems_once(tmp_playbook: TmpPlaybook,
                                              run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "source: {file: data/mini/board_use.csv, date: month, "
                      "value: pct}", "source: {file: data/mini/link.csv, date: month, "
                      "value: days, group: group}")
    os.symlink("start_time.csv", tmp_playbook.path("data/mini/link.csv"))
    tmp_playbook.path("data/mini/board_use.csv").unlink()
    csv = tmp_playbook.read("data/mini/start_time.csv")
    tmp_playbook.write("data/mini/start_time.csv",
                       csv + "2026-05-31,1\n2026-05-31,1,pi\x9blot\n")
    code, lines = check(run_cli, tmp_playbook)
    assert code == 1
    start = len(csv.splitlines()) + 1
    table_problems = [line for line in lines if line.startswith("data/mini/start_time.csv")]
    assert table_problems == [
        f"data/mini/start_time.csv:{start}:1: row has 2 cells, the header has 3 (check the ',' "
        "separators on this line)",
        f"data/mini/start_time.csv:{start + 1}:3: cell in column 'group' contains the control "
        "character U+009B (remove it)",
    ]
