"""The CTDL-ASN download against Credential Engine's own published material.

Credential Engine's online validator is out of reach of the test machine, so this is
the check it can make offline, from unmodified copies of what Credential Engine
publishes (``tests/fixtures/ctdl-asn/README.md`` says where each comes from):

- the JSON Schemas of the Credential Registry: the one it applies to every published
  graph, and its last schemas of a competency framework and a competency (draft-04,
  as they declare);
- the CTDL-ASN and CTDL schema encodings: every term the export uses must be declared
  there, on a class in its ``schema:domainIncludes``, pointing at a node of a class in
  its ``schema:rangeIncludes``;
- the CTDL-ASN JSON-LD context: every term is in it, its value has the shape the
  context gives it, and the document expands with pyld without losing a term.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

import jsonschema
import pytest
from test_ctdl import VOCABULARY, Value

from playbook.engine import build
from playbook.figures.site import SiteData
from playbook.pages import downloads

REPO = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ctdl-asn"
TODAY = date(2026, 11, 22)
PROGRAMS = ("decision-velocity", "approval-velocity")

SHA256: Final = {
    "ctdlasn-context.json": "783a5a5e132deb0023f6a4ea5201b9b69e298e6c359c1fd8d3c595392f8e7e72",
    "ctdlasn-schema.json": "8bacfcec140c03e144903acd04eeacc3f466c2245ca2a1bb703a322981fda0b7",
    "ctdl-schema.json.gz": "a2dd28cb08f9e5e0324fe155e7381c276d70e69cb95521dab120f042cc538776",
    "registry-publish-envelope.json":
        "05748f3d2d9db2633f088489ba659bdc23466a233d9c49d8b9235e7aa4474901",
    "registry-competency-framework.json":
        "91a17c00323addd3c6acf5a38cff6e7140746f57f97f9c9449d28660a423bee7",
    "registry-competency.json":
        "a7a5c8be4e3b3f4496611e84902e8b4034d75b93a9d268b466d9e374572eaeb4",
}
"""Each vendored file's SHA-256 (of the uncompressed bytes), as the README records it."""

CLASS_SCHEMAS: Final = {"ceasn:CompetencyFramework": "registry-competency-framework.json",
                        "ceasn:Competency": "registry-competency.json"}
"""The registry's JSON Schema of each class that has one."""

# "About the CTID" (https://credreg.net/ctdl/ctid), section "CTID Structure": "Each
# CTID is made up of a standard UUID v4 prefixed with ce-" (quoted by ctdl-validate's
# rules.py, retrieved 2026-08-06): version nibble 4, RFC 4122 variant, lower case
CTID_V4: Final = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                            r"[0-9a-f]{12}$")


def _bytes(name: str) -> bytes:
    raw = (FIXTURES / name).read_bytes()
    return gzip.decompress(raw) if name.endswith(".gz") else raw


@cache
def _json(name: str) -> Any:
    return json.loads(_bytes(name))


def _context() -> dict[str, Any]:
    context: dict[str, Any] = _json("ctdlasn-context.json")["@context"]
    return context


@cache
def _encoding() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    """Each property's domain and range, and each declared concept's class, from both."""
    domains: dict[str, set[str]] = {}
    ranges: dict[str, set[str]] = {}
    concepts: dict[str, str] = {}
    for name in ("ctdlasn-schema.json", "ctdl-schema.json.gz"):
        for node in _json(name)["@graph"]:
            if node["@type"] == "rdf:Property":
                domains.setdefault(node["@id"], set()).update(node.get("schema:domainIncludes",
                                                                       []))
                ranges.setdefault(node["@id"], set()).update(node.get("schema:rangeIncludes",
                                                                      []))
            elif node["@type"] == "skos:Concept":
                concepts[node["@id"]] = "skos:Concept"
    return domains, ranges, concepts


def _shape_ok(rule: dict[str, Any], value: Any) -> bool:
    """Whether a value has the shape the context gives its term."""
    if rule.get("@container") == "@language":
        return isinstance(value, dict) and all(
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(s, str) for s in v))
            for v in value.values())
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(i, str) for i in items)


def problems(doc: dict[str, Any]) -> list[str]:
    """Each term of the graph the published context or encodings do not allow where it is."""
    context, (domains, ranges, concepts) = _context(), _encoding()
    types = {**concepts, **{node["@id"]: node["@type"] for node in doc["@graph"]}}
    out: list[str] = []
    for node in doc["@graph"]:
        cls = node["@type"]
        for term, value in node.items():
            where = f"{node['@id']}: {term}"
            if term.startswith("@"):
                continue
            if term not in domains:
                out.append(f"{where}: not a CTDL or CTDL-ASN term")
                continue
            if cls not in domains[term]:
                out.append(f"{where}: not defined on {cls}")
            rule = context.get(term)
            if not isinstance(rule, dict):
                out.append(f"{where}: not in the CTDL-ASN context")
            elif not _shape_ok(rule, value):
                out.append(f"{where}: not the context's shape {rule}")
            elif rule.get("@type") == "@id":
                for target in value if isinstance(value, list) else [value]:
                    if types.get(target) not in ranges[term]:
                        out.append(f"{where}: {target} ({types.get(target)}) is outside "
                                   f"its range")
    return out


def schema_errors(doc: dict[str, Any]) -> list[str]:
    """The registry's JSON Schema errors: the graph's, then each node's against its class."""
    def check(name: str, instance: Any, where: str) -> list[str]:
        schema = _json(name)
        cls = jsonschema.validators.validator_for(schema)
        assert cls is jsonschema.Draft4Validator, name  # the draft the schemas declare
        cls.check_schema(schema)
        return [f"{where}: {'/'.join(map(str, e.path))}: {e.message}"
                for e in cls(schema).iter_errors(instance)]

    out = check("registry-publish-envelope.json", doc, "graph")
    for node in doc["@graph"]:
        if node["@type"] in CLASS_SCHEMAS:
            out.extend(check(CLASS_SCHEMAS[node["@type"]], node, node["@id"]))
    return out


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
        assert hashlib.sha256(_bytes(name)).hexdigest() == digest, name
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
                "document": _json("ctdlasn-context.json")}

    [graph] = jsonld.expand(doc, {"documentLoader": loader})
    assert graph["@id"] == doc["@id"]
    nodes: list[dict[str, Any]] = graph["@graph"]
    return nodes


def _iri(compact: str) -> str:
    prefix, name = compact.split(":", 1)
    namespace = _context()[prefix]
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
            rule, items = _context()[term], out[_iri(term)]
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
    domains, _, _ = _encoding()
    shape = {Value.TEXT: {"@container": "@language"}, Value.IRI: {"@type": "@id"}}
    for term, (classes, kind) in VOCABULARY.items():
        assert classes <= domains[term], term
        rule = _context()[term]
        assert rule == shape[kind] if kind in shape else rule["@type"].startswith("xsd:"), term
