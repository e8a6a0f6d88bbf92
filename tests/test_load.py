"""Unit tests of the loading layer: YAML with positions, CSV tables, validation, scaffold."""

from __future__ import annotations

import hashlib
import inspect
import math
import re
from dataclasses import MISSING, FrozenInstanceError, fields, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import RunCli, TmpPlaybook
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.engine import load_playbook
from playbook.figures import design
from playbook.figures.design import DesignVerdict
from playbook.load import yaml_source as yamlsrc
from playbook.load.csv_table import Table, identifier_columns, parse_date, parse_number, read_table
from playbook.load.observations import Observation
from playbook.load.validate import model_at, validate
from playbook.model import FILES, Kpis, Program, Roadmap
from playbook.model.problems import Problem, Problems, Severity

# --- yamlsrc: YAML 1.2 scalars and positions -----------------------------------------


def parse(text: str) -> yamlsrc.YamlDocument:
    source, problems = yamlsrc.parse(text, "f.yml")
    assert problems == []
    return source


@pytest.mark.parametrize(("text", "value"), [
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
    ("true", True), ("false", False), ("True", True), ("FALSE", False),
    ("'40'", "40"), ('"40"', "40"), ("'true'", "true"), ("40", 40), ("-3", -3),
    ("2.5", 2.5), ("1e3", 1000.0), (".5", 0.5), ("0x1f", 31), ("0o17", 15), ("017", 17),
    ("~", None), ("null", None), ("", None),
    ("2026-01-12", "2026-01-12"), ("1.2.0", "1.2.0"), ("'2026-01-12'", "2026-01-12"),
    ("|\n  block text", "block text\n"), ("1_000", "1_000"), ("0b101", "0b101"),
])
def test_yaml_12_core_scalars(text: str, value: object) -> None:
    data = parse(f"key: {text}\n").data["key"]
    assert data == value
    assert type(data) is type(value)


def _core_schema(text: str) -> object:
    """YAML 1.2's core schema, tag by tag, with no shortcut: the reference resolved against."""
    for pattern, value in ((r"~|null|Null|NULL|", None), (r"true|True|TRUE", True),
                           (r"false|False|FALSE", False)):
        if re.fullmatch(pattern, text):
            return value
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"0o[0-7]+", text):
        return int(text[2:], 8)
    if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", text):
        return float(text)
    if re.fullmatch(r"[-+]?\.(inf|Inf|INF)", text):
        return float("-inf") if text.startswith("-") else float("inf")
    if re.fullmatch(r"\.(nan|NaN|NAN)", text):
        return NAN  # compared by identity: nan equals nothing, and "nan" is plain text
    return text


NAN = object()
"""What :func:`_core_schema` returns for a not-a-number."""


@given(st.text(alphabet="~nulNULtrueTRUEfalsFALSE0123456789xoabcdefABCDEF+-.eEinfINFaNyz _",
               max_size=8))
@settings(max_examples=400, deadline=None)
def test_plain_scalars_resolve_as_the_core_schema_says(text: str) -> None:
    node = yaml.ScalarNode("tag:yaml.org,2002:str", text, style=None)
    got = yamlsrc.resolve_scalar(node)
    want = _core_schema(text)
    if want is NAN:
        assert isinstance(got, float) and math.isnan(got)
    else:
        assert got == want and type(got) is type(want)


def test_keys_are_kept_as_written() -> None:
    assert parse("yes: 1\ntrue: 2\n3: 3\nnull: 4\n").data == {
        "yes": 1, "true": 2, "3": 3, "null": 4}


def test_positions_are_one_based() -> None:
    source = parse("# comment\nkpis:\n  - id: a\n    target: {value: 3, by: 2026-01-01}\n")
    assert source.data == {"kpis": [{"id": "a", "target": {"value": 3, "by": "2026-01-01"}}]}
    assert source.values[()] == (2, 1)
    assert source.keys[("kpis",)] == (2, 1)
    assert source.values[("kpis", 0)] == (3, 5)
    assert source.keys[("kpis", 0, "id")] == (3, 5)
    assert source.values[("kpis", 0, "id")] == (3, 9)
    assert source.keys[("kpis", 0, "target")] == (4, 5)
    assert source.values[("kpis", 0, "target", "value")] == (4, 21)
    assert source.values[("kpis", 0, "target", "by")] == (4, 28)


