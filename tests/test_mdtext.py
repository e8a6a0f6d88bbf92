"""Escaping contexts of generated Markdown, rendered with Python-Markdown as MkDocs does.

Each context function gets hostile values; the HTML must create no link, image,
script, list, table, admonition or details block beyond what the context itself
makes, and show the value exactly (whitespace collapsed).
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import markdown
import pytest
from conftest import refreeze

from playbook.pages.mdtext import (
    cat,
    cell,
    chip,
    code,
    fmt,
    heading,
    html_text,
    link,
    money,
    not_defined,
    paragraphs,
    raw_block,
    table,
    text,
    words,
)

REPO = Path(__file__).resolve().parents[1]
EXTENSIONS = ["tables", "admonition", "pymdownx.details"]

HOSTILE = [
    "`[click](javascript:alert(1))`",
    "data/x/`[click](javascript:alert(1))`/../kpi.csv",
    "![x](http://evil.example/i.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "{{ config }}",
    "{% include 'x' %}",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "2026. A year",
    "??? note",
    "???+ note \"open\"",
    "!!! danger",
    "!!! danger \"Title\"",
    "| a | b |",
    "a | b",
    "# Heading",
    "> quote",
    "---",
    "===",
    "***",
    "~~~",
    ": definition",
    "back\\slash \\` \\*",
    "&amp; &lt;b&gt; &#35;",
    "ends in a backslash\\",
    "[x]: http://evil.example/ref",
    "[ref][x]",
    "<http://evil.example>",
    "*em* _em_ **strong** __strong__",
    "a {: onclick=alert(1) } b",
    "``double`` ` single",
    "line one\nline two\n\n- list after a blank line",
    "    indented code",
    "\\",
    "-",
    "1.",
]

def render(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


def visible(rendered: str) -> str:
    """The text a reader sees: tags stripped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def tags(rendered: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for name in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", rendered):
        found[name.lower()] = found.get(name.lower(), 0) + 1
    return found


def collapsed(value: str) -> str:
    return " ".join(value.split())


def assert_only(rendered: str, allowed: dict[str, int]) -> None:
    found = tags(rendered)
    assert found == allowed, f"{found} != {allowed}:\n{rendered}"
    assert "admonition" not in rendered, rendered


@pytest.mark.parametrize("value", HOSTILE)
def test_text_shows_the_value_and_makes_no_markup(value: str) -> None:
    out = render(text(value))
    assert_only(out, {"p": 1})
    assert visible(out) == collapsed(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_text_is_safe_as_a_list_item_and_in_an_admonition(value: str) -> None:
    out = render(fmt("- {}\n- {}", text(value), words("second")))
    assert_only(out, {"ul": 1, "li": 2})
    assert visible(out) == collapsed(value) + " second"
    out = render(fmt('!!! note "Title"\n    {}\n', text(value)))
    assert out.count('<div class="admonition') == 1
    assert tags(out) == {"div": 1, "p": 2}, out
    assert visible(out) == "Title " + collapsed(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_text_after_a_paragraph_line_stays_in_the_paragraph(value: str) -> None:
    out = render(fmt("First line\n{}", text(value)))
    assert_only(out, {"p": 1})
    assert visible(out) == "First line " + collapsed(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_paragraphs_keep_breaks_and_make_no_markup(value: str) -> None:
    out = render(paragraphs(f"{value}\n\n{value}"))
    blocks = [b for b in re.split(r"\n\s*\n", value) if b.strip()]
    assert_only(out, {"p": 2 * len(blocks)})
    assert visible(out) == f"{collapsed(value)} {collapsed(value)}"


@pytest.mark.parametrize("value", HOSTILE)
def test_cell_stays_in_its_cell(value: str) -> None:
    out = render(table([words("A"), words("B")], [[cell(value), words("next")]]))
    assert_only(out, {"table": 1, "thead": 1, "tbody": 1, "tr": 2, "th": 2, "td": 2})
    cells = re.findall(r"<td>(.*?)</td>", out, flags=re.DOTALL)
    assert [visible(c) for c in cells] == [collapsed(value), "next"]


def test_empty_cell_shows_a_dash() -> None:
    assert cell(None) == "—" and cell("") == "—"


@pytest.mark.parametrize("value", HOSTILE)
def test_code_is_one_code_element_holding_the_whole_value(value: str) -> None:
    out = render(fmt("Source: {} (aggregate)", code(value)))
    assert_only(out, {"p": 1, "code": 1})
    inner = re.search(r"<code>(.*?)</code>", out, flags=re.DOTALL)
    assert inner is not None
    assert visible(inner.group(1)) == collapsed(value)
    assert visible(out) == f"Source: {collapsed(value)} (aggregate)"


def test_code_in_a_table_cell_with_backticks() -> None:
    value = "data/x/`[click](javascript:alert(1))`/../kpi.csv"
    out = render(table([words("Source")], [[code(value)]]))
    assert "<a" not in out and out.count("<code>") == 1
    assert html.unescape(re.search(r"<code>(.*?)</code>", out).group(1)) == value  # type: ignore[union-attr]


@pytest.mark.parametrize("value", HOSTILE)
def test_heading_is_one_heading(value: str) -> None:
    out = render(heading(2, value))
    assert_only(out, {"h2": 1})
    assert visible(out) == collapsed(value)


def test_heading_level_is_checked() -> None:
    with pytest.raises(ValueError):
        heading(7, "x")


@pytest.mark.parametrize("value", HOSTILE)
def test_link_label_is_text_and_target_is_ours(value: str) -> None:
    out = render(link(text(value), "my-program/index.md"))
    assert_only(out, {"p": 1, "a": 1})
    assert 'href="my-program/index.md"' in out
    assert visible(out) == collapsed(value)


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "http://evil.example/x.md", "//evil.example/x.md", "x.md)",
    "a b.md", "x.md (title)", "../x.md", "/x.md", "X.md", "x.html", "x.md#A", "",
    "a//b.md", "x.md?y=1",
])
def test_link_refuses_anything_but_an_internal_page(target: str) -> None:
    with pytest.raises(ValueError):
        link(words("x"), target)


@pytest.mark.parametrize("target", ["index.md", "my-id/measurement.md", "a/b.md#phases"])
def test_link_accepts_internal_pages(target: str) -> None:
    assert link(words("x"), target) == f"[x]({target})"


@pytest.mark.parametrize("value", HOSTILE)
def test_chip_label_and_state_are_escaped(value: str) -> None:
    out = render(chip(value, value))
    assert_only(out, {"p": 1, "span": 1})
    assert re.fullmatch(r'<p><span class="pb-chip pb-chip--[a-z0-9-]*">.*</span></p>', out,
                        flags=re.DOTALL), out
    assert visible(out) == collapsed(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_inside_a_raw_block(value: str) -> None:
    from playbook.pages.mdtext import Html

    out = render(raw_block(Html(f'<figure><figcaption>{html_text(value)}</figcaption></figure>')))
    assert_only(out, {"figure": 1, "figcaption": 1})
    assert visible(out) == collapsed(value)


def test_money_escapes_the_currency() -> None:
    assert money(1200, "USD") == "USD 1,200"
    assert "<a" not in render(money(5, "[x](javascript:alert(1))"))


def test_not_defined_names_the_file_as_code() -> None:
    out = render(not_defined("kpis.yml", "the plan."))
    assert "<code>kpis.yml</code>" in out and 'class="admonition note"' in out


def test_pieces_keep_their_escaping_when_joined() -> None:
    hostile = "[click](javascript:alert(1))"
    out = render(cat(words("Owner:"), fmt(" {}", text(hostile)), fmt(" ({})", code(hostile))))
    assert "<a" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == f"Owner: {hostile} ({hostile})"


# -- the type makes forgetting to escape a type error ---------------------------------


def test_mypy_rejects_a_plain_str_where_markdown_is_required(tmp_path: Path) -> None:
    from mypy import api

    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from playbook.pages.mdtext import Md, fmt, table, text, words\n"
        "user = input()\n"
        "ok: Md = table([words('A')], [[text(user)]])\n"
        "bad_cell: Md = table([words('A')], [['raw']])\n"
        "bad_header: Md = table(['A'], [[text(user)]])\n"
        "bad_fmt: Md = fmt('{}', user)\n"
        "bad_concat: Md = text(user) + user\n",
        encoding="utf-8")
    stdout, _, status = api.run([
        "--strict", "--no-incremental", "--follow-imports=silent",
        "--python-version", "3.11", "--cache-dir", str(tmp_path / "cache"), str(snippet)])
    refreeze()  # mypy thawed what the worker froze (conftest.py)
    assert status == 1, stdout
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert sorted(int(e.split(":")[1]) for e in errors) == [4, 5, 6, 7], stdout


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id == name]


def test_md_casts_and_templates_are_literals_outside_mdtext() -> None:
    """``Md(...)`` and ``fmt``'s template wrap only our own string literals.

    A cast around anything else (an f-string, a variable) would let an
    unescaped value through the type; only the escaping functions in
    ``mdtext.py`` and in ``review/quoted.py`` (the site's escaping, then GitHub's
    patterns broken, for the review comment: ``tests/test_quoted.py``), and the HTML
    builders for ``Html``, may cast.
    """
    html_builders = {"mdtext.py", "charts.py", "diagram.py"}
    escapers = {REPO / "playbook" / "pages" / "mdtext.py",
                REPO / "playbook" / "review" / "quoted.py"}
    offenders: list[str] = []
    for path in sorted((REPO / "playbook").rglob("*.py")):
        if path in escapers:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name in ("Md", "fmt", "Html", "cast"):
            for call in _calls(tree, name):
                if name == "Html" and path.name in html_builders:
                    continue
                first = call.args[0] if call.args else None
                literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                if name == "cast" or not literal:
                    offenders.append(f"{path.relative_to(REPO)}:{call.lineno} {name}(...)")
    assert not offenders, "\n".join(offenders)

