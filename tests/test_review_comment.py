"""`playbook diff BASE HEAD`: what a signer decides on, in the comment and in JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import RunCli, TmpPlaybook

TODAY = "2026-06-10"
VENDORS = """\
criteria:
  - {id: outcomes, name: Outcome-based pricing, weight: 60}
  - {id: cost, name: Three-year cost, weight: 40}
gates: [data_ownership]
vendors:
  - id: acme
    name: Acme Coaching
    scores: {outcomes: 5, cost: 2}
    clauses: {data_ownership: yes}
    annual_cost: 50000
  - id: beta
    name: Beta <Learning> | *Ltd*
    scores: {outcomes: 2, cost: 5}
    clauses: {data_ownership: yes}
    annual_cost: 30000
"""
"""Two vendors passing the gate; weighted 60/40 Acme leads (3.8 to 3.2)."""


def git(repo: Path, *args: str, author: str = "Ada Quill") -> str:
    """Run git in ``repo`` as ``author``; return its output."""
    return subprocess.run(
        ["git", "-C", str(repo), "-c", f"user.name={author}",
         "-c", "user.email=editor@example.invalid", *args],
        check=True, capture_output=True, text=True).stdout


def two_commits(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    """A signed program, then one commit moving a KPI target and the vendor weights."""
    tmp_playbook.write("vendors.yml", VENDORS)
    git(tmp_playbook.root, "init", "-q")
    git(tmp_playbook.root, "add", "-A")
    git(tmp_playbook.root, "commit", "-qm", "Mini program")
    code, _, err = run_cli("sign", "mini", "--role", "sponsor", "--date", "2026-05-01",
                           "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    git(tmp_playbook.root, "commit", "-qam", "Sponsor signs 1.0.0")
    tmp_playbook.edit("kpis.yml", "target: {value: 24, by: 2026-12-31}",
                      "target: {value: 16, by: 2026-03-31}")
    tmp_playbook.edit("vendors.yml", "weight: 60}", "weight: 30}")
    tmp_playbook.edit("vendors.yml", "weight: 40}", "weight: 70}")
    tmp_playbook.edit("program.yml", "\nversion: 1.0.0", "\nversion: 1.1.0")
    git(tmp_playbook.root, "commit", "-qam", "Cost first; start-time target by March",
        author="Bo Lind")


COMMENT = """\
### mini

**New leading vendor: Beta &lt;Learning&gt; \\| \\*Ltd\\* (was Acme Coaching).**

Vendor ranking before and after:

| Vendor | Rank before | Score before | Rank after | Score after |
| --- | --- | --- | --- | --- |
| Beta &lt;Learning&gt; \\| \\*Ltd\\* | 2 | 3.2 | 1 | 4.1 |
| Acme Coaching | 1 | 3.8 | 2 | 2.9 |

- KPI status <code>start-time</code>: on-track → at-risk

This change makes these sign-offs stale: sponsor \\(Ada Quill, 2026-05-01, version 1.0.0\\). \
They must sign again.

| Kind | File | Field | Before | After |
| --- | --- | --- | --- | --- |
| target | kpis.yml | <code>kpis\\[start-time\\].target.value</code> | 24.0 | 16.0 |
| weight | vendors.yml | <code>criteria\\[cost\\].weight</code> | 40.0 | 70.0 |
| weight | vendors.yml | <code>criteria\\[outcomes\\].weight</code> | 60.0 | 30.0 |
| date | kpis.yml | <code>kpis\\[start-time\\].target.by</code> | 2026-12-31 | 2026-03-31 |
| other | program.yml | <code>version</code> | 1.0.0 | 1.1.0 |
"""

# then what is still to do at the head: the stale sign-off, which no policy requires here
COMMENT += """
### Pending

1 item(s) pending; the publishing policy requires none of them, so the sign-off status \
passes and they are shown on the site.

