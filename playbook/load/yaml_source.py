"""YAML text → plain data plus the position of every node.

First step of the flow (files → model → figures → pages → site). PyYAML's
``compose`` gives nodes with marks; we walk them once to build plain data and
a ``{("kpis", 0, "target"): (line, column)}`` map, rejecting duplicate keys
(which PyYAML would silently drop) and resolving plain scalars with the YAML
1.2 core schema, so ``yes``/``no`` stay text and ``2026-01-12`` stays an ISO
date string for the model to parse.

Composing is :mod:`playbook.load.yaml_compose`'s: libyaml when it can, the
pure loader for every error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from playbook.load import yaml_compose, yaml_numbers, yaml_problems
from playbook.load.yaml_problems import MAX_DEPTH
from playbook.model.chars import unsafe_character
from playbook.model.problems import Problem, character_problem

Path_ = tuple[str | int, ...]

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"^\.(nan|NaN|NAN)$")
_MAY_BE_TYPED = frozenset("~nNtTfF0123456789+-.") | {""}
"""First characters of every null, bool, int and float above (and the empty scalar):
a plain scalar starting otherwise is text, with no pattern to try."""


MAX_NODES = 200_000
"""Most values one file may expand to; far beyond any real program."""

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Path_", "Where", "YamlDocument", "format_loc",
           "parse", "resolve_scalar"]

MAX_BYTES = 1024 * 1024
"""Largest program file read; programs are written by hand, data lives in CSVs."""


@dataclass
class YamlDocument:
    """One parsed YAML file: its data and where each node stood."""

    path: str
    data: Any = None
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    """The file's text, to place positions inside a multi-line value (a SQL query)."""
    hints: dict[Path_, str] = field(default_factory=dict)
    """Hints for whatever is wrong at a path, known from the text as written."""

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) nearest to ``loc``.

        Args:
            loc: Path of keys and indexes into the data.
            key: Prefer the position of the mapping key over its value.
        """
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


@dataclass(frozen=True, eq=False)
class Where:
    """A place in one program file: its document and the path to a value in it.

    The loaders hand this one object down, instead of a document and a path side
    by side, and build the problems they find there from it.
    """

    doc: YamlDocument
    loc: Path_

    def at(self, *keys: str | int) -> Where:
        """The place of a value below this one."""
        return Where(self.doc, (*self.loc, *keys))

    @property
    def field(self) -> str:
        """The path as problems name it (``kpis[0].source``)."""
        return format_loc(self.loc)

    def problem(self, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A problem at this place (``key``: at the mapping key rather than its value)."""
        line, column = self.doc.where(self.loc, key=key)
        return Problem(self.doc.path, line, column, self.field, message, hint)