def test_where_falls_back_to_the_nearest_parent() -> None:
    source = parse("a:\n  b: 1\n")
    assert source.where(("a", "b")) == (2, 6)
    assert source.where(("a", "b"), key=True) == (2, 3)
    assert source.where(("a", "missing", 3)) == (2, 3)
    assert source.where(("nothing",)) == (1, 1)


def test_duplicate_key_is_a_problem_and_the_first_value_is_kept() -> None:
    source, problems = yamlsrc.parse("a: 1\nb:\n  c: 2\n  c: 3\n", "f.yml")
    assert source.data == {"a": 1, "b": {"c": 2}}
    assert [str(p) for p in problems] == [
        "f.yml:4:3: b.c: duplicate key 'c', first at line 3 (keep one of them)"]


def test_syntax_error_leaves_no_data() -> None:
    source, problems = yamlsrc.parse("a: [1, 2\nb: 3\n", "f.yml")
    assert source.data is None
    assert [str(p) for p in problems] == [
        "f.yml:1:4: invalid YAML: '[' is not closed "
        "(end it with ']' and separate its items with commas)"]


def test_missing_comma_on_the_same_line_is_not_called_unclosed() -> None:
    _, problems = yamlsrc.parse("a: {x: 1 y: 2}\n", "f.yml")
    assert [str(p) for p in problems] == [
        "f.yml:1:11: invalid YAML: expected ',' or '}', but got ':' "
        "(while parsing a flow mapping) (check indentation, colons and quotes on this line)"]


def test_two_documents_are_a_problem() -> None:
    source, problems = yamlsrc.parse("a: 1\n---\nb: 2\n", "f.yml")
    assert source.data == {"a": 1}
    assert [str(p) for p in problems] == [
        "f.yml:3:1: more than one YAML document "
        "(remove the `---` separator; one file holds one document)"]


def test_aliases_are_expanded_and_loops_reported() -> None:
    assert parse("a: &x {k: 1}\nb: *x\n").data == {"a": {"k": 1}, "b": {"k": 1}}
    source, problems = yamlsrc.parse("a: &x [1, *x]\n", "f.yml")
    assert source.data == {"a": [1, None]}
    assert [p.message for p in problems] == [
        "an alias refers to the collection that contains it"]


def test_empty_file_has_no_data_and_no_problem() -> None:
    source, problems = yamlsrc.parse("# only a comment\n", "f.yml")
    assert (source.data, problems) == (None, [])


def test_format_loc() -> None:
    assert yamlsrc.format_loc(("kpis", 2, "target", "value")) == "kpis[2].target.value"
    assert yamlsrc.format_loc((0, "a")) == "[0].a"
    assert yamlsrc.format_loc(()) == ""


# --- csvdata -------------------------------------------------------------------------


def table(tmp_path: Path, data: bytes) -> tuple[Table | None, list[Problem]]:
    file = tmp_path / "x.csv"
    file.write_bytes(data)
    return read_table(file, "data/p/x.csv")


def test_csv_plain(tmp_path: Path) -> None:
    t, problems = table(tmp_path, b"d,v\n2026-01-01,1.5\n2026-02-01,2\n")
    assert problems == []
    assert t is not None
    assert (t.header, t.rows, t.decimal_comma) == (
        ["d", "v"], [(2, ["2026-01-01", "1.5"]), (3, ["2026-02-01", "2"])], False)


def test_csv_bom_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    t, problems = table(tmp_path, b"\xef\xbb\xbfd,v\r\n2026-01-01,1\r\n")
    assert problems == []
    assert t is not None
    assert t.header == ["d", "v"]
    assert t.column("d") == 0
    assert t.rows == [(2, ["2026-01-01", "1"])]


def test_csv_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    t, problems = table(tmp_path, b"d;v;g\n2026-01-01;1.234,5;pilot\n2026-02-01;3,25;pilot\n")
    assert problems == []
    assert t is not None
    assert t.header == ["d", "v", "g"]
    assert t.decimal_comma
    assert [parse_number(cells[1], t.decimal_comma) for _, cells in t.rows] == [1234.5, 3.25]


