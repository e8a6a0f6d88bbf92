"""``playbook diff``: what changed in meaning between two revisions, and whose sign-off it voids.

``playbook diff BASE [HEAD]`` (or ``--base``/``--head``): the definition's
changed values (:mod:`playbook.review.diff`), what they mean for a signer
(:mod:`playbook.review.impact`), the sign-offs added or removed with the commits
git names for them (:mod:`playbook.review.signers`), the data part
(:mod:`playbook.review.datadiff`), who may sign for whom
(:mod:`playbook.review.keyring`) and what is still pending at the head
(:mod:`playbook.review.pending`), as the Markdown of a pull-request comment or as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from playbook.commands.common import day_option
from playbook.model.problems import Problem, Problems, Severity, UsageError


def _revisions(args: argparse.Namespace) -> tuple[str, str | None]:
    """Base and head from the positional revisions or the options, never both."""
    if args.base_rev is not None and args.base is not None:
        raise UsageError("give the base revision once: BASE or --base, not both")
    if args.head_rev is not None and args.head is not None:
        raise UsageError("give the head revision once: HEAD or --head, not both")
    base = args.base_rev if args.base_rev is not None else args.base
    head = args.head_rev if args.head_rev is not None else args.head
    return base or "HEAD", head


def _errors(files: Sequence[Problem], loaded: Sequence[Problem]) -> list[Problem]:
    """The errors of one side: its program files' own, then the loader's and checks',
    each once."""
    out = [p for p in files if p.severity is Severity.ERROR]
    seen = {str(p) for p in out}
    return [*out, *(p for p in loaded if str(p) not in seen)]


def _refused(sides: Sequence[tuple[str, list[Problem]]]) -> bool:
    """Print each side's errors; whether there were any (then nothing is compared)."""
    for name, errors in sides:
        if errors:
            print(f"errors at the {name}:\n{Problems(errors).render()}", file=sys.stderr)
    return any(errors for _, errors in sides)


def _policy_json(base: BaseModel, head: BaseModel) -> dict[str, Any] | None:
    """Both sides' publishing policies when the change moves it, else None."""
    return None if base == head else {"base": base.model_dump(), "head": head.model_dump()}


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    # imported here: every other verb (`playbook check` in a pre-commit hook) starts faster
    from playbook.review import (
        comment,
        contractdiff,
        datadiff,
        diff,
        git,
        impact,
        keyring,
        pending,
        signers,
        snapshots,
    )
    from playbook.review.sides import read_sides

    root = Path(args.dir)
    base, head = _revisions(args)
    before, bad_before = snapshots.snapshot_at(root, base)
    after, bad_after = snapshots.snapshot_at(root, head)
    old, new = read_sides(root, base, head, day_option(args.today))
    # each side is judged as a build would judge it: the same errors as `playbook check`
    if _refused([(f"base {base}", _errors(bad_before, old.problems.errors)),
                 (f"head {head or '(work tree)'}", _errors(bad_after, new.problems.errors))]):
        return 1
    changes = [*diff.compare(before, after),
               *contractdiff.compare(root, base, head, sorted(set(before) | set(after)))]
    stale = diff.stale_signoffs(before, after)
    late = diff.late_forecasts(changes, after, day_option(args.today))
    signoffs = signers.moves(root, base, head, before, after)
    data = datadiff.compare(old, new)
    impacts = impact.compare(old, new, {(s.program, s.kpi) for s in data.series})
    head_keys = keyring.keys_at(root, head)
    keys = keyring.compare(keyring.keys_at(root, base), head_keys, before, after)
    waiting = new.problems.pending
    policy = (old.playbook.settings.publish, new.playbook.settings.publish)
    required = policy[1].require_signoffs
    if args.format == "json":
        print(json.dumps({"base": git.resolve(root, base),
                          "head": git.resolve(root, head) if head is not None else None,
                          "changes": [asdict(c) for c in changes],
                          "impact": [impact.to_json(i) for i in impacts],
                          "stale_signoffs": [{"program": p, **e} for p, e in stale],
                          "late_forecasts": late,
                          "signoffs": [asdict(m) for m in signoffs],
                          "signers": [asdict(k) for k in keys],
                          "signers_refused": head_keys.refused,
                          "pending": pending.to_json(waiting, required),
                          "policy": _policy_json(*policy), "data": asdict(data)},
                         indent=2, ensure_ascii=False, default=str))
    else:
        print(comment.markdown(changes, stale, impacts, datadiff.markdown(data), signoffs,
                               late), end="")
        for part in (pending.policy_markdown(*policy), keyring.markdown(keys, head_keys),
                     pending.markdown(waiting, required)):
            print(f"\n{part}" if part else "", end="")
    return 1 if args.exit_code and (changes or impacts or data.series or signoffs
                                    or keys or head_keys.refused
                                    or policy[0] != policy[1]) else 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("diff", help="what changed in meaning between two revisions")
    p.add_argument("base_rev", nargs="?", metavar="BASE",
                   help="git revision to compare from (default: HEAD)")
    p.add_argument("head_rev", nargs="?", metavar="HEAD",
                   help="git revision to compare to (default: the work tree)")
    p.add_argument("--base", help="the same as BASE")
    p.add_argument("--head", help="the same as HEAD")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--today", help="KPI figures as of YYYY-MM-DD (default: $PLAYBOOK_TODAY "
                   "or today)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.add_argument("--exit-code", action="store_true",
                   help="exit 1 when anything changed in meaning (as git diff --exit-code); "
                   "errors exit 1 too")
    p.set_defaults(func=run)
