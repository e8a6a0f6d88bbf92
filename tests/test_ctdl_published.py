"""The CTDL-ASN download against Credential Engine's own published material.

Credential Engine's online validator is out of reach of the test machine, so the export
is checked offline against unmodified copies of what Credential Engine publishes (the
registry's JSON Schemas, the CTDL-ASN and CTDL encodings, the CTDL-ASN context; see
``tests/ctdl_published.py``), and each check is shown to fail on a broken export.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from pathlib import Path
from typing import Any, Final

import pytest
from ctdl_published import (
    CTID_V4,
    FIXTURES,
    SHA256,
    context,
    encoding,
    problems,
    read_bytes,
    read_json,
    schema_errors,
)
from test_ctdl import VOCABULARY, Value

from playbook.engine import build
from playbook.figures.site import SiteData
from playbook.pages import downloads

REPO = Path(__file__).parents[1]
TODAY = date(2026, 11, 22)
PROGRAMS = ("decision-velocity", "approval-velocity")


@pytest.fixture(scope="module")
def site() -> SiteData:
    data, problems_ = build(REPO, TODAY)
    assert data is not None, problems_.render()
    return data


def _doc(site: SiteData, program: str) -> dict[str, Any]:
    doc = downloads.competency_framework(site.get(program))
    assert doc is not None
    return doc


def test_the_vendored_files_are_the_published_ones() -> None:
    assert {p.name for p in FIXTURES.iterdir()} == {*SHA256, "README.md",
                                                     "LICENSE-Apache-2.0.txt"}
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for name, digest in SHA256.items():
        assert hashlib.sha256(read_bytes(name)).hexdigest() == digest, name
        assert digest in readme, name


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_export_passes_the_registry_schemas(site: SiteData, program: str) -> None:
    assert schema_errors(_doc(site, program)) == []


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_term_is_published_on_its_class_with_its_shape_and_range(
        site: SiteData, program: str) -> None:
    doc = _doc(site, program)
    assert doc["@context"] == downloads.CONTEXT
    assert problems(doc) == []
    assert {n["@type"] for n in doc["@graph"]} == {"ceasn:CompetencyFramework",
                                                   "asn:ProgressionModel",
                                                   "asn:ProgressionLevel", "ceasn:Competency"}


def _expand(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The graph's nodes expanded by pyld, the context read from the vendored copy."""
    jsonld = pytest.importorskip("pyld.jsonld")

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        assert url == downloads.CONTEXT, url  # nothing else may be fetched
        return {"contextUrl": None, "documentUrl": url,
                "document": read_json("ctdlasn-context.json")}

    [graph] = jsonld.expand(doc, {"documentLoader": loader})
    assert graph["@id"] == doc["@id"]
    nodes: list[dict[str, Any]] = graph["@graph"]
    return nodes


def _iri(compact: str) -> str:
    prefix, name = compact.split(":", 1)
    namespace = context()[prefix]
    assert isinstance(namespace, str)
    return namespace + name


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_export_expands_with_the_published_context(site: SiteData, program: str) -> None:
    doc = _doc(site, program)
    by_id = {node["@id"]: node for node in _expand(doc)}
    for node in doc["@graph"]:
        out = by_id[node["@id"]]
        assert out["@type"] == [_iri(node["@type"])]
        # no term dropped: every property of the node has its full IRI after expansion
        assert set(out) - {"@id", "@type"} == {_iri(t) for t in node if not t.startswith("@")}
        for term in node:
            if term.startswith("@"):
                continue
            rule, items = context()[term], out[_iri(term)]
            if rule.get("@container") == "@language":
                assert all(i["@language"] == downloads.LANGUAGE for i in items), term
            elif rule["@type"] == "@id":
                assert all(set(i) == {"@id"} and ":" in i["@id"] for i in items), term
            else:
                assert all(i["@type"] == _iri(rule["@type"]) for i in items), term


def _level(doc: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in doc["@graph"] if n["@type"] == "asn:ProgressionLevel")


def _competency(doc: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in doc["@graph"] if n["@type"] == "ceasn:Competency")


