"""Direct identifiers in committed data files are a finding; ``pseudonymise`` is the way out.

Issue 25: an LMS export with 32 staff e-mail addresses in 2,477 rows was
committed as the docs advised and ``check`` said nothing. Every data file below
``data/<id>/`` is now looked at, read by a source or not, by column name and by
content; ``playbook pseudonymise`` replaces identifier columns with keyed
pseudonyms (HMAC-SHA256, the key outside the repository) so distinct counts and
the matching of subjects across exports still work.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import RunCli, TmpPlaybook
from pg import Warehouse, turnover

from playbook.engine import load_playbook
from playbook.load import data_identifiers
from playbook.load.pseudonym import KEY_ENV, MIN_KEY, TOKEN, token
from playbook.model.findings import FindingCode

KEY = "k" * 40
STAFF = [f"{first}.{last}@stvincents.example.ie" for first, last in
         zip(["ann", "bo", "cian", "dara", "eve", "finn", "gar", "hana"] * 4,
             [f"staff{n:02d}" for n in range(32)], strict=True)]


def lms_export(rows: int = 2477, seed: int = 25) -> str:
    """An LMS course-completion export: a title line, e-mails in 'Learner Email'."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write("Course completions - all learners\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Learner Email", "Course", "Completed", "Score"])
    for i in range(rows):
        who = STAFF[i % len(STAFF)] if i < len(STAFF) else rng.choice(STAFF)
        writer.writerow([who, f"LD-{rng.randint(1, 12):02d}",
                         f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}",
                         rng.randint(40, 100)])
    return out.getvalue()


def _personal(book: TmpPlaybook) -> list[str]:
    _, problems = load_playbook(book.root)
    return [str(p) for p in problems if p.code == FindingCode.PERSONAL_DATA]


