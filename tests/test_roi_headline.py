"""The ROI headline where the cases disagree in sign, break-even that needs no
improvement, and the population a cost per participant is over: on the pages."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from playbook.commands.report import report
from playbook.engine import build
from playbook.pages.site_pages import generate

ROOT = Path(__file__).resolve().parents[1]
PID = "decision-velocity"
TODAY = date(2026, 11, 22)
BUDGET = f"program/{PID}/budget.yml"
YEAR_2 = "year: 2, amount: 250000, isolation: 0.4"
YEAR_1 = "year: 1, amount: 30000, isolation: 0.5"


def example(tmp_path: Path, old: str, new: str) -> Path:
    for part in ("program", "data"):
        shutil.copytree(ROOT / part / PID, tmp_path / part / PID)
    path = tmp_path / BUDGET
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def pages(root: Path) -> dict[str, str]:
    site, problems = build(root, TODAY)
    assert site is not None, problems.render()
    return {p.path.rsplit("/", 1)[-1]: str(p.markdown) for p in generate(site)
            if f"/{PID}/" in p.path}


def roi_json(root: Path) -> dict[str, object]:
    code, text = report(root, PID, TODAY)
    assert code == 0, text
    data = json.loads(text)["roi"]
    assert isinstance(data, dict)
    return data


def test_cases_of_different_sign_show_both_on_the_overview_and_budget(tmp_path: Path) -> None:
    # a large year-2 benefit: the first year still loses, the three years gain
    root = example(tmp_path, YEAR_2, "year: 2, amount: 2500000, isolation: 0.4")
    roi = roi_json(root)
    head, other = roi["headline"], roi["sensitivity"]
    assert isinstance(head, dict) and isinstance(other, dict)
    assert head["range"]["p50"] < 0 < other["range"]["p50"] and roi["signs_differ"] is True
    shown = pages(root)
    assert "; the 3-year case disagrees in sign: ROI " in shown["index.md"]
    assert '!!! warning "The first-year and multi-year cases disagree in sign"' in (
        shown["budget.md"])
    plain = pages(example(tmp_path / "plain", "", ""))
    assert "disagrees in sign" not in plain["index.md"]
    assert "disagree in sign" not in plain["budget.md"]


def test_break_even_below_zero_reads_as_none_needed(tmp_path: Path) -> None:
    # a year-1 benefit that covers the year-1 costs on its own
    root = example(tmp_path, YEAR_1, "year: 1, amount: 2000000, isolation: 0.5")
    (kpi,) = roi_json(root)["kpi_benefits"]  # type: ignore[misc]
    assert kpi["break_even"] < 0
    budget = pages(root)["budget.md"]
    assert "none needed: the other benefits already cover the costs" in budget
    assert f"{kpi['break_even']:.2f}" not in budget


def test_cost_per_participant_says_whose(tmp_path: Path) -> None:
    budget = pages(example(tmp_path, "", ""))["budget.md"]
    assert ("(year-1 costs over the pilot cohort of 30 only; a budget that covers more "
            "leaders than the pilot costs less per leader: declare participants in "
            "budget.yml)") in budget
    declared = example(tmp_path / "declared", "currency: USD\n",
                       "currency: USD\nparticipants: 200\n")
    roi = roi_json(declared)
    assert roi["participants"] == 200 and roi["participants_declared"] is True
    assert "total cost of ownership over 200 participants" in pages(declared)["budget.md"]


def test_new_fields_at_their_defaults_leave_sign_offs_current(tmp_path: Path) -> None:
    from playbook.engine import load_playbook
    from playbook.load.signoffs import digest

    def now(root: Path) -> str:
        bundle = load_playbook(root)[0].get(PID)
        assert bundle is not None
        return digest(bundle)

    before = now(example(tmp_path / "a", "", ""))
    assert now(example(tmp_path / "b", "currency: USD\n",
                       "currency: USD\nnpv_timing: end\n")) == before
    assert now(example(tmp_path / "c", "currency: USD\n",
                       "currency: USD\nnpv_timing: mid\n")) != before
