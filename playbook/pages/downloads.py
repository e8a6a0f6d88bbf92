"""Each program's downloads in open formats, written beside its pages.

The competency matrix as a CTDL-ASN competency framework (JSON-LD in the
Credential Engine's vocabulary, so a talent or learning system can import it)
and the figures as the JSON ``playbook report`` prints. Both are built from the
same :class:`~playbook.figures.site.ProgramView` the pages render.

In the framework each behaviour is a top-level ``ceasn:Competency``; each of its
success criteria is a child competency at an ``asn:ProgressionLevel`` of the
framework's ``asn:ProgressionModel`` (one level per role level, in order), so
the matrix's rows, columns and cells all survive the export. Every node carries a
``ceterms:ctid`` derived from the program's and the competency's ids, so a
re-export updates the same records in a registry instead of adding new ones. The
terms used, by class, are listed in :data:`TERMS` and on the format reference.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from playbook.model.choices import ProgramStatus
from playbook.model.parts import Competencies
from playbook.pages.mdtext import Md, code, fmt, heading, labels, lines, table, text

if TYPE_CHECKING:  # types only: `playbook check` loads the format reference without them
    from playbook.figures.site import ProgramView, SiteData

CONTEXT: Final = "https://credreg.net/ctdlasn/schema/context/json"
"""The Credential Engine's JSON-LD context of CTDL-ASN."""
LANGUAGE: Final = "en"
"""Language of every text in the framework (the language map key)."""
CTID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "urn:playbook:ctdl-asn")
"""The fixed namespace of the framework's name-based CTIDs; changing it renames every node."""
FRAMEWORK_FILE: Final = "downloads/competencies.jsonld"
"""The framework's path, relative to the program's folder of pages."""
FIGURES_FILE: Final = "downloads/figures.json"
"""The figures' path, relative to the program's folder of pages."""


TERMS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "ceasn:CompetencyFramework": (
        ("ceterms:ctid", "its CTID"),
        ("ceasn:name", "the program's title and \"competency matrix\""),
        ("ceasn:description", "the program's summary"),
        ("ceasn:inLanguage", "en"),
        ("ceasn:publicationStatusType", "Draft for a draft program, else Published"),
        ("ceterms:versionCode", "the program's version"),
        ("asn:hasProgressionModel", "the role levels' progression model"),
        ("ceasn:hasTopChild", "each behaviour, in the file's order")),
    "asn:ProgressionModel": (
        ("ceterms:ctid", "its CTID"),
        ("ceasn:name", "\"Role levels of\" and the program's title"),
        ("ceasn:description", "what the levels are"),
        ("skos:hasTopConcept", "each role level")),
    "asn:ProgressionLevel": (
        ("ceterms:ctid", "its CTID"),
        ("skos:prefLabel", "the level's column heading in the matrix"),
        ("skos:notation", "the level as competencies.yml names it"),
        ("ceasn:inProgressionModel", "the progression model"),
        ("skos:topConceptOf", "the progression model"),
        ("ceterms:precedes", "the next more senior level (none on the last)"),
        ("ceterms:precededBy", "the next more junior level (none on the first)")),
    "ceasn:Competency": (
        ("ceterms:ctid", "its CTID"),
        ("ceasn:competencyLabel", "a behaviour's id (behaviours only)"),
        ("ceasn:competencyText", "the behaviour's text, or the criterion's"),
        ("ceasn:inLanguage", "en"),
        ("ceasn:comment", "a behaviour's evidence; a criterion's level in words"),
        ("ceasn:isPartOf", "the framework"),
        ("ceasn:isTopChildOf", "the framework (behaviours only)"),
        ("ceasn:hasChild", "a behaviour's criteria, one per level it defines"),
        ("ceasn:isChildOf", "a criterion's behaviour"),
        ("asn:hasProgressionLevel", "a criterion's role level")),
}
"""Every term the framework uses, by class, with what it carries (the format reference)."""


@dataclass(frozen=True)
class Download:
    """One generated file, relative to ``docs/``."""

    path: str
    """Where the file is written, relative to ``docs/`` (``/`` separated)."""
    content: str
    """The file's text."""


def _lang(value: str) -> dict[str, str]:
    return {LANGUAGE: value}


def level_name(level: str) -> str:
    """A role level's name as the competency matrix heads its column."""
    return level.replace("-", " ").capitalize()


