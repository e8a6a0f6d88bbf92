"""Every field an editor writes is shown on some generated page, or is allowed not to be.

The test walks the model of every program file (recursively, as the format
reference does) over the example playbook. Text fields get a distinctive token
each, in memory and before the figures are computed, and the token must appear
on a generated page; other fields (numbers, dates, ids, choices) must show the
example's value. Fields the example does not set are set here, in memory. A
field missing from the site fails the test unless :data:`ALLOWED` says why.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from playbook.engine import build
from playbook.figures.program import compute
from playbook.figures.site import ProgramView, SiteData
from playbook.load.bundle import Bundle
from playbook.model import FILES
from playbook.model.money import MustHave
from playbook.pages import site_pages
from playbook.pages.reference import _models, type_name

REPO = Path(__file__).parents[1]
TODAY = date(2026, 11, 22)

Field = tuple[str, str]

ALLOWED: dict[Field, str] = {
    ("SignOff", "digest"): "a sha256 of the signed content, not text: the sign-off table "
                           "shows whether it is still current",
    ("SignOff", "version"): "earlier sign-offs are superseded: the table shows each role's "
                            "latest version",
    ("SignOff", "signature"): "an SSH signature, not text: the sign-off chip shows whether "
                              "it verifies against allowed_signers",
    ("Vendor", "id"): "an identifier: the scorecard shows the vendor's name",
    ("AiTool", "vendor"): "a vendor id: the AI tools table shows that vendor's name",
    ("Vendors", "gates"): "gate keys: the scorecard shows each gate's display name",
    ("Milestone", "day"): "a day number: the milestones table shows the date it falls on",
    ("Phase", "days"): "day numbers: the phases table shows the dates they fall on",
    ("Monetization", "value_per_unit"): "used only in computation: the ROI page shows the "
                                        "money each KPI's change is worth",
    ("Kpi", "level"): "places the KPI on the chain of impact, shown as that level's row",
    **{("Reading", f): "how to read the export: used only in reading the data, visible "
                       "through the chart's numbers"
       for f in ("delimiter", "header_row", "skip_rows", "date_format", "decimal",
                 "thousands", "currency", "missing", "values", "where")},
    ("Source", "read"): "the reading options above",
    ("Source", "query"): "SQL text: the source row names it a query run by DuckDB",
    ("Source", "connection"): "a connection name: the source row says the warehouse snapshot",
    ("Budget", "discount_rate"): "used only in computation: the NPV on the budget page",
    ("Budget", "benefit_decay"): "used only in computation: the multi-year sensitivity",
    ("Budget", "participants"): "used only in computation: the cost per participant",
    ("Budget", "horizon_years"): "shown as the N-year total cost of ownership",
    ("Benefit", "amount_low"): "used only in computation: the ROI's P10–P90 range",
    ("Benefit", "amount_high"): "used only in computation: the ROI's P10–P90 range",
    ("Gate", "at_most"): "a bound shown as ≤ in the gate column (set here only as at_least)",
    ("AiOutcomes", "tool"): "names the tool whose selections are judged: set below",
    ("Program", "acknowledgements"): "shown with the finding each matches, under Known "
                                     "limitations (test_site.py builds one)",
    **{("Acknowledgement", f): "shown with the finding it matches, under Known limitations "
                               "on the overview (test_site.py builds one)"
       for f in ("code", "file", "field", "reason", "accepted_by", "until")},
}
"""Fields not shown as written, each with the reason."""


def _inject(bundle: Bundle) -> Bundle:
    """Set, in memory, fields the example leaves out, so their display is tested too."""
    changes: dict[str, Any] = {}
    if bundle.roadmap is not None:
        phases = [p.model_copy(update={"goal": f"Goal of {p.name}"})
                  for p in bundle.roadmap.phases]
        changes["roadmap"] = bundle.roadmap.model_copy(update={"phases": phases})
    if bundle.reviews is not None and bundle.reviews.reviews:
        first = bundle.reviews.reviews[0].model_copy(update={"actions": ["An action"]})
        changes["reviews"] = bundle.reviews.model_copy(
            update={"reviews": [first, *bundle.reviews.reviews[1:]]})
    if bundle.vendors is not None and bundle.vendors.gates:
        gates = bundle.vendors.gate_ids()
        named = MustHave(id=gates[0], name="A named gate")
        changes["vendors"] = bundle.vendors.model_copy(update={"gates": [named, *gates[1:]]})
    if bundle.ai is not None and bundle.ai.outcomes is not None:
        changes["ai"] = bundle.ai.model_copy(update={"outcomes": bundle.ai.outcomes.model_copy(
            update={"count": "n"})})
    if bundle.kpis is not None:  # a count column on the first aggregate source
        at = next(i for i, k in enumerate(bundle.kpis.kpis)
                  if k.source is not None and k.source.subject is None)
        kpis = list(bundle.kpis.kpis)
        source = kpis[at].source
        assert source is not None
        kpis[at] = kpis[at].model_copy(update={"source": source.model_copy(
            update={"count": "people_counted"})})
        changes["kpis"] = bundle.kpis.model_copy(update={"kpis": kpis})
    return dataclasses.replace(bundle, **changes)


def fields() -> list[Field]:
    """Every (model, field) reachable from the program files."""
    out: list[Field] = []
    for model in FILES.values():
        models: list[type[BaseModel]] = []
        _models(model, models)
        out.extend((m.__name__, name) for m in models for name in m.model_fields)
    return list(dict.fromkeys(out))


TEXT_TYPES = frozenset({"text", "list of text", "mapping of id to text", "text or list of text"})


def _is_text(model: type[BaseModel], name: str) -> bool:
    return type_name(model.model_fields[name].annotation) in TEXT_TYPES


class Tokens:
    """Distinctive tokens, one per text value, remembered by field."""

    def __init__(self) -> None:
        self.by_field: dict[Field, list[str]] = {}

    def new(self, key: Field) -> str:
        got = self.by_field.setdefault(key, [])
        token = f"Zq{len(self.by_field):03d}x{len(got)}"
        got.append(token)
        return token


def _mark(obj: Any, tokens: Tokens, values: dict[Field, list[Any]]) -> Any:
    """A copy of model ``obj`` whose text leaves are tokens; other leaves are recorded."""
    if isinstance(obj, BaseModel):
        update = {}
        for name in obj.model_fields_set:
            key = (type(obj).__name__, name)
            value = getattr(obj, name)
            if _is_text(type(obj), name) and key not in ALLOWED:
                update[name] = _retext(value, key, tokens)
            else:
                update[name] = _mark(value, tokens, values)
                # a field holding models is shown through its own fields, walked above
                values.setdefault(key, []).extend(
                    ["(models)"] if _holds_models(value) else _leaves(value))
        return obj.model_copy(update=update)
    if isinstance(obj, list):
        return [_mark(x, tokens, values) for x in obj]
    if isinstance(obj, dict):
        return {k: _mark(v, tokens, values) for k, v in obj.items()}
    return obj


def _retext(value: Any, key: Field, tokens: Tokens) -> Any:
    if isinstance(value, str):
        return tokens.new(key)
    if isinstance(value, list):
        return [tokens.new(key) for _ in value]
    if isinstance(value, dict):
        return {k: tokens.new(key) for k in value}
    return value


def _holds_models(value: Any) -> bool:
    items = value if isinstance(value, list) else list(value.values()) if isinstance(
        value, dict) else [value]
    return bool(items) and all(isinstance(x, BaseModel) for x in items)


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, BaseModel):
        return
    if isinstance(value, (list, tuple)):
        for x in value:
            yield from _leaves(x)
    elif isinstance(value, dict):
        for x in value.values():
            yield from _leaves(x)
    elif value is not None:
        yield value


def forms(value: Any) -> list[str]:
    """The ways a page may write ``value``."""
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, (int, float)):
        out = {f"{value:g}", f"{value:,.0f}", f"{value:,.2f}", f"{value:,.1f}"}
        if 0 < value <= 1:  # shares are shown as percentages
            out |= {f"{value * 100:g}%", f"{value * 100:.0f}%"}
        return sorted(out)
    if isinstance(value, date):
        return [value.isoformat()]
    return [str(value), str(value).replace("-", " ").replace("_", " ")]


@pytest.fixture(scope="module")
def shown() -> tuple[str, Tokens, dict[Field, list[Any]]]:
    data, problems = build(REPO, TODAY)
    assert data is not None, problems.render()
    tokens, values = Tokens(), {}
    views = []
    for view in data.programs:
        bundle = _inject(view.bundle)
        marked = {stem: _mark(getattr(bundle, stem), tokens, values) for stem in FILES
                  if getattr(bundle, stem) is not None}
        bundle = dataclasses.replace(bundle, **marked)
        views.append(ProgramView(bundle, compute(bundle, TODAY)))
    pages = site_pages.generate(SiteData(data.root, data.today, views))
    text = " ".join(html.unescape(p.markdown.replace("\\", "")) for p in pages)
    return re.sub(r"\s+", " ", text).lower(), tokens, values


FIELDS = fields()


@pytest.mark.parametrize("key", FIELDS, ids=[f"{m}.{f}" for m, f in FIELDS])
def test_field_is_shown_or_allowed(key: Field,
                                   shown: tuple[str, Tokens, dict[Field, list[Any]]]) -> None:
    text, tokens, values = shown
    if key in ALLOWED:
        return
    if key in tokens.by_field:
        assert any(t.lower() in text for t in tokens.by_field[key]), (
            f"{key}: no page shows its text")
        return
    assert key in values, f"{key}: the example does not set it; set it in _inject"
    if values[key] and values[key][0] == "(models)":
        return
    assert any(f.lower() in text for v in values[key] for f in forms(v)), (
        f"{key}: no page shows any of {values[key][:3]}")


def test_allow_list_names_real_fields() -> None:
    assert set(ALLOWED) <= set(FIELDS)


def test_annual_cost_and_goal_are_on_their_pages() -> None:
    data, _ = build(REPO, TODAY)
    assert data is not None
    view = _inject_view(data.programs[0], _inject)
    pages = {p.path: p.markdown for p in site_pages.generate(
        SiteData(data.root, data.today, [view]))}
    vendors = pages[f"programs/{view.id}/vendors.md"]
    assert view.bundle.vendors is not None and view.bundle.budget is not None
    cost = next(v.annual_cost for v in view.bundle.vendors.vendors if v.annual_cost)
    assert f"{view.bundle.budget.currency} {cost:,.0f}" in vendors
    assert "A named gate" in vendors
    assert "Goal of Pilot" in pages[f"programs/{view.id}/roadmap.md"]


def _inject_view(view: ProgramView, change: Callable[[Bundle], Bundle]) -> ProgramView:
    bundle = change(view.bundle)
    return ProgramView(bundle, compute(bundle, TODAY))
