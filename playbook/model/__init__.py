"""The program model: one pydantic class per file of the format."""

from __future__ import annotations

from pydantic import BaseModel

from playbook.model.measure import Ai, Kpis
from playbook.model.money import Budget, Vendors
from playbook.model.parts import Competencies, Reviews, Roadmap
from playbook.model.program import Program

FILES: dict[str, type[BaseModel]] = {
    "program": Program,
    "competencies": Competencies,
    "roadmap": Roadmap,
    "vendors": Vendors,
    "kpis": Kpis,
    "budget": Budget,
    "reviews": Reviews,
    "ai": Ai,
}
"""File stem → model of that file, in the order the site presents them."""

__all__ = ["FILES", "Ai", "Budget", "Competencies", "Kpis", "Program", "Reviews", "Roadmap",
           "Vendors"]
