"""The ``playbook`` command: check, schema, new (and more as the engine grows)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

from playbook.commands import scaffold
from playbook.engine import load_playbook, today_from_env
from playbook.model import schema
from playbook.model.base import ROLES
from playbook.model.problems import Problem, Problems, Severity, github_annotations
from playbook.pages import reference


def _check(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    _, problems = load_playbook(root)
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
        print(f"playbook check {verdict}: {errors} error(s), {warnings} warning(s)",
              file=sys.stderr)
    return 1 if problems.errors else 0


def _as_error(problem: Problem) -> Problem:
    return replace(problem, severity=Severity.ERROR)


FORMAT_FILE = "format.md"
"""The format reference written beside the schemas, readable in the repository."""


def _format_reference() -> str:
    # the site page without its front matter: the same text, generated from the model
    return reference.markdown().split("---\n", 2)[2].lstrip("\n")


def _schema(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.check:
        changed = schema.stale(out)
        ref = out / FORMAT_FILE
        if not ref.is_file() or ref.read_text(encoding="utf-8") != _format_reference():
            changed.append(FORMAT_FILE)
        for name in changed:
            print(f"{(out / name).as_posix()}: stale; run 'playbook schema'", file=sys.stderr)
        return 1 if changed else 0
    for path in schema.write(out):
        print(path.as_posix())
    (out / FORMAT_FILE).write_text(_format_reference(), encoding="utf-8")
    print((out / FORMAT_FILE).as_posix())
    return 0


def _new(args: argparse.Namespace) -> int:
    try:
        start = date.fromisoformat(args.start) if args.start else date.today()
    except ValueError:
        print(f"playbook new: --start '{args.start}' is not a date YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        written = scaffold.new_program(Path(args.dir), args.program_id, start)
    except scaffold.ScaffoldError as exc:
        print(f"playbook new: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path.as_posix())
    return 0


def _day(value: str | None, command: str) -> date | None:
    """``value`` as a date (else the build date); ``None`` after printing why not."""
    try:
        return date.fromisoformat(value) if value else today_from_env()
    except ValueError as exc:
        print(f"playbook {command}: bad date: {exc}", file=sys.stderr)
        return None


def _report(args: argparse.Namespace) -> int:
    from playbook.commands import report

    today = _day(args.today, "report")
    if today is None:
        return 2
    code, text = report.run(Path(args.dir), args.program_id, today)
    print(text, file=sys.stdout if code == 0 else sys.stderr)
    return code


def _pages(args: argparse.Namespace) -> int:
    from playbook import engine as site
    from playbook.pages import reference
    from playbook.pages import site_pages as pages

    today = _day(args.today, "pages")
    if today is None:
        return 2
    data, problems = site.build(Path(args.dir), today)
    if data is None:
        print(Problems(problems.errors).render(), file=sys.stderr)
        return 1
    generated = pages.generate(data)
    generated.append(pages.Page(reference.PATH, "Format reference", reference.markdown()))
    for path in pages.write(generated, Path(args.out)):
        print(path.as_posix())
    return 0


def _sign(args: argparse.Namespace) -> int:
    from playbook.review import sign as signoff

    day = _day(args.date, "sign")
    if day is None:
        return 2
    try:
        entry = signoff.sign(Path(args.dir), args.program_id, args.role, args.name, day)
    except signoff.SignError as exc:
        print(f"playbook sign: {exc}", file=sys.stderr)
        return 1
    print(f"signed {args.program_id} {entry['version']} as {entry['role']} "
          f"({entry['name']}, {entry['date']}): {entry['digest']}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from playbook.review import diff

    root = Path(args.dir)
    try:
        before, bad_before = diff.snapshot_at(root, args.base)
        after, bad_after = diff.snapshot_at(root, args.head)
    except diff.DiffError as exc:
        print(f"playbook diff: {exc}", file=sys.stderr)
        return 2
    if bad_before or bad_after:
        print(Problems([*bad_before, *bad_after]).render(), file=sys.stderr)
        return 1
    changes = diff.compare(before, after)
    stale = diff.stale_signoffs(before, after)
    if args.format == "json":
        print(json.dumps({"changes": [asdict(c) for c in changes],
                          "stale_signoffs": [{"program": p, **e} for p, e in stale]},
                         indent=2, ensure_ascii=False, default=str))
    else:
        print(diff.markdown(changes, stale), end="")
    return 0


def _codeowners(args: argparse.Namespace) -> int:
    from playbook.review import codeowners

    playbook, problems = load_playbook(Path(args.dir))
    if problems.errors:
        print(Problems(problems.errors).render(), file=sys.stderr)
        return 1
    try:
        text = codeowners.render(playbook)
    except codeowners.CodeownersError as exc:
        print(f"playbook codeowners: {exc}", file=sys.stderr)
        return 1
    print(text, end="")
    return 0


def parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used to document the CLI)."""
    top = argparse.ArgumentParser(prog="playbook", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check every program; exit 1 on errors")
    p.add_argument("dir", nargs="?", default=".", help="playbook folder (default: .)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--format", choices=["text", "json", "github"], default="text",
                   help="github: annotations shown on a pull request's diff")
    p.set_defaults(func=_check)

    p = sub.add_parser("schema", help="write schema/*.schema.json and schema/format.md "
                       "(the format reference) from the model")
    p.add_argument("--out", default="schema", help="output folder (default: schema)")
    p.add_argument("--check", action="store_true", help="exit 1 when the files are stale")
    p.set_defaults(func=_schema)

    p = sub.add_parser("new", help="scaffold a valid program folder")
    p.add_argument("program_id", metavar="PROGRAM-ID")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--start", help="day 0 of the program, YYYY-MM-DD (default: today)")
    p.set_defaults(func=_new)

    p = sub.add_parser("report", help="print every computed figure of one program")
    p.add_argument("program_id", metavar="PROGRAM")
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--today", help="compute as of YYYY-MM-DD (default: $PLAYBOOK_TODAY "
                   "or today)")
    p.set_defaults(func=_report)

    p = sub.add_parser("pages", help="write the generated Markdown pages without MkDocs")
    p.add_argument("--out", required=True, help="folder to write the pages into")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--today", help="status as of YYYY-MM-DD (default: $PLAYBOOK_TODAY "
                   "or today)")
    p.set_defaults(func=_pages)

    p = sub.add_parser("sign", help="sign off a program as it is now (appends to program.yml)")
    p.add_argument("program_id", metavar="PROGRAM")
    p.add_argument("--role", required=True, choices=ROLES, help="the stakeholder role signing")
    p.add_argument("--name", help="who signs (default: the person named for the role)")
    p.add_argument("--date", help="date of the sign-off, YYYY-MM-DD (default: today)")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=_sign)

    p = sub.add_parser("diff", help="what changed in meaning between two revisions")
    p.add_argument("--base", default="HEAD", help="git revision to compare from (default: HEAD)")
    p.add_argument("--head", help="git revision to compare to (default: the work tree)")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.set_defaults(func=_diff)

    p = sub.add_parser("codeowners", help="print CODEOWNERS lines from the stakeholders")
    p.add_argument("--dir", default=".", help="playbook folder (default: .)")
    p.set_defaults(func=_codeowners)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
