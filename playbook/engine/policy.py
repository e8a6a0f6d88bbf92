"""The publishing policy: what blocks, in each place the monthly cycle passes through.

One function, :func:`blocking`, answers for every caller: ``playbook check``
(pre-commit, the pull-request check, ``--for deploy`` before ``mike``, and
``--strict``), the MkDocs build and the preview. Errors block everywhere;
findings and pending items are shown everywhere and block only a deploy the
policy in ``playbook.yml`` (``publish:``) asks it of, or ``--strict``.
"""

from __future__ import annotations

from pathlib import Path

from playbook.load import loader
from playbook.model.findings import PendingCode
from playbook.model.problems import Problem, Problems
from playbook.model.settings import Context, Publish

SIGNOFF_CODES = frozenset({PendingCode.SIGNOFF_STALE, PendingCode.SIGNOFF_MISSING,
                           PendingCode.SIGNOFF_UNVERIFIABLE})
"""The pending items that a policy's ``require_signoffs`` turns into blockers."""


__all__ = ["SIGNOFF_CODES", "Context", "blocking", "publish_policy"]


def blocking(problems: Problems, policy: Publish, context: Context) -> list[Problem]:
    """The problems that stop ``context`` under ``policy``, in file order.

    Args:
        problems: Every problem of the playbook (acknowledgements applied).
        policy: ``publish:`` from ``playbook.yml``.
        context: Where the playbook is being checked or built.

    Returns:
        Errors always; for :attr:`Context.CLEAN` every finding and pending item
        too; for :attr:`Context.DEPLOY` the findings when they must be
        acknowledged, and each missing or stale sign-off of a role the policy
        requires. An acknowledged finding never blocks.
    """
    out = list(problems.errors)
    if context is Context.CLEAN:
        out += problems.findings + problems.pending
    elif context is Context.DEPLOY:
        if policy.findings_must_be_acknowledged:
            out += problems.findings
        out += [p for p in problems.pending
                if p.code in SIGNOFF_CODES and p.role in policy.require_signoffs]
    return Problems(out).sorted()


def publish_policy(root: Path) -> Publish:
    """``publish:`` of ``playbook.yml`` under ``root`` (the default when the file is
    missing or wrong: its errors are among the problems, and block by themselves)."""
    return loader.load_settings(root)[0].publish
