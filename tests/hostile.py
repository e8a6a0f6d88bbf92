"""A hostile-input corpus: the mini playbook with attack text in every field that takes text.

Text fields are found, not listed: each string value of each program file is
tried with a harmless suffix, and the values that still load without a new
problem are free text (ids, enums, handles and dates refuse the suffix). Every
payload class then goes into every such field, into a data file's name and
folder, into CSV column names and into AI-outcome group labels.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from playbook.engine import load_playbook

MINI = Path(__file__).parent / "fixtures" / "mini"
EVIL = "evil.invalid"
"""The off-site host every payload points at; no request may ever go there."""

PAYLOADS: dict[str, str] = {
    "jinja": "{{ lipsum.__globals__.os.system('touch PWNED') }} {% if 1 %}J1NJA{% endif %}",
    "script": "<script>alert('xss-script')</script>",
    "html-handler": "<img src=x onerror=alert('xss-img')>",
    "svg-handler": "<svg onload=alert('xss-svg')><circle r=9 /></svg>",
    "md-link": "[click](javascript:alert('xss-link'))",
    "md-data-link": "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-image": f"![pixel](http://{EVIL}/pixel.png)",
    "autolink": f"<http://{EVIL}/autolink>",
    "code-breakout": "`x` ``[y](javascript:alert('xss-code'))`` `",
    "plotly-style": f'<span style="fill:url(http://{EVIL}/plotly.svg)">PLOTLY</span>',
    "plotly-link": f'<a href="http://{EVIL}/">PLOTLYLINK</a>',
    "block-syntax": '??? note "DETAILS" !!! danger "ADMONITION" - ITEM | a | b |',
    "entity": "&lt;b&gt;ENTITY&lt;/b&gt; &amp;",
}
"""Payload classes, each a string a stranger could type into a text field."""

HOSTILE = " ".join(PAYLOADS.values())
"""All payloads in one value: a later payload must not be freed by an earlier one."""

HOSTILE_NAME = "x`[c](javascript:alert(1))`<img src=x onerror=alert(2)>&amp;.csv"
"""A data file name (no slash, otherwise anything goes)."""
HOSTILE_FOLDER = "`[click](javascript:alert(3))`"
"""A folder in a source path that the path leaves again with ``..``."""
HOSTILE_LABEL = "<img src=x onerror=alert(4)> [g](javascript:alert(5)) {{ 7*7 }}"
"""An AI-outcome group label."""
HOSTILE_COLUMN = '<b onmouseover="alert(6)">pct</b> [c](javascript:alert(7))'
"""A CSV column name."""


@dataclass(frozen=True)
class Scalar:
    """One string value in a YAML file, by character offsets."""

    file: Path
    start: int
    end: int
    value: str
    block: bool
    """A ``|`` or ``>`` scalar, whose span ends at the start of the next line."""


def string_values(file: Path) -> list[Scalar]:
    """Every string value (not key) of ``file``, last first so edits keep offsets."""
    text = file.read_text(encoding="utf-8")
    found: list[Scalar] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for _key, value in node.value:
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            found.append(Scalar(file, node.start_mark.index, node.end_mark.index,
                                str(node.value), node.style in ("|", ">")))

    root = yaml.compose(text)
    if root is not None:
        walk(root)
    return sorted(found, key=lambda s: -s.start)


def replace(scalar: Scalar, new_value: str) -> None:
    """Write ``new_value`` in place of ``scalar`` as a double-quoted scalar."""
    text = scalar.file.read_text(encoding="utf-8")
    quoted = json.dumps(new_value, ensure_ascii=False) + ("\n" if scalar.block else "")
    scalar.file.write_text(text[:scalar.start] + quoted + text[scalar.end:], encoding="utf-8")


def _problem_count(root: Path) -> int:
    return len(load_playbook(root)[1])


_FIELDS: dict[str, list[tuple[str, int, int, str, bool]]] = {}
"""Free-text fields found, by the digest of every file of the playbook probed (the probe
loads the playbook once per string value; six tests probe the same mini copy)."""


def _digest(root: Path) -> str:
    """One hash of every file's path and bytes under ``root``."""
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def text_fields(root: Path) -> list[Scalar]:
    """The string values of ``root``'s program files that are free text.

    Found once per process for the same files: the same bytes give the same fields."""
    key = _digest(root)
    if key not in _FIELDS:
        _FIELDS[key] = [(s.file.relative_to(root).as_posix(), s.start, s.end, s.value, s.block)
                        for s in _probe(root)]
    return [Scalar(root / rel, start, end, value, block)
            for rel, start, end, value, block in _FIELDS[key]]


def _probe(root: Path) -> list[Scalar]:
    """Try a harmless suffix in each string value; keep those that load as before."""
    assert _problem_count(root) == 0
    fields = []
    for file in sorted((root / "program").rglob("*.yml")):
        original = file.read_bytes()
        for scalar in string_values(file):
            replace(scalar, scalar.value + " probe text")
            if _problem_count(root) == 0:
                fields.append(scalar)
            file.write_bytes(original)
    return fields


def make_hostile_playbook(root: Path, value: str = HOSTILE) -> list[Scalar]:
    """Copy the mini playbook to ``root`` and put ``value`` into every text field.

    Returns:
        The fields that took the value.
    """
    shutil.copytree(MINI, root)
    fields = text_fields(root)
    for scalar in fields:  # last first: earlier offsets stay valid
        replace(scalar, scalar.value + " " + value)
    _hostile_files(root)
    return fields


def _hostile_files(root: Path) -> None:
    data = root / "data" / "mini"
    kpis = root / "program" / "mini" / "kpis.yml"
    text = kpis.read_text(encoding="utf-8")
    # a file name full of markup, reached through a folder named as a Markdown link
    (data / "leader_360.csv").rename(data / HOSTILE_NAME)
    (data / HOSTILE_FOLDER).mkdir()
    path = f"data/mini/{HOSTILE_FOLDER}/../{HOSTILE_NAME}"
    text = text.replace("file: data/mini/leader_360.csv", "file: " + json.dumps(path))
    # a column name full of markup
    board = data / "board_use.csv"
    board.write_text(board.read_text(encoding="utf-8").replace("month,pct",
                     "month," + json.dumps(HOSTILE_COLUMN).replace("\\\"", '""')),
                     encoding="utf-8")
    text = text.replace("value: pct}", "value: " + json.dumps(HOSTILE_COLUMN) + "}")
    kpis.write_text(text, encoding="utf-8")
    # group labels of AI outcomes
    outcomes = data / "recommendations.csv"
    outcomes.write_text(outcomes.read_text(encoding="utf-8").replace(
        "women,", json.dumps(HOSTILE_LABEL) + ","), encoding="utf-8")
