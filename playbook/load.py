"""Playbook folder → program bundles and every problem found on the way.

Flow: ``program/<id>/*.yml`` and ``data/<id>/*.csv`` → :class:`Bundle` per
program (model objects plus measurement observations) → :mod:`playbook.checks`.
Nothing here raises on bad input: every problem is collected and returned.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from playbook import checks, yamlsrc
from playbook.csvdata import Table, read_table
from playbook.diagnostics import Problem, Problems, display_path
from playbook.model import FILES, Ai, Budget, Competencies, Kpis, Program, Reviews, Roadmap
from playbook.model import Vendors as VendorsFile
from playbook.observations import Observation, Outcome, read_outcomes, read_series
from playbook.validate import validate


@dataclass
class Bundle:
    """One program folder, loaded: a model per file that validated."""

    id: str
    folder: Path
    root: Path
    sources: dict[str, yamlsrc.Source] = field(default_factory=dict)
    program: Program | None = None
    competencies: Competencies | None = None
    roadmap: Roadmap | None = None
    vendors: VendorsFile | None = None
    kpis: Kpis | None = None
    budget: Budget | None = None
    reviews: Reviews | None = None
    ai: Ai | None = None
    series: dict[str, list[Observation]] = field(default_factory=dict)
    """KPI id → observations read from its source CSV."""
    outcomes: list[Outcome] = field(default_factory=list)
    """AI-tool outcomes by group, from ``ai.yml``'s ``outcomes`` file."""

    def path_of(self, stem: str) -> str:
        """How to name ``<stem>.yml`` of this program in problems."""
        return display_path(self.folder / f"{stem}.yml", self.root)


@dataclass
class Playbook:
    """Every program of a playbook, in id order."""

    root: Path
    programs: list[Bundle] = field(default_factory=list)

    def get(self, program_id: str) -> Bundle | None:
        """Return the program with ``program_id``, if loaded."""
        return next((b for b in self.programs if b.id == program_id), None)


def load_program(folder: Path, root: Path) -> tuple[Bundle, list[Problem]]:
    """Load one program folder: parse, validate and read its measurement data."""
    bundle = Bundle(folder.name, folder, root)
    problems: list[Problem] = []
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or file.is_dir():
            continue
        if file.suffix == ".yaml" or (file.suffix == ".yml" and file.stem not in FILES):
            close = difflib.get_close_matches(file.stem, list(FILES), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}.yml'?" if close else (
                "program files are " + ", ".join(f"{s}.yml" for s in FILES))
            if file.suffix == ".yaml" and file.stem in FILES:
                hint = f"rename it to '{file.stem}.yml'"
            problems.append(Problem(display_path(file, root), 1, 1, "",
                                    f"unknown program file '{file.name}'", hint))
    if not (folder / "program.yml").is_file():
        problems.append(Problem(display_path(folder, root), 1, 1, "",
                                "program folder has no program.yml",
                                f"run 'playbook new {folder.name}' or add program.yml"))
    for stem, model in FILES.items():
        file = folder / f"{stem}.yml"
        if not file.is_file():
            continue
        shown = display_path(file, root)
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(Problem(shown, 1, 1, "", "not UTF-8 text", "save the file as UTF-8"))
            continue
        source, found = yamlsrc.parse(text, shown)
        bundle.sources[stem] = source
        problems.extend(found)
        if source.data is None and found:
            continue
        obj, found = validate(model, source)
        problems.extend(found)
        setattr(bundle, stem, obj)
    problems.extend(_read_data(bundle))
    return bundle, problems


def _read_data(bundle: Bundle) -> list[Problem]:
    problems: list[Problem] = []
    tables: dict[Path, tuple[Table | None, list[Problem]]] = {}

    def table_for(rel: str, yaml: yamlsrc.Source, loc: yamlsrc.Path_) -> Table | None:
        file = (bundle.root / rel).resolve()
        if bundle.root.resolve() not in file.parents:
            line, col = yaml.where(loc)
            problems.append(Problem(yaml.path, line, col, yamlsrc.format_loc(loc),
                                    f"'{rel}' is outside the playbook folder",
                                    f"put the file under data/{bundle.id}/"))
            return None
        if not file.is_file():
            line, col = yaml.where(loc)
            problems.append(Problem(yaml.path, line, col, yamlsrc.format_loc(loc),
                                    f"data file '{rel}' does not exist",
                                    f"add it under data/{bundle.id}/ or fix the path"))
            return None
        if file not in tables:
            tables[file] = read_table(file, display_path(file, bundle.root))
            problems.extend(tables[file][1])
        return tables[file][0]

    if bundle.kpis is not None:
        yaml = bundle.sources["kpis"]
        for i, kpi in enumerate(bundle.kpis.kpis):
            if kpi.source is None:
                continue
            loc: yamlsrc.Path_ = ("kpis", i, "source")
            table = table_for(kpi.source.file, yaml, (*loc, "file"))
            if table is not None:
                series, found = read_series(table, kpi.source, yaml, loc)
                problems.extend(found)
                bundle.series[kpi.id] = series
    if bundle.ai is not None and bundle.ai.outcomes is not None:
        yaml = bundle.sources["ai"]
        table = table_for(bundle.ai.outcomes.file, yaml, ("outcomes", "file"))
        if table is not None:
            outcomes, found = read_outcomes(table, bundle.ai.outcomes, yaml, ("outcomes",))
            problems.extend(found)
            bundle.outcomes = outcomes
    return problems


def load_playbook(root: Path) -> tuple[Playbook, Problems]:
    """Load and check every program under ``root/program/``.

    Args:
        root: The playbook folder (holding ``program/`` and ``data/``).

    Returns:
        The playbook (programs that loaded) and every problem, errors and warnings.
    """
    problems = Problems()
    playbook = Playbook(root)
    base = root / "program"
    # hidden and underscore folders (.git, _drafts) are not programs
    folders = sorted(p for p in base.iterdir() if p.is_dir() and p.name[0] not in "._") \
        if base.is_dir() else []
    if not folders:
        problems.add(Problem(display_path(base, root), 1, 1, "",
                             "no program folders found",
                             "run 'playbook new PROGRAM-ID' to create one"))
    for folder in folders:
        bundle, found = load_program(folder, root)
        problems.extend(found)
        problems.extend(checks.run(bundle))
        playbook.programs.append(bundle)
    return playbook, problems


