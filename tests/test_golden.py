"""Golden files: the generated Markdown of the example playbook, page by page.

Refresh after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from playbook.commands import cli
from playbook.model import FILES
from playbook.pages.mdtext import code
from playbook.pages.reference import markdown as reference_markdown
from playbook.pages.sections import PACKET

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"


def _render(out: Path, *, packets: bool = False) -> dict[str, str]:
    """The generated pages; without ``packets``, no print packet (``print.md``): it
    repeats the other pages of its program, which test_print_packet checks."""
    code = cli.main(["pages", "--out", str(out), "--dir", str(REPO), "--today", "2026-11-22"])
    assert code == 0
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*.md")) if packets or p.name != PACKET}


def test_generated_pages_match_golden_files(tmp_path: Path) -> None:
    rendered = _render(tmp_path / "pages")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in rendered.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
              for p in sorted(GOLDEN.rglob("*.md"))}
    assert sorted(rendered) == sorted(golden)
    for rel, text in rendered.items():
        assert text == golden[rel], f"{rel} differs from tests/golden/{rel}"


def test_every_generated_page_disables_macros(tmp_path: Path) -> None:
    for rel, text in _render(tmp_path / "pages", packets=True).items():
        assert text.startswith("---\n"), rel
        front = text.split("\n---\n", 1)[0].splitlines()
        assert "render_macros: false" in front, rel


def test_format_reference_documents_every_field() -> None:
    page = reference_markdown()
    for stem, model in FILES.items():
        assert f"## {stem}.yml" in page
        seen: list[type] = []
        stack: list[type] = [model]
        while stack:
            m = stack.pop()
            if m in seen:
                continue
            seen.append(m)
            section = page.split(f"### {m.__name__}\n", 1)[1].split("\n### ", 1)[0]
            for name, field in m.model_fields.items():  # type: ignore[attr-defined]
                assert field.description, f"{m.__name__}.{name} has no docstring"
                assert f"| {code(name)} |" in section, f"{m.__name__}.{name} missing"
                ann = field.annotation
                for sub in _models_in(ann):
                    stack.append(sub)


def _models_in(tp: object) -> list[type]:
    from typing import get_args

    from pydantic import BaseModel

    found = []
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        found.append(tp)
    for arg in get_args(tp):
        found.extend(_models_in(arg))
    return found
