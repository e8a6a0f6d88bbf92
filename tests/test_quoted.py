"""Editors' text in the bot comment: GitHub shows it as written and acts on none of it.

The comment is rendered by cmark-gfm, GitHub's own Markdown library (autolinks,
strikethrough, tables, HTML); then GitHub turns ``@name`` into a notification,
``:name:`` into an emoji and ``#12`` into an issue link in the text it rendered.
Each test renders with cmark-gfm and looks for those patterns in the text, the
way GitHub's filters do (looser, so a near miss fails too).
"""

from __future__ import annotations

import html
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.pages.mdtext import labels, table
from playbook.review import quoted
from playbook.review.quoted import JOINER

REPO = Path(__file__).resolve().parents[1]

MENTION = re.compile(r"@[a-z0-9]", re.IGNORECASE)
"""A mention or a team (``@org/team``), or the domain of an e-mail address."""
EMOJI = re.compile(r":[\w+-]+:")
ISSUE = re.compile(r"#\d|\bgh-\d", re.IGNORECASE)
"""``#12``, ``owner/repo#12`` and ``GH-12``."""
SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:[^\s\u200d]", re.IGNORECASE)
"""``https://…``, ``mailto:…``, ``javascript:…``: a scheme and what follows it."""
WWW = re.compile(r"www\.", re.IGNORECASE)


