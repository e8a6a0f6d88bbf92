"""The loaded form of a program folder: one model per file, observations per KPI.

:class:`Bundle` is what every later stage reads; :mod:`playbook.load.loader`
fills it from the files and never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from playbook.load import yaml_source as yamlsrc
from playbook.load.observations import Observation, Outcome
from playbook.load.seen import Observed
from playbook.model import Ai, Budget, Competencies, Kpis, Program, Reviews, Roadmap
from playbook.model import Vendors as VendorsFile
from playbook.model.benchmarks import BenchmarkSource
from playbook.model.contracts import ContractLock
from playbook.model.problems import display_path
from playbook.model.settings import Connection, Settings


@dataclass
class Bundle:
    """One program folder, loaded: a model per file that validated."""

    id: str
    folder: Path
    root: Path
    sources: dict[str, yamlsrc.YamlDocument] = field(default_factory=dict)
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
    connections: Mapping[str, Connection] = field(default_factory=dict)
    """The warehouse connections ``playbook.yml`` declares, by name."""
    observed: Observed | None = None
    """What the input files hold now, when the program has a contract to check
    (:mod:`playbook.load.contracts`)."""
    lock: ContractLock | None = None
    """The contract accepted last: ``data/<id>/contracts.lock.yml``, when present."""
    benchmarks: tuple[BenchmarkSource, ...] = ()
    """Published effects the program's effects are placed against, the playbook's own
    first (:mod:`playbook.load.benchmarks`)."""

    def path_of(self, stem: str) -> str:
        """How to name ``<stem>.yml`` of this program in problems."""
        return display_path(self.folder / f"{stem}.yml", self.root)


@dataclass
class Playbook:
    """Every program of a playbook, in id order."""

    root: Path
    programs: list[Bundle] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    """``playbook.yml``: warehouse connections shared by every program."""

    def get(self, program_id: str) -> Bundle | None:
        """Return the program with ``program_id``, if loaded."""
        return next((b for b in self.programs if b.id == program_id), None)
