"""The pages of a program, named once: file, nav title and the overview's short title.

:mod:`playbook.pages.site_pages` pairs each with its renderer; the overview
links to them by their short titles. Data only, so every page module may read it.
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


SECTIONS: Final = (
    Section("index.md", "Overview", "Overview"),
    Section("strategy.md", "Strategy and logic chain", "Strategy"),
    Section("competencies.md", "Competency matrix", "Competencies"),
    Section("roadmap.md", "Roadmap", "Roadmap"),
    Section("people.md", "Stakeholders and RACI", "Stakeholders"),
    Section("vendors.md", "Vendors", "Vendors"),
    Section("measurement.md", "Measurement", "Measurement"),
    Section("budget.md", "Budget and ROI", "Budget and ROI"),
    Section("reviews.md", "Reviews", "Reviews"),
)
"""Every program page, in nav order."""
PACKET: Final = "print.md"
"""The page that holds every section of a program, to print as one document."""
