"""What is still to do once a pull request merges: its pending items, for the comment.

A change of the publishing policy itself (``publish:`` in ``playbook.yml``) is
said first: it changes what every program must meet before it is published.

The pull request's check passes on a playbook without errors and its preview
is always built; what people still have to do is a status of its own (the
``sign-offs`` check, ``playbook check --for signoff``). The review comment says
the same in words: each pending item of the head (a sign-off missing, stale or
unverifiable, a review overdue), with the sign-offs the publishing policy
requires marked, since those hold the sign-off status and a deploy of main.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from playbook.engine import SIGNOFF_CODES
from playbook.model.problems import Problem
from playbook.model.settings import Publish
from playbook.pages.mdtext import Md, cat, fmt, labels, lines, table, words
from playbook.review.quoted import cell, code


def held(p: Problem, required: Collection[str]) -> bool:
    """Whether ``p`` holds the sign-off status: a sign-off of a role the policy requires."""
    return p.code in SIGNOFF_CODES and p.role in required


def to_json(pending: Sequence[Problem], required: Collection[str]) -> list[dict[str, Any]]:
    """The pending items as ``playbook diff --format json`` gives them."""
    return [{"code": p.code, "path": p.path, "line": p.line, "field": p.field,
             "message": p.message, "role": p.role, "required": held(p, required)}
            for p in pending]


def markdown(pending: Sequence[Problem], required: Collection[str]) -> Md:
    """The comment's part on what is pending at the head; empty when nothing is.

    Args:
        pending: The head's pending items, in file order.
        required: Roles whose sign-offs the publishing policy requires.
    """
    waiting = sum(1 for p in pending if held(p, required))
    if not pending:
        return Md("")
    if waiting:
        lead = fmt("{} item(s) pending; the sign-off status waits for the {} the publishing "
                   "policy requires (marked).", cell(len(pending)), cell(waiting))
    else:
        lead = fmt("{} item(s) pending; the publishing policy requires none of them, so "
                   "the sign-off status passes and they are shown on the site.",
                   cell(len(pending)))
    rows = [[code(p.code), code(f"{p.path}:{p.line}"), cell(p.message),
             words("yes") if held(p, required) else words("no")] for p in pending]
    return lines([Md("### Pending\n"), cat(lead, Md("\n")),
                  table(labels("Code", "Where", "What", "Required"), rows), Md("")])


def _roles(roles: Collection[str]) -> Md:
    return cell(", ".join(roles) or "none")


def policy_markdown(base: Publish, head: Publish) -> Md:
    """The comment's part on a changed publishing policy; empty when it did not change."""
    if base == head:
        return Md("")
    rows = []
    if base.require_signoffs != head.require_signoffs:
        rows.append([code("require_signoffs"), _roles(base.require_signoffs),
                     _roles(head.require_signoffs)])
    if base.findings_must_be_acknowledged != head.findings_must_be_acknowledged:
        rows.append([code("findings_must_be_acknowledged"),
                     cell(str(base.findings_must_be_acknowledged).lower()),
                     cell(str(head.findings_must_be_acknowledged).lower())])
    return lines([
        Md("### Publishing policy\n"),
        words("This change alters what every program must meet before main is published "
              "(publish: in playbook.yml). The sign-offs check of this pull request still "
              "applies the base's policy; the new one applies once merged."),
        Md(""),
        table(labels("Field", "Before", "After"), rows),
        Md(""),
    ])
