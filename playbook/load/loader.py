"""Playbook folder → program bundles and every problem found on the way.

Flow: ``program/<id>/*.yml`` and ``data/<id>/*.csv`` → :class:`Bundle` per
program (model objects plus measurement observations) → :mod:`playbook.checks.runner`.
Nothing here raises on bad input: every problem is collected and returned.
Every file goes through :mod:`playbook.load.safefiles` first: a symlink, a FIFO
or an oversized file is refused before it is opened.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Final

from playbook.load import columnar, contracts, data_identifiers, measure_read, sql
from playbook.load import yaml_source as yamlsrc
from playbook.load.benchmarks import load_benchmarks
from playbook.load.bundle import Bundle, Playbook
from playbook.load.observations import read_series
from playbook.load.outcomes import read_outcomes
from playbook.load.program_files import read_program_file
from playbook.load.safefiles import (
    folder_refusal,
    real_path,
)
from playbook.load.tables import Tables, data_folder, export_files, query_rows
from playbook.load.validate import validate
from playbook.model import FILES
from playbook.model.findings import FindingCode
from playbook.model.problems import (
    Problem,
    Problems,
    Severity,
    character_problem,
    display_path,
)
from playbook.model.settings import Settings

SETTINGS_FILE = "playbook.yml"
"""The playbook-wide settings file, beside ``program/`` and ``data/``."""


def load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """Read ``playbook.yml`` when present; defaults when absent or broken (problems say so)."""
    file = root / SETTINGS_FILE
    problems: list[Problem] = []
    raw = read_program_file(file, root, SETTINGS_FILE, problems)
    if raw is None:
        return Settings(), problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Settings(), [Problem(SETTINGS_FILE, 1, 1, "", "not UTF-8 text",
                                    "save the file as UTF-8")]
    source, found = yamlsrc.parse(text, SETTINGS_FILE)
    problems.extend(found)
    if source.data is None:
        return Settings(), problems
    obj, found = validate(Settings, source)
    return obj or Settings(), problems + found


def load_program(folder: Path, root: Path, settings: Settings | None = None, *,
                 observe: bool = False) -> tuple[Bundle, list[Problem]]:
    """Load one program folder: parse, validate and read its measurement data
    (``observe``: read what its contract watches even without a lock, for ``playbook lock``)."""
    settings = settings or Settings()
    # the benchmark files' problems are reported once, by load_playbook
    bundle = Bundle(id=folder.name, folder=folder, root=root,
                    connections=MappingProxyType(dict(settings.connections)),
                    benchmarks=load_benchmarks(root, settings.benchmarks)[0])
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
    if not os.path.lexists(folder / "program.yml"):  # a program.yml that is no file says so
        problems.append(Problem(display_path(folder, root), 1, 1, "",
                                "program folder has no program.yml",
                                f"run 'playbook new {folder.name}' or add program.yml"))
    for stem, model in FILES.items():
        file = folder / f"{stem}.yml"
        shown = display_path(file, root)
        raw = read_program_file(file, root, shown, problems)
        if raw is None:
            continue
        try:
            text = raw.decode("utf-8-sig")
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
    problems.extend(_read_data(bundle, observe))
    return bundle, problems


def _read_data(bundle: Bundle, observe: bool = False) -> list[Problem]:
    folder = bundle.root / "data" / bundle.id
    tables = Tables(bundle)
    refused = folder_refusal(folder, bundle.root, display_path(folder, bundle.root))
    if refused is not None:
        tables.problems.append(Problem(display_path(folder, bundle.root), 1, 1, "",
                                       refused.message, refused.hint))
    if bundle.kpis is not None:
        for i, kpi in enumerate(bundle.kpis.kpis):
            if kpi.source is None:
                continue
            where = yamlsrc.Where(bundle.sources["kpis"], ("kpis", i, "source"))
            measured = kpi.source.measure is not None
            clean = None if measured else columnar.read_clean(bundle.root, bundle.id,
                                                              kpi.source, where)
            if clean is not None:  # large and nothing to report: read column-wise
                tables.scanned.add(clean[0])
                bundle.series[kpi.id] = clean[1]
                continue
            table = (measure_read.run(tables, kpi.source, kpi.cadence, where) if measured
                     else tables.source(kpi.id, kpi.source, where))
            if table is not None:
                shape = measure_read.result_source(kpi.source)
                found: list[Problem] = []
                series = read_series(table, shape, where, found)
                if shape.file is None and shape.connection is None:
                    found = query_rows(found, table, where)
                found = measure_read.result_problems(found, kpi.source)
                tables.report(found)
                bundle.series[kpi.id] = series
    if bundle.ai is not None and bundle.ai.outcomes is not None:
        where = yamlsrc.Where(bundle.sources["ai"], ("outcomes",))
        table = tables.get(bundle.ai.outcomes.file, where.at("file"))
        if table is not None:
            bundle.outcomes = read_outcomes(table, bundle.ai.outcomes, where, tables.problems)
    if observe or contracts.wanted(bundle):
        bundle.observed = contracts.observe_program(bundle, tables)
        bundle.lock, found = contracts.read_lock(bundle)
        tables.problems.extend(found)
    if not tables.missing:  # a wrong path is reported once, not again as an unused file
        tables.problems.extend(_unused_data(bundle, tables.used, tables.queried))
    if refused is None:  # every committed data file, read or not: the history keeps it
        tables.problems.extend(data_identifiers.scan(bundle.root, bundle.id))
    return tables.problems


def _unused_data(bundle: Bundle, used: set[Path], queries: list[str]) -> list[Problem]:
    """Warn about exports and query files in the program's data folder that nothing reads
    (a mistyped path, or a new export dropped in and used by nothing)."""
    if bundle.kpis is None or ("ai" in bundle.sources and bundle.ai is None):
        return []  # no measurement plan read: its own problem says so, no cascade here
    named = " ".join([*queries, *(k.source.query_file for k in bundle.kpis.kpis
                                  if k.source is not None and k.source.query_file)])
    unused = [p for p in export_files(data_folder(bundle)) if real_path(p) not in used
              and p.name not in named]
    return [Problem(display_path(p, bundle.root), 1, 1, "",
                    "data file is not read by any KPI source or AI outcomes",
                    "name it in a source 'file:' or in a query, or remove it",
                    Severity.FINDING, FindingCode.DATA_UNUSED)
            for p in unused]


Progress = Callable[[int, int, str], None]
"""Told ``(done, total, program id)`` as each program is loaded (a progress bar)."""


def _folder_problems(folder: Path, root: Path) -> list[Problem]:
    """Why a program folder is not loaded (an error) or is loaded with a finding."""
    shown = display_path(folder, root)
    refusal = folder_refusal(folder, root, shown)
    if refusal is not None:
        return [Problem(shown, 1, 1, "", refusal.message, refusal.hint)]
    # an unsafe name would be the program's id on every page: an error stops the load
    named = character_problem(folder.name, shown, 1, 1, "", "folder name ")
    return [named] if named is not None else []


PARALLEL_FROM: Final = 16
"""Fewest programs worth loading in worker processes (starting them costs ~0.1 s)."""


Loader = Callable[[Path, Path, Settings], tuple[Bundle | None, list[Problem]]]
"""Loads one program folder: :func:`load_program`, or that plus its checks (``check``)."""


def _load_programs(folders: list[Path], root: Path, settings: Settings, progress: Progress | None,
                   workers: int, load: Loader) -> list[tuple[Bundle | None, list[Problem]]]:
    """Load the programs, in worker processes when asked and worth it; results in order."""
    sql.start_build()  # the build's query time starts now (sql.BUILD_SECONDS)
    if workers > 1 and len(folders) >= PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: the workers inherit the loaded modules; only `playbook check` asks for this,
        # a single-threaded command (never the MkDocs server, whose threads fork badly)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=sql.share_among, initargs=(workers,)) as pool:
            out = []
            for done, result in enumerate(pool.map(load, folders,
                                                   [root] * len(folders),
                                                   [settings] * len(folders), chunksize=2)):
                if progress is not None:
                    progress(done, len(folders), folders[done].name)
                out.append(result)
            return out
    results: list[tuple[Bundle | None, list[Problem]]] = []
    for done, folder in enumerate(folders):
        if progress is not None:
            progress(done, len(folders), folder.name)
        results.append(load(folder, root, settings))
    return results


def load_playbook(root: Path, progress: Progress | None = None, workers: int = 1,
                  load: Loader = load_program) -> tuple[Playbook, Problems]:
    """Load every program under ``root/program/`` (the checks run after, in the engine).

    Args:
        root: The playbook folder (holding ``program/`` and ``data/``).
        progress: Told as each program is loaded.
        workers: Processes to load programs in (``playbook check`` on many programs).
        load: Loads one folder; a loader that returns no bundle (``check``, which needs
            only problems) keeps worker processes from sending whole programs back.

    Returns:
        The playbook (programs that loaded) and every problem, errors, findings and pending items.
    """
    problems = Problems()
    settings, found = load_settings(root)
    problems.extend([*found, *load_benchmarks(root, settings.benchmarks)[1]])
    playbook = Playbook(root, settings=settings)
    base = root / "program"
    data = root / "data"
    refused = set()  # a top folder that is a link is never listed
    for top in (base, data):
        refusal = folder_refusal(top, root, display_path(top, root))
        if refusal is not None:
            refused.add(top)
            problems.add(Problem(display_path(top, root), 1, 1, "", refusal.message,
                                 refusal.hint))
    if base in refused:
        return playbook, problems  # the programs still load without data: each read says why
    # hidden and underscore folders (.git, _drafts) are not programs
    folders = sorted(p for p in base.iterdir() if p.is_dir() and p.name[0] not in "._") \
        if base.is_dir() else []
    if not folders:
        problems.add(Problem(display_path(base, root), 1, 1, "",
                             "no program folders found",
                             "run 'playbook new PROGRAM-ID' to create one"))
    names = {f.name for f in folders}
    for orphan in sorted(data.iterdir()) if data.is_dir() and data not in refused else []:
        if orphan.is_dir() and orphan.name[0] not in "._" and orphan.name not in names:
            problems.add(Problem(display_path(orphan, root), 1, 1, "",
                                 f"no program '{orphan.name}' for this data folder",
                                 f"add program/{orphan.name}/ or remove the folder",
                                 Severity.FINDING, FindingCode.DATA_ORPHAN))
    before: list[list[Problem]] = []
    loadable: list[Path] = []
    for folder in folders:
        found = _folder_problems(folder, root)
        before.append(found)
        if not any(p.severity is Severity.ERROR for p in found):
            loadable.append(folder)
    loaded = dict(zip(loadable, _load_programs(loadable, root, settings, progress, workers,
                                               load), strict=True))
    for folder, found in zip(folders, before, strict=True):
        problems.extend(found)
        if folder in loaded:
            bundle, more = loaded[folder]
            problems.extend(more)
            if bundle is not None:
                playbook.programs.append(bundle)
    return playbook, problems


