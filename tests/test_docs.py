"""No drift between code and prose: commands, macros and the format reference."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import readme  # noqa: E402

from playbook.commands import cli  # noqa: E402
from playbook.pages import macros  # noqa: E402


def test_readme_command_reference_is_generated_from_the_parser() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.refreshed(text) == text, "README is stale: run 'make readme'"


def test_the_generated_block_names_every_subcommand_and_option() -> None:
    block = readme.block()
    for verb in ("check", "schema", "new", "report", "pages", "sign", "diff", "codeowners"):
        assert f"\nplaybook {verb}\n" in block
    assert "--strict" in block and "--role" in block and "--base" in block


def test_every_macro_is_shown_in_the_editors_guide() -> None:
    names: list[str] = []
    macros.register(lambda fn: names.append(fn.__name__), lambda: None)  # type: ignore[arg-type,return-value]
    guide = (REPO / "docs" / "editors-guide.md").read_text(encoding="utf-8")
    assert len(names) == 9
    missing = [n for n in names if f"{n}(" not in guide]
    assert missing == []


def test_readme_points_only_inside_the_repository() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "../" not in text
    assert "schema/format.md" in text and (REPO / "schema" / "format.md").is_file()


def test_the_format_reference_in_the_repository_is_current(capsys: object) -> None:
    assert cli.main(["schema", "--check", "--out", str(REPO / "schema")]) == 0


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
