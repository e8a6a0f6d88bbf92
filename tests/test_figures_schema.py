"""``figures.json`` and ``playbook report``: a versioned format, with a JSON Schema for tools."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from playbook.engine import report
from playbook.figures.program import SCHEMA_VERSION
from playbook.pages import figures_schema

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("program", ["decision-velocity", "approval-velocity"])
def test_every_example_programs_figures_meet_the_schema(program: str) -> None:
    data = report(REPO, program, date(2026, 11, 22))
    assert isinstance(data, dict)
    assert next(iter(data)) == "schema_version" and data["schema_version"] == SCHEMA_VERSION
    # as written: NaN and infinity are null, dates are text
    written = json.loads(json.dumps(data, allow_nan=False))
    jsonschema.Draft202012Validator(figures_schema.schema()).validate(written)


def test_the_schema_refuses_another_version_and_a_missing_field() -> None:
    data = json.loads(json.dumps(report(REPO, "decision-velocity", date(2026, 11, 22))))
    validator = jsonschema.Draft202012Validator(figures_schema.schema())
    assert [e.message for e in validator.iter_errors({**data, "schema_version": 2})] == [
        f"{SCHEMA_VERSION} was expected"]
    del data["kpis"]
    assert [e.message for e in validator.iter_errors(data)] == [
        "'kpis' is a required property"]


def test_the_committed_schema_is_the_generated_one() -> None:
    committed = (REPO / "schema" / figures_schema.FILE).read_text(encoding="utf-8")
    assert committed == figures_schema.render()
    assert json.loads(committed)["$id"] == "figures.schema.json"


def test_every_field_of_the_figures_has_a_description() -> None:
    # the reference page shows each field's docstring: a field without one reads "—"
    data = figures_schema.schema()
    bare = [f"{name}.{field}" for name, node in [("ProgramFigures", data), *data["$defs"].items()]
            for field, prop in node.get("properties", {}).items()
            if not str(prop.get("description", "")).strip()]
    assert bare == []
    assert "| — |" not in figures_schema.markdown()
