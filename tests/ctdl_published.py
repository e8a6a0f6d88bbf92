"""An offline check of a CTDL-ASN graph against Credential Engine's published material.

Unmodified copies of what Credential Engine publishes (``fixtures/ctdl-asn/README.md``
says where each comes from), and the checks a test makes with them:

- :func:`schema_errors`: the Credential Registry's JSON Schemas (draft-04, as they
  declare): the one it applies to every published graph, and its last schemas of a
  competency framework and a competency;
- :func:`problems`: the CTDL-ASN and CTDL schema encodings and the CTDL-ASN JSON-LD
  context: every term is declared, on a class in its ``schema:domainIncludes``, points
  at a node of a class in its ``schema:rangeIncludes``, is in the context and has the
  shape the context gives it.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Final

import jsonschema

FIXTURES = Path(__file__).parent / "fixtures" / "ctdl-asn"

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


def read_bytes(name: str) -> bytes:
    """A vendored file's bytes (uncompressed)."""
    raw = (FIXTURES / name).read_bytes()
    return gzip.decompress(raw) if name.endswith(".gz") else raw


@cache
def read_json(name: str) -> Any:
    """A vendored file, parsed."""
    return json.loads(read_bytes(name))


def context() -> dict[str, Any]:
    """The CTDL-ASN context's term definitions and prefixes."""
    terms: dict[str, Any] = read_json("ctdlasn-context.json")["@context"]
    return terms


@cache
def encoding() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    """Each property's domain and range, and each declared concept's class, from both."""
    domains: dict[str, set[str]] = {}
    ranges: dict[str, set[str]] = {}
    concepts: dict[str, str] = {}
    for name in ("ctdlasn-schema.json", "ctdl-schema.json.gz"):
        for node in read_json(name)["@graph"]:
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
    terms, (domains, ranges, concepts) = context(), encoding()
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
            rule = terms.get(term)
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
        schema = read_json(name)
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
