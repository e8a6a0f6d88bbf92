"""Plain YAML data → model objects, with pydantic errors mapped to positions.

Each pydantic error's ``loc`` is translated through the source's position map
into ``path:line:column: field.path: message``; unknown keys get the nearest
known field as a hint, wrong types name the expected type and what was found.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from playbook.diagnostics import Problem
from playbook.yamlsrc import Path_, Source, format_loc

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "date_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
    "date_type": "expected a date YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date YYYY-MM-DD",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of keys to values",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "tuple_type": "expected a list",
    "string_too_short": "expected non-empty text",
}

_PATTERN_HINTS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "expected a lowercase kebab-case id such as 'decision-latency'",
    r"^[a-z0-9]+(_[a-z0-9]+)*$": "expected a lowercase snake_case key such as 'data_ownership'",
    r"^\d+\.\d+\.\d+$": "expected a semantic version such as '1.2.0'",
    r"^sha256:[0-9a-f]{64}$": "expected 'sha256:' and 64 hex digits",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"


def _unwrap(tp: Any) -> list[Any]:
    """Return the model-bearing types inside Optional/list/dict/Annotated."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return [t for a in get_args(tp) for t in _unwrap(a)]
    return [tp]


def model_at(root: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """Return the model class that holds the mapping at ``loc``, if any."""
    current: Any = root
    for part in loc:
        candidates = _unwrap(current)
        nxt = None
        for cand in candidates:
            origin = get_origin(cand)
            if isinstance(part, str) and isinstance(cand, type) and issubclass(cand, BaseModel):
                field = cand.model_fields.get(part)
                if field is not None:
                    nxt = field.annotation
                    break
            elif isinstance(part, int) and origin in (list, tuple):
                nxt = get_args(cand)[0]
                break
            elif isinstance(part, str) and origin is dict:
                nxt = get_args(cand)[1]
                break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def _object_name(model: type[BaseModel] | None, loc: Path_) -> str:
    """Name of the object holding a field, for messages ('kpi', 'target')."""
    for part in reversed(loc):
        if isinstance(part, str):
            return part[:-1] if part.endswith("s") and len(part) > 3 else part
    return model.__name__.lower() if model else "this file"


def _allowed_literals(tp: Any) -> list[str]:
    return [str(a) for t in _unwrap(tp) if get_origin(t) is Literal for a in get_args(t)]


def translate(root: type[BaseModel], source: Source, err: dict[str, Any]) -> Problem:
    """Translate one pydantic error into a located :class:`Problem`."""
    loc: Path_ = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    # pydantic adds the failing union member or "[key]" as extra loc parts
    loc = tuple(p for p in loc if not (isinstance(p, str) and (p.startswith("[") or
                                                                 p.startswith("function-"))))
    kind = err["type"]
    value = err.get("input")
    field = format_loc(loc)
    path = source.path
    if kind == "extra_forbidden":
        parent = loc[:-1]
        name = str(loc[-1])
        model = model_at(root, parent)
        known = list(model.model_fields) if model else []
        line, column = source.where(loc, key=True)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else (
            "known fields: " + ", ".join(known) if known else "")
        where_name = _object_name(model, parent) if parent else (
            model.__name__.lower() if model else "this file")
        return Problem(path, line, column, format_loc(parent) or where_name,
                       f"unknown field '{name}' in {where_name}", hint)
    if kind == "missing":
        line, column = source.where(loc[:-1])
        return Problem(path, line, column, format_loc(loc[:-1]),
                       f"required field '{loc[-1]}' is missing",
                       f"add '{loc[-1]}:'")
    line, column = source.where(loc)
    got = f", got {_describe(value)}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Problem(path, line, column, field, f"expected one of {expected}{got}")
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        msg = _PATTERN_HINTS.get(pattern, f"does not match the pattern {pattern}")
        return Problem(path, line, column, field, msg + got)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        word = {"greater_than_equal": "at least", "less_than_equal": "at most",
                "greater_than": "more than", "less_than": "less than"}[kind]
        return Problem(path, line, column, field, f"expected a value {word} {bound}{got}")
    if kind in ("too_short", "too_long"):
        return Problem(path, line, column, field, err["msg"].replace("List", "list"))
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return Problem(path, line, column, field, msg)
    if kind.startswith("tuple") or (kind == "too_long" and isinstance(value, list)):
        return Problem(path, line, column, field, "expected a list of two numbers [first, last]")
    expected = _EXPECTED.get(kind, err["msg"].lower())
    if kind in ("date_parsing", "date_from_datetime_parsing") and isinstance(value, str):
        expected = "expected a date YYYY-MM-DD"
    return Problem(path, line, column, field, expected + got)


def validate(model: type[M], source: Source) -> tuple[M | None, list[Problem]]:
    """Validate a parsed source against ``model``.

    Returns:
        The model object (``None`` when invalid) and the problems found.
    """
    data = source.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(source.path, 1, 1, "", "expected a mapping of keys to values at "
                              f"the top of the file, got {_describe(data)}")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = [translate(model, source, e) for e in exc.errors(include_url=False)]
        # a union of alternatives reports one error per alternative: keep one per place
        seen: set[tuple[int, int, str]] = set()
        unique = []
        for p in problems:
            key = (p.line, p.column, p.field)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        return None, unique
