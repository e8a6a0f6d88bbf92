"""The CTDL-ASN download's terms, domains and CTIDs, against a term list written out here.

The list gives each term the framework may use, the classes it is defined on (its domain)
and the shape of its value. A term outside the list, or on a class outside its domain, is
what Credential Engine's validator reported as an error (``ceasn:listID`` on a progression
level, ``ceasn:versionCode`` anywhere). ``tests/test_ctdl_published.py`` checks the export
and this list against Credential Engine's published encodings, context and registry
schemas (vendored in ``tests/fixtures/ctdl-asn/``).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

import pytest

from playbook.engine import build
from playbook.figures.site import SiteData
from playbook.pages import downloads, reference

REPO = Path(__file__).parents[1]
TODAY = date(2026, 11, 22)
PROGRAMS = ("decision-velocity", "approval-velocity")
CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

FRAMEWORK, COMPETENCY = "ceasn:CompetencyFramework", "ceasn:Competency"
MODEL, LEVEL = "asn:ProgressionModel", "asn:ProgressionLevel"


class Value(StrEnum):
    """The shape of a term's value in the CTDL-ASN context."""

    TEXT = "language map"
    IRI = "reference"
    LITERAL = "plain string"


VOCABULARY: Final[dict[str, tuple[frozenset[str], Value]]] = {
    "ceterms:ctid": (frozenset({FRAMEWORK, COMPETENCY, MODEL, LEVEL}), Value.LITERAL),
    "ceasn:name": (frozenset({FRAMEWORK, MODEL}), Value.TEXT),
    "ceasn:description": (frozenset({FRAMEWORK, MODEL}), Value.TEXT),
    # on competencies too: the CTDL-ASN encoding's domain of ceasn:inLanguage has
    # ceasn:Competency, and the registry's competency schema requires it
    "ceasn:inLanguage": (frozenset({FRAMEWORK, MODEL, COMPETENCY}), Value.LITERAL),
    "ceasn:publicationStatusType": (frozenset({FRAMEWORK, MODEL}), Value.IRI),
    "ceterms:versionCode": (frozenset({FRAMEWORK}), Value.LITERAL),
    "asn:hasProgressionModel": (frozenset({FRAMEWORK}), Value.IRI),
    "ceasn:hasTopChild": (frozenset({FRAMEWORK}), Value.IRI),
    "skos:hasTopConcept": (frozenset({MODEL}), Value.IRI),
    "skos:prefLabel": (frozenset({LEVEL}), Value.TEXT),
    "skos:notation": (frozenset({LEVEL}), Value.LITERAL),
    "skos:topConceptOf": (frozenset({LEVEL}), Value.IRI),
    "ceasn:inProgressionModel": (frozenset({LEVEL}), Value.IRI),
    "ceterms:precedes": (frozenset({LEVEL}), Value.IRI),
    "ceterms:precededBy": (frozenset({LEVEL}), Value.IRI),
    "ceasn:competencyLabel": (frozenset({COMPETENCY}), Value.TEXT),
    "ceasn:competencyText": (frozenset({COMPETENCY}), Value.TEXT),
    "ceasn:comment": (frozenset({COMPETENCY}), Value.TEXT),
    "ceasn:isPartOf": (frozenset({COMPETENCY}), Value.IRI),
    "ceasn:isTopChildOf": (frozenset({COMPETENCY}), Value.IRI),
    "ceasn:isChildOf": (frozenset({COMPETENCY}), Value.IRI),
    "ceasn:hasChild": (frozenset({COMPETENCY}), Value.IRI),
    "ceasn:listID": (frozenset({COMPETENCY}), Value.LITERAL),
    "asn:hasProgressionLevel": (frozenset({COMPETENCY}), Value.IRI),
}
"""Each CTDL-ASN/CTDL term the download may use: its domain and the shape of its value."""

@pytest.fixture(scope="module")
def site() -> SiteData:
    data, problems = build(REPO, TODAY)
    assert data is not None, problems.render()
    return data


def _doc(site: SiteData, program: str) -> dict[str, Any]:
    doc = downloads.competency_framework(site.get(program))
    assert doc is not None
    return doc


