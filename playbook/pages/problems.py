"""The page ``mkdocs serve`` shows while the playbook has errors.

A preview server must not hang or stop on a bad edit: it serves this page in
place of every page, listing each problem at its ``file:line:column``, and
the next save that fixes the files brings the playbook back.
"""

from __future__ import annotations

from playbook.model.problems import Problems
from playbook.pages.mdtext import Md, cat, cell, fmt, front_matter, labels, table, text

PROBLEMS_PAGE = "programs/index.md"
"""Where the problems page sits: the portfolio's place in the nav."""


def problems_body(problems: Problems) -> Md:
    """The problems as Markdown, every value escaped (no front matter)."""
    errors = problems.errors
    rows = [[cell(f"{p.path}:{p.line}:{p.column}"), cell(p.field or None), cell(p.message),
             cell(p.hint or None)] for p in errors]
    return fmt(
        "# The playbook has errors\n\n"
        '!!! failure "Nothing was built from the programs"\n'
        "    `playbook check` found {} error(s). Fix them and save: this preview "
        "rebuilds by itself.\n\n{}\n",
        len(errors), table(labels("Where", "Field", "Problem", "Fix"), rows))


def problems_page(problems: Problems) -> Md:
    """The whole page, with front matter that keeps it away from any template engine."""
    return cat(front_matter("Errors"), problems_body(problems))


def program_problems_page(program_id: str, errors: Problems) -> Md:
    """The page shown in place of one program with errors; the others are built."""
    rows = [[cell(f"{p.path}:{p.line}:{p.column}"), cell(p.field or None), cell(p.message),
             cell(p.hint or None)] for p in errors.sorted()]
    return cat(front_matter(f"{program_id}: errors"), fmt(
        "# {}: errors\n\n"
        '!!! failure "Nothing was built from this program"\n'
        "    `playbook check` found {} error(s) in its files. The other programs are "
        "built; fix these and save: this preview rebuilds by itself.\n\n{}\n",
        text(program_id), len(errors), table(labels("Where", "Field", "Problem", "Fix"), rows)))
