"""No regular expression that reads user text takes more than linear time.

Python's ``re`` backtracks: a pattern tried at every position of a long text, or
with two quantifiers that can share the same characters, may take time quadratic
(or worse) in the text's length. Issue 21 found 480 KB of crafted group labels
costing 168 s of CPU in the e-mail detector. Every ``re.Pattern`` held by a module
of ``playbook/``, ``playbook_mkdocs/`` and ``hooks/`` is in :data:`REGISTRY`, found by
importing the modules (a pattern compiled anywhere but as a module constant fails
:func:`test_every_pattern_is_a_module_constant`), so a new pattern is tried without
being listed here. Each is fed long strings built from its own pieces: a run of each
character it names, pairs of them, and each repeat of the pattern "pumped" after a
text that reaches it (``within 0`` followed by thousands of spaces), and hypothesis
draws more. A pattern passes when its CPU time at 4n characters is under 8 times its
time at n (linear: 4 times; quadratic: 16 times), n being where its time is
measurable; no test holds a time limit.

Other engines are linear by construction: pydantic's field patterns run in Rust's
``regex`` crate (:func:`test_field_patterns_run_in_rust_regex`), DuckDB's
``regexp_*`` in RE2. A data file at the 50 MiB limit is measured by
``python -m bench.crafted`` (seconds); here its cost is checked to grow linearly.
"""

from __future__ import annotations

import ast
import gc
import importlib
import importlib.util
import inspect
import pkgutil
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest
from conftest import TmpPlaybook
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bench import crafted
from playbook.engine import load_playbook
from playbook.load import identifiers
from playbook.load.csv_table import MAX_BYTES
from playbook.pages import htmlblocks, mdtext
from playbook.pages.mdtext import Html

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("playbook", "playbook_mkdocs")
FOLDERS = (*PACKAGES, "hooks")

NO_USER_TEXT: dict[str, str] = {}
"""Patterns that never see user text, by name, with the reason (none so far)."""

RATIO = 8.0
"""Most a pattern's time may grow when its text grows fourfold (linear: 4, quadratic: 16)."""
SLACK = 0.002
"""CPU seconds added to the allowance: timer and cache noise on texts that take a millisecond."""
FLOOR = 0.002
"""CPU seconds a text must take before its growth is measured (smaller times are noise)."""
START, CAP = 256, 16_384
"""Text lengths tried, growing fourfold, until one takes :data:`FLOOR`."""
HANG = 60
"""Wall seconds after which one text is abandoned as a failure (exponential, not slow)."""


