"""The pages of a program, named once: file, nav title and the overview's short title.

:mod:`playbook.pages.site_pages` pairs each with its renderer; the overview
links to them by their short titles; the MkDocs plugin's edit button opens
each page's source file. Data only, so every page module may read it.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Section(NamedTuple):
    """One page of every program."""

    file: str
    """File name under ``programs/<id>/``."""
    title: str
    """Title in the navigation and the page's ``<title>``."""
    short: str
    """Link text on the overview page."""
    source: str
    """The program file (stem) the page is mostly rendered from: what an editor edits."""


SECTIONS: Final = (
    Section("index.md", "Overview", "Overview", "program"),
    Section("strategy.md", "Strategy and logic chain", "Strategy", "program"),
    Section("competencies.md", "Competency matrix", "Competencies", "competencies"),
    Section("roadmap.md", "Roadmap", "Roadmap", "roadmap"),
    Section("people.md", "Stakeholders and RACI", "Stakeholders", "program"),
    Section("vendors.md", "Vendors", "Vendors", "vendors"),
    Section("measurement.md", "Measurement", "Measurement", "kpis"),
    Section("budget.md", "Budget and ROI", "Budget and ROI", "budget"),
    Section("reviews.md", "Reviews", "Reviews", "reviews"),
)
"""Every program page, in nav order."""
PACKET: Final = "print.md"
"""The page that holds every section of a program, to print as one document."""
