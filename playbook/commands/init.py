"""``playbook init``: a new playbook repository that checks clean, builds strictly and commits.

An organisation starts its own playbook with ``pip install mkdocs-playbook`` and
``playbook init DIR``. The folder gets ``mkdocs.yml`` naming the plugin, a home
page, one program from ``new`` with its sample data, ``playbook.yml`` with the
format version, the JSON Schemas the files' modelines name (``schema/``, kept
current by ``playbook schema --check``), the GitHub workflows, pre-commit's
configuration, ``.github/CODEOWNERS`` and a README with the two commands.
The templates live in the package (``playbook/templates/init``); a name
starting with ``dot-`` is written with a dot, as wheels and globs skip dot
files.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Any, Final

from playbook.commands import codeowners, lock, scaffold
from playbook.commands import schema as schema_command
from playbook.commands.common import version
from playbook.engine import load_playbook, today_from_env
from playbook.load.safewrite import write_files
from playbook.model.problems import PlaybookError, Problems, UsageError
from playbook.model.settings import FORMAT_VERSION
from playbook.pages.mdtext import text as md_text
from playbook.review import codeowners as owners

DEFAULT_PROGRAM: Final = "first-program"
"""The id of the sample program ``init`` writes, unless ``--program`` names another."""
DEFAULT_TITLE: Final = "Leadership playbook"
"""The site's name, unless ``--title`` names another."""
SCHEMA_FOLDER: Final = "schema"
"""Where the JSON Schemas go: each file's modeline names ``../../schema/<file>.schema.json``."""
DOT_PREFIX: Final = "dot-"
"""A template named ``dot-gitignore`` is written as ``.gitignore``."""
_TITLE = re.compile(r"^[^\x00-\x1f\x7f]{1,80}$")
"""A title: one line of printable text, at most 80 characters."""


class _Template(Template):
    """``%%{name}``: the workflows' ``${{ … }}`` and the modelines' ``$schema`` stay as written."""

    delimiter = "%%"


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    """Every template file below ``folder``: its path in the new repository, and the file."""
    found: list[tuple[str, Traversable]] = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        name = item.name
        name = "." + name.removeprefix(DOT_PREFIX) if name.startswith(DOT_PREFIX) else name
        if item.is_dir():
            found.extend(_walk(item, f"{prefix}{name}/"))
        else:
            found.append((f"{prefix}{name}", item))
    return found


def repository_files(title: str, program_id: str, start: date, package: str) -> dict[str, str]:
    """Every file of a new playbook repository but ``.github/CODEOWNERS``: path → text.

    Args:
        title: The site's name.
        program_id: The sample program's id.
        start: Day 0 of the sample program.
        package: The version of mkdocs-playbook that ``requirements.txt`` and the
            pre-commit hooks pin (the installed one).

    Raises:
        UsageError: The title is not one line of text, or the id not an id.
    """
    if not _TITLE.match(title):
        raise UsageError("--title must be one line of text, at most 80 characters")
    # the home page is a template (it calls a macro): the title goes in escaped for
    # Markdown, its braces as character references, so no "{{", "{%" or "{#" reaches Jinja
    title_md = str(md_text(title)).replace("\\{", "&#123;").replace("\\}", "&#125;")
    values = {"title": title, "title_yaml": _quoted(title), "title_md": title_md,
              "version": package,
              "format_version": str(FORMAT_VERSION)}
    files: dict[str, str] = {}
    for rel, item in _walk(resources.files("playbook") / "templates" / "init"):
        text = item.read_text(encoding="utf-8")
        files[rel] = _Template(text).substitute(values)
    for name, text in schema_command.files().items():
        files[f"{SCHEMA_FOLDER}/{name}"] = text
    files.update(scaffold.program_files(program_id, start))
    return files


def init(folder: Path, title: str, program_id: str, start: date) -> list[str]:
    """Write a new playbook repository into ``folder`` (new, or an empty folder).

    Returns:
        The files written, relative to ``folder``, in the order written.

    Raises:
        UsageError: ``folder`` is a file or a folder with anything in it (nothing is
            written), or a value is not valid.
        WriteRefused: A link is on the way; nothing was written.
    """
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UsageError(f"'{folder}' is not a folder; nothing was written")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"'{folder}' is not empty; nothing was written (init writes a new "
                         "playbook into an empty or new folder; 'playbook new' adds a program "
                         "to an existing one)")
    files = repository_files(title, program_id, start, version())
    folder.mkdir(parents=True, exist_ok=True)
    write_files(folder, [(rel, text.encode("utf-8")) for rel, text in files.items()])
    # the owners come from the program as loaded: the one way CODEOWNERS is ever made
    playbook, problems = load_playbook(folder)
    if problems.errors:  # the templates are tested to check clean; say so if they do not
        raise PlaybookError("the new playbook has errors (a fault of the package):\n"
                            + Problems(problems.errors).render())
    write_files(folder, [(codeowners.FILE, owners.render(playbook).encode("utf-8"))])
    # the sample data's contract, so that the first commit passes `playbook lock --check`
    return [*files, codeowners.FILE, *lock.write_locks(folder, [program_id])]


def run(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    try:
        start = date.fromisoformat(args.start) if args.start else today_from_env()
    except ValueError as exc:
        raise UsageError(f"--start '{args.start}' is not a date YYYY-MM-DD") from exc
    for rel in init(Path(args.folder), args.title, args.program, start):
        print(rel)
    return 0


def add(sub: Any) -> None:
    """Add the command to the ``playbook`` parser."""
    p = sub.add_parser("init", help="write a new playbook repository (site, one program, "
                       "schemas, workflows, pre-commit) into an empty or new folder")
    p.add_argument("folder", metavar="DIR", help="the new repository's folder (new or empty)")
    p.add_argument("--title", default=DEFAULT_TITLE,
                   help=f"the site's name (default: {DEFAULT_TITLE})")
    p.add_argument("--program", default=DEFAULT_PROGRAM,
                   help=f"the sample program's id (default: {DEFAULT_PROGRAM})")
    p.add_argument("--start", help="day 0 of the sample program, YYYY-MM-DD (default: today)")
    p.set_defaults(func=run)