def _modules() -> Iterator[ModuleType]:
    """Every module of the engine, the MkDocs plugin and the hooks, imported."""
    for package in PACKAGES:
        root = importlib.import_module(package)
        yield root
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            yield importlib.import_module(info.name)
    for file in sorted((REPO / "hooks").glob("*.py")):  # MkDocs loads these by path
        spec = importlib.util.spec_from_file_location(f"hooks.{file.stem}", file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module


def _registry() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern, by ``module.NAME`` where it is compiled (not imported)."""
    names: dict[int, list[tuple[bool, str]]] = {}
    patterns: dict[int, re.Pattern[str]] = {}
    for module in _modules():
        source = inspect.getsource(module)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                compiled = re.search(rf"^{name}(: \w+)? = re\.compile\(", source, re.MULTILINE)
                names.setdefault(id(value), []).append(
                    (compiled is None, f"{module.__name__}.{name}"))
                patterns[id(value)] = value
    return dict(sorted((min(names[key])[1], patterns[key]) for key in patterns))


REGISTRY = _registry()
USER_TEXT = {name: p for name, p in REGISTRY.items() if name not in NO_USER_TEXT}


def test_every_pattern_is_a_module_constant() -> None:
    """A pattern compiled in a function, or a ``re.search(r"…")``, would escape the registry."""
    inline = []
    for folder in FOLDERS:
        for file in sorted((REPO / folder).rglob("*.py")):
            tree = ast.parse(file.read_text(encoding="utf-8"))
            constants = {id(node.value) for node in tree.body
                         if isinstance(node, ast.Assign | ast.AnnAssign)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" \
                        and node.func.attr != "escape" \
                        and (node.func.attr != "compile" or id(node) not in constants):
                    inline.append(f"{file.relative_to(REPO)}:{node.lineno}: re.{node.func.attr}")
    assert inline == []
    assert len(REGISTRY) > 40 and "playbook.load.identifiers.EMAIL" in REGISTRY


def test_the_allow_list_names_registered_patterns() -> None:
    assert set(NO_USER_TEXT) <= set(REGISTRY)


def test_field_patterns_run_in_rust_regex() -> None:
    """A model's ``pattern=`` constraints are linear only in pydantic's default engine."""
    models = {value for module in _modules() for value in vars(module).values()
              if isinstance(value, type) and issubclass(value, BaseModel)
              and value.__module__.startswith("playbook")}
    assert len(models) > 20
    assert {m.__name__: m.model_config.get("regex_engine", "rust-regex") for m in models} \
        == {m.__name__: "rust-regex" for m in models}


# --- strings built from a pattern's pieces -------------------------------------------

_CATEGORY = {"CATEGORY_DIGIT": "0", "CATEGORY_NOT_DIGIT": "a", "CATEGORY_SPACE": " ",
             "CATEGORY_NOT_SPACE": "a", "CATEGORY_WORD": "a", "CATEGORY_NOT_WORD": "!",
             "CATEGORY_LINEBREAK": "\n", "CATEGORY_NOT_LINEBREAK": "a"}
_OUTSIDE = "a0!x~ \n"
"""Characters tried for one outside a negated class."""

Parsed = list[tuple[Any, Any]]
"""A pattern as ``re._parser`` parses it (``re`` has no public parser)."""


def _parse(pattern: re.Pattern[str]) -> Parsed:
    return list(re._parser.parse(pattern.pattern, pattern.flags))  # type: ignore[attr-defined]


def _in_class(char: str, members: Parsed) -> bool:
    """Whether ``char`` is in a non-negated class's members (categories approximately)."""
    for op, av in members:
        if str(op) == "LITERAL" and chr(av) == char:
            return True
        if str(op) == "RANGE" and av[0] <= ord(char) <= av[1]:
            return True
        if str(op) == "CATEGORY" and _CATEGORY.get(str(av)) == char:
            return True
    return False


def _class_chars(members: Parsed) -> list[str]:
    """A member of each part of a class, and for a negated class also a non-member."""
    out = []
    for op, av in members:
        if str(op) == "LITERAL":
            out.append(chr(av))
        elif str(op) == "RANGE":
            out += [chr(av[0]), chr(av[1])]
        elif str(op) == "CATEGORY":
            out.append(_CATEGORY.get(str(av), "a"))
    if members and str(members[0][0]) == "NEGATE":
        out.append(next((c for c in _OUTSIDE if not _in_class(c, members[1:])), "\u2603"))
    return out


def _sample(items: Parsed, groups: dict[int, str]) -> str:
    """A short text that ``items`` match (the first branch, the fewest repeats)."""
    out = []
    for op, av in items:
        kind = str(op)
        if kind == "LITERAL":
            out.append(chr(av))
        elif kind == "NOT_LITERAL":
            out.append("a" if chr(av) != "a" else "b")
        elif kind == "ANY":
            out.append("x")
        elif kind == "IN":
            chars = _class_chars(av)
            out.append(chars[-1] if str(av[0][0]) == "NEGATE" else chars[0])
        elif kind == "CATEGORY":
            out.append(_CATEGORY.get(str(av), "a"))
        elif kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out.append(_sample(av[2], groups) * av[0])
        elif kind == "SUBPATTERN":
            text = _sample(av[3], groups)
            if av[0] is not None:
                groups[av[0]] = text
            out.append(text)
        elif kind == "ATOMIC_GROUP":
            out.append(_sample(av, groups))
        elif kind == "BRANCH":
            out.append(_sample(av[1][0], groups))
        elif kind == "GROUPREF":
            out.append(groups.get(av, ""))
    return "".join(out)


def _pumps(items: Parsed, before: str, groups: dict[int, str]) -> Iterator[tuple[str, str]]:
    """Each repeat of ``items`` as (a text that reaches it, one repetition of it)."""
    for i, (op, av) in enumerate(items):
        kind = str(op)
        prefix = before + _sample(items[:i], dict(groups))
        if kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            yield prefix, _sample(av[2], dict(groups)) or "a"
            yield from _pumps(av[2], prefix, groups)
        elif kind == "SUBPATTERN":
            yield from _pumps(av[3], prefix, groups)
        elif kind == "ATOMIC_GROUP":
            yield from _pumps(av, prefix, groups)
        elif kind == "BRANCH":
            for branch in av[1]:
                yield from _pumps(branch, prefix, groups)
        elif kind in ("ASSERT", "ASSERT_NOT"):
            yield from _pumps(av[1], prefix, groups)


def _chars(items: Parsed) -> list[str]:
    """Every character a pattern names, as in :func:`_class_chars`, in order."""
    out: list[str] = []
    for op, av in items:
        kind = str(op)
        if kind == "LITERAL":
            out.append(chr(av))
        elif kind == "IN":
            out += _class_chars(av)
        elif kind == "CATEGORY":
            out.append(_CATEGORY.get(str(av), "a"))
        elif kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out += _chars(av[2])
        elif kind == "SUBPATTERN":
            out += _chars(av[3])
        elif kind == "ATOMIC_GROUP":
            out += _chars(av)
        elif kind == "BRANCH":
            for branch in av[1]:
                out += _chars(branch)
        elif kind in ("ASSERT", "ASSERT_NOT"):
            out += _chars(av[1])
    return out


def alphabet(pattern: re.Pattern[str]) -> list[str]:
    """The pattern's characters, delimiters first, then a few common ones."""
    chars = list(dict.fromkeys([*_chars(_parse(pattern)), " ", "a", "0", "!", "\n", "."]))
    return sorted(chars, key=lambda c: c.isalnum())[:24]


Build = Callable[[int], str]
"""A text of about ``n`` characters."""


def _repeat(head: str, unit: str, tail: str) -> Build:
    return lambda n: head + unit * max(1, (n - len(head)) // len(unit)) + tail


def adversarial(pattern: re.Pattern[str]) -> dict[str, Build]:
    """Long texts that make a backtracking pattern slow, by a short description."""
    chars = alphabet(pattern)
    texts: dict[str, Build] = {}
    for c in chars:
        for tail in ("", "!"):
            texts[f"{c!r}*n+{tail!r}"] = _repeat("", c, tail)
    for a in chars[:6]:
        for b in chars[:6]:
            if a != b:
                texts[f"{a + b!r}*n+'!'"] = _repeat("", a + b, "!")
    for prefix, unit in dict.fromkeys(_pumps(_parse(pattern), "", {})):
        for tail in ("!", "\n"):
            texts[f"{prefix!r}+{unit!r}*n+{tail!r}"] = _repeat(prefix, unit, tail)
        for sep in ("", "\n"):
            texts[f"({prefix + unit + sep!r})*n"] = _repeat("", prefix + unit + sep, "")
    return texts


# --- measuring growth ---------------------------------------------------------------


def _abandon(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"one text took over {HANG} s")


def _cpu(work: Callable[[str], object], text: str) -> float:
    """CPU seconds ``work`` takes on ``text``."""
    gc.disable()
    previous = signal.signal(signal.SIGALRM, _abandon)  # re checks for signals as it runs
    signal.alarm(HANG)
    try:
        start = time.process_time()
        work(text)
        return time.process_time() - start
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        gc.enable()


def _matching(pattern: re.Pattern[str]) -> Callable[[str], object]:
    """Find every match (as search, sub and split find them) and try the text whole."""
    return lambda text: (pattern.findall(text), pattern.fullmatch(text))


def superlinear(pattern: re.Pattern[str] | Callable[[str], object],
                build: Build) -> str | None:
    """How a pattern's (or any work's) time grows faster than its text, or ``None``."""
    work = _matching(pattern) if isinstance(pattern, re.Pattern) else pattern
    n = START
    while (t1 := _cpu(work, build(n))) < FLOOR and n < CAP:
        n *= 4
    if _cpu(work, build(4 * n)) < RATIO * t1 + SLACK:
        return None
    # measured again before failing: the least of three is what the work costs
    t1 = min(_cpu(work, build(n)) for _ in range(3))
    t4 = min(_cpu(work, build(4 * n)) for _ in range(3))
    if t4 < RATIO * t1 + SLACK:
        return None
    return f"{len(build(n)):,} chars: {t1:.4f} s; {len(build(4 * n)):,} chars: {t4:.4f} s"


@pytest.mark.parametrize("name", sorted(USER_TEXT))
def test_every_pattern_runs_in_linear_time(name: str) -> None:
    pattern = USER_TEXT[name]
    slow = {what: found for what, build in adversarial(pattern).items()
            if (found := superlinear(pattern, build)) is not None}
    assert slow == {}


@settings(deadline=None, max_examples=150, derandomize=True)
@given(st.data())
def test_generated_texts_run_in_linear_time(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(USER_TEXT)), label="pattern")
    pattern = USER_TEXT[name]
    pieces = alphabet(pattern) + [u for _, u in _pumps(_parse(pattern), "", {})][:20]
    head = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=4), label="head"))
    unit = "".join(data.draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=4),
                             label="unit"))
    tail = data.draw(st.sampled_from(["", "!", "\x00", "\n", *pieces]), label="tail")
    assert superlinear(pattern, _repeat(head, unit, tail)) is None