def ctid(program: str, *parts: str) -> str:
    """The Credential Engine identifier of one node of a program's framework.

    ``ce-`` and a UUID of the program's id and the node's path: the same program and
    competency ids give the same CTID in every build, on every machine, and two
    programs never share one. Its bits are the name-based UUID's (version 5, SHA-1 of
    the name) with the version field set to 4: Credential Engine's CTID page asks for
    "a standard UUID v4 prefixed with ce-", and a hash is as unpredictable as random.
    """
    name = uuid.uuid5(CTID_NAMESPACE, "/".join((program, *parts)))
    return f"ce-{uuid.UUID(bytes=name.bytes, version=4)}"


def competency_framework(view: ProgramView) -> dict[str, Any] | None:
    """The program's competency matrix as a CTDL-ASN framework, or ``None`` without one."""
    program, comp = view.bundle.program, view.bundle.competencies
    if program is None or comp is None:
        return None
    base = f"urn:playbook:{view.id}"
    framework, model = f"{base}:framework", f"{base}:progression-model"
    levels = {lvl: f"{base}:level:{lvl}" for lvl in comp.levels}
    # single values the registry's schemas want as arrays (isPartOf, isChildOf,
    # publicationStatusType) are arrays; the graph has an @id, as every published one must
    graph: list[dict[str, Any]] = [{
        "@id": framework, "@type": "ceasn:CompetencyFramework",
        "ceterms:ctid": ctid(view.id, "framework"),
        "ceasn:name": _lang(f"{program.title}: competency matrix"),
        "ceasn:description": _lang(" ".join(program.summary.split())),
        "ceasn:inLanguage": [LANGUAGE],
        "ceasn:publicationStatusType": ["publicationStatus:Published"
                                        if program.status is not ProgramStatus.DRAFT
                                        else "publicationStatus:Draft"],
        "ceterms:versionCode": program.version,
        "asn:hasProgressionModel": model,
        "ceasn:hasTopChild": [f"{base}:behavior:{b.id}" for b in comp.behaviors],
    }, {
        "@id": model, "@type": "asn:ProgressionModel",
        "ceterms:ctid": ctid(view.id, "progression-model"),
        "ceasn:name": _lang(f"Role levels of {program.title}"),
        "ceasn:description": _lang("Role levels, from first-line to most senior."),
        "skos:hasTopConcept": list(levels.values()),
    }]
    graph.extend(_levels(view.id, model, levels))
    graph.extend(_competencies(view.id, comp, base, framework, levels))
    return {"@context": CONTEXT, "@id": f"{base}:graph", "@graph": graph}


def _levels(program: str, model: str, levels: dict[str, str]) -> list[dict[str, Any]]:
    """The role levels as progression levels, their order kept in both directions."""
    # a level belongs to its model by ceasn:inProgressionModel, not skos:inScheme, and
    # has no ceasn:listID (a competency's term): Credential Engine rejects both on a level
    iris = list(levels.values())
    out: list[dict[str, Any]] = []
    for i, (lvl, iri) in enumerate(levels.items()):
        node: dict[str, Any] = {
            "@id": iri, "@type": "asn:ProgressionLevel",
            "ceterms:ctid": ctid(program, "level", lvl),
            "skos:prefLabel": _lang(level_name(lvl)), "skos:notation": lvl,
            "ceasn:inProgressionModel": model, "skos:topConceptOf": model}
        # both directions: the CTDL encoding declares precededBy the inverse of precedes
        if i + 1 < len(iris):
            node["ceterms:precedes"] = iris[i + 1]
        if i > 0:
            node["ceterms:precededBy"] = iris[i - 1]
        out.append(node)
    return out


