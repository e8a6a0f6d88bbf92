"""Model → JSON Schema files for editors (``schema/<file>.schema.json``).

Each program file starts with a ``# yaml-language-server: $schema=…`` line
pointing at these, so editors autocomplete fields and flag errors as people
type. The committed files are tested to match the model.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel

from playbook.model import FILES
from playbook.model.benchmarks import BenchmarkSource
from playbook.model.settings import Settings

SCHEMAS: Final[Mapping[str, type[BaseModel]]] = {**FILES, "playbook": Settings,
                                                 "benchmark": BenchmarkSource}
"""Every file with a schema: the program files, ``playbook.yml`` at the root, and a
playbook's own benchmark files (``benchmarks/<name>.yml``, named in ``playbook.yml``)."""
PLACES: Final[Mapping[str, str]] = {"playbook": "playbook.yml",
                                    "benchmark": "benchmarks/<name>.yml"}
"""Where a file other than a program file sits in the playbook: its schema's title, and
how far its modeline climbs to ``schema/``."""

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def markdown_descriptions(node: Any) -> Any:
    """``node`` with its descriptions' reST ````literals```` as Markdown `code` spans.

    Editors show a description as Markdown in the hover; reST's double backticks would
    read as literal backtick pairs there.
    """
    if isinstance(node, dict):
        return {k: v.replace("``", "`") if k == "description" and isinstance(v, str)
                else markdown_descriptions(v) for k, v in node.items()}
    if isinstance(node, list):
        return [markdown_descriptions(v) for v in node]
    return node


@functools.cache
def render(stem: str) -> str:
    """Return the JSON Schema of ``<stem>.yml`` as formatted text (made once per process:
    the models cannot change while it runs, and every build and ``check`` asks)."""
    model = SCHEMAS[stem]
    schema = markdown_descriptions(model.model_json_schema())
    schema = {"$schema": SCHEMA_DIALECT, "$id": f"{stem}.schema.json", **schema}
    schema["title"] = PLACES.get(stem, f"{stem}.yml")
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def texts() -> dict[str, str]:
    """Every schema file's name (``kpis.schema.json``) and text, in :data:`SCHEMAS` order.

    ``playbook schema`` writes them (never through a link) and compares them.
    """
    return {f"{stem}.schema.json": render(stem) for stem in SCHEMAS}


def modeline(stem: str) -> str:
    """Return the editor modeline that a file of ``stem`` starts with.

    The path is relative to the file: ``../../schema/`` from ``program/<id>/``,
    ``../schema/`` from ``benchmarks/``, ``schema/`` from the root.
    """
    up = "../" * PLACES.get(stem, f"program/<id>/{stem}.yml").count("/")
    return f"# yaml-language-server: $schema={up}schema/{stem}.schema.json"
