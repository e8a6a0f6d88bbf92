"""``playbook check``: every problem of every program, as text, JSON or GitHub annotations."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from playbook.commands import progress
from playbook.engine import check_playbook
from playbook.model.problems import Problem, Problems, Severity, github_annotations
from playbook.review import signers


def _as_error(problem: Problem) -> Problem:
    """A warning as an error (``--strict``); a notice stays one: no edit can answer it."""
    if problem.severity is Severity.NOTICE:
        return problem
    return replace(problem, severity=Severity.ERROR)


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    root = Path(args.dir)
    with progress.bar("checking", progress.wanted(args.format)) as tell:
        problems = check_playbook(root, tell, workers=min(4, os.cpu_count() or 1),
                                  notes=signers.notices)
    if args.strict:
        problems = Problems([_as_error(p) for p in problems])
    if args.format == "json":
        print(problems.to_json())
    elif args.format == "github":
        if len(problems):
            print(github_annotations(problems))
    else:
        if len(problems):
            print(problems.render())
        errors, warnings = len(problems.errors), len(problems.warnings)
        verdict = "ok" if not errors else "failed"
        notices = f", {len(problems.notices)} notice(s)" if problems.notices else ""
        print(f"playbook check {verdict}: {errors} error(s), {warnings} warning(s){notices}",
              file=sys.stderr)
    return 1 if problems.errors else 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("check", help="check every program; exit 1 on errors")
    p.add_argument("dir", nargs="?", default=".", help="playbook folder (default: .)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--format", choices=["text", "json", "github"], default="text",
                   help="github: annotations shown on a pull request's diff")
    p.set_defaults(func=run)
