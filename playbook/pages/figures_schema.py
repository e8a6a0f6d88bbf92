"""The JSON Schema of ``figures.json`` and ``playbook report``, and its reference page.

Other tools read a program's figures from the site's download or from ``playbook
report``; both are :func:`playbook.figures.program.to_jsonable` of the same
frozen dataclasses, so the schema is generated from those classes (pydantic
reads dataclasses as it reads models) and cannot drift from what is written.
The JSON carries ``schema_version``: it rises when a field is removed or
changes meaning, never for a field added.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
import re
import sys
import textwrap
from dataclasses import fields, is_dataclass
from typing import Any, Final, get_args, get_type_hints

from pydantic import TypeAdapter

from playbook.figures.program import SCHEMA_VERSION, ProgramFigures
from playbook.model.schema import SCHEMA_DIALECT, markdown_descriptions
from playbook.pages.mdtext import Md, cat, code, front_matter, heading, join, labels, table, text
from playbook.pages.reference import prose

FILE: Final = "figures.schema.json"
"""The schema's file name, beside the program files' schemas under ``schema/``."""
PATH: Final = "reference/figures.md"
"""The reference page of the figures' format, on the site."""
_PYTHON_NONE = re.compile(r"\bNone\b")
"""Python's name for what JSON calls null."""


@functools.cache
def _module_classes(module: str) -> dict[str, ast.ClassDef]:
    """The classes written at the top of ``module``'s source, by name.

    Parsed once per module: ``inspect.getsource`` parses the whole module again for each
    class it finds, and the figures' 45 classes live in 22 modules.
    """
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (OSError, TypeError, KeyError):
        return {}
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _field_docs(cls: type) -> dict[str, str]:
    """Each field's docstring (the string right below it in the class body)."""
    body: ast.stmt | None = _module_classes(cls.__module__).get(cls.__qualname__)
    if body is None:  # nested, or written under an ``if``: as ``inspect`` finds it
        try:
            body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
        except (OSError, TypeError):
            return {}
    docs: dict[str, str] = {}
    assert isinstance(body, ast.ClassDef)
    for here, after in zip(body.body, body.body[1:], strict=False):
        if (isinstance(here, ast.AnnAssign) and isinstance(here.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            docs[here.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _classes(cls: type, found: dict[str, type]) -> None:
    """Every dataclass reachable from ``cls`` through its fields' types, by name."""
    if cls.__name__ in found:
        return
    found[cls.__name__] = cls
    hints = get_type_hints(cls)
    for f in fields(cls):
        stack: list[Any] = [hints[f.name]]
        while stack:
            tp = stack.pop()
            if is_dataclass(tp) and isinstance(tp, type):
                _classes(tp, found)
            stack.extend(get_args(tp))


def _nullable_numbers(node: Any) -> Any:
    """``node`` with every number also allowing null: NaN and infinity are written as null.

    Descriptions say ``null`` where the figures' docstrings say Python's ``None``.
    """
    if isinstance(node, dict):
        out = {k: _nullable_numbers(v) for k, v in node.items()}
        if out.get("type") == "number":
            out["type"] = ["number", "null"]
        if isinstance(out.get("description"), str):
            out["description"] = _PYTHON_NONE.sub("null", out["description"])
        return out
    if isinstance(node, list):
        return [_nullable_numbers(v) for v in node]
    return node


def schema() -> dict[str, Any]:
    """The JSON Schema of one program's figures, with every field's description.

    A fresh copy each call, of the one made per process: a build asks for it twice (the
    file and its reference page) and each time cost 0.7 s of reading the classes' source.
    """
    result: dict[str, Any] = json.loads(_schema_text())
    return result


@functools.cache
def _schema_text() -> str:
    """:func:`schema` as JSON text, made once: the classes cannot change while running."""
    generated = TypeAdapter(ProgramFigures).json_schema(mode="serialization")
    classes: dict[str, type] = {}
    _classes(ProgramFigures, classes)
    defs = generated.setdefault("$defs", {})
    top = {k: v for k, v in generated.items() if k != "$defs"}
    for name, node in [("ProgramFigures", top), *defs.items()]:
        docs = _field_docs(classes[name]) if name in classes else {}
        for field, prop in node.get("properties", {}).items():
            if field in docs:
                prop["description"] = docs[field]
    top["properties"] = {"schema_version": {
        "const": SCHEMA_VERSION, "description": "The version of this format: it rises when "
        "a field is removed or changes meaning, never for a field added."},
        **top["properties"]}
    top["required"] = ["schema_version", *top.get("required", [])]
    full: dict[str, Any] = _nullable_numbers({"$schema": SCHEMA_DIALECT, "$id": FILE, **top,
                                              "title": "figures.json", "$defs": defs})
    return json.dumps(full)


def render() -> str:
    """The schema as the formatted text ``playbook schema`` writes and the site publishes."""
    return json.dumps(markdown_descriptions(schema()), indent=2, ensure_ascii=False) + "\n"


def _type(prop: dict[str, Any]) -> str:
    """A field's type in words: ``list of GateStatus``, ``mapping to KpiFigures``."""
    if "const" in prop:
        return f"always {prop['const']}"
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[1]
    if "anyOf" in prop:
        # a nullable number is already "number or null": say null once
        parts = [_type(p) for p in prop["anyOf"]]
        return " or ".join(dict.fromkeys(w for part in parts for w in part.split(" or ")))
    kind = prop.get("type", "value")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"mapping to {_type(prop['additionalProperties'])}"
    if prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


@functools.cache  # the figures' classes, the same for every playbook: built once per process
def markdown() -> Md:
    """The reference page: each object of the figures, one table of fields each."""
    data = schema()
    out = [heading(1, "Figures reference"),
           prose("What ``figures.json`` (each program's downloads) and ``playbook report`` "
                 "hold, generated from the engine's figures. The JSON Schema is "
                 f"``schema/{FILE}`` on this site and in the repository (``playbook schema``); "
                 f"``schema_version`` is {SCHEMA_VERSION}. A number that cannot be computed "
                 "(not a number, infinite) is null."), Md("\n")]
    for name, node in [("ProgramFigures", data), *sorted(data["$defs"].items())]:
        if "properties" not in node:
            continue
        out.append(heading(2, name))
        out.extend([prose(node.get("description", "")), Md("\n")])
        rows = [[code(field), text(_type(prop)), prose(prop.get("description", ""))]
                for field, prop in node["properties"].items()]
        out.append(table(labels("Field", "Type", "Meaning"), rows))
    return cat(front_matter("Figures reference"), join(out, Md("\n")))
