"""Numbers in YAML as people type them: thousands separators YAML reads otherwise.

Called by the walker of :mod:`playbook.load.yaml_source`, which has the scalar's
text as written. Two habits load without an error but not as meant:

- a European thousands separator: ``amount: 132.000`` is the number 132 to YAML.
  In a money field (where three decimals are never meant) it is a finding at
  its line and column; ``1.250.000`` is not a number at all, and
  :mod:`playbook.load.validate` says so with :func:`grouped_hint`.
- a comma in a flow mapping: ``{value: 288,000}`` is ``value: 288`` and a key
  ``000``. The key's own problem (an unknown field, most often) gets a hint
  that the comma split the mapping.
"""

from __future__ import annotations

import re
from typing import Final

import yaml

from playbook.model.findings import FindingCode
from playbook.model.problems import Problem, Severity

MONEY_KEYS: Final = frozenset({"amount", "value", "value_per_unit", "annual_cost"})
"""Keys of amounts of money or values in a KPI's unit: never written with three decimals."""

_GROUPED: Final = re.compile(r"[-+]?[1-9]\d{0,2}(\.\d{3})+")
"""Digits grouped by dots in threes, as European thousands (``132.000``, ``1.250.000``)."""

_NUMBER: Final = re.compile(r"[-+]?\d+(\.\d+)?")
_DIGITS: Final = re.compile(r"\d+")


def grouped_hint(text: str) -> str:
    """How to write ``1.250.000`` (dots as thousands separators) so YAML reads it.

    Returns:
        ``"write 1250000 (no separator)"``, or ``""`` when ``text`` is not
        grouped by dots.
    """
    if not _GROUPED.fullmatch(text.strip()):
        return ""
    return f"write {text.strip().replace('.', '')} (no separator)"


def grouped_number(node: yaml.ScalarNode, key: str | int, path: str,
                   field: str) -> list[Problem]:
    """A finding for a money value YAML reads as a decimal: ``amount: 132.000`` is 132.

    Args:
        node: The value's scalar node, with its text as written.
        key: The key the value stands under.
        path: How to name the YAML file in problems.
        field: The value's place in the data (``costs[0].amount``).

    Returns:
        One finding at the value's line and column, or nothing.
    """
    text = node.value
    if node.style or key not in MONEY_KEYS or text.count(".") != 1 \
            or not _GROUPED.fullmatch(text):
        return []  # quoted, another field, or not a number to YAML: validation says so
    number = float(text)
    return [Problem(path, node.start_mark.line + 1, node.start_mark.column + 1, field,
                    f"{text} reads as the number {number:g}",
                    f"write {text.replace('.', '')} (no separator) or {number!r} if you "
                    "meant a decimal", Severity.FINDING, FindingCode.NUMBER_SEPARATOR)]


def flow_splits(node: yaml.MappingNode) -> dict[int, str]:
    """Hints for the keys of a ``{…}`` mapping that are digits cut off a number by a comma.

    In ``{value: 288,000}`` the key ``000`` has no value and follows the number
    288: the comma ended the item.

    Returns:
        A hint per such key node, by its ``id()`` (``1,000,000`` makes two keys
        ``000``; both get the hint that names the whole number).
    """
    if not node.flow_style:
        return {}
    chains: list[tuple[str, list[yaml.Node]]] = []  # a number and the keys cut off it
    number = ""  # the previous item's value, when it is a plain number
    for key_node, value_node in node.value:
        split = (number and isinstance(key_node, yaml.ScalarNode) and not key_node.style
                 and _DIGITS.fullmatch(key_node.value) and _empty(value_node))
        if split:
            if not chains or chains[-1][0] != number:
                chains.append((number, []))
            chains[-1][1].append(key_node)
            continue
        plain = isinstance(value_node, yaml.ScalarNode) and not value_node.style
        number = value_node.value if plain and _NUMBER.fullmatch(value_node.value) else ""
    hints = {}
    for first, keys in chains:
        cut = [str(k.value) for k in keys]
        written = ",".join([first, *cut])
        meant = f"{first}.{cut[0]}" if len(cut) == 1 and len(cut[0]) != 3 else \
            "".join([first, *cut])
        named = f"a key '{cut[0]}'" if len(cut) == 1 else \
            "the keys " + ", ".join(f"'{c}'" for c in cut)
        for key in keys:
            hints[id(key)] = (f"a comma separates the items of a {{…}} mapping: {written} "
                              f"reads as {first} and {named}; write {meant}")
    return hints


def _empty(node: yaml.Node) -> bool:
    """Whether a mapping value is absent (``{a: 1, 000}``: no colon, no value)."""
    return isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style