_FORGED = {
    "opening lines": _repeat("", mdtext.BLOCK_OPEN + "\n", ""),
    "opening lines and text": _repeat("", mdtext.BLOCK_OPEN + "\nx", "\n"),
    "closing lines not at an end": _repeat(mdtext.BLOCK_OPEN + "\n", "\n" + mdtext.BLOCK_CLOSE
                                           + "x", ""),
    "excluded elements": _repeat(mdtext.BLOCK_OPEN + "\n",
                                 "<details data-search-exclude>", "\n" + mdtext.BLOCK_CLOSE),
    "unclosed tags": _repeat(mdtext.BLOCK_OPEN + "\n", "<template ",
                             "\n" + mdtext.BLOCK_CLOSE),
    "tags without the attribute": _repeat(mdtext.BLOCK_OPEN + "\n", "<details x>",
                                          "\n" + mdtext.BLOCK_CLOSE),
    "attributes in one tag": _repeat(mdtext.BLOCK_OPEN + "\n<details",
                                     " <details data-search-exclud", ">\n"
                                     + mdtext.BLOCK_CLOSE),
}
"""Pages whose markers and tags a user cannot write (their text is escaped), forged."""


@pytest.mark.parametrize("what", sorted(_FORGED))
def test_stashing_a_page_is_linear_even_with_forged_markers(what: str) -> None:
    """Blocks and elements are found by plain search; no marker or tag makes it slow."""
    assert superlinear(htmlblocks.stash, _FORGED[what]) is None


