"""Editors' help: the CLI's description, the format reference, gates written as ids."""

from __future__ import annotations

import re
from datetime import date

from conftest import RunCli, TmpPlaybook

from playbook.commands import cli
from playbook.engine import build
from playbook.model import schema
from playbook.pages import reference, site_pages


def test_top_level_help_names_every_verb(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0
    said = " ".join(out.split())
    for verb in cli.VERBS:
        name = verb.__name__.rsplit(".", 1)[1]
        assert f"({name})" in said, name


def test_format_reference_has_no_rest_literals_or_empty_headers() -> None:
    page = reference.markdown()
    prose = re.sub(r"```.*?```", "", page, flags=re.S)  # fences are code, not literals
    assert "``" not in prose
    for line in page.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            assert "|  |" not in line and "| |" not in line, line
    delimiter = next(line for line in page.splitlines() if line.startswith("| <code>delimiter"))
    assert '| one of: ",", ";", "\\\\t" \\(tab\\), "\\|" |' in delimiter


def test_format_reference_documents_the_csv_rules() -> None:
    page = " ".join(reference.markdown().split())
    for rule in ("byte-order mark", "more `;` than `,`", "`3,5`", "ISO `YYYY-MM-DD`",
                 "<code>1</code> or <code>true</code> or <code>yes</code>",
                 "<code>0</code> or <code>false</code> or <code>no</code>", "`read.missing`"):
        assert rule in page, rule


def test_json_schemas_use_markdown_code_spans() -> None:
    for stem in schema.SCHEMAS:
        assert "``" not in schema.render(stem), stem


KEBAB_GATES = """gates:
  - {id: data-ownership, name: We own the measurement data}
  - ai_audit"""


def test_gates_accept_kebab_ids_with_a_display_name(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("vendors.yml", "gates: [data_ownership, ai_audit]", KEBAB_GATES)
    tmp_playbook.edit("vendors.yml", "{data_ownership: yes, ai_audit: partial}",
                      "{data-ownership: yes, ai_audit: partial}")
    data, problems = build(tmp_playbook.root, date(2026, 11, 22))
    assert data is not None and not problems.errors and not problems.findings, problems.render()
    page = next(p.markdown for p in site_pages.generate(data)
                if p.path == "programs/mini/vendors.md")
    assert "| Vendor | We own the measurement data | AI audit clause |" in page
    assert "Fails 1</span> AI audit clause" in page


def test_a_clause_must_name_a_declared_gate(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("vendors.yml", "gates: [data_ownership, ai_audit]", KEBAB_GATES)
    data, problems = build(tmp_playbook.root, date(2026, 11, 22))
    assert data is not None and data.programs == [] and list(data.broken) == ["mini"]
    assert [str(p) for p in problems.errors] == [
        "program/mini/vendors.yml:12:15: vendors[0].clauses.data_ownership: unknown gate "
        "'data_ownership' (did you mean 'data-ownership'?)"]


def test_duplicate_gates_are_an_error(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("vendors.yml", "gates: [data_ownership, ai_audit]",
                      "gates: [data_ownership, ai_audit, {id: ai_audit, name: Audit}]")
    _, problems = build(tmp_playbook.root, date(2026, 11, 22))
    assert [p.message for p in problems.errors] == ["duplicate gate id 'ai_audit'"]