BROKEN: Final = {
    # what the validator reported on the export before the fix
    "listID on a level": (lambda d: _level(d).update({"ceasn:listID": "1"}),
                          "{level}: ceasn:listID: not defined on asn:ProgressionLevel"),
    "ceasn:versionCode": (lambda d: d["@graph"][0].update({"ceasn:versionCode": "1.0"}),
                          "{framework}: ceasn:versionCode: not a CTDL or CTDL-ASN term"),
    "skos:inScheme on a level": (
        lambda d: _level(d).update({"skos:inScheme": d["@graph"][1]["@id"]}),
        "{level}: skos:inScheme: not defined on asn:ProgressionLevel",
        "{level}: skos:inScheme: {model} (asn:ProgressionModel) is outside its range"),
    "text as a plain string": (
        lambda d: _competency(d).update({"ceasn:competencyText": "text"}),
        "{competency}: ceasn:competencyText: not the context's shape "
        "{{'@container': '@language'}}"),
    "part of a level": (
        lambda d: _competency(d).update({"ceasn:isPartOf": [_level(d)["@id"]]}),
        "{competency}: ceasn:isPartOf: {level} (asn:ProgressionLevel) is outside its range"),
    "level pointing outside the graph": (
        lambda d: _competency(d).update({"asn:hasProgressionLevel": "urn:x"}),
        "{competency}: asn:hasProgressionLevel: urn:x (None) is outside its range"),
}
"""Each way an export can break the published rules, and the problem it must give."""


@pytest.mark.parametrize("case", BROKEN)
def test_the_term_check_fails_on_a_broken_export(site: SiteData, case: str) -> None:
    doc = copy.deepcopy(_doc(site, PROGRAMS[0]))
    breakage, *messages = BROKEN[case]
    breakage(doc)
    assert problems(doc) == [m.format(framework=doc["@graph"][0]["@id"],
                                      model=doc["@graph"][1]["@id"], level=_level(doc)["@id"],
                                      competency=_competency(doc)["@id"]) for m in messages]


SCHEMA_BROKEN: Final = {
    "graph without @id": (lambda d: d.pop("@id"), "graph: : '@id' is a required property"),
    "competency without language": (
        lambda d: _competency(d).pop("ceasn:inLanguage"),
        "{competency}: : 'ceasn:inLanguage' is a required property"),
    "isPartOf as one string": (
        lambda d: _competency(d).update({"ceasn:isPartOf": d["@graph"][0]["@id"]}),
        "{competency}: ceasn:isPartOf: '{framework}' is not of type 'array'"),
    "framework without description": (
        lambda d: d["@graph"][0].pop("ceasn:description"),
        "{framework}: : 'ceasn:description' is a required property"),
}
"""Each way an export can break the registry's JSON Schemas, and the error it must give."""


@pytest.mark.parametrize("case", SCHEMA_BROKEN)
def test_the_registry_schemas_fail_on_a_broken_export(site: SiteData, case: str) -> None:
    doc = copy.deepcopy(_doc(site, PROGRAMS[0]))
    breakage, message = SCHEMA_BROKEN[case]
    breakage(doc)
    assert schema_errors(doc) == [message.format(framework=doc["@graph"][0]["@id"],
                                                 competency=_competency(doc)["@id"])]


@pytest.mark.parametrize("program", PROGRAMS)
def test_ctids_have_the_published_structure(site: SiteData, program: str) -> None:
    ctids = [node["ceterms:ctid"] for node in _doc(site, program)["@graph"]]
    assert all(CTID_V4.match(c) for c in ctids), ctids
    assert not CTID_V4.match("ce-59e8d15f-7895-5346-a5a8-7a0739a3d344")  # a version-5 one


def test_the_hand_written_term_list_agrees_with_the_published_one() -> None:
    # tests/test_ctdl.py writes the vocabulary out by hand; every domain it gives must be
    # in the encodings' domain, and every shape the context's
    domains, _, _ = encoding()
    shape = {Value.TEXT: {"@container": "@language"}, Value.IRI: {"@type": "@id"}}
    for term, (classes, kind) in VOCABULARY.items():
        assert classes <= domains[term], term
        rule = context()[term]
        assert rule == shape[kind] if kind in shape else rule["@type"].startswith("xsd:"), term