def test_csv_blank_lines_are_skipped_not_dropped(tmp_path: Path) -> None:
    t, problems = table(tmp_path, b"d,v\n\n2026-01-01,1\n   \n,\n2026-02-01,2\n\n")
    assert problems == []  # a blank line is no observation, so nothing was lost
    assert t is not None
    assert t.rows == [(3, ["2026-01-01", "1"]), (6, ["2026-02-01", "2"])]


def test_csv_row_spanning_lines_is_reported_at_its_first_line(tmp_path: Path) -> None:
    t, problems = table(tmp_path, b'd,note\n2026-01-01,"two\nlines"\n2026-02-01,a,b\n')
    assert t is not None
    assert t.rows == [(2, ["2026-01-01", "two\nlines"])]
    assert [str(p) for p in problems] == [
        "data/p/x.csv:4:1: row has 3 cells, the header has 2 "
        "(check the ',' separators on this line)"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "data/p/x.csv:1:1: empty file: no header and no rows "
          "(export the data with a header row)"),
    (b"\n \n", "data/p/x.csv:1:1: empty file: no header and no rows "
               "(export the data with a header row)"),
    (b"d,v\n2026-01-01,caf\xe9\n", "data/p/x.csv:2:1: not UTF-8 text "
                                  "(export the file as CSV UTF-8)"),
])
def test_csv_unreadable(tmp_path: Path, data: bytes, expected: str) -> None:
    _, problems = table(tmp_path, data)
    assert [str(p) for p in problems] == [expected]


def test_csv_with_only_a_header_is_a_source_without_data(tmp_path: Path) -> None:
    t, problems = table(tmp_path, b"d,v\n")
    assert problems == []
    assert t is not None and t.header == ["d", "v"] and t.rows == []


@pytest.mark.parametrize(("column", "flagged"), [
    ("email", True), ("work_email", True), ("E-Mail", True), ("phone", True),
    ("mobile_number", True), ("manager_name", True), ("first name", True), ("name", True),
    ("Surname", True), ("kpi_name", False), ("team", False), ("score", False),
    ("emailed_on", False), ("subject", False), ("group", False),
    ("e_mail", True), ("mail_address", True), ("actor.mbox", True), ("actor.name", True),
    ("upn", True), ("login", True), ("username", True), ("userName", True),
    ("national_id", True), ("employee_id", False), ("team_name", False),
])
def test_identifier_like_columns(column: str, flagged: bool) -> None:
    from playbook.load.identifiers import is_direct

    assert is_direct(column) is flagged


def test_csv_missing_file(tmp_path: Path) -> None:
    assert read_table(tmp_path / "nope.csv", "nope.csv") == (
        None, [Problem("nope.csv", 1, 1, "", "file not found")])


@pytest.mark.parametrize(("cell", "comma", "value"), [
    ("1.5", False, 1.5), ("-2", False, -2.0), ("25%", False, 25.0), ("1 000", False, 1000.0),
    ("3,5", True, 3.5), ("1.234,5", True, 1234.5), ("3.5", True, 3.5),
    ("", False, None), ("n/a", False, None), ("nan", False, None), ("inf", False, None),
    ("3,5", False, None),
])
def test_parse_number(cell: str, comma: bool, value: float | None) -> None:
    assert parse_number(cell, comma) == value


@pytest.mark.parametrize(("cell", "value"), [
    ("2026-01-31", date(2026, 1, 31)), ("2026-02-30", None), ("2026-1-31", None),
    ("31/01/2026", None), ("2026-01-31T00:00", date(2026, 1, 31)),
    ("2026-01-31 09:30:00+01:00", date(2026, 1, 31)), ("2026-01-31T", None), ("", None),
])
def test_parse_date(cell: str, value: date | None) -> None:
    assert parse_date(cell) == value


def test_identifier_columns(tmp_path: Path) -> None:
    t, _ = table(tmp_path, b"subject,Email,e-mail,full_name,phone,score,team_name\n"
                           b"p-3fa91c07,a,b,c,d,1,e\n")
    assert t is not None
    assert identifier_columns(t) == ["Email", "e-mail", "full_name", "phone"]


# --- validate: pydantic errors as located, readable problems -------------------------


