"""Stage 1, model: the program format, one pydantic class per file, and the problem type.

Every field carries its documentation (the JSON Schema and the format
reference are generated from it); :mod:`.problems` is the located problem every
stage reports. Imports nothing else from the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pydantic import BaseModel

from playbook.model.measure import Ai, Kpis
from playbook.model.money import Budget, Vendors
from playbook.model.parts import Competencies, Reviews, Roadmap
from playbook.model.program import Program

FILES: Final[Mapping[str, type[BaseModel]]] = MappingProxyType({
    "program": Program,
    "competencies": Competencies,
    "roadmap": Roadmap,
    "vendors": Vendors,
    "kpis": Kpis,
    "budget": Budget,
    "reviews": Reviews,
    "ai": Ai,
})
"""File stem → model of that file, in the order the site presents them."""

__all__ = ["FILES", "Ai", "Budget", "Competencies", "Kpis", "Program", "Reviews", "Roadmap",
           "Vendors"]
