"""Plain YAML data → model objects, with pydantic errors mapped to positions.

Each pydantic error's ``loc`` is translated through the source's position map
into ``path:line:column: field.path: message``; unknown keys get the nearest
known field as a hint, wrong types name the expected type and what was found.
"""

from __future__ import annotations

import calendar
import difflib
import re
import types
import typing
from dataclasses import replace
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any, Final, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from playbook.load.yaml_numbers import grouped_hint
from playbook.load.yaml_source import Path_, Where, YamlDocument, format_loc
from playbook.model.problems import Problem

M = TypeVar("M", bound=BaseModel)

_EXPECTED: Final = MappingProxyType({
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
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
})

_PATTERN_HINTS: Final = MappingProxyType({
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "expected a lowercase kebab-case id such as 'decision-latency'",
    r"^[a-z0-9]+(_[a-z0-9]+)*$": "expected a lowercase snake_case key such as 'data_ownership'",
    r"^[A-Z]{3}$": "expected an ISO currency code such as 'USD' or 'EUR'",
    r"^\d+\.\d+\.\d+$": "expected a semantic version such as '1.2.0'",
    r"^sha256:[0-9a-f]{64}$": "expected 'sha256:' and 64 hex digits",
    r"^(program|data)/[a-z0-9]+(-[a-z0-9]+)*/[^\x00-\x1f\x7f]+$":
        "expected a file as 'playbook check' names it, such as 'program/<id>/kpis.yml'",
})


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"


_ISO_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
"""A day written ``YYYY-MM-DD`` (``fullmatch``), before it is known to exist."""


def no_such_day(text: str) -> str:
    """Say why a ``YYYY-MM-DD`` text is not a day ('there is no month 13')."""
    if not _ISO_DAY.fullmatch(text):
        return ""
    year, month, day = (int(x) for x in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year >= 1:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return f"{calendar.month_name[month]} {year} has {days} days"
    return ""


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


_SINGULAR: Final = MappingProxyType({"hypotheses": "hypothesis", "criteria": "criterion",
                                     "kpis": "KPI"})


def _object_name(model: type[BaseModel] | None, loc: Path_) -> str:
    """Name of the object holding a field, for messages ('KPI', 'target')."""
    for part in reversed(loc):
        if isinstance(part, str):
            if part in _SINGULAR:
                return _SINGULAR[part]
            return part[:-1] if part.endswith("s") and len(part) > 3 else part
    return model.__name__.lower() if model else "this file"


def _loc(err: ErrorDetails) -> Path_:
    """The data path of a pydantic error, without pydantic's own parts."""
    loc: Path_ = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    # pydantic adds the failing union member or "[key]" as extra loc parts
    return tuple(p for p in loc if not (isinstance(p, str) and (p.startswith("[") or
                                                                  p.startswith("function-"))))


def _known_fields(root: type[BaseModel], parent: Path_) -> list[str]:
    model = model_at(root, parent)
    return list(model.model_fields) if model else []


def _suggest(name: str, known: list[str]) -> str | None:
    """The known field a misspelt key most likely means, if any."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def translate(root: type[BaseModel], source: YamlDocument, err: ErrorDetails) -> Problem:
    """Translate one pydantic error into a located :class:`Problem`.

    A hint the YAML reader left at the error's place (a comma that split a
    ``{…}`` mapping) replaces the generic one.
    """
    problem = _translate(root, source, err)
    hint = source.hints.get(_loc(err))
    return replace(problem, hint=hint) if hint else problem


def _translate(root: type[BaseModel], source: YamlDocument, err: ErrorDetails) -> Problem:
    loc = _loc(err)
    kind = err["type"]
    if kind == "extra_forbidden":
        return _unknown_field(root, Where(source, loc))
    if kind == "missing":
        line, column = source.where(loc[:-1])
        if loc and isinstance(loc[-1], int):  # a tuple with too few items
            return Problem(source.path, line, column, format_loc(loc[:-1]),
                           "expected a list of two numbers [first, last], got "
                           + _describe(err.get("input")))
        return Problem(source.path, line, column, format_loc(loc[:-1]),
                       f"required field '{loc[-1]}' is missing", f"add '{loc[-1]}:'")
    line, column = source.where(loc)
    message, hint = _wrong_value(err)
    return Problem(source.path, line, column, format_loc(loc), message, hint)


def _unknown_field(root: type[BaseModel], where: Where) -> Problem:
    """A key the model does not have, with the nearest field it does have."""
    source, parent, name = where.doc, where.loc[:-1], str(where.loc[-1])
    known = _known_fields(root, parent)
    line, column = source.where(where.loc, key=True)
    close = _suggest(name, known)
    hint = f"did you mean '{close}'?" if close else (
        "known fields: " + ", ".join(known) if known else "")
    where_name = (_object_name(model_at(root, parent), parent) if parent
                  else PurePosixPath(source.path).name)
    return Problem(source.path, line, column, format_loc(parent),
                   f"unknown field '{name}' in {where_name}", hint)


_BOUNDS: Final = MappingProxyType({
    "greater_than_equal": "at least", "less_than_equal": "at most",
    "greater_than": "more than", "less_than": "less than"})
"""How a bound error reads."""


def _wrong_value(err: ErrorDetails) -> tuple[str, str]:
    """The message and hint for a value of the wrong type, form or size."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx", {})
    got = f", got {_describe(value)}"
    if kind in ("literal_error", "enum"):  # a choice: an enum's members or a Literal's
        return f"expected one of {ctx.get('expected', '')}{got}", ""
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        msg = _PATTERN_HINTS.get(pattern, f"does not match the pattern {pattern}")
        upper = (pattern == r"^[A-Z]{3}$" and isinstance(value, str) and value.isalpha()
                 and len(value) == 3)
        return msg + got, f"write '{value.upper()}'" if upper else ""
    if kind in _BOUNDS:
        return f"expected a value of {_BOUNDS[kind]} {next(iter(ctx.values()), '')}{got}", ""
    if kind.startswith("tuple") or (kind == "too_long" and ctx.get("field_type") == "Tuple"):
        return f"expected a list of two numbers [first, last]{got}", ""
    if kind in ("too_short", "too_long"):
        word = "at least" if kind == "too_short" else "at most"
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        items = "item" if bound == 1 else "items"
        return f"expected {word} {bound} {items}, got {ctx.get('actual_length')}", ""
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), ""
    if kind in ("date_parsing", "date_from_datetime_parsing") and isinstance(value, str):
        return "expected a date YYYY-MM-DD" + got, no_such_day(value)
    return _EXPECTED.get(kind, err["msg"].lower()) + got, _type_hint(kind, value)