def _competencies(program: str, comp: Competencies, base: str, framework: str,
                  levels: dict[str, str]) -> list[dict[str, Any]]:
    """Each behaviour, then its criteria as children at their progression levels."""
    out: list[dict[str, Any]] = []
    for b in comp.behaviors:
        iri = f"{base}:behavior:{b.id}"
        criteria = [(lvl, b.criteria[lvl]) for lvl in comp.levels if lvl in b.criteria]
        behaviour: dict[str, Any] = {
            "@id": iri, "@type": "ceasn:Competency",
            "ceterms:ctid": ctid(program, "behavior", b.id),
            "ceasn:competencyLabel": _lang(b.id),
            "ceasn:competencyText": _lang(b.text), "ceasn:inLanguage": [LANGUAGE],
            "ceasn:isPartOf": [framework], "ceasn:isTopChildOf": framework,
            "ceasn:hasChild": [f"{iri}:{lvl}" for lvl, _ in criteria]}
        if b.evidence:
            behaviour["ceasn:comment"] = _lang(f"Evidence: {b.evidence}")
        out.append(behaviour)
        out.extend({"@id": f"{iri}:{lvl}", "@type": "ceasn:Competency",
                    "ceterms:ctid": ctid(program, "behavior", b.id, lvl),
                    "ceasn:competencyText": _lang(criterion), "ceasn:inLanguage": [LANGUAGE],
                    "ceasn:isPartOf": [framework], "ceasn:isChildOf": [iri],
                    "asn:hasProgressionLevel": levels[lvl], "ceasn:comment": _lang(
                        f"Success criterion for the {level_name(lvl).lower()} level")}
                   for lvl, criterion in criteria)
    return out


def figures(view: ProgramView) -> dict[str, object]:
    """The program's figures, as ``playbook report`` prints them."""
    # imported here: the format reference imports this module, and `playbook check` in a
    # pre-commit hook must start without the statistics stack the figures import
    from playbook.figures.program import to_jsonable

    return to_jsonable(view.figures)


def _text(data: object) -> str:
    # compact: an indented dump runs in pure Python, five times slower than this one, and
    # a long series has thousands of points (a browser shows either one laid out)
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


def files(site: SiteData, programs_dir: str) -> list[Download]:
    """Every program's downloads, under ``<programs_dir>/<id>/``."""
    out = []
    for view in site.programs:
        folder = f"{programs_dir}/{view.id}"
        framework = competency_framework(view)
        if framework is not None:
            out.append(Download(f"{folder}/{FRAMEWORK_FILE}", _text(framework)))
        out.append(Download(f"{folder}/{FIGURES_FILE}", _text(figures(view))))
    return out


def links(view: ProgramView) -> Md:
    """The download links of a program's page, relative to the program's folder."""
    # the targets are literals of the templates: no user value reaches a link target
    figures_link = Md("[Figures](downloads/figures.json) (JSON, as `playbook report` prints "
                      "them)")
    if view.bundle.competencies is None:
        return fmt("**Downloads:** {}\n", figures_link)
    return fmt("**Downloads:** [Competency framework](downloads/competencies.jsonld) "
               "(CTDL-ASN JSON-LD) · {}\n", figures_link)


def markdown() -> Md:
    """The format reference's section on the competency framework download."""
    out = [heading(2, "Downloads: the competency framework, CTDL-ASN"), fmt(
        "A program with a competency matrix gets {} beside its pages: the matrix as a "
        "competency framework in CTDL-ASN, the Credential Engine's vocabulary for "
        "competencies, as JSON-LD with the context {}. Each behaviour is a top competency of "
        "the framework; each of its success criteria is a child competency at the "
        "progression level of its role level, so rows, columns and cells all survive.\n",
        code(FRAMEWORK_FILE), code(CONTEXT)), fmt(
        "Every node has a {}: {} and a UUID of the program's id and the node's path ({}, "
        "{}, {}, {}, {}), hashed as a version-5 UUID in a fixed namespace and written in "
        "the version-4 form Credential Engine's CTIDs take. A rebuild or another machine "
        "gives the same CTIDs, so a registry updates its records instead of adding new "
        "ones; renaming a program, a behaviour or a level gives new ones. The graph's and "
        "each node's {} is a {} name; a publisher gives registry URLs when it publishes. "
        "The terms, their classes and their value shapes are those of Credential Engine's "
        "published CTDL-ASN encoding, context and registry schemas, which a test checks "
        "the export against.\n",
        code("ceterms:ctid"), code("ce-"), code("framework"), code("progression-model"),
        code("level/<level>"), code("behavior/<id>"), code("behavior/<id>/<level>"),
        code("@id"), code("urn:playbook:"))]
    for cls, terms in TERMS.items():
        out.append(heading(3, cls))
        out.append(fmt("{}\n", table(labels("Term", "Value"),
                                      [[code(term), text(value)] for term, value in terms])))
    return lines(out)
