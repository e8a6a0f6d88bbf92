"""Privacy attacks on a tiny playbook: nothing about one person can be recovered.

The subtraction attack (a wave's mean beside the paired mean), the identifier
label attack (names and e-mail addresses as AI-outcome groups), a group where
everyone or no one was selected, and a person-level source whose ``subject:``
line was deleted. ``playbook report`` is attacked as well as the pages.
"""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import combinations
from typing import Any

from conftest import TmpPlaybook

from playbook.commands.report import report
from playbook.engine import build, load_playbook
from playbook.pages import site_pages

TODAY = date(2026, 11, 22)
K = 5  # the mini playbook's privacy.min_group_size


def _survey(pb: TmpPlaybook, pilot_pre: int, pilot_post: int) -> dict[str, float]:
    """Write a 360 export: ``pilot_pre`` pilot leaders before, the first ``pilot_post`` after."""
    rows = ["surveyed_on,score,subject,wave,group"]
    scores: dict[str, float] = {}
    for i in range(pilot_pre):
        scores[f"p{i}"] = 2.0 + 0.37 * i
        rows.append(f"2026-01-02,{scores[f'p{i}']:.2f},p{i},pre,pilot")
    for i in range(pilot_post):
        rows.append(f"2026-04-03,{3.0 + 0.21 * i:.2f},p{i},post,pilot")
    for i in range(6):
        rows.append(f"2026-01-02,{3.1 + 0.1 * i:.2f},c{i},pre,comparison")
        rows.append(f"2026-04-03,{3.2 + 0.1 * i:.2f},c{i},post,comparison")
    pb.write("data/mini/leader_360.csv", "\n".join(rows) + "\n")
    return scores


def _published_pre_means(pb: TmpPlaybook) -> list[tuple[float, int]]:
    """Every (mean, n) of the pilot's pre wave in the report and in the chart data."""
    code, text = report(pb.root, "mini", TODAY)
    assert code == 0, text
    figs = json.loads(text)
    out = [(p["value"], p["n"]) for p in figs["kpis"]["leader-360"]["points"]
           if p["group"] == "pilot" and p["wave"] == "pre" and p["value"] is not None]
    pilot = figs["behaviour"]["leader-360"]["pilot"]
    if pilot is not None:
        out.append((pilot["mean_pre"], pilot["n"]))
    data, problems = build(pb.root, TODAY)
    assert data is not None, problems.render()
    page = next(p.markdown for p in site_pages.generate(data)
                if p.path == "programs/mini/measurement.md")
    chart = re.search(r'id="chart-mini-leader-360--figure"[^>]*>(.*?)</template>', page)
    assert chart is not None
    figure: dict[str, Any] = json.loads(chart.group(1))
    for trace in figure["data"]:
        if trace.get("name") == "Pilot group":
            for x, y in zip(trace["x"], trace["y"], strict=True):
                if x.startswith("2026-01") and y is not None:
                    assert y == round(y, 2)  # published at the precision shown
                    out.append((y, -1))  # n is not in the chart; pair it with every n
    return out


def test_the_subtraction_attack_recovers_no_one(tmp_playbook: TmpPlaybook) -> None:
    scores = _survey(tmp_playbook, pilot_pre=8, pilot_post=7)  # p7 answered pre only
    target = scores["p7"]
    published = _published_pre_means(tmp_playbook)
    ns = {n for _, n in published if n > 0}
    # the pre wave is published over all 8; the paired change over the 7 who answered both
    # would give p7's answers back beside it, so the pilot's effect is withheld instead
    assert ns == {8}
    code, text = report(tmp_playbook.root, "mini", TODAY)
    behaviour = json.loads(text)["behaviour"]["leader-360"]
    assert (code, behaviour["pilot"], behaviour["withheld_groups"]) == (0, None, ["pilot"])
    candidates = []
    for (m1, n1), (m2, n2) in combinations(published, 2):
        for a, b in ((n1, n2), (n2, n1)) if n1 > 0 and n2 > 0 else \
                [(n, n - 1) for n in ns] + [(n + 1, n) for n in ns]:
            if a != b:
                candidates.append((a * m1 - b * m2) / (a - b))
    assert all(abs(c - target) > 0.05 for c in candidates), (target, candidates)


def test_with_enough_single_wave_answers_both_means_are_published(
        tmp_playbook: TmpPlaybook) -> None:
    _survey(tmp_playbook, pilot_pre=12, pilot_post=7)  # five answered pre only: >= K
    ns = sorted({n for _, n in _published_pre_means(tmp_playbook) if n > 0})
    assert ns == [7, 12] and K <= 12 - 7


def test_names_and_emails_cannot_label_a_group(tmp_playbook: TmpPlaybook) -> None:
    rows = ["employee,recommended"] + [f"Ada Quill {i},1" for i in range(6)]
    tmp_playbook.write("data/mini/recommendations.csv", "\n".join(rows) + "\n")
    tmp_playbook.edit("ai.yml", "  group: group", "  group: employee")
    _, problems = load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems.errors] == [
        "program/mini/ai.yml:10:10: outcomes.group: column 'employee' holds person "
        "identifiers; a group label must be a category (group outcomes by a category such "
        "as gender or age band)"]
    rows = ["group,recommended"] + [f"ada{i}@example.com,{i % 2}" for i in range(12)]
    tmp_playbook.write("data/mini/recommendations.csv", "\n".join(rows) + "\n")
    tmp_playbook.edit("ai.yml", "  group: employee", "  group: group")
    playbook, problems = load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems.errors] == [
        "data/mini/recommendations.csv:2:1: outcomes.group: 12 group label(s) in column "
        "'group' are e-mail addresses or phone numbers (group outcomes by a category such as "
        "gender or age band)"]
    bundle = playbook.get("mini")
    assert bundle is not None and bundle.outcomes == []  # nothing reaches the figures


def test_a_group_where_everyone_was_selected_shows_no_count(tmp_playbook: TmpPlaybook) -> None:
    rows = ["group,recommended"] + ["women,1"] * 6 + ["men,1"] * 3 + ["men,0"] * 4
    tmp_playbook.write("data/mini/recommendations.csv", "\n".join(rows) + "\n")
    code, text = report(tmp_playbook.root, "mini", TODAY)
    assert code == 0, text
    groups = {g["group"]: g for g in json.loads(text)["fairness"]["groups"]}
    assert (groups["women"]["selected"], groups["women"]["rate"]) == (None, None)
    assert groups["men"]["impact_ratio"] is None  # men's rate / 100% would reveal women's


def test_a_forgotten_subject_is_an_error_not_single_scores(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.edit("kpis.yml", "      subject: subject\n      wave: wave\n", "")
    _, problems = load_playbook(tmp_playbook.root)
    assert [str(p) for p in problems.errors] == [
        "program/mini/kpis.yml:37:7: kpis[2].source: data/mini/leader_360.csv has a column of "
        "person ids ('subject') but the source names no 'subject': single people's values "
        "would be published (add 'subject: subject' so groups smaller than the privacy "
        "minimum are suppressed)"]
    data, _ = build(tmp_playbook.root, TODAY)
    # no page is built from it: the program shows only its errors (a build stops on them)
    assert data is not None and not data.programs
    assert [str(p) for p in data.broken["mini"]] == [str(p) for p in problems.errors]