def resolve_scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar node by the YAML 1.2 core schema."""
    text = node.value
    if node.style:  # quoted or block scalar: always text (plain is None, or "" from libyaml)
        return text
    if text[:1] not in _MAY_BE_TYPED or node.tag not in (
            "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"):
        return text
    if _NULL.match(text):
        return None
    if _BOOL_TRUE.match(text):
        return True
    if _BOOL_FALSE.match(text):
        return False
    if _INT.match(text):
        return int(text)
    if _INT_HEX.match(text):
        return int(text, 16)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def parse(text: str, path: str) -> tuple[YamlDocument, list[Problem]]:
    """Parse YAML text into a :class:`YamlDocument`, collecting every problem.

    Args:
        text: The file's content.
        path: How to name the file in problems.

    Returns:
        The parsed source (``data`` is ``None`` on a syntax error) and problems.
    """
    source = YamlDocument(path, text=text)
    problems: list[Problem] = []
    try:
        nodes = yaml_compose.compose(text)
    except yaml.reader.ReaderError as exc:
        return source, [yaml_problems.reader_problem(path, text, exc)]
    except yaml.YAMLError as exc:
        return source, [yaml_problems.syntax_problem(path, exc)]
    except RecursionError:  # nested past the composer's stack: find where, without recursion
        return source, [yaml_problems.too_deep(path, yaml_problems.deepest_start(text))]
    nodes = [n for n in nodes if n is not None]
    if len(nodes) > 1:
        line, column = _pos(nodes[1])
        problems.append(Problem(path, line, column, "", "more than one YAML document",
                                "remove the `---` separator; one file holds one document"))
    if not nodes:
        source.data = None
        return source, problems

    try:
        source.data = _Walker(source, problems).walk(nodes[0], ())
    except _TooLarge:
        source.data, source.values, source.keys, source.hints = None, {}, {}, {}
        return source, [Problem(path, 1, 1, "", f"file expands to more than {MAX_NODES:,} "
                                "values", "write the values out instead of nested `*` aliases")]
    except _TooDeep as exc:
        source.data, source.values, source.keys, source.hints = None, {}, {}, {}
        return source, [yaml_problems.too_deep(path, exc.where)]
    return source, problems


class _Walker:
    """One pass over a composed document: plain data, positions, and problems on the way."""

    def __init__(self, source: YamlDocument, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.active: set[int] = set()  # collections being walked: an alias to one is a loop
        self.budget = MAX_NODES  # aliases can multiply a small file ("billion laughs")
        self.tested: set[int] = set()  # scalars tested for bad characters: aliases repeat
        self.money: set[int] = set()  # money scalars tested for grouped digits, likewise
        # A scalar holds only characters of the file, or an escape's (which needs a
        # backslash): a file without either has nothing to test scalar by scalar.
        self.clean = "\\" not in source.text and unsafe_character(source.text) is None

    def test_text(self, node: yaml.ScalarNode, loc: Path_, what: str = "") -> None:
        """Report a control or bidi character in a scalar, once per node."""
        if self.clean or id(node) in self.tested:
            return  # the common case: a clean file has no scalar to test, nor to remember
        self.tested.add(id(node))
        if unsafe_character(node.value) is None:
            return  # the field's name is built only for a problem
        line, column = _pos(node)
        found = character_problem(node.value, self.source.path, line, column, _fmt(loc), what)
        if found is not None:
            self.problems.append(found)

    def walk(self, node: yaml.Node, loc: Path_) -> Any:
        """The plain value of ``node`` at ``loc``, recording its position."""
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge
        self.source.values[loc] = _pos(node)
        if isinstance(node, yaml.CollectionNode) and len(loc) >= MAX_DEPTH:
            raise _TooDeep(_pos(node))
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.active:
                line, column = _pos(node)
                self.problems.append(Problem(
                    self.source.path, line, column, _fmt(loc),
                    "an alias refers to the collection that contains it",
                    "write the values out instead of the `*` alias"))
                return None
            self.active.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self.mapping(node, loc)
                return [self.walk(item, (*loc, i)) for i, item in enumerate(node.value)]
            finally:
                self.active.discard(id(node))
        assert isinstance(node, yaml.ScalarNode)
        if loc and loc[-1] in yaml_numbers.MONEY_KEYS and id(node) not in self.money:
            # an alias repeats a node: one warning; only money fields can hold one
            self.money.add(id(node))
            self.problems.extend(yaml_numbers.grouped_number(node, loc[-1],
                                                             self.source.path, _fmt(loc)))
        self.test_text(node, loc)
        return resolve_scalar(node)

    def mapping(self, node: yaml.MappingNode, loc: Path_) -> dict[str, Any]:
        """A mapping's plain data; non-text and duplicate keys are problems."""
        path = self.source.path
        out: dict[str, Any] = {}
        first: dict[str, tuple[int, int]] = {}
        splits = yaml_numbers.flow_splits(node)  # {value: 288,000} holds a key '000'
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _pos(key_node)
                self.problems.append(Problem(path, line, column, _fmt(loc),
                                             "a key must be plain text"))
                continue
            key = key_node.value  # as written: `yes:`, `1:` and `true:` are names
            self.test_text(key_node, (*loc, key), "key ")
            if key in first:
                line, column = _pos(key_node)
                self.problems.append(Problem(
                    path, line, column, _fmt((*loc, key)),
                    f"duplicate key '{key}', first at line {first[key][0]}",
                    splits.get(id(key_node), "keep one of them")))
                continue
            first[key] = self.source.keys[(*loc, key)] = _pos(key_node)
            if id(key_node) in splits:
                self.source.hints[(*loc, key)] = splits[id(key_node)]
            out[key] = self.walk(value_node, (*loc, key))
        return out


class _TooLarge(Exception):
    """The document expands past :data:`MAX_NODES`."""


class _TooDeep(Exception):
    """A collection nests deeper than :data:`MAX_DEPTH`."""

    def __init__(self, where: tuple[int, int]) -> None:
        super().__init__(where)
        self.where = where


def _fmt(loc: Path_) -> str:
    return format_loc(loc)


def format_loc(loc: Path_) -> str:
    """Format a data path as ``kpis[2].target.value``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