def test_stashing_escaped_hostile_text_is_linear() -> None:
    def page(text: str) -> str:
        return mdtext.raw_block(Html(
            f'<details class="pb-numbers" data-search-exclude>{mdtext.html_text(text)}'
            f"</details>\n<p>{mdtext.html_text(text)}</p>")) + mdtext.text(text)

    for what, build in adversarial(re.compile(r"<details\s+data-search-exclude>.*?</details>"
                                              r"|<!-- /?playbook:html -->\n?")).items():
        def hostile(n: int, build: Build = build) -> str:
            return page(build(n))

        assert superlinear(htmlblocks.stash, hostile) is None, what


def test_the_measure_tells_a_quadratic_pattern() -> None:
    """The test above fails the e-mail pattern as it was (168 s for 480 KB)."""
    before = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
    assert superlinear(before, _repeat("", "a", "!")) is not None
    assert "'a'*n+'!'" in adversarial(before)
    assert superlinear(identifiers.EMAIL, _repeat("", "a", "!")) is None


# --- the e-mail detector finds what it found ------------------------------------------

_EMAIL_BEFORE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
"""The detector before issue 21: the same cells, in quadratic time."""


@settings(deadline=None, max_examples=500, derandomize=True)
@given(st.text(alphabet="a@.Z1 \t\u00a0-_é", max_size=24))
def test_the_email_pattern_matches_the_cells_it_matched(cell: str) -> None:
    assert (identifiers.EMAIL.search(cell) is None) == (_EMAIL_BEFORE.search(cell) is None)


