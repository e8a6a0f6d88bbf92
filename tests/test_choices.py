"""A choice in the program format is a ``StrEnum`` of the model, not a string.

Every field of every model is walked: a ``Literal`` of strings is allowed only
where the value is not a named choice (listed below, with the reason), each enum
field reads the member's value from YAML text (``Choice[...]``, lax for that field
only), and each member of a model enum carries a docstring, as the fields do.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import types
import typing
from enum import StrEnum
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, ConfigDict, Strict, TypeAdapter, ValidationError

import playbook.model
from playbook.model.base import Choice, Role
from playbook.model.schema import SCHEMAS

MODEL_MODULES = [importlib.import_module(f"{playbook.model.__name__}.{m.name}")
                 for m in pkgutil.iter_modules(playbook.model.__path__)]
"""Every module of the model package, so a new one cannot be missed."""

TEXT_LITERALS = {
    ("Reading", "delimiter"): "the value is the character itself, not a name",
    ("Reading", "decimal"): "the value is the character itself, not a name",
    ("Reading", "thousands"): "the value is the character itself, not a name",
    ("Reading", "values"): "keys name the source's `group` and `wave` fields",
    ("Source", "closes"): "keys are the wave labels the data file holds, read as text",
}
"""Fields that may keep a ``Literal`` of strings, and why."""


def _models() -> list[type[BaseModel]]:
    """Every model class reachable from a file's root model."""
    seen: list[type[BaseModel]] = []
    todo = list(SCHEMAS.values())
    while todo:
        model = todo.pop()
        if model not in seen:
            seen.append(model)
            todo.extend(leaf for _, leaf, _ in _leaves(model)
                        if isinstance(leaf, type) and issubclass(leaf, BaseModel))
    return sorted(seen, key=lambda m: m.__name__)


def _walk(tp: Any, *, lax: bool) -> list[tuple[Any, bool]]:
    """The leaf types inside an annotation, each with whether it is read lax."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        inner, *meta = get_args(tp)
        return _walk(inner, lax=lax or Strict(False) in meta)
    if origin in (typing.Union, types.UnionType, list, dict, tuple):
        return [leaf for arg in get_args(tp) for leaf in _walk(arg, lax=lax)]
    return [(tp, lax)]


def _leaves(model: type[BaseModel]) -> list[tuple[str, Any, bool]]:
    """``(field, leaf type, lax)`` for every leaf of every field of ``model``."""
    out = []
    for name, field in model.model_fields.items():
        lax = Strict(False) in field.metadata  # pydantic lifts a field's own Annotated
        out.extend((name, leaf, leaf_lax) for leaf, leaf_lax in _walk(field.annotation, lax=lax))
    return out


MODELS = _models()
ENUMS = sorted({leaf for m in MODELS for _, leaf, _ in _leaves(m)
                if isinstance(leaf, type) and issubclass(leaf, StrEnum)}, key=lambda e: e.__name__)


def test_the_walk_reaches_every_file_and_the_converted_choices() -> None:
    assert {"Program", "Kpi", "Review", "Attribution", "Vendor", "RaciRow", "Settings"} <= {
        m.__name__ for m in MODELS}
    assert {"Cadence", "Direction", "KpiKind", "Measure", "AttributionMethod",
            "ReviewDecision", "ProgramStatus", "Clause", "RaciLetter", "FindingCode"} <= {
        e.__name__ for e in ENUMS}


def test_no_field_is_a_literal_of_strings_but_the_listed_ones() -> None:
    found = {(m.__name__, name) for m in MODELS for name, leaf, _ in _leaves(m)
             if get_origin(leaf) is Literal and any(isinstance(a, str) for a in get_args(leaf))
             # a Role names a Stakeholders field and keys every role table (titles, file
             # owners, CODEOWNERS, sign-off): it stays their one shared Literal
             and leaf != Role}
    assert found == set(TEXT_LITERALS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_enum_field_reads_the_value_from_text(model: type[BaseModel]) -> None:
    """A strict enum field rejects YAML's text: each is a ``Choice[...]`` (lax for it)."""
    strict = [name for name, leaf, lax in _leaves(model)
              if isinstance(leaf, type) and issubclass(leaf, StrEnum) and not lax]
    assert strict == [], f"{model.__name__}: write Choice[...] for {strict}"


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_a_choice_takes_each_value_as_text_and_nothing_else(enum: type[StrEnum]) -> None:
    """Lax only for the type: the exact value is the member; a number, a boolean, the
    member's name or another case is the same ``enum`` error a ``Literal`` gave."""
    adapter: TypeAdapter[Any] = TypeAdapter(Choice[enum], config=ConfigDict(strict=True))
    for member in enum:
        assert adapter.validate_python(member.value) is member
    expected = " or ".join(
        (", ".join(repr(m.value) for m in list(enum)[:-1]), repr(list(enum)[-1].value))
    ) if len(enum) > 1 else repr(next(iter(enum)).value)
    first = next(iter(enum))
    for bad in (1, True, None, first.name if first.name != first.value else "x-no-such",
                first.value.upper() if first.value.upper() != first.value else first.value.lower(),
                f" {first.value}"):
        with pytest.raises(ValidationError) as caught:
            adapter.validate_python(bad)
        (error,) = caught.value.errors()
        assert (error["type"], error["ctx"]["expected"]) == ("enum", expected), bad


def _member_docstrings(enum: type[StrEnum]) -> dict[str, bool]:
    """Whether each member of ``enum`` is followed by a docstring in its source."""
    (node,) = ast.parse(inspect.getsource(enum)).body
    assert isinstance(node, ast.ClassDef)
    out: dict[str, bool] = {}
    for stmt, after in zip(node.body, [*node.body[1:], None], strict=True):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            out[stmt.targets[0].id] = (isinstance(after, ast.Expr)
                                       and isinstance(after.value, ast.Constant)
                                       and isinstance(after.value.value, str)
                                       and bool(after.value.value.strip()))
    return out


MODEL_ENUMS = sorted({obj for module in MODEL_MODULES for obj in vars(module).values()
                      if isinstance(obj, type) and issubclass(obj, StrEnum)
                      and obj.__module__.startswith(playbook.model.__name__)},
                     key=lambda e: e.__name__)


def test_the_model_enums_are_all_found() -> None:
    assert {m.__name__.rsplit(".", 1)[1] for m in MODEL_MODULES} >= {"choices", "measure"}
    assert set(ENUMS) <= set(MODEL_ENUMS)


@pytest.mark.parametrize("enum", MODEL_ENUMS, ids=lambda e: e.__name__)
def test_every_member_of_a_model_enum_has_a_docstring(enum: type[StrEnum]) -> None:
    assert (enum.__doc__ or "").strip(), f"{enum.__name__} has no docstring"
    documented = _member_docstrings(enum)
    assert set(documented) == {m.name for m in enum}
    assert [name for name, ok in documented.items() if not ok] == [], (
        f"{enum.__name__}: add a docstring under each member")
