"""A program's findings, pending items and known limitations, as its overview shows them.

The same problems ``playbook check`` prints for the program's files (the
engine hands them to the view): findings are true facts about the data or
the design, pending items what people still have to do, known limitations
the findings the program acknowledged, with who accepted them, why and until
when. None of them stops the build; the site shows them so readers see them.
"""

from __future__ import annotations

from playbook.figures.site import ProgramView
from playbook.model.base import ROLE_TITLES
from playbook.model.problems import Problem, Problems
from playbook.pages.mdtext import Md, cell, code, fmt, heading, labels, lines, table


def _where(p: Problem) -> Md:
    return code(f"{p.path}:{p.line}" + (f" {p.field}" if p.field else ""))


def _plain(rows: list[Problem]) -> Md:
    return table(labels("Code", "Where", "What", "Advice"),
                 [[code(p.code), _where(p), cell(p.message), cell(p.hint or None)]
                  for p in rows])


def findings_section(view: ProgramView) -> Md:
    """The section, or nothing when the program has no finding, pending item or
    acknowledged finding."""
    problems = Problems(list(view.problems))
    found, pending, known = problems.findings, problems.pending, problems.acknowledged
    if not (found or pending or known):
        return Md("")
    out = [heading(2, "Findings and sign-off status")]
    if found:
        out.append(fmt('!!! warning "{} finding(s)"\n    True facts about the data or the '
                       "design: read the figures with them in mind. A finding never stops "
                       "publishing; acknowledge one in `program.yml` to mark it a known "
                       "limitation.\n\n{}\n", len(found), _plain(found)))
    if pending:
        out.append(fmt('!!! info "Pending: {} item(s)"\n    Sign-offs still to give and '
                       "reviews overdue. The figures are published meanwhile; the "
                       "publishing policy says whether a deploy waits for a sign-off."
                       "\n\n{}\n", len(pending), _plain(pending)))
    if known:
        rows = [[code(p.code), _where(p), cell(p.message),
                 cell(ROLE_TITLES.get(p.acknowledged.role, p.acknowledged.role)),
                 cell(p.acknowledged.until), cell(p.acknowledged.reason)]
                for p in known if p.acknowledged is not None]
        out.append(fmt("### Known limitations\n\nFindings the program acknowledged, each "
                       "until a day; after it, the finding is back.\n\n{}\n",
                       table(labels("Code", "Where", "What", "Accepted by", "Until",
                                    "Reason"), rows)))
    return lines(out)