def test_the_lms_export_with_32_staff_e_mails_is_a_finding(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/lms_completions.csv", lms_export())
    assert _personal(tmp_playbook) == [
        "data/mini/lms_completions.csv:2:1: finding personal-data: column 'Learner Email': "
        "direct identifiers (e-mail addresses, names, phone numbers or logins) in a committed "
        "data file, found by its name; the file holds 32 distinct e-mail address(es) in 2,477 "
        "row(s) "
        "(replace them with keyed pseudonyms before committing: playbook pseudonymise "
        "data/mini/lms_completions.csv --columns 'Learner Email' (or drop the column); the "
        "git history keeps the old file until it is rewritten)"]


@pytest.mark.parametrize(("name", "text", "where"), [
    ("by-name.csv", "id,email,v\n1,,2\n", "1:4: finding personal-data: column 'email'"),
    ("names.csv", "Full Name,v\nAnn Lee,2\n", "1:1: finding personal-data: column 'Full Name'"),
    ("login.tsv", "day\tUsername\tv\n2026-01-01\tannl\t2\n",
     "1:5: finding personal-data: column 'Username'"),
    ("phone.csv", "unit;Contact\nU1;+353 1 234 5678\nU2;(01) 555-1234\n",
     "2:4: finding personal-data: column 'Contact'"),
    ("content.csv", "unit,owner,v\nU1,x,1\nU2,ann@x.org,2\n",
     "3:4: finding personal-data: column 'owner'"),
    ("xapi.jsonl", '{"actor":{"mbox":"mailto:ann@x.org"},"t":"2026-01-01"}\n',
     "1:11: finding personal-data: column 'actor.mbox'"),
    ("semicolons.csv", "Monthly report\nUnit;Owner;Wert\nU1;ann@x.org;12,5\n",
     "3:4: finding personal-data: column 'Owner'"),
    ("deep/notes.txt", "day,note\n2026-01-01,call ann@x.org back\n",
     "2:12: finding personal-data: column 'note'"),
])
def test_every_kind_of_identifier_is_found_at_its_column(
        tmp_playbook: TmpPlaybook, name: str, text: str, where: str) -> None:
    tmp_playbook.write(f"data/mini/{name}", text)
    found = _personal(tmp_playbook)
    assert len(found) == 1, found
    assert found[0].startswith(f"data/mini/{name}:{where}: direct identifiers"), found


def test_a_parquet_file_is_read_by_name_and_a_sample(tmp_playbook: TmpPlaybook) -> None:
    target = tmp_playbook.root / "data/mini/people.parquet"
    duckdb.sql("SELECT 'p' || i AS id, 'u' || i || '@corp.example' AS owner "
               "FROM range(50) t(i)").write_parquet(str(target))
    [found] = _personal(tmp_playbook)
    assert found == (
        "data/mini/people.parquet:1:1: finding personal-data: column 'owner': direct "
        "identifiers (e-mail addresses, names, phone numbers or logins) in a committed data "
        "file, found by e-mail addresses in its cells; the file holds 50 distinct e-mail "
        "address(es) in 50 row(s) (replace them with keyed pseudonyms before committing: "
        "export the file as CSV and run playbook pseudonymise on it (or drop the column); the "
        "git history keeps the old file until it is rewritten)")


@pytest.mark.parametrize("text", [
    "month,amount\n2026-01-01,16625.78\n2026-02-01,1234567\n",  # amounts are no phones
    "v\n0.5488135039273248\n0.7151893663724195\n-1234567.25\n",  # nor are fractions
    "day,when\n2026-01-01,2026-01-01 10:00:00\n",              # nor are dates
    "learner,v\np-81847d7e,1\n",                                # pseudonymous ids are fine
    f"email,v\n{token(KEY.encode(), 'a@x.org')},1\n,2\n",        # keyed already
    "name_of_course,v\nLD-01,1\n",
])
def test_no_finding_without_a_direct_identifier(tmp_playbook: TmpPlaybook, text: str) -> None:
    tmp_playbook.write("data/mini/other.csv", text)
    assert _personal(tmp_playbook) == []


def test_the_example_playbook_has_no_personal_data() -> None:
    root = Path(__file__).resolve().parents[1]
    assert [p for p in data_identifiers.scan(root, "approval-velocity")
            + data_identifiers.scan(root, "decision-velocity")] == []


def test_an_e_mail_far_into_a_big_file_is_found_at_its_line(tmp_path: Path) -> None:
    rows = ["a,b,c"] + [f"{i},2026-01-01,{i}" for i in range(200_000)]
    rows[150_000] = "7,2026-01-01,ann@x.org"
    (tmp_path / "data/p").mkdir(parents=True)
    (tmp_path / "data/p/big.csv").write_text("\n".join(rows) + "\n")
    [found] = data_identifiers.scan(tmp_path, "p")
    assert (found.line, found.column, found.field) == (150_001, 14, "column 'c'")
    assert found.message.endswith("; the file holds 1 distinct e-mail address(es) in "
                                  "200,000 row(s)")


# --------------------------------------------------------------------------- pseudonymise


def _distinct(text: str, column: str) -> int:
    rows = list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))
    return len({r[column] for r in rows if r[column]})


