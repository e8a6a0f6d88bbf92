"""Each program's downloads in open formats, written beside its pages.

The competency matrix as a CTDL-ASN competency framework (JSON-LD in the
Credential Engine's vocabulary, so a talent or learning system can import it)
and the figures as the JSON ``playbook report`` prints. Both are built from the
same :class:`~playbook.figures.site.ProgramView` the pages render.

In the framework each behaviour is a top-level ``ceasn:Competency``; each of its
success criteria is a child competency at an ``asn:ProgressionLevel`` of the
framework's ``asn:ProgressionModel`` (one level per role level, in order), so
the matrix's rows, columns and cells all survive the export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from playbook.figures.program import to_jsonable
from playbook.figures.site import ProgramView, SiteData
from playbook.model.choices import ProgramStatus
from playbook.model.parts import Competencies
from playbook.pages.mdtext import Md, fmt

CONTEXT: Final = "https://credreg.net/ctdlasn/schema/context/json"
"""The Credential Engine's JSON-LD context of CTDL-ASN."""
LANGUAGE: Final = "en"
"""Language of every text in the framework (the language map key)."""
FRAMEWORK_FILE: Final = "downloads/competencies.jsonld"
"""The framework's path, relative to the program's folder of pages."""
FIGURES_FILE: Final = "downloads/figures.json"
"""The figures' path, relative to the program's folder of pages."""


@dataclass(frozen=True)
class Download:
    """One generated file, relative to ``docs/``."""

    path: str
    content: str


def _lang(value: str) -> dict[str, str]:
    return {LANGUAGE: value}


def level_name(level: str) -> str:
    """A role level's name as the competency matrix heads its column."""
    return level.replace("-", " ").capitalize()


def competency_framework(view: ProgramView) -> dict[str, Any] | None:
    """The program's competency matrix as a CTDL-ASN framework, or ``None`` without one."""
    program, comp = view.bundle.program, view.bundle.competencies
    if program is None or comp is None:
        return None
    base = f"urn:playbook:{view.id}"
    framework, model = f"{base}:framework", f"{base}:progression-model"
    levels = {lvl: f"{base}:level:{lvl}" for lvl in comp.levels}
    graph: list[dict[str, Any]] = [{
        "@id": framework, "@type": "ceasn:CompetencyFramework",
        "ceasn:name": _lang(f"{program.title}: competency matrix"),
        "ceasn:description": _lang(" ".join(program.summary.split())),
        "ceasn:inLanguage": [LANGUAGE],
        "ceasn:publicationStatusType": "publicationStatus:Published"
        if program.status is not ProgramStatus.DRAFT else "publicationStatus:Draft",
        "ceasn:versionCode": program.version,
        "asn:hasProgressionModel": model,
        "ceasn:hasTopChild": [f"{base}:behavior:{b.id}" for b in comp.behaviors],
    }, {
        "@id": model, "@type": "asn:ProgressionModel",
        "ceasn:name": _lang(f"Role levels of {program.title}"),
        "ceasn:description": _lang("Role levels, from first-line to most senior."),
        "skos:hasTopConcept": list(levels.values()),
    }]
    graph.extend({"@id": iri, "@type": "asn:ProgressionLevel",
                  "skos:prefLabel": _lang(level_name(lvl)), "skos:notation": lvl,
                  "skos:inScheme": model, "ceasn:listID": str(i + 1)}
                 for i, (lvl, iri) in enumerate(levels.items()))
    graph.extend(_competencies(comp, base, framework, levels))
    return {"@context": CONTEXT, "@graph": graph}


def _competencies(comp: Competencies, base: str, framework: str,
                  levels: dict[str, str]) -> list[dict[str, Any]]:
    """Each behaviour, then its criteria as children at their progression levels."""
    out: list[dict[str, Any]] = []
    for b in comp.behaviors:
        iri = f"{base}:behavior:{b.id}"
        criteria = [(lvl, b.criteria[lvl]) for lvl in comp.levels if lvl in b.criteria]
        behaviour: dict[str, Any] = {
            "@id": iri, "@type": "ceasn:Competency", "ceasn:competencyLabel": _lang(b.id),
            "ceasn:competencyText": _lang(b.text), "ceasn:isPartOf": framework,
            "ceasn:isTopChildOf": framework,
            "ceasn:hasChild": [f"{iri}:{lvl}" for lvl, _ in criteria]}
        if b.evidence:
            behaviour["ceasn:comment"] = {LANGUAGE: [f"Evidence: {b.evidence}"]}
        out.append(behaviour)
        out.extend({"@id": f"{iri}:{lvl}", "@type": "ceasn:Competency",
                    "ceasn:competencyText": _lang(criterion), "ceasn:isPartOf": framework,
                    "ceasn:isChildOf": iri, "asn:hasProgressionLevel": levels[lvl],
                    "ceasn:comment": {LANGUAGE: [
                        f"Success criterion for the {level_name(lvl).lower()} level"]}}
                   for lvl, criterion in criteria)
    return out


def figures(view: ProgramView) -> dict[str, object]:
    """The program's figures, as ``playbook report`` prints them."""
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