class _Rendered(HTMLParser):
    """The elements and the text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(markdown: str) -> tuple[list[str], str]:
    """The HTML elements cmark-gfm makes of ``markdown`` (as GitHub does), and the text."""
    parser = _Rendered()
    parser.feed(cmarkgfm.github_flavored_markdown_to_html(markdown))
    return parser.tags, "".join(parser.text).strip()


def acted_on(text: str) -> list[str]:
    """Everything in rendered text that GitHub would turn into a link, ping or emoji."""
    return [m.group(0) for pattern in (MENTION, EMOJI, ISSUE, SCHEME, WWW)
            for m in pattern.finditer(text)]


HOSTILE = {
    "mention": "thanks @octocat",
    "team": "cc @acme/board",
    "mention at the start": "@octocat",
    "e-mail": "write to ada@example.org",
    "mailto": "mailto:ada@example.org",
    "xmpp": "xmpp:ada@example.org",
    "https": "see https://evil.example/x?y=1",
    "http": "http://evil.example",
    "ftp": "ftp://evil.example/file",
    "www": "go to www.evil.example now",
    "WWW upper case": "WWW.EVIL.EXAMPLE",
    "angle autolink": "<https://evil.example>",
    "angle e-mail": "<ada@example.org>",
    "javascript": "[x](javascript:alert(1))",
    "image": "![p](http://evil.example/p.png)",
    "reference link": "[x][1]\n\n[1]: http://evil.example",
    "emoji": "done :rocket: and :+1:",
    "emoji at the start": ":tada: shipped",
    "issue": "fixes #12",
    "issue at the start": "#12",
    "cross-repository issue": "acme/playbook#12",
    "GH issue": "see GH-12 and gh-7",
    "commit of another repository": "acme/playbook@1a2b3c4",
    "HTML": "<img src=x onerror=alert(2)><b>bold</b>",
    "HTML comment": "<!-- hidden --> shown",
    "strikethrough": "~~struck~~ and ~one~",
    "math": "$x^2$ and $$y$$",
    "emphasis": "*strong* _em_ `code`",
    "table pipe": "a | b",
    "heading": "# Title",
    "list": "- item",
    "quote": "> quoted",
    "entity": "&lt;b&gt; &#64;octocat",
    "backslash before a trigger": "\\@octocat \\#12 \\:tada:",
    "a joiner already there": "@\u200doctocat",
}


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_each_hostile_text_is_shown_as_written_and_acted_on_by_nothing(value: str) -> None:
    tags, text = render(quoted.text(value))
    assert tags == ["p"]
    assert acted_on(text) == []
    assert text.replace(JOINER, "") == " ".join(value.split()).replace(JOINER, "")


def test_the_escaped_texts_are_exact() -> None:
    z = JOINER
    assert quoted.text("thanks @octocat") == f"thanks @{z}octocat"
    assert quoted.text("see https://evil.example") == f"see https:{z}//evil.example"
    assert quoted.text("www.evil.example") == f"www{z}.evil.example"
    assert quoted.text("ada@example.org") == f"ada@{z}example.org"
    assert quoted.text(":tada: #12 GH-12") == f"&#58;{z}tada: \\#{z}12 GH{z}-12"
    assert quoted.text("<b>~x~ $y$</b>") == "&lt;b&gt;\\~x\\~ \\$y\\$&lt;/b&gt;"
    # a colon, @ or # before a space or at the end starts nothing and is left alone
    assert quoted.text("Risk: high; ask @ the desk #") == "Risk: high; ask @ the desk \\#"


TRIGGERS = ["@", ":", "#", "/", ".", "-", "~", "$", "<", ">", "&", ";", "\\", "[", "]",
            "(", ")", "!", "*", "_", "`", "|", " ", "\n", "\t", JOINER, "w", "W", "g", "G",
            "h", "H", "a", "x", "1", "2", "www.", "http", "https://", "mailto:", "xmpp:",
            "gh-", "GH-", "@octocat", ":tada:", "#12", "<a href=x>", "&#64;", "&amp;",
            "ada@example.org", "é", "ü"]
"""Pieces of every pattern GitHub acts on, to be put together in any order."""

hostile_text = st.one_of(
    st.lists(st.sampled_from(TRIGGERS), max_size=40).map("".join),
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=40),
)


@settings(max_examples=400, deadline=None)
@given(hostile_text)
def test_no_text_makes_a_link_a_mention_an_emoji_or_a_reference(value: str) -> None:
    tags, text = render(quoted.text(value))
    assert set(tags) <= {"p"}
    assert acted_on(text) == []
    # and the reader sees exactly what the editor wrote, on one line
    assert text.replace(JOINER, "") == " ".join(value.split()).replace(JOINER, "")


@settings(max_examples=200, deadline=None)
@given(hostile_text, hostile_text)
def test_in_a_table_a_heading_or_code_nothing_escapes_its_place(first: str, second: str) -> None:
    markdown = "\n".join([
        quoted.heading(3, first),
        table(labels("Before", "After"), [[quoted.cell(first), quoted.code(second)]]),
        "",
        f"- {quoted.text(second)}",
    ])
    tags, text = render(markdown)
    assert tags.count("td") == 2 and tags.count("h3") == 1 and tags.count("li") == 1
    assert set(tags) <= {"h3", "table", "thead", "tr", "th", "tbody", "td", "code", "ul", "li"}
    assert acted_on(text) == []


def test_an_empty_cell_is_a_dash_and_a_heading_level_is_checked() -> None:
    assert (quoted.cell(None), quoted.cell("")) == ("—", "—")
    with pytest.raises(ValueError, match="heading level 7 is not 1–6"):
        quoted.heading(7, "x")


def test_the_comment_quotes_editors_text_only_through_this_module() -> None:
    """The review's Markdown modules take none of the site's text escapers."""
    site_escapers = {"text", "cell", "code", "heading", "paragraphs", "chip", "link"}
    for name in ("comment.py", "datadiff.py"):
        source = (REPO / "playbook" / "review" / name).read_text(encoding="utf-8")
        (imports,) = re.findall(r"from playbook\.pages\.mdtext import \(?([^)]*?)\)?\n(?!\s)",
                                source, re.DOTALL)
        names = {n.strip() for n in imports.replace("\n", ",").split(",") if n.strip()}
        assert names & site_escapers == set(), name
        assert "from playbook.review.quoted import" in source


def test_a_whole_comment_with_hostile_text_everywhere_acts_on_nothing() -> None:
    from playbook.review import comment
    from playbook.review.diff import Change, ChangeKind
    from playbook.review.signers import Origin, OriginKind, SignoffMove

    hostile = " ".join(HOSTILE.values())
    changes = [Change(hostile, "program.yml", f"stakeholders[{hostile}].name", hostile,
                      hostile, ChangeKind.OWNER)]
    stale = [(hostile, {"role": "sponsor", "name": hostile, "date": "2026-01-02",
                        "version": "1.0.0"})]
    origin = Origin(OriginKind.COMMITTED, "1a2b3c4", f"{hostile} <a@example.org>",
                    "@octocat <b@example.org>")
    moved = [SignoffMove(hostile, {"role": "sponsor", "name": hostile, "date": "2026-01-02",
                                   "version": "1.0.0", "digest": "sha256:0"}, True, (origin,))]
    markdown = comment.markdown(changes, stale, signoffs=moved)
    tags, text = render(markdown)
    assert "a" not in tags and "img" not in tags and "b" not in tags
    assert acted_on(text) == []
    # the listing is there, its committer shown and not pinged
    assert "This change adds these sign-offs, unverified" in text
    assert f"\\(1a2b3c4, committed by @{JOINER}octocat &lt;b@{JOINER}example.org&gt;\\)" in markdown
    assert "committed by @\u200doctocat <b@\u200dexample.org>" in html.unescape(text)


@pytest.mark.parametrize("piece", ["@", ":", "#", "www", "gh", "w", "~$", "@a:b#c "])
def test_quoting_takes_linear_time_on_long_adversarial_text(piece: str) -> None:
    """Each pattern is a character or a fixed word with a one-character look-ahead:
    four times the text takes about four times as long (quadratic would be sixteen)."""
    def seconds(size: int) -> float:
        value = piece * (size // len(piece))
        started = time.perf_counter()
        assert len(quoted.text(value)) >= len(value.strip())
        return time.perf_counter() - started

    small = min(seconds(25_000) for _ in range(3))
    large = min(seconds(100_000) for _ in range(3))
    assert large < 8 * small + 0.05
