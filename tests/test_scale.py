"""What keeps the playbook fast at portfolio scale, tested without timing anything.

The figures themselves come from ``make bench`` (bench/); here: ``playbook
check`` loads no statistics stack, libyaml and the pure loader agree, the nav
of many programs is grouped and a program page's nav stays bounded, and the
benchmark's generator is deterministic.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import generate
from bench.measure import portfolio_page
from playbook.engine import build
from playbook.load import yaml_compose, yaml_source
from playbook.pages import groups, site_pages

REPO = Path(__file__).resolve().parents[1]


CHECK_THEN_LIST = """
import json, sys
from playbook.commands import cli
out = {}
for root in sys.argv[1:]:
    code = cli.main(["check", root])
    out[root] = [code, [m for m in ("scipy", "statsmodels", "pandas", "sqlalchemy", "sqlglot")
                        if m in sys.modules]]
print(json.dumps(out))
"""


def test_check_imports_no_statistics_stack_nor_pandas_nor_sql_libraries() -> None:
    """Not even sqlglot, until a KPI's source is a query (the example has one)."""
    # a fresh interpreter: this test process has long imported scipy
    mini = str(MINI)
    done = subprocess.run([sys.executable, "-c", CHECK_THEN_LIST, mini, str(REPO)], cwd=REPO,
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == {mini: [0, []],
                                                        str(REPO): [0, ["sqlglot"]]}


def test_libyaml_and_pure_loader_give_the_same_data_and_positions() -> None:
    for path in sorted((REPO / "program").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        fast, _ = yaml_source.parse(text, str(path))
        pure_nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        assert [_shape(n) for n in yaml_compose.compose(text)] == [_shape(n) for n in pure_nodes]
        assert fast.data is not None
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(yaml_compose, "_FAST_LOADER", None)
            pure, _ = yaml_source.parse(text, str(path))
        assert (fast.data, fast.values, fast.keys) == (pure.data, pure.values, pure.keys)


def test_a_tag_written_in_the_file_is_kept_by_either_loader() -> None:
    text = "a: !!str 12\nb: !custom 12\nc: 12\nd: '12'\n"
    fast, _ = yaml_source.parse(text, "x.yml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_compose, "_FAST_LOADER", None)
        pure, _ = yaml_source.parse(text, "x.yml")
    assert fast.data == pure.data == {"a": 12, "b": "12", "c": 12, "d": "12"}


def _shape(node: yaml.Node) -> object:
    """A node tree as plain tuples: position, style and value.

    A plain scalar's style is ``""`` from libyaml and ``None`` from the pure loader;
    the readers test ``not node.style``, so both count as plain here.
    """
    head = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):  # its tag is guessed by the pure loader only
        return (*head, node.style or None, node.value)
    if isinstance(node, yaml.MappingNode):
        return (*head, [(_shape(k), _shape(v)) for k, v in node.value])
    return (*head, [_shape(item) for item in node.value])


def test_quoted_empty_and_plain_scalars_resolve_apart() -> None:
    source, problems = yaml_source.parse('a: 1\nb: "1"\nc: ""\nd:\ne: \'\'\n', "x.yml")
    assert problems == []
    assert source.data == {"a": 1, "b": "1", "c": "", "d": None, "e": ""}


def test_deep_nesting_skips_libyaml_and_is_a_problem() -> None:
    _, problems = yaml_source.parse("a: " + "[" * 30_000 + "]" * 30_000, "deep.yml")
    assert [p.message for p in problems] == ["nesting deeper than 64 levels"]


@given(st.text(alphabet="[{:-?ab \t\n", max_size=40), st.integers(0, 25))
@settings(max_examples=300, deadline=None)
def test_the_openers_bound_decides_as_counting_them_does(text: str, limit: int) -> None:
    exact = len(yaml_compose._NESTING.findall(text))
    assert yaml_compose._openers_at_most(text, limit) is (exact <= limit)


def test_a_long_sequence_of_dashes_is_counted_opener_by_opener() -> None:
    text = "- " * 3_000 + "x"  # 3,000 nested sequences, one character each: too many
    assert not yaml_compose._openers_at_most(text, yaml_compose.FAST_MAX_OPENERS)
    dates = "d: 2026-01-01\n" * 1_000  # 3,000 bounding characters, 1,000 openers
    assert yaml_compose._openers_at_most(dates, yaml_compose.FAST_MAX_OPENERS)


def test_many_programs_are_grouped_and_the_generator_is_deterministic(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # groups of 4 instead of 20: the same grouping with 7 programs computed, not 23
    monkeypatch.setattr(groups, "GROUP_SIZE", 4)
    count = groups.GROUP_SIZE + 3
    first = generate.make(tmp_path / "a", count)
    second = generate.make(tmp_path / "b", count)
    for path in sorted(first.rglob("*.csv")):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
    data, problems = build(first, date(2026, 11, 22))
    assert data is not None, problems.render()
    nav = site_pages.nav(data)
    assert nav[0] == {"Portfolio": "programs/index.md"}
    assert len(nav) == 3  # the portfolio, then two groups of at most GROUP_SIZE programs
    sizes = [len(next(iter(entry.values()))) - 1 for entry in nav[1:]]  # type: ignore[arg-type]
    assert sizes == [groups.GROUP_SIZE, 3]
    generated = {page.path: page.markdown for page in site_pages.generate(data)}
    assert {"programs/group.01.md", "programs/group.02.md"} <= generated.keys()
    # the portfolio page's forest plot has a row for every program, as bench/ measures
    site = tmp_path / "site"
    (site / "programs").mkdir(parents=True)
    (site / "programs" / "index.html").write_text(generated["programs/index.md"])
    assert portfolio_page(site)[1] == count


def test_check_in_worker_processes_finds_exactly_what_one_process_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook.engine import check_playbook
    from playbook.load import loader

    # workers from 4 programs instead of 16: the same pool, chunks and ordering with 6
    # programs generated and checked twice, not 18 (two thirds of the test's time)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 4)
    pools: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        """The pool the loader starts, counted: the check must really run in workers."""

        def __init__(self, workers: int, **kwargs: Any) -> None:
            pools.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", CountedPool)
    root = generate.make(tmp_path / "many", loader.PARALLEL_FROM + 2)
    kpis = sorted(root.glob("program/*/kpis.yml"))[5]
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("cadence: monthly",
                                                             "cadence: montly", 1),
                    encoding="utf-8")
    alone = check_playbook(root, workers=1)
    assert pools == []
    together = check_playbook(root, workers=2)
    assert pools == [2]
    assert alone.errors, "the broken program must be reported"
    assert together.to_json() == alone.to_json()