def check(model: type, text: str) -> list[str]:
    source, problems = yamlsrc.parse(text, "f.yml")
    assert problems == []
    obj, problems = validate(model, source)
    assert (obj is None) == bool(problems)
    return [str(p) for p in sorted(problems, key=lambda p: (p.line, p.column))]


def test_validate_valid_data_returns_the_model() -> None:
    source = parse("phases:\n  - {id: pilot, name: Pilot, days: [0, 90]}\n")
    obj, problems = validate(Roadmap, source)
    assert problems == []
    assert isinstance(obj, Roadmap)
    assert obj.phases[0].days == (0, 90)


@pytest.mark.parametrize(("text", "expected"), [
    ("phases:\n  - {id: pilot, name: Pilot, days: [0, 90], gaol: x}\n",
     "f.yml:2:45: phases[0]: unknown field 'gaol' in phase (did you mean 'goal'?)"),
    ("phases:\n  - {id: pilot, name: Pilot, days: [0, 90]}\nmilestone: []\n",
     "f.yml:3:1: unknown field 'milestone' in f.yml (did you mean 'milestones'?)"),
    ("phases:\n  - {id: pilot, days: [0, 90]}\n",
     "f.yml:2:5: phases[0]: required field 'name' is missing (add 'name:')"),
    ("phases:\n  - {id: Pilot, name: Pilot, days: [0, 90]}\n",
     "f.yml:2:10: phases[0].id: expected a lowercase kebab-case id such as "
     "'decision-latency', got 'Pilot'"),
    ("phases:\n  - {id: pilot, name: Pilot, days: [0, ninety]}\n",
     "f.yml:2:40: phases[0].days[1]: expected a whole number, got 'ninety'"),
    ("phases: {id: pilot}\n", "f.yml:1:9: phases: expected a list, got a mapping"),
    ("phases: []\n", "f.yml:1:9: phases: expected at least 1 item, got 0"),
    ("phases:\n  - {id: p, name: P, days: [0, 9]}\nmilestones:\n"
     "  - {id: m, phase: p, day: -1, owner: ld_owner, deliverable: x}\n",
     "f.yml:4:28: milestones[0].day: expected a value of at least 0, got the number -1"),
    ("phases:\n  - {id: p, name: P, days: [0, 9]}\nmilestones:\n"
     "  - {id: m, phase: p, day: 1, owner: ld_owner, deliverable: x, done: 2026-04-31}\n",
     "f.yml:4:70: milestones[0].done: expected a date YYYY-MM-DD, got '2026-04-31' "
     "(April 2026 has 30 days)"),
    ("phases:\n  - {id: p, name: P, days: [0, 9]}\nmilestones:\n"
     "  - {id: m, phase: p, day: 1, owner: ld_owner, deliverable: x, done: soon}\n",
     "f.yml:4:70: milestones[0].done: expected a date YYYY-MM-DD, got 'soon'"),
])
def test_validate_messages(text: str, expected: str) -> None:
    assert check(Roadmap, text) == [expected]


def test_validate_reports_every_error() -> None:
    assert check(Kpis, "kpis:\n  - {id: a, name: A, kind: big, unit: u, direction: up,\n"
                       "     baseline: {value: 1, date: 2026-01-01}, cadence: daily}\n") == [
        "f.yml:2:5: kpis[0]: required field 'target' is missing (add 'target:')",
        "f.yml:2:28: kpis[0].kind: expected one of 'business', 'behavior', 'engagement', "
        "'leading', 'reaction' or 'learning', got 'big'",
        "f.yml:2:53: kpis[0].direction: expected one of 'decrease' or 'increase', got 'up'",
        "f.yml:3:55: kpis[0].cadence: expected one of 'weekly', 'monthly' or 'quarterly', "
        "got 'daily'",
    ]


def test_validate_top_level_must_be_a_mapping() -> None:
    assert check(Kpis, "# x\n- 1\n- 2\n") == [
        "f.yml:2:1: expected a mapping of keys to values at the top of the file, "
        "got a list of 2"]


def test_model_at_finds_nested_models() -> None:
    assert model_at(Program, ("strategy", "hypotheses", 0)).__name__ == "Hypothesis"
    assert model_at(Program, ("stakeholders", "sponsor")).__name__ == "Person"
    assert model_at(Kpis, ("kpis", 3, "source")).__name__ == "Source"
    assert model_at(Kpis, ("kpis", 3, "name")) is None


