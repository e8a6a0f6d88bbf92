"""The format reference page, generated from the model's field docstrings."""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from playbook.model.schema import PLACES, SCHEMAS
from playbook.pages import (
    contracts_doc,
    csv_rules,
    downloads,
    measure_examples,
    severities,
    signing,
    source_examples,
)
from playbook.pages.mdtext import (
    Md,
    cat,
    cell,
    code,
    fmt,
    front_matter,
    heading,
    join,
    labels,
    lines,
    table,
    text,
)

PATH = "reference/format.md"

ADDED: Final = frozenset({("Settings", "format_version"),
         ("Phase", "goal"), ("Review", "actions"), ("Kpi", "description"),
         ("Budget", "horizon_years"), ("Budget", "discount_rate"),
         ("Budget", "benefit_decay"), ("Budget", "participants"), ("Benefit", "amount_low"),
         ("Benefit", "amount_high"), ("Source", "read"), ("Source", "query"),
         ("Source", "query_file"), ("Source", "connection"), ("AiOutcomes", "count"),
         ("Source", "count"), ("Source", "expect"),
         *(("Expectations", f) for f in ("accepted_values", "rows_per_period", "not_null",
                                         "unique")),
         *(("RowsPerPeriod", f) for f in ("min", "max")),
         ("AiOutcomes", "tool"), ("MustHave", "id"), ("MustHave", "name"),
         ("Kpi", "measure"), ("Kpi", "level"),
         *(("Reading", f) for f in ("delimiter", "header_row", "skip_rows", "skip_footer",
                                    "date_format", "decimal", "thousands", "currency",
                                    "missing", "values", "where")),
         *(("Settings", f) for f in ("connections", "publish")),
         ("Program", "acknowledgements"), ("SignOff", "signature"),
         *(("Acknowledgement", f) for f in ("code", "file", "field", "reason", "accepted_by",
                                            "until")),
         *(("Publish", f) for f in ("require_signoffs", "findings_must_be_acknowledged")),
         *(("Connection", f) for f in ("env", "description", "timeout")),
         ("Source", "measure"),
         *(("SourceMeasure", f) for f in ("aggregate", "grain", "dated", "over", "where",
                                          "lookup", "people")),
         *(("Filter", f) for f in ("column", "equals", "one_of", "none_of", "above",
                                   "at_least", "below", "at_most")),
         *(("Lookup", f) for f in ("file", "key", "group")),
         ("Program", "design"),
         *(("Design", f) for f in ("needs_analysis", "feedback", "methods", "spacing",
                                   "location", "delivery", "attendance", "duration_hours",
                                   "coaching", "action_project")),
         ("Program", "forecast"), *(("Forecast", f) for f in ("made", "kpis", "roi")),
         *(("KpiForecast", f) for f in ("kpi", "day_90", "day_180", "day_365")),
         *(("Expected", f) for f in ("change", "low", "high")),
         *(("RoiForecast", f) for f in ("first_year_pct", "low_pct", "high_pct"))})
"""Fields this project adds to the format contract (``program-format.md``)."""

PLACE_NOTES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType({
    "playbook": ("at the playbook root", ""),
    "benchmark": ("a playbook's own research benchmarks",
                  "One publication's effects of leadership training by criterion, in the "
                  "format of the packaged ``lacerenza-2017.yml``; ``playbook.yml`` names "
                  "the file in ``benchmarks.files``. Starting it with ``# "
                  "yaml-language-server: $schema=../schema/benchmark.schema.json`` lets an "
                  "editor check it as it is typed.")})
"""Where each file outside ``program/<id>/`` sits (its heading) and what to know of it."""

RULES: Final = Md("""## Rules across fields and rows

A source's file holds one observation per row. A second row of the same `subject` and
`wave` (of the same `subject` and date when there is no `wave`; of the same date and
`group` when there is no `subject`) is an error at its line, naming the first, and is left
out of every figure. A subject in both the pilot and the comparison group is an error
where its group changes; a post wave dated before the same subject's pre wave is a
finding. Each kind is reported once per file, with its lines.

YAML reads `amount: 132.000` as 132: in `amount`, `value`, `value_per_unit` and
`annual_cost` a number written so is a finding (write `132000`, or `132.0` for a
decimal). In a mapping written in braces a comma separates the items:
`{value: 288,000}` is `value: 288` and a key `000`; write `{value: 288000}`.
""")
"""What ``playbook check`` asks of a source's rows and of numbers in YAML
(:mod:`playbook.load.integrity`, :mod:`playbook.load.yaml_numbers`)."""