@pytest.mark.parametrize(("cell", "identifying"), [
    ("ada@example.com", True), ("  Ada.Quill+x@mail.example.org ", True),
    ("contact: ada@example.com today", True), ("a@b@c.com", True), ("@@a@b.cd", True),
    ("a@.com", False), ("a@b.c", False), ("ada@example", False), ("@example.com", False),
    ("women", False), ("+44 20 7946 0958", True), ("2026-01-31", False), ("31.01.2026", False),
])
def test_identifying_cells_are_unchanged(cell: str, identifying: bool) -> None:
    assert identifiers.identifying_cell(cell) is identifying


# --- a data file of crafted labels ----------------------------------------------------


def _load_cpu(pb: TmpPlaybook, shape: str, cell: int) -> tuple[float, list[str]]:
    crafted.write_outcomes(pb.root, crafted.SHAPES[shape], 8 * (cell + 8), cell)
    start = time.process_time()
    _, problems = load_playbook(pb.root)
    return time.process_time() - start, [str(p) for p in problems.errors]


def _expected(pb: TmpPlaybook, shape: str) -> list[str]:
    """The errors of a crafted file: only real addresses are reported."""
    if not shape.startswith("short"):
        return []
    rows = pb.read("data/mini/recommendations.csv").count("\n") - 1
    return [f"data/mini/recommendations.csv:2:1: outcomes.group: {rows} group label(s) in "
            "column 'group' are e-mail addresses or phone numbers (group outcomes by a "
            "category such as gender or age band)"]


@pytest.mark.parametrize("shape", sorted(crafted.SHAPES))
def test_a_file_of_crafted_labels_loads_in_linear_time(tmp_playbook: TmpPlaybook,
                                                       shape: str) -> None:
    """Cells of 8,000 and of 32,000 characters (``python -m bench.crafted``: 50 MiB)."""
    small, errors = _load_cpu(tmp_playbook, shape, 8_000)
    assert errors == _expected(tmp_playbook, shape)
    large, errors = _load_cpu(tmp_playbook, shape, 32_000)
    assert errors == _expected(tmp_playbook, shape)
    if large >= RATIO * small + 0.05:  # measured again: a neighbour only adds time
        small = min(_load_cpu(tmp_playbook, shape, 8_000)[0] for _ in range(3))
        large = min(_load_cpu(tmp_playbook, shape, 32_000)[0] for _ in range(3))
    assert large < RATIO * small + 0.05


def test_a_crafted_file_over_the_limit_is_refused_unread(tmp_playbook: TmpPlaybook) -> None:
    crafted.write_outcomes(tmp_playbook.root, crafted.SHAPES["aaa… (no @ at all)"], 100_000)
    with tmp_playbook.path("data/mini/recommendations.csv").open("r+b") as out:
        out.truncate(MAX_BYTES + 1)  # sparse: refused by its size, so no byte is read
    _, problems = load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems.errors] == [
        "data/mini/recommendations.csv:1:1: file is 52,428,801 bytes, over the "
        "52,428,800-byte limit for a data file (aggregate the rows before exporting (one "
        "row per date and group, or per subject and wave); larger data will need a SQL "
        "source)"]