# --- diagnostics ---------------------------------------------------------------------


def test_problem_rendering_and_order() -> None:
    problems = Problems()
    problems.add(Problem("b.yml", 2, 1, "x", "late"))
    problems.add(Problem("a.yml", 10, 3, "y.z", "bad", "fix it", Severity.FINDING, "x"))
    problems.add(Problem("a.yml", 9, 7, "", "no field"))
    problems.add(Problem("b.yml", 3, 1, "s", "unverified", "ask", Severity.NOTICE))
    assert problems.render().splitlines() == [
        "a.yml:9:7: no field",
        "a.yml:10:3: finding x: y.z: bad (fix it)",
        "b.yml:2:1: x: late",
        "b.yml:3:1: notice: s: unverified (ask)",
    ]
    assert (len(problems.errors), len(problems.findings), len(problems.notices)) == (2, 1, 1)


# --- scaffold: `playbook new` ---------------------------------------------------------


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("start", ["2026-01-05", "2026-07-31", "2026-12-31", "2028-02-29"])
def test_new_program_checks_clean(tmp_path: Path, run_cli: RunCli, start: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_TODAY", start)  # checked on its first day: no review due yet
    code, out, err = run_cli("new", "team-offsite", "--dir", tmp_path, "--start", start)
    folder = tmp_path / "program" / "team-offsite"
    assert (code, err) == (0, "")
    data = tmp_path / "data" / "team-offsite" / "business_kpi.csv"
    behaviour = data.with_name("behavior_metric.csv")
    lock = tmp_path / "data" / "team-offsite" / "contracts.lock.yml"
    assert out.splitlines() == [*((folder / f"{stem}.yml").as_posix() for stem in sorted(FILES)),
                                behaviour.as_posix(), data.as_posix(), lock.as_posix()]
    assert run_cli("lock", "--check", "--dir", tmp_path)[0] == 0  # its first commit passes
    assert data.read_text(encoding="utf-8").splitlines()[1] == f"{start},40,pilot"
    # the behaviour KPI's baseline is measured (pre/post), so the stated design follows
    assert behaviour.read_text(encoding="utf-8").splitlines()[1] == f"{start},10,pilot"
    result = load_playbook(tmp_path)[0].programs[0]
    program = result.program
    assert program is not None and program.design is not None and program.forecast is not None
    assert program.forecast.made == date.fromisoformat(start) - timedelta(days=14)
    assert [k.kpi for k in program.forecast.kpis] == ["business-kpi", "behavior-metric"]
    assessed = design.assess(result)
    assert {f.key: f.verdict for f in assessed.facts if f.verdict is not DesignVerdict.NOT_STATED} \
        == dict.fromkeys(["needs_analysis", "feedback", "methods", "spacing", "location",
                          "delivery", "coaching", "action_project", "pre_post",
                          "cohort_size", "duration_days"], DesignVerdict.FOLLOWS)
    for file in folder.iterdir():
        assert file.read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema=../../schema/{file.stem}.schema.json\n")
    assert f"start: {start}\n" in (folder / "program.yml").read_text(encoding="utf-8")
    assert run_cli("check", tmp_path, "--strict") == (
        0, "", "playbook check ok: 0 error(s), 0 finding(s), 0 pending, 0 acknowledged\n")


def test_new_refuses_an_existing_folder(tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli("new", "team-offsite", "--dir", tmp_path)[0] == 0
    (tmp_path / "program" / "team-offsite" / "program.yml").write_text("edited\n")
    before = digest(tmp_path)
    code, out, err = run_cli("new", "team-offsite", "--dir", tmp_path)
    assert (code, out) == (2, "")
    assert err == "playbook new: program/team-offsite already exists; nothing was changed\n"
    assert digest(tmp_path) == before


def test_new_refuses_an_existing_data_file(tmp_path: Path, run_cli: RunCli) -> None:
    data = tmp_path / "data" / "team-offsite" / "business_kpi.csv"
    data.parent.mkdir(parents=True)
    data.write_text("the real export\n")
    before = digest(tmp_path)
    code, out, err = run_cli("new", "team-offsite", "--dir", tmp_path)
    assert (code, out) == (2, "")
    assert err == ("playbook new: data/team-offsite/business_kpi.csv already exists; nothing "
                   "was changed\n")
    assert digest(tmp_path) == before


@pytest.mark.parametrize("bad_id", ["Team_Offsite", "team offsite", "team-", "team--x", "",
                                    "team\n", "\nteam", "team\r", "../team", "team/x", "."])
def test_new_refuses_a_non_kebab_id(tmp_path: Path, run_cli: RunCli, bad_id: str) -> None:
    code, out, err = run_cli("new", bad_id, "--dir", tmp_path)
    assert (code, out) == (2, "")
    shown = bad_id.replace("\n", "\\x0a").replace("\r", "\\x0d")  # no line break printed
    assert err == (f"playbook new: '{shown}' is not a lowercase kebab-case id such as "
                   "'decision-velocity'\n")
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_a_bad_start_date(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("new", "team-offsite", "--dir", tmp_path, "--start", "2026-13-01")
    assert (code, out) == (2, "")
    assert err == "playbook new: --start '2026-13-01' is not a date YYYY-MM-DD\n"
    assert list(tmp_path.iterdir()) == []


def test_alias_bomb_is_reported_not_expanded() -> None:
    from playbook.load.yaml_source import parse

    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    source, problems = parse("\n".join(lines) + "\n", "bomb.yml")
    assert source.data is None
    assert [str(p) for p in problems] == [
        "bomb.yml:1:1: file expands to more than 200,000 values "
        "(write the values out instead of nested `*` aliases)"]


def test_hidden_and_underscore_folders_are_not_programs(tmp_playbook: TmpPlaybook) -> None:
    (tmp_playbook.root / "program" / ".cache").mkdir()
    (tmp_playbook.root / "program" / "_drafts").mkdir()
    playbook, problems = load_playbook(tmp_playbook.root)
    assert [b.id for b in playbook.programs] == ["mini"]
    assert problems.items == []


# --- Observation: its own initializer, the dataclass's behaviour -----------------------


def test_observation_initializer_takes_every_field_in_order_with_its_default() -> None:
    params = list(inspect.signature(Observation).parameters.values())
    assert [(p.name, p.default) for p in params] == [
        (f.name, inspect.Parameter.empty if f.default is MISSING else f.default)
        for f in fields(Observation)]
    every = Observation(date(2026, 1, 5), 2.5, "pilot", "p-1", "pre", 7, 3)
    assert [getattr(every, f.name) for f in fields(Observation)] == [
        date(2026, 1, 5), 2.5, "pilot", "p-1", "pre", 7, 3]
    assert repr(Observation(date(2026, 1, 5), 1.0)) == (
        "Observation(date=datetime.date(2026, 1, 5), value=1.0, group=None, subject=None, "
        "wave=None, line=0, people=None)")


def test_observation_stays_frozen_and_ignores_its_line_in_comparisons() -> None:
    one = Observation(date(2026, 1, 5), 1.0, line=2)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'value'"):
        one.value = 2.0  # type: ignore[misc]
    assert not hasattr(one, "__dict__")
    assert one == Observation(date(2026, 1, 5), 1.0, line=9)
    assert hash(one) == hash(Observation(date(2026, 1, 5), 1.0, line=9))
    assert replace(one, value=3.0) == Observation(date(2026, 1, 5), 3.0)


def test_an_aliased_value_is_reported_once_at_its_anchor() -> None:
    text = 'costs:\n  - amount: &a 40.000\n  - amount: *a\nname: &n "x\\u202ey"\nother: *n\n'
    source, problems = yamlsrc.parse(text, "b.yml")
    assert [str(p) for p in problems] == [
        "b.yml:2:13: finding number-separator: costs[0].amount: 40.000 reads as the number 40 "
        "(write 40000 "
        "(no separator) or 40.0 if you meant a decimal)",
        "b.yml:4:7: finding bidi-character: name: contains the bidirectional formatting "
        "character U+202E "
        "(remove it: it makes text display in another order than it is stored)"]
    assert source.data == {"costs": [{"amount": 40.0}, {"amount": 40.0}],
                           "name": "x\u202ey", "other": "x\u202ey"}
