"""Open-format downloads: the CTDL-ASN competency framework and the figures JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import RunCli

from playbook.engine import build
from playbook.figures.site import SiteData
from playbook.pages import downloads, site_pages

REPO = Path(__file__).parents[1]
TODAY = date(2026, 11, 22)

_TEXT = {"type": "object", "required": ["en"], "properties": {"en": {"type": "string",
                                                                      "minLength": 1}}}
_IRI = {"type": "string", "pattern": "^urn:playbook:"}
_IRIS = {"type": "array", "items": _IRI, "minItems": 1, "maxItems": 1}
FRAMEWORK_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["@context", "@id", "@graph"],
    "properties": {
        "@context": {"const": "https://credreg.net/ctdlasn/schema/context/json"},
        "@id": _IRI,
        "@graph": {
            "type": "array",
            "prefixItems": [{"$ref": "#/$defs/framework"}, {"$ref": "#/$defs/model"}],
            "items": {"oneOf": [{"$ref": "#/$defs/level"}, {"$ref": "#/$defs/competency"}]},
            "minItems": 3,
        },
    },
    "$defs": {
        "framework": {
            "type": "object",
            "required": ["@id", "@type", "ceasn:name", "ceasn:description",
                         "ceasn:hasTopChild", "asn:hasProgressionModel"],
            "properties": {"@id": _IRI, "@type": {"const": "ceasn:CompetencyFramework"},
                           "ceasn:name": _TEXT, "ceasn:description": _TEXT,
                           "ceasn:hasTopChild": {"type": "array", "items": _IRI,
                                                 "minItems": 1},
                           "asn:hasProgressionModel": _IRI}},
        "model": {
            "type": "object", "required": ["@id", "@type", "ceasn:name", "skos:hasTopConcept"],
            "properties": {"@type": {"const": "asn:ProgressionModel"},
                           "skos:hasTopConcept": {"type": "array", "items": _IRI,
                                                  "minItems": 1}}},
        "level": {
            "type": "object",
            "required": ["@id", "@type", "skos:prefLabel", "ceasn:inProgressionModel"],
            "properties": {"@type": {"const": "asn:ProgressionLevel"},
                           "skos:prefLabel": _TEXT, "ceasn:inProgressionModel": _IRI}},
        "competency": {
            "type": "object",
            "required": ["@id", "@type", "ceasn:competencyText", "ceasn:isPartOf"],
            "properties": {"@id": _IRI, "@type": {"const": "ceasn:Competency"},
                           "ceasn:competencyText": _TEXT, "ceasn:isPartOf": _IRIS,
                           "ceasn:isChildOf": _IRIS, "ceasn:isTopChildOf": _IRI,
                           "asn:hasProgressionLevel": _IRI},
            # a criterion (a child) sits at a progression level; a behaviour is a top child
            "oneOf": [{"required": ["ceasn:isTopChildOf", "ceasn:hasChild"]},
                      {"required": ["ceasn:isChildOf", "asn:hasProgressionLevel"]}]},
    },
}
"""The structure the export promises: context, framework, progression model and levels,
and competencies with their levels and criteria."""


@pytest.fixture(scope="module")
def site() -> SiteData:
    data, problems = build(REPO, TODAY)
    assert data is not None, problems.render()
    return data


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(FRAMEWORK_SCHEMA)


@pytest.mark.parametrize("program", ["decision-velocity", "approval-velocity"])
def test_framework_validates_and_keeps_the_whole_matrix(site: SiteData, program: str) -> None:
    view = site.get(program)
    doc = downloads.competency_framework(view)
    assert doc is not None
    jsonschema.validate(doc, FRAMEWORK_SCHEMA, cls=jsonschema.Draft202012Validator)
    graph = {node["@id"]: node for node in doc["@graph"]}
    framework = doc["@graph"][0]
    comp = view.bundle.competencies
    assert comp is not None
    levels = [graph[i] for i in graph[framework["asn:hasProgressionModel"]]["skos:hasTopConcept"]]
    assert [lv["skos:notation"] for lv in levels] == comp.levels
    # every reference resolves inside the document
    for node in doc["@graph"]:
        for key in ("ceasn:isPartOf", "ceasn:isChildOf", "asn:hasProgressionLevel",
                    "ceasn:inProgressionModel", "skos:topConceptOf", "ceterms:precedes",
                    "ceterms:precededBy"):
            value = node.get(key, framework["@id"])
            assert all(iri in graph for iri in (value if isinstance(value, list) else [value]))
    assert len(framework["ceasn:hasTopChild"]) == len(comp.behaviors)
    for behaviour, iri in zip(comp.behaviors, framework["ceasn:hasTopChild"], strict=True):
        node = graph[iri]
        assert node["ceasn:competencyText"] == {"en": behaviour.text}
        children = [graph[c] for c in node["ceasn:hasChild"]]
        shown = {graph[c["asn:hasProgressionLevel"]]["skos:notation"]:
                 c["ceasn:competencyText"]["en"] for c in children}
        assert shown == behaviour.criteria
        assert all(c["ceasn:isChildOf"] == [iri] for c in children)


def test_figures_download_is_the_report(site: SiteData, run_cli: RunCli) -> None:
    code, out, _ = run_cli("report", "decision-velocity", "--dir", REPO, "--today",
                           TODAY.isoformat())
    assert code == 0
    assert downloads.figures(site.get("decision-velocity")) == json.loads(out)


def test_program_pages_link_their_downloads(site: SiteData) -> None:
    files = {d.path for d in downloads.files(site, site_pages.PROGRAMS_DIR)}
    pages = {p.path: p.markdown for p in site_pages.generate(site)}
    for view in site.programs:
        folder = f"{site_pages.PROGRAMS_DIR}/{view.id}"
        assert {f"{folder}/{downloads.FRAMEWORK_FILE}", f"{folder}/{downloads.FIGURES_FILE}"} \
            <= files
        for page in ("index.md", "competencies.md"):
            assert f"]({downloads.FRAMEWORK_FILE})" in pages[f"{folder}/{page}"]
        for page in ("index.md", "measurement.md"):
            assert f"]({downloads.FIGURES_FILE})" in pages[f"{folder}/{page}"]
