"""``playbook check``: every problem of every program, as text, JSON or GitHub annotations.

Errors, findings and pending items are all shown; what makes the command exit 1
is the publishing policy's answer for the place it runs in (``--for``), or
``--strict``: every finding and pending item not acknowledged.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from playbook.commands import progress
from playbook.engine import SIGNOFF_CODES, Context, blocking, check_playbook, publish_policy
from playbook.model.problems import Problems, Severity, github_annotations
from playbook.review import signers

CONTEXTS = tuple(c.value for c in Context if c is not Context.CLEAN)
"""The places ``--for`` names (``--strict`` is the clean one)."""


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    root = Path(args.dir)
    policy = publish_policy(Path(args.policy_from) if args.policy_from else root)
    with progress.bar("checking", progress.wanted(args.format)) as tell:
        problems = check_playbook(root, tell, workers=min(4, os.cpu_count() or 1),
                                  notes=signers.notices, policy=policy)
    context = Context.CLEAN if args.strict else Context(args.context)
    blockers = blocking(problems, policy, context)
    if context is Context.SIGNOFF:  # the status shows every sign-off still to give
        problems = Problems([p for p in problems.pending if p.code in SIGNOFF_CODES])
    if args.format == "json":
        payload = json.loads(problems.to_json())
        payload = {"context": context.value, "blocking": len(blockers), **payload}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    elif args.format == "github":
        if len(problems):
            print(github_annotations(problems, set(blockers)))
    else:
        if len(problems):
            print(problems.render())
        verdict = "failed" if blockers else "ok"
        extra = sum(1 for p in blockers if p.severity is not Severity.ERROR)
        held = f" ({extra} more blocking {context.value})" if extra else ""
        print(f"playbook check {verdict}: {problems.counts()}{held}", file=sys.stderr)
    return 1 if blockers else 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("check", help="check every program; exit 1 on what blocks")
    p.add_argument("dir", nargs="?", default=".", help="playbook folder (default: .)")
    p.add_argument("--for", dest="context", choices=CONTEXTS, default=Context.BUILD.value,
                   help="where the check runs: deploy also applies playbook.yml's publish "
                        "policy; signoff is the pull request's sign-off status, which only "
                        "the sign-offs the policy requires hold (default: build, which only "
                        "errors block)")
    p.add_argument("--strict", action="store_true",
                   help="also fail on every finding and pending item not acknowledged")
    p.add_argument("--policy-from", metavar="DIR",
                   help="judge by the publishing policy in DIR's playbook.yml (the pull "
                        "request's sign-off status reads the base revision's)")
    p.add_argument("--format", choices=["text", "json", "github"], default="text",
                   help="github: annotations shown on a pull request's diff")
    p.set_defaults(func=run)