def _misused(graph: list[dict[str, Any]]) -> list[str]:
    """Each term of the graph that is unpublished or used outside its domain."""
    return [f"{node['@type']}: {term}" for node in graph for term in node
            if not term.startswith("@")
            and node["@type"] not in VOCABULARY.get(term, (frozenset(), Value.TEXT))[0]]


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_term_is_published_and_used_on_its_own_classes(site: SiteData,
                                                             program: str) -> None:
    assert _misused(_doc(site, program)["@graph"]) == []


def test_the_term_check_finds_what_the_validator_reported() -> None:
    # the export before this fix: a version code in the wrong vocabulary, and a level
    # placed by listID and skos:inScheme (a concept scheme's term) instead of its model
    graph = [{"@id": "f", "@type": FRAMEWORK, "ceasn:versionCode": "1.0"},
             {"@id": "l", "@type": LEVEL, "ceasn:listID": "1", "skos:inScheme": "m"},
             {"@id": "c", "@type": COMPETENCY, "ceasn:inProgressionModel": "m"}]
    assert _misused(graph) == [f"{FRAMEWORK}: ceasn:versionCode", f"{LEVEL}: ceasn:listID",
                               f"{LEVEL}: skos:inScheme",
                               f"{COMPETENCY}: ceasn:inProgressionModel"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_terms_the_validator_rejected_are_gone(site: SiteData, program: str) -> None:
    graph = _doc(site, program)["@graph"]
    assert not any("ceasn:versionCode" in node for node in graph)
    levels = [node for node in graph if node["@type"] == LEVEL]
    assert levels and not any("ceasn:listID" in lv or "skos:inScheme" in lv for lv in levels)
    model = graph[1]["@id"]
    assert all(lv["ceasn:inProgressionModel"] == model for lv in levels)
    meta = site.get(program).bundle.program
    assert meta is not None and graph[0]["ceterms:versionCode"] == meta.version
    # the levels' order survives without listID: each precedes the next
    assert [lv.get("ceterms:precedes") for lv in levels] == [
        *(lv["@id"] for lv in levels[1:]), None]
    assert [lv.get("ceterms:precededBy") for lv in levels] == [
        None, *(lv["@id"] for lv in levels[:-1])]


def test_ctids_are_uuids_stable_across_builds_and_distinct_across_programs(
        site: SiteData) -> None:
    again, problems = build(REPO, TODAY)
    assert again is not None, problems.render()
    seen: dict[str, str] = {}
    for program in PROGRAMS:
        first = {n["@id"]: n["ceterms:ctid"] for n in _doc(site, program)["@graph"]}
        second = {n["@id"]: n["ceterms:ctid"] for n in _doc(again, program)["@graph"]}
        assert first == second
        assert all(CTID.match(c) for c in first.values()), first
        for iri, ctid in first.items():
            assert seen.setdefault(ctid, iri) == iri, f"{iri} and {seen[ctid]} share {ctid}"


def test_a_ctid_is_the_program_and_the_competency_ids() -> None:
    ctid = downloads.ctid("decision-velocity", "behavior", "decide-fast")
    assert ctid == downloads.ctid("decision-velocity", "behavior", "decide-fast")
    assert CTID.match(ctid)
    assert ctid != downloads.ctid("approval-velocity", "behavior", "decide-fast")
    assert ctid != downloads.ctid("decision-velocity", "behavior", "decide-fast", "senior")
    # parts are joined with "/", which no id can hold: these two must differ
    assert downloads.ctid("a", "b-c") != downloads.ctid("a-b", "c")


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_format_reference_lists_every_term_used(site: SiteData, program: str) -> None:
    used: dict[str, set[str]] = {}
    for node in _doc(site, program)["@graph"]:
        used.setdefault(node["@type"], set()).update(t for t in node if not t.startswith("@"))
    documented = {cls: {term for term, _ in terms} for cls, terms in downloads.TERMS.items()}
    assert used == documented
    page = reference.markdown()
    assert "## Downloads: the competency framework, CTDL-ASN" in page
    assert all(f"<code>{term}</code>" in page for terms in documented.values() for term in terms)