def _type_hint(kind: str, value: Any) -> str:
    """What to write instead of a value of the wrong type."""
    if kind in ("float_type", "int_type") and isinstance(value, str):
        if _is_number(value):
            return "remove the quotes"
        bare = value.replace(",", "").replace("_", "").replace(" ", "")
        if _is_number(bare):
            return "write it without separators: " + bare
        if grouped_hint(value):
            return grouped_hint(value)
    if kind == "list_type" and value is None:
        return "list at least one item, or write []"
    if kind == "bool_type" and isinstance(value, str) and \
            value.lower() in ("yes", "no", "on", "off"):
        return "YAML 1.2 reads yes/no as text"
    return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def validate(model: type[M], source: YamlDocument) -> tuple[M | None, list[Problem]]:
    """Validate a parsed source against ``model``.

    Returns:
        The model object (``None`` when invalid) and the problems found.
    """
    data = source.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        line, column = source.where(())
        return None, [Problem(source.path, line, column, "", "expected a mapping of keys to "
                              f"values at the top of the file, got {_describe(data)}")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # a misspelt key ('tagret') is one mistake: do not also report 'target' missing
        meant = set()
        for e in errors:
            loc = _loc(e)
            if e["type"] == "extra_forbidden" and loc:
                close = _suggest(str(loc[-1]), _known_fields(model, loc[:-1]))
                if close:
                    meant.add((*loc[:-1], close))
        problems = [translate(model, source, e) for e in errors
                    if not (e["type"] == "missing" and _loc(e) in meant)]
        # a union of alternatives reports one error per alternative: keep one per place
        seen: set[tuple[int, int, str, str]] = set()
        unique = []
        for p in problems:
            key = (p.line, p.column, p.field, p.message)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        return None, unique