def type_name(tp: Any) -> str:
    """A reader's name for a field type (``list of text``, ``one of: a, b``)."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base = get_args(tp)[0]
        if base is str:
            meta = str(get_args(tp)[1:])
            if "(program|data)/" in meta:
                return "file as check names it"
            if "^benchmarks/" in meta:
                return "path benchmarks/<name>.yml"
            if "a-z0-9]+((-" in meta:
                return "id or key"
            if "a-z0-9]+(-" in meta:
                return "id"
            if "a-z0-9]+(_" in meta:
                return "key"
        return type_name(base)
    if origin in (Union, types.UnionType):
        names = [type_name(a) for a in get_args(tp) if a is not type(None)]
        return " or ".join(names)
    if origin is Literal:
        return "one of: " + ", ".join(_choice(a) for a in get_args(tp))
    if origin is list:
        return f"list of {type_name(get_args(tp)[0])}"
    if origin is tuple:
        return "[" + ", ".join(type_name(a) for a in get_args(tp)) + "]"
    if origin is dict:
        return f"mapping of {type_name(get_args(tp)[0])} to {type_name(get_args(tp)[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.__name__
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of: " + ", ".join(_choice(m.value) for m in tp)
    return {str: "text", int: "whole number", float: "number", bool: "true/false"}.get(
        tp, getattr(tp, "__name__", str(tp)))


def _choice(value: object) -> str:
    """A choice as an editor types it: punctuation quoted, a tab named."""
    if value == "\t":
        return '"\\t" (tab)'
    if isinstance(value, str) and not value.replace("-", "").replace("_", "").isalnum():
        return f'"{value}"'
    return str(value)


def field_type(field: FieldInfo) -> str:
    """The reader's type name of a model field, its constraints included (ids, keys)."""
    # pydantic moves a field's Annotated metadata (an id's pattern) off the annotation
    tp = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return type_name(tp)


def _models(model: type[BaseModel], seen: list[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen.append(model)
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                _models(tp, seen)
            stack.extend(get_args(tp))


def prose(doc: str | None) -> Md:
    """A docstring as escaped Markdown; its reST ````literals```` become code spans."""
    if not doc:
        return cell(None)
    parts = " ".join(doc.split()).split("``")
    # even pieces are prose, odd pieces were between double backticks; text() trims, so
    # the spaces around a code span are put back
    out: list[Md] = []
    for i, piece in enumerate(parts):
        if i % 2:
            out.append(code(piece))
        elif piece.strip():
            out.extend([Md(" ")] * piece.startswith(" ") + [text(piece)]
                       + [Md(" ")] * piece.endswith(" "))
        elif piece:
            out.append(Md(" "))
    return join(out, Md(""))


@functools.cache  # the model's text, the same for every playbook: built once per process
def markdown() -> Md:
    """The whole reference page: one section per file, one table per object."""
    out = [heading(1, "Format reference"),
           Md("Generated from the model. Every field below is checked by `playbook check` and "
              "described in the JSON Schema under `schema/`. Fields marked *added* are this "
              "project's additions to the format contract.\n")]
    for stem, model in SCHEMAS.items():
        where, note = PLACE_NOTES.get(stem, ("", ""))
        out.append(heading(2, f"{PLACES[stem]} ({where}, optional)" if where else
                           f"{stem}.yml"))
        if note:
            out.append(fmt("{}\n", prose(note)))
        models: list[type[BaseModel]] = []
        _models(model, models)
        for m in models:
            out.append(heading(3, m.__name__))
            out.append(fmt("{}\n", prose(m.__doc__)))
            rows = []
            for name, field in m.model_fields.items():
                required = text("required" if field.is_required() else "optional")
                if (m.__name__, name) in ADDED:
                    required = fmt("{}, *added*", required)
                rows.append([code(name), cell(field_type(field)), required,
                             prose(field.description)])
            out.append(fmt("{}\n", table(labels("Field", "Type", "Required", "Meaning"),
                                          rows)))
    out.append(RULES)
    out.append(severities.markdown())
    out.append(signing.markdown())
    out.append(csv_rules.markdown())
    out.append(source_examples.markdown())
    out.append(contracts_doc.markdown())
    out.append(measure_examples.markdown())
    out.append(downloads.markdown())
    return cat(front_matter("Format reference"), lines(out))