def test_pseudonymise_keeps_distinct_counts_and_clears_the_finding(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "download.csv"
    export.write_text(lms_export(), newline="")
    monkeypatch.setenv(KEY_ENV, KEY)
    code, _, err = run_cli("pseudonymise", export, "--columns", "Learner Email", "--out",
                           tmp_playbook.root / "data/mini/lms.csv", "--dir", tmp_playbook.root)
    assert (code, err) == (0, "wrote data/mini/lms.csv: Learner Email replaced by keyed "
                              "pseudonyms\n")
    before, after = export.read_bytes().decode(), tmp_playbook.read("data/mini/lms.csv")
    assert _distinct(after, "Learner Email") == _distinct(before, "Learner Email") == 32
    assert after.splitlines()[:2] == before.splitlines()[:2]  # title and header kept
    assert [r.split(",")[1:] for r in after.splitlines()[2:]] == \
        [r.split(",")[1:] for r in before.splitlines()[2:]]
    assert all(TOKEN.match(r.split(",")[0]) for r in after.splitlines()[2:])
    assert "@" not in after and after.count("\r\n") == before.count("\r\n")
    assert _personal(tmp_playbook) == []


def test_the_same_person_gets_the_same_token_in_every_export() -> None:
    key = KEY.encode()
    assert token(key, "Ann@X.org") == token(key, " ann@x.org") == token(key, "mailto:ann@x.org")
    assert token(key, "ann@x.org") != token(key, "bo@x.org")
    assert token(key, "ann@x.org") != token(b"another key of enough length", "ann@x.org")
    assert token(key, "  ") == ""


def test_pseudonymise_a_json_lines_log_by_key_path(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [{"actor": {"mbox": f"mailto:{STAFF[i % 5]}"}, "verb": {"id": "x"}, "n": i}
             for i in range(20)]
    tmp_playbook.write("data/mini/xapi.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    monkeypatch.setenv(KEY_ENV, KEY)
    code, _, err = run_cli("pseudonymise", tmp_playbook.root / "data/mini/xapi.jsonl",
                           "--columns", "actor.mbox", "--dir", tmp_playbook.root)
    assert code == 0, err
    after = [json.loads(x) for x in tmp_playbook.read("data/mini/xapi.jsonl").splitlines()]
    assert len({x["actor"]["mbox"] for x in after}) == 5
    assert [x["n"] for x in after] == list(range(20))
    assert _personal(tmp_playbook) == []


@pytest.mark.parametrize(("args", "env", "message"), [
    ((), None, f"no pseudonym key: set {KEY_ENV} (or name a key file outside the repository "
               "with --key-file); make one with python -c 'import secrets; "
               "print(secrets.token_hex(32))' and keep it where the data's owners keep "
               "secrets, the same key for every export (nothing was written)"),
    ((), "short", f"the key in ${KEY_ENV} has 5 character(s), fewer than {MIN_KEY}: a short "
                  "key can be guessed; make one with python -c 'import secrets; "
                  "print(secrets.token_hex(32))' (nothing was written)"),
    (("--key-file", "{root}/program/key.txt"), None,
     "key file '{root}/program/key.txt' is inside the playbook folder, where it would be "
     "committed with the data; keep it outside the repository (nothing was written)"),
    (("--key-env", "MY_KEY"), None, "no pseudonym key: set MY_KEY"),
    (("--columns", "Learner Mail"), KEY, "has no column 'Learner Mail'; its columns are: "
     "Learner Email, Course, Completed, Score (did you mean 'Learner Email'? nothing was "
     "written)"),
])
def test_no_key_or_a_wrong_column_writes_nothing(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        args: tuple[str, ...], env: str | None, message: str) -> None:
    tmp_playbook.write("data/mini/lms.csv", lms_export(40))
    tmp_playbook.write("program/key.txt", KEY)
    monkeypatch.delenv("MY_KEY", raising=False)
    if env is None:
        monkeypatch.delenv(KEY_ENV, raising=False)
    else:
        monkeypatch.setenv(KEY_ENV, env)
    root = str(tmp_playbook.root)
    before = tmp_playbook.snapshot()
    columns = () if "--columns" in args else ("--columns", "Learner Email")
    code, _, err = run_cli("pseudonymise", tmp_playbook.root / "data/mini/lms.csv", *columns,
                           *(a.format(root=root) for a in args), "--dir", root)
    assert code == 2
    assert err.startswith("playbook pseudonymise: ")
    assert message.format(root=root) in err, err
    tmp_playbook.assert_unchanged(before)


def test_a_key_file_outside_the_repository_is_read(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    (tmp_path / "key.txt").write_text(KEY + "\n")
    tmp_playbook.write("data/mini/lms.csv", "Learner Email,v\nann@x.org,1\n")
    code, _, err = run_cli("pseudonymise", tmp_playbook.root / "data/mini/lms.csv",
                           "--columns", "Learner Email", "--key-file", tmp_path / "key.txt",
                           "--dir", tmp_playbook.root)
    assert code == 0, err
    assert tmp_playbook.read("data/mini/lms.csv") == (
        f"Learner Email,v\n{token(KEY.encode(), 'ann@x.org')},1\n")


def test_an_export_is_written_only_under_data(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)
    export = tmp_path / "download.csv"
    export.write_text("email,v\nann@x.org,1\n")
    before = tmp_playbook.snapshot()
    code, _, err = run_cli("pseudonymise", export, "--columns", "email",
                           "--dir", tmp_playbook.root)
    assert code == 2
    assert (f"the export '{export}' is not under data/<program>/ of the playbook folder "
            f"'{tmp_playbook.root}'; name where the export goes with --out "
            "data/<program>/<file> (nothing was written)") in err
    tmp_playbook.assert_unchanged(before)
    assert export.read_text() == "email,v\nann@x.org,1\n"


# --------------------------------------------------------------------------- pull

PULLED = ("SELECT period AS month, unit || '@corp.example' AS email, "
          "100.0 * leavers / fte AS turnover_pct FROM hris_turnover")


def _connect(book: TmpPlaybook) -> None:
    book.write("./playbook.yml", "connections:\n  warehouse:\n    env: PII_WAREHOUSE_URL\n"
               "    description: HR analytics warehouse, read-only role\n")
    book.path("data/mini/board_use.csv").unlink()
    book.edit("kpis.yml", "    source: {file: data/mini/board_use.csv, date: month, value: pct}\n",
              f"    source:\n      connection: warehouse\n      query: {PULLED}\n"
              "      date: month\n      value: turnover_pct\n      subject: email\n")


@pytest.fixture(scope="module")
def warehouse() -> Iterator[Warehouse]:
    """A running server holding a turnover report (``tests/pg.py``)."""
    with turnover() as found:
        yield found


def test_pull_keys_the_identifier_columns_it_keeps(
        tmp_playbook: TmpPlaybook, run_cli: RunCli, warehouse: Warehouse,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(tmp_playbook)
    monkeypatch.setenv("PII_WAREHOUSE_URL", warehouse.reader)
    monkeypatch.delenv(KEY_ENV, raising=False)
    before = tmp_playbook.snapshot()
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 2
    assert ("KPI 'board-use': the query returns identifier column(s) email, pseudonymised "
            f"before a snapshot is written; no pseudonym key: set {KEY_ENV}") in err, err
    tmp_playbook.assert_unchanged(before)
    monkeypatch.setenv(KEY_ENV, KEY)
    code, _, err = run_cli("pull", "--dir", tmp_playbook.root)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(tmp_playbook.read(
        "data/mini/snapshots/board-use.csv"))))
    assert list(rows[0]) == ["month", "email", "turnover_pct"]
    units = warehouse.rows["unit"]
    assert {r["email"] for r in rows} == {token(KEY.encode(), f"{u}@corp.example")
                                         for u in units}
    assert _personal(tmp_playbook) == []


def test_addresses_are_counted_once_whatever_their_case_or_wrapping(tmp_path: Path) -> None:
    """Past the lines split into cells, a block's addresses are found in its text and cut
    at what ends them (a separator, a quote, ``mailto:``): the count stays exact."""
    rows = ["id,owner,note"] + [f'{i},"mailto:Staff{i % 40}@X.org",n{i}'
                                for i in range(data_identifiers.MAX_ATTRIBUTED + 5000)]
    (tmp_path / "data/p").mkdir(parents=True)
    (tmp_path / "data/p/owners.csv").write_text("\n".join(rows) + "\n")
    [found] = data_identifiers.scan(tmp_path, "p")
    assert (found.line, found.column, found.field) == (2, 4, "column 'owner'")
    assert found.message.endswith(f"; the file holds 40 distinct e-mail address(es) in "
                                  f"{data_identifiers.MAX_ATTRIBUTED + 5000:,} row(s)")


def test_a_parquet_export_is_not_rewritten(tmp_playbook: TmpPlaybook, run_cli: RunCli,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_playbook.root / "data/mini/people.parquet"
    duckdb.sql("SELECT 'u' || i || '@corp.example' AS owner FROM range(5) t(i)"
               ).write_parquet(str(target))
    monkeypatch.setenv(KEY_ENV, KEY)
    before = tmp_playbook.snapshot()
    code, _, err = run_cli("pseudonymise", target, "--columns", "owner",
                           "--dir", tmp_playbook.root)
    assert code == 2
    assert (f"{target}: pseudonymise rewrites CSV and JSON Lines exports (.csv, .tsv, .txt, "
            ".jsonl, .ndjson); export this one as CSV, or replace the column where it is "
            "exported (nothing was written)") in err
    tmp_playbook.assert_unchanged(before)