| Code | Where | What | Required |
| --- | --- | --- | --- |
| <code>signoff-stale</code> | <code>program/mini/program.yml:\u200d54</code> | sign-off by \
sponsor \\(Ada Quill, 2026-05-01\\) is stale: the program changed after it was signed | no |
"""


def test_the_comment_names_values_the_new_winner_and_stale_sign_offs(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    two_commits(tmp_playbook, run_cli)
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--today", TODAY,
                             "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    assert out == COMMENT
    # the options say the same as the positional revisions
    assert run_cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--today", TODAY,
                   "--dir", tmp_playbook.root)[1] == COMMENT
    assert run_cli("diff", "HEAD~1", "--head", "HEAD", "--today", TODAY,
                   "--dir", tmp_playbook.root)[1] == COMMENT


def test_a_revision_given_twice_is_refused(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    two_commits(tmp_playbook, run_cli)
    assert run_cli("diff", "HEAD~1", "--base", "HEAD~1", "--dir", tmp_playbook.root) == (
        2, "", "playbook diff: give the base revision once: BASE or --base, not both\n")


def test_the_json_carries_the_same_facts(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    two_commits(tmp_playbook, run_cli)
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
                             "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["base"], report["head"]) == (
        git(tmp_playbook.root, "rev-parse", "HEAD~1").strip(),
        git(tmp_playbook.root, "rev-parse", "HEAD").strip())
    assert [(c["field"], c["before"], c["after"], c["kind"]) for c in report["changes"]] == [
        ("version", "1.0.0", "1.1.0", "other"),
        ("criteria[cost].weight", 40.0, 70.0, "weight"),
        ("criteria[outcomes].weight", 60.0, 30.0, "weight"),
        ("kpis[start-time].target.by", "2026-12-31", "2026-03-31", "date"),
        ("kpis[start-time].target.value", 24.0, 16.0, "target")]
    (mini,) = report["impact"]
    assert mini["vendors"] == {
        "before": [
            {"vendor_id": "acme", "name": "Acme Coaching", "rank": 1, "weighted": 3.8},
            {"vendor_id": "beta", "name": "Beta <Learning> | *Ltd*", "rank": 2,
             "weighted": 3.2}],
        "after": [
            {"vendor_id": "beta", "name": "Beta <Learning> | *Ltd*", "rank": 1,
             "weighted": 4.1},
            {"vendor_id": "acme", "name": "Acme Coaching", "rank": 2, "weighted": 2.9}],
        "leaders_before": ["Acme Coaching"], "leaders_after": ["Beta <Learning> | *Ltd*"],
        "new_leader": True}
    assert mini["kpi_status"] == [
        {"item": "start-time", "before": "on-track", "after": "at-risk"}]
    assert (mini["gates"], mini["phases"], mini["milestones"], mini["stakeholders"],
            mini["budget"]) == ([], [], [], [], None)
    assert [(s["program"], s["role"], s["version"]) for s in report["stale_signoffs"]] == [
        ("mini", "sponsor", "1.0.0")]


def test_plan_people_and_money_moves_are_summarised(
        tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    git(tmp_playbook.root, "init", "-q")
    git(tmp_playbook.root, "add", "-A")
    git(tmp_playbook.root, "commit", "-qm", "base")
    tmp_playbook.edit("roadmap.yml", "at_least: 50", "at_least: 65")
    tmp_playbook.edit("roadmap.yml", "days: [91, 180]", "days: [91, 200]")
    tmp_playbook.edit("roadmap.yml", "days: [181, 365]", "days: [201, 365]")  # no overlap
    tmp_playbook.edit("budget.yml", "year: 2, amount: 20000}", "year: 2, amount: 30000}")
    tmp_playbook.edit("program.yml", 'sponsor: {name: Ada Quill, title: COO, handle: "@aquill"}',
                      'sponsor: {name: "Kit [Finance]", title: CFO}')
    code, out, err = run_cli("diff", "HEAD", "--today", TODAY, "--dir", tmp_playbook.root)
    assert (code, err) == (0, "")
    bullets = [line for line in out.splitlines() if line.startswith("- ")]
    assert bullets[:4] == [
        "- Gate <code>pilot / board-use</code>: ≥ 50 → ≥ 65",
        "- Phase <code>scale</code>: days 91–180 → 91–200",
        "- Phase <code>sustain</code>: days 181–365 → 201–365",
        "- Stakeholder <code>sponsor</code>: name Ada Quill → Kit \\[Finance\\]; "
        "title COO → CFO; handle @\u200daquill → —",  # no mention: a joiner after @
    ]
    # year-2 costs leave the first-year headline where it was; the TCO moves
    assert bullets[4] == ("- Budget: TCO EUR 99,200 → EUR 109,200 (+EUR 10,000); first-year "
                          "ROI -100%, unchanged")
