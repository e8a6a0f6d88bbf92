"""Playbook folder → program bundles and every problem found on the way.

Flow: ``program/<id>/*.yml`` and ``data/<id>/*.csv`` → :class:`Bundle` per
program (model objects plus measurement observations) → :mod:`playbook.checks.runner`.
Nothing here raises on bad input: every problem is collected and returned.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from playbook.load import yaml_source as yamlsrc
from playbook.load.bundle import Bundle, Playbook
from playbook.load.csv_table import Table, read_table
from playbook.load.observations import read_outcomes, read_series
from playbook.load.validate import validate
from playbook.model import FILES
from playbook.model.problems import Problem, Problems, Severity, display_path


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
    missing: list[str] = []  # source paths that did not resolve

    def table_for(rel: str, yaml: yamlsrc.Source, loc: yamlsrc.Path_) -> Table | None:
        file = (bundle.root / rel).resolve()
        if bundle.root.resolve() not in file.parents:
            missing.append(rel)
            line, col = yaml.where(loc)
            problems.append(Problem(yaml.path, line, col, yamlsrc.format_loc(loc),
                                    f"'{rel}' is outside the playbook folder",
                                    f"put the file under data/{bundle.id}/"))
            return None
        if not file.is_file():
            line, col = yaml.where(loc)
            folder = bundle.root / "data" / bundle.id
            present = {p.name: p.relative_to(bundle.root).as_posix()
                       for p in folder.glob("*.csv")}
            names = difflib.get_close_matches(Path(rel).name, list(present), n=1, cutoff=0.7)
            close = [present[n] for n in names]
            problems.append(Problem(yaml.path, line, col, yamlsrc.format_loc(loc),
                                    f"data file '{rel}' does not exist",
                                    f"did you mean '{close[0]}'?" if close else
                                    f"add it under data/{bundle.id}/ or fix the path"))
            missing.append(rel)
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
    if not missing:  # a wrong path is reported once, not again as an unused file
        problems.extend(_unused_data(bundle, set(tables)))
    return problems


def _unused_data(bundle: Bundle, used: set[Path]) -> list[Problem]:
    """Warn about CSVs in the program's data folder that nothing reads (a mistyped path?)."""
    if bundle.kpis is None or ("ai" in bundle.sources and bundle.ai is None):
        return []  # no measurement plan read: its own problem says so, no cascade here
    folder = bundle.root / "data" / bundle.id
    unused = sorted(p for p in folder.glob("*.csv") if p.resolve() not in used)
    return [Problem(display_path(p, bundle.root), 1, 1, "",
                    "data file is not read by any KPI source or AI outcomes",
                    "name it in a source 'file:' or remove it", Severity.WARNING)
            for p in unused]


def load_playbook(root: Path) -> tuple[Playbook, Problems]:
    """Load every program under ``root/program/`` (the checks run after, in the engine).

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
    data = root / "data"
    names = {f.name for f in folders}
    for orphan in sorted(data.iterdir()) if data.is_dir() else []:
        if orphan.is_dir() and orphan.name[0] not in "._" and orphan.name not in names:
            problems.add(Problem(display_path(orphan, root), 1, 1, "",
                                 f"no program '{orphan.name}' for this data folder",
                                 f"add program/{orphan.name}/ or remove the folder",
                                 Severity.WARNING))
    for folder in folders:
        bundle, found = load_program(folder, root)
        problems.extend(found)
        playbook.programs.append(bundle)
    return playbook, problems


