"""What defines a figure outside the YAML is signed too: a query file, a connection.

Changing a ``.sql`` file (dropping one of two ledger accounts, say) changes
the figure as surely as changing an inline ``query:``, so it makes the
sign-offs stale and ``playbook diff`` shows it as a definition change with
the query's unified diff, never as "no change to any program's definition".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import RunCli, TmpPlaybook

from playbook.engine import load_playbook
from playbook.load.signoffs import digest, states

QUERY = ("SELECT month, pct\nFROM read_csv('data/mini/board_use.csv')\n"
         "WHERE pct >= 0\n")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t",
                    "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def _with_query_file(book: TmpPlaybook) -> None:
    book.write("data/mini/board_use.sql", QUERY)
    book.edit("kpis.yml", "source: {file: data/mini/board_use.csv, date: month, value: pct}",
              "source: {query_file: data/mini/board_use.sql, date: month, value: pct}")


def _sponsor_current(root: Path) -> bool:
    playbook, problems = load_playbook(root)
    assert problems.errors == []
    bundle = playbook.get("mini")
    assert bundle is not None
    return [s.current for s in states(bundle) if s.role == "sponsor"] == [True]


def test_a_changed_query_file_makes_the_sign_off_stale(tmp_playbook: TmpPlaybook,
                                                       run_cli: RunCli) -> None:
    _with_query_file(tmp_playbook)
    assert run_cli("sign", "mini", "--role", "sponsor", "--dir", tmp_playbook.root)[0] == 0
    assert _sponsor_current(tmp_playbook.root)
    # line ends are formatting, not meaning
    tmp_playbook.write("data/mini/board_use.sql", QUERY.replace("\n", "\r\n"))
    assert _sponsor_current(tmp_playbook.root)
    tmp_playbook.write("data/mini/board_use.sql", QUERY.replace(">= 0", "> 0"))
    assert not _sponsor_current(tmp_playbook.root)
    code, out, _ = run_cli("check", tmp_playbook.root)
    assert code == 0
    assert "sign-off by sponsor (Ada Quill" in out and "is stale" in out


def test_a_program_without_query_files_keeps_its_digest(tmp_playbook: TmpPlaybook) -> None:
    """Programs signed before query files were signed do not go stale on upgrade."""
    playbook, _ = load_playbook(tmp_playbook.root)
    bundle = playbook.get("mini")
    assert bundle is not None
    from playbook.load.signoffs import content_of, digest_of

    content = content_of(bundle)
    assert "definitions" not in content
    assert digest(bundle) == digest_of(content)


def test_diff_shows_a_changed_query_file_as_a_definition_change(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    root = tmp_playbook.root
    _with_query_file(tmp_playbook)
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01", "--dir", root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "signed")
    tmp_playbook.write("data/mini/board_use.sql", QUERY.replace(">= 0", "> 0"))
    for head in ([], ["HEAD"]):
        if head:
            _git(root, "commit", "-qam", "query")
            base = ["HEAD~1"]
        else:
            base = ["HEAD"]
        code, out, err = run_cli("diff", *base, *head, "--dir", root, "--today", "2026-06-01")
        assert (code, err) == (0, ""), err
        assert "No change to any program's definition" not in out
        assert "| definition | data/mini/board\\_use.sql | <code>query</code> |" in out
        assert "must sign again" in out or "stale" in out.lower()
        assert "-WHERE pct >= 0\n+WHERE pct > 0\n" in out
        assert "Changes to <code>data/mini/board\\_use.sql</code>:" in out


def test_a_query_file_outside_the_data_folder_is_never_read_for_the_digest_or_diff(
        tmp_playbook: TmpPlaybook) -> None:
    """The digest and the comment read a query file by the loader's rule: only below the
    program's own data folder, no dot names; a secret named there is never read."""
    from playbook.load.signoffs import content_of
    from playbook.review import diff

    root = tmp_playbook.root
    tmp_playbook.write("./.env", "TOKEN=ghp_secret\n")
    tmp_playbook.edit("kpis.yml",
                      "source: {file: data/mini/board_use.csv, date: month, value: pct}",
                      "source: {query_file: .env, date: month, value: pct}")
    _git(root, "init", "-q")
    _git(root, "add", "-A", "-f")
    _git(root, "commit", "-qm", "secret committed too")
    for rev in (None, "HEAD"):
        snapshot, _ = diff.snapshot_at(root, rev)
        assert snapshot["mini"]["definitions"] == {"query_files": {".env": None}}
    playbook, problems = load_playbook(root)
    assert any("'.env' is not in the program's data folder" in str(p) for p in problems.errors)
    bundle = playbook.get("mini")
    assert bundle is not None
    assert content_of(bundle)["definitions"] == {"query_files": {".env": None}}
