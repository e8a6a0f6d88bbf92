"""No drift between code and prose: commands, macros and the format reference."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import readme  # noqa: E402

from playbook.commands import cli  # noqa: E402
from playbook.pages import macros  # noqa: E402


def verbs() -> dict[str, argparse.ArgumentParser]:
    """Every subcommand of ``playbook``, read from the parser itself: name → its parser."""
    top = cli.parser()
    subs = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(subs) == 1
    return dict(subs[0].choices)


def registered_macros() -> list[str]:
    """The macros the site's plugin registers with mkdocs-macros, by name."""
    from playbook_mkdocs.plugin import site_macros

    return list(site_macros(lambda: None))  # type: ignore[arg-type,return-value]


def test_readme_command_reference_is_generated_from_the_parser() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.refreshed(text) == text, "README is stale: run 'make readme'"


def test_the_readme_names_every_subcommand_and_option() -> None:
    """Each verb the parser has, with each of its options, in the README's reference."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    reference = text.split(readme.START, 1)[1].split(readme.END, 1)[0]
    sections = dict(re.findall(r"^playbook (\S+)\n((?:    .*\n)*)", reference, re.M))
    found = verbs()
    assert {"check", "pull", "sign", "diff"} <= found.keys()  # the parser was read
    assert list(sections) == list(found)
    for verb, sub in found.items():
        flags = [max(a.option_strings, key=len) for a in sub._actions
                 if a.option_strings and not isinstance(a, argparse._HelpAction)]
        shown = re.findall(r"^    (--?\S+)", sections[verb], re.M)
        assert shown == flags, verb


def test_every_macro_is_shown_in_the_editors_guide() -> None:
    """The macros the site registers and the ones the editor's guide lists are the same."""
    names = registered_macros()
    assert "kpi_chart" in names and len(set(names)) == len(names)
    engine: list[str] = []
    macros.register(lambda fn: engine.append(fn.__name__), lambda: None)  # type: ignore[arg-type,return-value]
    assert engine == names
    guide = (REPO / "docs" / "editors-guide.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\{\{ '\{\{ (\w+)\(.*\}\}' \}\}$", guide, re.M)
    assert listed == names


def test_readme_points_only_inside_the_repository() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "../" not in text
    assert "schema/format.md" in text and (REPO / "schema" / "format.md").is_file()


def test_every_source_example_is_a_valid_source_and_every_option_is_shown() -> None:
    import yaml

    from playbook.model.measure import Reading, Source
    from playbook.pages.source_examples import EXAMPLES

    used: set[str] = set()
    origins: set[str] = set()
    for example in EXAMPLES:
        data = yaml.safe_load(example.source)["source"]
        source = Source.model_validate(data, strict=False)
        used |= set(data.get("read", {}))
        origins |= {k for k in ("file", "query", "query_file", "connection") if k in data}
        assert source.origin
    assert used == set(Reading.model_fields)
    assert origins == {"file", "query", "query_file", "connection"}
    suffixes = {example.source.split("file: ")[1].split()[0].rsplit(".", 1)[1]
                for example in EXAMPLES if "  file: " in example.source}
    assert {"csv", "parquet"} <= suffixes
