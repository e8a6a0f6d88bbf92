"""The portfolio warns: programs that need attention come first, each with its reasons."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from conftest import RunCli, TmpPlaybook

from playbook.engine import build
from playbook.figures.attention import Concern, ConcernKind, concerns
from playbook.figures.site import SiteData
from playbook.pages.portfolio import portfolio

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)


def _site(root: Path, today: date = TODAY) -> SiteData:
    data, problems = build(root, today)
    assert data is not None, problems.errors
    return data


def _section(page: str, title: str) -> str:
    """The text of one ``## title`` section of a page."""
    start = page.index(f"\n## {title}\n")
    end = page.find("\n## ", start + 1)
    return page[start:end if end >= 0 else None]


def _row(section: str, program_id: str) -> str:
    rows = [line for line in section.splitlines() if f"]({program_id}/index.md)" in line]
    assert len(rows) == 1, section
    return rows[0]


def test_four_fifths_flag_and_stale_sign_off_come_first(tmp_path: Path) -> None:
    """A copy of the example whose decision-velocity sign-offs are made stale."""
    for folder in ("program", "data"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    program = tmp_path / "program" / "decision-velocity" / "program.yml"
    text = program.read_text(encoding="utf-8")
    assert text.count("settle launch priorities in one") == 1
    program.write_text(text.replace("settle launch priorities in one",
                                    "settle launch priorities in a single"), encoding="utf-8")
    page = portfolio(_site(tmp_path))
    attention = _section(page, "Needs attention")
    assert page.index("## Needs attention") < page.index("## Programs")
    approval = _row(attention, "approval-velocity")
    assert "Four-fifths flag" in approval and "review by HR, legal and DEI" in approval
    decision = _row(attention, "decision-velocity")
    assert '<span class="pb-chip pb-chip--stale">Stale sign-off</span> [changed since signed by ' \
           "Sponsor, Business owner, L&amp;D owner](decision-velocity/people.md)" in decision
    # the full list follows, in the same order
    programs = _section(page, "Programs")
    assert programs.index("](approval-velocity/") < programs.index("](decision-velocity/")


def test_the_example_names_every_concern_it_has() -> None:
    site = _site(REPO)
    found = {v.id: [c.kind for c in concerns(v.figures)] for v in site.programs}
    assert found == {
        "approval-velocity": [ConcernKind.FOUR_FIFTHS, ConcernKind.NOT_SIGNED],
        "decision-velocity": [ConcernKind.STALE_DATA],
    }


def test_a_program_with_no_concern_is_listed_after_the_sentence(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    for role in ("sponsor", "business_owner", "ld_owner"):
        run_cli("sign", "mini", "--role", role, "--date", "2026-05-01",
                "--dir", tmp_playbook.root)
    site = _site(tmp_playbook.root, date(2026, 2, 1))
    assert concerns(site.programs[0].figures) == []
    page = portfolio(site)
    assert _section(page, "Needs attention").strip().endswith(
        "No program has a four-fifths flag, a missing or stale sign-off, an overdue review "
        "or stale data.")
    assert "day 27" in _row(_section(page, "Programs"), "mini")


def test_each_kind_of_concern_is_found(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
            "--dir", tmp_playbook.root)
    tmp_playbook.edit("kpis.yml", "target: {value: 24,", "target: {value: 22,")
    reviews = tmp_playbook.read("reviews.yml")
    tmp_playbook.write("reviews.yml", reviews[:reviews.index("  - day: 180")])  # none since
    late = concerns(_site(tmp_playbook.root, date(2027, 6, 1)).programs[0].figures)
    kinds = [c.kind for c in late]
    assert kinds[:2] == [ConcernKind.NOT_SIGNED, ConcernKind.STALE_SIGNOFF]
    assert late[0] == Concern(ConcernKind.NOT_SIGNED, ("business_owner", "ld_owner"))
    assert late[1] == Concern(ConcernKind.STALE_SIGNOFF, ("sponsor",))
    assert ConcernKind.OVERDUE_REVIEW in kinds and ConcernKind.STALE_DATA in kinds
