"""Bad-input corpus: one bad edit to the mini playbook, one exact problem line.

Each case breaks the valid mini playbook in one way and asserts the whole
rendered output of ``playbook check``: every problem line (so no other problem
appears), the exit code (with and without ``--strict``), and that checking
changed no file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from conftest import RunCli, TmpPlaybook

from playbook.engine import load_playbook

Edit = Callable[[TmpPlaybook], None]


def edit(relpath: str, old: str, new: str) -> Edit:
    return lambda pb: pb.edit(relpath, old, new)


def write(relpath: str, text: str) -> Edit:
    return lambda pb: pb.write(relpath, text)


def together(*edits: Edit) -> Edit:
    def apply(pb: TmpPlaybook) -> None:
        for one in edits:
            one(pb)

    return apply


def remove_attribution(pb: TmpPlaybook) -> None:
    text = pb.read("kpis.yml")
    head, _, tail = text.partition("attribution:\n")
    pb.write("kpis.yml", head + tail[tail.index("privacy:"):])


def rename(relpath: str, new_name: str) -> Edit:
    def apply(pb: TmpPlaybook) -> None:
        file = pb.path(relpath)
        file.rename(file.with_name(new_name))

    return apply


@dataclass
class Case:
    id: str
    apply: Edit
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


KNOWN_KPIS = "(known: board-use, leader-360, start-time)"
EXTRA_KPIS = """\
  - {id: nps, name: Requester NPS, kind: business, unit: points, direction: increase,
     baseline: {value: 10, date: 2025-12-31}, target: {value: 20, by: 2026-12-31},
     cadence: quarterly, owner: sponsor}
  - {id: margin, name: Project margin, kind: business, unit: percent, direction: increase,
     baseline: {value: 12, date: 2025-12-31}, target: {value: 14, by: 2026-12-31},
     cadence: quarterly, owner: sponsor}
attribution:"""
LEADER_360_WITH_EMAIL = """\
surveyed_on,score,subject,wave,group,email
2026-01-02,3.1,p-3fa91c07,pre,pilot,a@example.org
2026-01-02,3.3,p-8b20d4e1,pre,pilot,b@example.org
2026-04-03,3.6,p-3fa91c07,post,pilot,a@example.org
2026-04-03,3.7,p-8b20d4e1,post,pilot,b@example.org
"""

CASES = [
    # --- YAML syntax ----------------------------------------------------------------
    Case("yaml-unclosed-bracket",
         edit("competencies.yml", "levels: [team-lead, manager]", "levels: [team-lead, manager"),
         ["program/mini/competencies.yml:2:9: invalid YAML: '[' is not closed "
          "(end it with ']' and separate its items with commas)"]),
    Case("yaml-tab-indentation",
         edit("roadmap.yml", "    phase: pilot\n    day: 7", "    phase: pilot\n\tday: 7"),
         ["program/mini/roadmap.yml:14:1: tab character in YAML (indent with spaces, never tabs)"]),
    Case("yaml-duplicate-key",
         edit("program.yml", "status: pilot\n", "status: pilot\ntitle: Another title\n"),
         ["program/mini/program.yml:6:1: title: duplicate key 'title', first at line 3 "
          "(keep one of them)"]),
    Case("yaml-recursive-alias",
         edit("program.yml", "functions: [Delivery, Sales]", "functions: &f [Delivery, *f]"),
         ["program/mini/program.yml:33:14: pilot.functions[1]: an alias refers to the "
          "collection that contains it (write the values out instead of the `*` alias)",
          "program/mini/program.yml:33:14: pilot.functions[1]: expected text, got nothing"]),
    Case("yaml-top-level-list",
         edit("reviews.yml", "reviews:\n  - day: 90", "- reviews:\n  - day: 90"),
         ["program/mini/reviews.yml:2:1: expected a mapping of keys to values at the top of "
          "the file, got a list of 1"]),
    Case("yaml-utf8-bom-loads",
         lambda pb: pb.write_bytes("program.yml",
                                   b"\xef\xbb\xbf" + pb.path("program.yml").read_bytes())),
    # --- unknown keys and files ----------------------------------------------------
    Case("unknown-key-with-suggestion",
         edit("kpis.yml", "target: {value: 24", "tagret: {value: 24"),
         ["program/mini/kpis.yml:9:5: kpis[0]: unknown field 'tagret' in KPI "
          "(did you mean 'target'?)"]),
    Case("unknown-key-without-close-match",
         edit("kpis.yml", "    cadence: monthly\n    owner: business_owner",
              "    cadence: monthly\n    colour: blue\n    owner: business_owner"),
         ["program/mini/kpis.yml:11:5: kpis[0]: unknown field 'colour' in KPI (known fields: "
          "id, name, kind, unit, direction, baseline, target, cadence, owner, source, "
          "monetization, description, measure, level)"]),
    Case("unknown-key-at-top-of-file",
         edit("kpis.yml", "privacy:", "colour: blue\nprivacy:"),
         ["program/mini/kpis.yml:48:1: unknown field 'colour' in kpis.yml "
          "(known fields: kpis, attribution, privacy)"]),
    Case("unknown-key-in-hypothesis",
         edit("program.yml", "      behaviors: [board-staffing]",
              "      behaviours: [board-staffing]"),
         ["program/mini/program.yml:20:7: strategy.hypotheses[0]: unknown field 'behaviours' in "
          "hypothesis (did you mean 'behaviors'?)"]),
    Case("misspelt-file-name",
         rename("kpis.yml", "kpi.yml"),
         ["program/mini/kpi.yml:1:1: unknown program file 'kpi.yml' (did you mean 'kpis.yml'?)"],
         ["program/mini/program.yml:2:1: finding no-kpis: no kpis.yml: the program names no "
          "measurement "
          "plan (add kpis.yml with business and behaviour KPIs)"]),
    # --- wrong types ---------------------------------------------------------------
    Case("text-for-number",
         edit("kpis.yml", "{value: 30,", "{value: thirty,"),
         ["program/mini/kpis.yml:8:23: kpis[0].baseline.value: expected a number, got 'thirty'"]),
    Case("quoted-number-is-text",
         edit("kpis.yml", "{value: 30,", "{value: \"30\","),
         ["program/mini/kpis.yml:8:23: kpis[0].baseline.value: expected a number, got '30' "
          "(remove the quotes)"]),
    Case("yes-is-not-true",
         edit("ai.yml", "human_in_the_loop: true", "human_in_the_loop: yes"),
         ["program/mini/ai.yml:6:24: tools[0].human_in_the_loop: expected true or false, "
          "got 'yes' (YAML 1.2 reads yes/no as text)"]),
    Case("number-with-thousands-separator",
         edit("budget.yml", "amount: 10000}", "amount: \"10,000\"}"),
         ["program/mini/budget.yml:5:43: costs[1].amount: expected a number, got '10,000' "
          "(write it without separators: 10000)"]),
    Case("lowercase-currency",
         edit("budget.yml", "currency: EUR", "currency: eur"),
         ["program/mini/budget.yml:2:11: currency: expected an ISO currency code such as "
          "'USD' or 'EUR', got 'eur' (write 'EUR')"]),
    Case("empty-kpi-list",
         lambda pb: pb.write("kpis.yml", "kpis:\n"),
         ["program/mini/kpis.yml:1:6: kpis: expected a list, got nothing "
          "(list at least one item, or write [])"]),
    Case("text-for-whole-number",
         edit("program.yml", "cohort_size: 24", "cohort_size: 24.5"),
         ["program/mini/program.yml:32:16: pilot.cohort_size: expected a whole number, "
          "got the number 24.5"]),
    Case("number-for-list",
         edit("program.yml", "functions: [Delivery, Sales]", "functions: 2"),
         ["program/mini/program.yml:33:14: pilot.functions: expected a list, got the number 2"]),
    Case("bad-date-month-13",
         edit("program.yml", "start: 2026-01-05", "start: 2026-13-01"),
         ["program/mini/program.yml:6:8: start: expected a date YYYY-MM-DD, got '2026-13-01' "
          "(there is no month 13)"]),
    Case("bad-date-february-30",
         edit("reviews.yml", "date: 2026-04-06", "date: 2026-02-30"),
         ["program/mini/reviews.yml:4:11: reviews[0].date: expected a date YYYY-MM-DD, "
          "got '2026-02-30' (February 2026 has 28 days)"]),
    Case("bad-enum-value",
         edit("program.yml", "status: pilot", "status: piloting"),
         ["program/mini/program.yml:5:9: status: expected one of 'draft', 'pilot', 'scaling', "
          "'sustaining' or 'retired', got 'piloting'"]),
    Case("bad-id",
         edit("competencies.yml", "id: clear-brief", "id: Upper_Case"),
         ["program/mini/competencies.yml:13:9: behaviors[1].id: expected a lowercase kebab-case "
          "id such as 'decision-latency', got 'Upper_Case'"]),
    Case("missing-required-field",
         edit("program.yml", "title: Mini staffing program\n", ""),
         ["program/mini/program.yml:2:1: required field 'title' is missing (add 'title:')"]),
    Case("two-missing-required-fields",
         together(edit("program.yml", "title: Mini staffing program\n", ""),
                  edit("program.yml", "version: 1.0.0\n", "")),
         ["program/mini/program.yml:2:1: required field 'title' is missing (add 'title:')",
          "program/mini/program.yml:2:1: required field 'version' is missing "
          "(add 'version:')"]),
    Case("empty-text",
         edit("program.yml", "title: Mini staffing program", "title:"),
         ["program/mini/program.yml:3:7: title: expected text, got nothing"]),
    Case("days-one-number",
         edit("roadmap.yml", "days: [0, 90]", "days: [0]"),
         ["program/mini/roadmap.yml:5:11: phases[0].days: expected a list of two numbers "
          "[first, last], got a list of 1"]),
    Case("days-three-numbers",
         edit("roadmap.yml", "days: [0, 90]", "days: [0, 45, 90]"),
         ["program/mini/roadmap.yml:5:11: phases[0].days: expected a list of two numbers "
          "[first, last], got a list of 3"]),
    Case("gate-without-bound",
         edit("roadmap.yml", "      - kpi: board-use\n        at_least: 50",
              "      - kpi: board-use"),
         ["program/mini/roadmap.yml:7:9: phases[0].gate[0]: a gate needs `at_least` or "
          "`at_most`"]),
    Case("empty-criteria",
         write("vendors.yml", "criteria: []\n"),
         ["program/mini/vendors.yml:1:11: criteria: expected at least 1 item, got 0"]),
    # --- ids and references --------------------------------------------------------
    Case("duplicate-id",
         edit("competencies.yml", "id: clear-brief", "id: board-staffing"),
         ["program/mini/competencies.yml:13:9: behaviors[1].id: duplicate behaviour id "
          "'board-staffing' (ids must be unique within their list)"]),
    Case("behaviour-to-decision",
         edit("competencies.yml", "decision: staffing\n    kpis: [start-time]\n    metric: leader",
              "decision: hiring\n    kpis: [start-time]\n    metric: leader"),
         ["program/mini/competencies.yml:15:15: behaviors[1].decision: unknown decision "
          "'hiring' (known: staffing)"]),
    Case("behaviour-to-kpi",
         edit("competencies.yml", "kpis: [start-time]\n    metric: board-use",
              "kpis: [start-tme]\n    metric: board-use"),
         [f"program/mini/competencies.yml:7:12: behaviors[0].kpis[0]: unknown KPI 'start-tme' "
          f"{KNOWN_KPIS}"]),
    Case("behaviour-metric",
         edit("competencies.yml", "metric: board-use", "metric: board-usage"),
         [f"program/mini/competencies.yml:8:13: behaviors[0].metric: unknown KPI 'board-usage' "
          f"{KNOWN_KPIS}"]),
    Case("hypothesis-to-behaviour",
         edit("program.yml", "behaviors: [board-staffing]",
              "behaviors: [board-staffing, listening]"),
         ["program/mini/program.yml:20:35: strategy.hypotheses[0].behaviors[1]: unknown "
          "behaviour 'listening' (known: board-staffing, clear-brief)"]),
    Case("hypothesis-to-kpi",
         edit("program.yml", "kpis: [start-time]", "kpis: [nps]"),
         [f"program/mini/program.yml:21:14: strategy.hypotheses[0].kpis[0]: unknown KPI 'nps' "
          f"{KNOWN_KPIS}"]),
    Case("milestone-to-phase",
         edit("roadmap.yml", "phase: sustain", "phase: sustained"),
         ["program/mini/roadmap.yml:19:12: milestones[1].phase: unknown phase 'sustained' "
          "(known: pilot, scale, sustain)"]),
    Case("milestone-owner-without-person",
         edit("roadmap.yml", "owner: sponsor", "owner: it_ai_lead"),
         ["program/mini/roadmap.yml:21:12: milestones[1].owner: role 'it_ai_lead' has no "
          "person in stakeholders (add stakeholders.it_ai_lead to program.yml)"]),
    Case("milestone-outside-phase",
         edit("roadmap.yml", "day: 7", "day: 120"),
         ["program/mini/roadmap.yml:14:10: milestones[0].day: day 120 is outside phase 'pilot' "
          "(days 0–90)"]),
    Case("gate-to-kpi",
         edit("roadmap.yml", "kpi: board-use", "kpi: board-usage"),
         [f"program/mini/roadmap.yml:7:14: phases[0].gate[0].kpi: unknown KPI 'board-usage' "
          f"{KNOWN_KPIS}"]),
    Case("kpi-owner-without-person",
         edit("kpis.yml", "owner: ld_owner", "owner: it_ai_lead"),
         ["program/mini/kpis.yml:25:12: kpis[1].owner: role 'it_ai_lead' has no person in "
          "stakeholders (add stakeholders.it_ai_lead to program.yml)"]),
    Case("ai-tool-to-vendor",
         edit("ai.yml", "vendor: acme", "vendor: acme-ai"),
         ["program/mini/ai.yml:4:13: tools[0].vendor: unknown vendor 'acme-ai' (known: acme)"]),
    Case("criteria-to-level",
         edit("competencies.yml", "manager: Sends", "director: Sends"),
         ["program/mini/competencies.yml:12:7: behaviors[0].criteria.director: unknown level "
          "'director' (known: manager, team-lead)"]),
    Case("raci-role-without-person",
         edit("program.yml", "    business_owner: C\n", "    business_owner: C\n"
              "    it_ai_lead: I\n"),
         ["program/mini/program.yml:44:17: raci[0].it_ai_lead: role 'it_ai_lead' "
          "has no person in stakeholders (add stakeholders.it_ai_lead or remove it from "
          "this activity)"]),
    Case("raci-no-accountable",
         edit("program.yml", "    sponsor: A\n", "    sponsor: R\n"),
         ["program/mini/program.yml:41:15: raci[0].activity: activity needs exactly one A "
          "(accountable), found none (give one role A; others R, C or I)"]),
    Case("raci-two-accountable",
         edit("program.yml", "    business_owner: C\n", "    business_owner: A\n"),
         ["program/mini/program.yml:41:15: raci[0].activity: activity needs exactly one A "
          "(accountable), found sponsor, business_owner (give one role A; others R, C or I)"]),
    # --- numbers that must add up ---------------------------------------------------
    Case("vendor-weights-off-100",
         edit("vendors.yml", "weight: 40", "weight: 30"),
         ["program/mini/vendors.yml:3:3: criteria: criteria weights sum to 90, not 100 "
          "(adjust the weights so they add up to 100)"]),
    Case("vendor-score-6",
         edit("vendors.yml", "outcomes: 4", "outcomes: 6"),
         ["program/mini/vendors.yml:9:24: vendors[0].scores.outcomes: score 6 is outside 1–5 "
          "(1 is poor, 5 is excellent)"]),
    Case("vendor-score-missing",
         edit("vendors.yml", "scores: {outcomes: 4, cost: 3}", "scores: {outcomes: 4}"),
         ["program/mini/vendors.yml:9:13: vendors[0].scores: no score for cost "
          "(score every criterion from 1 to 5)"]),
    Case("vendor-score-for-unknown-criterion",
         edit("vendors.yml", "scores: {outcomes: 4, cost: 3}",
              "scores: {outcomes: 4, cost: 3, speed: 5}"),
         ["program/mini/vendors.yml:9:36: vendors[0].scores.speed: unknown criterion 'speed' "
          "(known: cost, outcomes)"]),
    Case("vendor-clause-for-unknown-gate",
         edit("vendors.yml", "ai_audit: partial}", "ai_audit: partial, exit: yes}"),
         ["program/mini/vendors.yml:10:55: vendors[0].clauses.exit: unknown gate 'exit' "
          "(known: ai_audit, data_ownership)"]),
    Case("target-date-before-baseline",
         edit("kpis.yml", "by: 2026-12-31", "by: 2025-06-30"),
         ["program/mini/kpis.yml:9:29: kpis[0].target.by: target date 2025-06-30 is not after "
          "the baseline date 2025-12-31"]),
    Case("target-wrong-direction",
         edit("kpis.yml", "{value: 24,", "{value: 34,"),
         ["program/mini/kpis.yml:9:21: kpis[0].target.value: target 34 is not below the "
          "baseline 30, but the direction is 'decrease' (fix the target or the direction)"]),
    Case("phases-out-of-order",
         edit("roadmap.yml", "days: [91, 180]", "days: [50, 180]"),
         ["program/mini/roadmap.yml:9:36: phases[1].days: phase starts on day 50, before the "
          "previous phase ends on day 90 (list phases in order without overlap)"]),
    Case("phase-backwards",
         edit("roadmap.yml", "days: [91, 180]", "days: [180, 91]"),
         ["program/mini/roadmap.yml:9:36: phases[1].days: phase ends on day 91, before it "
          "starts on day 180 (write the days as [first, last])"]),
    Case("phase-beyond-365",
         edit("roadmap.yml", "days: [181, 365]", "days: [181, 400]"),
         ["program/mini/roadmap.yml:10:40: phases[2].days: days [181, 400] fall outside the "
          "roadmap's days 0–365 (count days from the program's start, up to day 365)"]),
    Case("program-id-not-folder",
         edit("program.yml", "id: mini", "id: maxi"),
         ["program/mini/program.yml:2:5: id: program id 'maxi' differs from its folder 'mini' "
          "(set 'id: mini' or rename the folder)"]),
    # --- CSV data ------------------------------------------------------------------
    Case("csv-bad-date",
         edit("data/mini/start_time.csv", "2026-01-31,28.0", "2026-01-32,28.0"),
         ["data/mini/start_time.csv:4:1: kpis[0].source.date: '2026-01-32' in column 'month' "
          "is not a date YYYY-MM-DD (January 2026 has 31 days)"]),
    Case("csv-european-date",
         edit("data/mini/start_time.csv", "2026-01-31,28.0", "31.01.2026,28.0"),
         ["data/mini/start_time.csv:4:1: kpis[0].source.date: '31.01.2026' in column 'month' "
          "is not a date YYYY-MM-DD (write 2026-01-31)"]),
    Case("csv-ambiguous-date",
         edit("data/mini/start_time.csv", "2026-01-31,28.0", "01/02/2026,28.0"),
         ["data/mini/start_time.csv:4:1: kpis[0].source.date: '01/02/2026' in column 'month' "
          "is not a date YYYY-MM-DD (export dates as YYYY-MM-DD: day and month order cannot "
          "be told apart here, or declare the format: read: {date_format: '%d/%m/%Y'})"]),
    Case("csv-datetime-export-is-read-as-its-date",
         edit("data/mini/start_time.csv", "2026-01-31,28.0", "2026-01-31T00:00:00Z,28.0"),
         []),
    Case("csv-text-in-number-column",
         edit("data/mini/start_time.csv", "28.0,pilot", "n/a,pilot"),
         ["data/mini/start_time.csv:4:2: kpis[0].source.value: 'n/a' in column 'days' is not "
          "a number (declare it as missing if it means 'not measured': read: {missing: "
          "['n/a']})"]),
    Case("csv-empty-value",
         edit("data/mini/start_time.csv", "28.0,pilot", ",pilot"),
         ["data/mini/start_time.csv:4:2: kpis[0].source.value: empty value in column 'days' "
          "(fill it in, delete the row, or declare it: read: {missing: [\"\"]})"]),
    Case("csv-bad-group",
         edit("data/mini/start_time.csv", "28.0,pilot", "28.0,control"),
         # no guess that changes meaning: 'control' is spelled like neither label
         ["data/mini/start_time.csv:4:3: kpis[0].source.group: 'control' in column 'group' is "
          "not one of pilot, comparison (translate it to the group it stands for, one of "
          "pilot, comparison: read: {values: {group: {'control': …}}})"]),
    Case("csv-misspelt-group",
         edit("data/mini/start_time.csv", "28.0,pilot", "28.0,pilots"),
         ["data/mini/start_time.csv:4:3: kpis[0].source.group: 'pilots' in column 'group' is "
          "not one of pilot, comparison (translate it: read: {values: {group: {'pilots': "
          "pilot}}})"]),
    Case("csv-bad-wave",
         edit("data/mini/leader_360.csv", "3.6,p-3fa91c07,post", "3.6,p-3fa91c07,after"),
         ["data/mini/leader_360.csv:12:4: kpis[2].source.wave: 'after' in column 'wave' is not "
          "one of pre, post (translate it to the wave it stands for, one of pre, post: read: "
          "{values: {wave: {'after': …}}})"]),
    Case("csv-decimal-comma",
         edit("data/mini/start_time.csv", "28.0,pilot", "\"28,5\",pilot"),
         ["data/mini/start_time.csv:4:2: kpis[0].source.value: '28,5' in column 'days' is "
          "not a number (the file writes decimals with a comma: declare it: read: "
          "{decimal: ','})"]),
    Case("csv-bad-selected",
         edit("data/mini/recommendations.csv", "women,0\nwomen,1", "women,maybe\nwomen,1"),
         ["data/mini/recommendations.csv:3:2: outcomes.selected: 'maybe' in column "
          "'recommended' is not 1 or 0"]),
    Case("csv-missing-column",
         edit("kpis.yml", "value: days", "value: day_count"),
         ["program/mini/kpis.yml:15:14: kpis[0].source.value: column 'day_count' is not in "
          "data/mini/start_time.csv; its columns are: month, days, group"]),
    Case("csv-missing-column-close-match",
         edit("kpis.yml", "value: days", "value: dayz"),
         ["program/mini/kpis.yml:15:14: kpis[0].source.value: column 'dayz' is not in "
          "data/mini/start_time.csv; its columns are: month, days, group "
          "(did you mean 'days'?)"]),
    Case("csv-utf8-bom-loads",
         lambda pb: pb.write_bytes("data/mini/board_use.csv",
                                   b"\xef\xbb\xbf" + pb.path("data/mini/board_use.csv")
                                   .read_bytes())),
    Case("csv-semicolon-decimal-comma-loads",
         write("data/mini/start_time.csv",
               "month;days;group\n2025-12-31;30,5;pilot\n2025-12-31;29,5;comparison\n"
               "2026-01-31;28;pilot\n2026-01-31;29;comparison\n")),
    Case("csv-empty-file",
         write("data/mini/board_use.csv", ""),
         ["data/mini/board_use.csv:1:1: empty file: no header and no rows "
          "(export the data with a header row)"]),
    Case("csv-identifier-column",
         write("data/mini/leader_360.csv", LEADER_360_WITH_EMAIL),
         ["data/mini/leader_360.csv:1:6: kpis[2].source: column 'email' looks like a direct "
          "identifier (remove it; use a pseudonymous id column named in 'subject')"]),
    Case("csv-file-does-not-exist",
         edit("kpis.yml", "data/mini/board_use.csv", "data/mini/nps.csv"),
         ["program/mini/kpis.yml:26:20: kpis[1].source.file: data file 'data/mini/nps.csv' "
          "does not exist (add it under data/mini/ or fix the path)"]),
    Case("csv-file-name-mistyped",
         edit("kpis.yml", "data/mini/board_use.csv", "data/mini/board-use.csv"),
         ["program/mini/kpis.yml:26:20: kpis[1].source.file: data file 'data/mini/board-use.csv' "
          "does not exist (did you mean 'data/mini/board_use.csv'?)"]),
    Case("warn-data-folder-without-program",
         write("data/old-pilot/x.csv", "d,v\n2026-01-01,1\n"),
         warnings=["data/old-pilot:1:1: finding data-orphan: no program 'old-pilot' for this "
                   "data folder "
                   "(add program/old-pilot/ or remove the folder)"]),
    Case("csv-file-outside-playbook",
         edit("kpis.yml", "data/mini/board_use.csv", "../board_use.csv"),
         ["program/mini/kpis.yml:26:20: kpis[1].source.file: '../board_use.csv' is outside the "
          "playbook folder (put the file under data/mini/)"]),
    Case("csv-wrong-number-of-cells",
         edit("data/mini/board_use.csv", "2026-01-31,22", "2026-01-31,22,5"),
         ["data/mini/board_use.csv:3:1: row has 3 cells, the header has 2 "
          "(check the ',' separators on this line)"]),
    # --- warnings: the practitioners' guidance --------------------------------------
    Case("warn-three-business-kpis",
         edit("kpis.yml", "attribution:", EXTRA_KPIS),
         warnings=["program/mini/kpis.yml:46:46: finding business-kpis-many: kpis[4].kind: 3 "
                   "business KPIs dilute "
                   "focus and make measurement inconclusive (keep one or two business KPIs)"]),
    Case("warn-cohort-of-12",
         edit("program.yml", "cohort_size: 24", "cohort_size: 12"),
         warnings=["program/mini/program.yml:32:16: finding cohort-size: pilot.cohort_size: "
                   "pilot cohort of "
                   "12 is outside 20–50: too small to tell an effect from noise "
                   "(sample 20–50 leaders across functions)"]),
    Case("warn-pilot-shorter-than-90-days",
         edit("program.yml", "duration_days: 90", "duration_days: 45"),
         warnings=["program/mini/program.yml:34:18: finding pilot-short: pilot.duration_days: "
                   "pilot of 45 "
                   "days is shorter than the 90-day minimum viable intervention (behaviour "
                   "shifts show in 3–6 months; run pre/post measures over at least 90 days)"]),
    Case("warn-ai-tool-without-human-in-the-loop",
         edit("ai.yml", "human_in_the_loop: true", "human_in_the_loop: false"),
         warnings=["program/mini/ai.yml:6:24: finding ai-no-human: tools[0].human_in_the_loop: "
                   "AI tool "
                   "'Staffing recommender' has no human in the loop (a person reviews every "
                   "recommendation that affects role assignment or promotion)"]),
    Case("warn-ai-tool-without-dei-and-legal-review",
         edit("ai.yml", "[hr_business_partner, legal_compliance, dei_reviewer]",
              "[hr_business_partner]"),
         warnings=["program/mini/ai.yml:7:16: finding ai-reviewers: tools[0].reviewers: AI tool "
                   "'Staffing "
                   "recommender' is not reviewed by Legal/compliance, DEI reviewer (HR, legal "
                   "and a DEI reviewer review every AI tool that affects people)"]),
    Case("warn-ai-tools-without-outcomes",
         edit("ai.yml", "outcomes:\n  file: data/mini/recommendations.csv\n  group: group\n"
              "  selected: recommended\n", ""),
         warnings=["program/mini/ai.yml:3:3: finding ai-no-outcomes: tools: no selection "
                   "outcomes for the "
                   "four-fifths check (add 'outcomes:' naming a CSV with a group and a "
                   "selected column)",
                   "data/mini/recommendations.csv:1:1: finding data-unused: data file is not "
                   "read by any "
                   "KPI source or AI outcomes (name it in a source 'file:' or in a query, or "
                   "remove it)"]),
    Case("warn-comparison-attribution-without-comparison-data",
         together(lambda pb: pb.write("kpis.yml",
                                      pb.read("kpis.yml").replace("      group: group\n", "")),
                  # one value a month: without groups, a second one would be a duplicate
                  lambda pb: pb.write("data/mini/start_time.csv", "".join(
                      line for line in pb.read("data/mini/start_time.csv").splitlines(True)
                      if not line.startswith("20") or line.endswith("pilot\n")))),
         warnings=["program/mini/kpis.yml:42:11: finding comparison-data-missing: "
                   "attribution.method: attribution is "
                   "by comparison group, but no KPI data has a comparison group (add a group "
                   "column with 'comparison' rows, or state another method)"]),
    Case("warn-cohort-of-80",
         edit("program.yml", "cohort_size: 24", "cohort_size: 80"),
         warnings=["program/mini/program.yml:32:16: finding cohort-size: pilot.cohort_size: "
                   "pilot cohort of "
                   "80 is outside 20–50: costly for a pilot "
                   "(sample 20–50 leaders across functions)"]),
    Case("warn-one-function",
         edit("program.yml", "functions: [Delivery, Sales]", "functions: [Delivery]"),
         warnings=["program/mini/program.yml:33:14: finding pilot-one-function: "
                   "pilot.functions: pilot is drawn "
                   "from fewer than two functions (sample leaders across functions)"]),
    Case("warn-outcome-without-number-or-time",
         edit("program.yml", "by 20% within 12 months", "sooner"),
         warnings=["program/mini/program.yml:13:12: finding outcome-not-measurable: "
                   "strategy.outcome: outcome "
                   "statement has no number and no time bound (make it auditable, e.g. "
                   "'reduce X by 25% within 12 months')"]),
    Case("warn-outcome-without-time",
         edit("program.yml", " within 12 months", ""),
         warnings=["program/mini/program.yml:13:12: finding outcome-not-measurable: "
                   "strategy.outcome: outcome "
                   "statement has no time bound (make it auditable, e.g. "
                   "'reduce X by 25% within 12 months')"]),
    Case("warn-kpi-without-owner",
         edit("kpis.yml", "    owner: ld_owner\n", ""),
         warnings=["program/mini/kpis.yml:17:5: finding kpi-no-owner: kpis[1]: KPI 'board-use' "
                   "has no owner "
                   "(name the stakeholder role accountable for it)"]),
    Case("warn-behaviour-without-metric-or-evidence",
         edit("competencies.yml", "    metric: leader-360\n    evidence: 360 item on clear "
              "staffing requests\n", ""),
         warnings=["program/mini/competencies.yml:13:5: finding behavior-unobserved: "
                   "behaviors[1]: behaviour "
                   "'clear-brief' has no metric and no evidence "
                   "(say how the behaviour is observed)"]),
    Case("warn-pilot-without-comparison-or-attribution",
         together(edit("program.yml", "comparison_group: true", "comparison_group: false"),
                  remove_attribution),
         warnings=["program/mini/program.yml:35:21: finding no-comparison: "
                   "pilot.comparison_group: pilot has "
                   "no comparison group and no attribution method (add a comparison group or "
                   "kpis.yml 'attribution.method')"]),
    Case("warn-silent-when-kpis-yml-is-invalid",  # not "no kpis.yml", not "no attribution"
         together(edit("program.yml", "comparison_group: true", "comparison_group: false"),
                  remove_attribution, edit("kpis.yml", "{value: 30,", "{value: thirty,")),
         ["program/mini/kpis.yml:8:23: kpis[0].baseline.value: expected a number, "
          "got 'thirty'"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    case.apply(tmp_playbook)
    before = tmp_playbook.snapshot()

    code, out, err = run_cli("check", tmp_playbook.root)

    expected = sorted(case.errors + case.warnings, key=_place)
    assert out.splitlines() == expected
    assert err == (f"playbook check {'failed' if case.errors else 'ok'}: "
                   f"{len(case.errors)} error(s), {len(case.warnings)} finding(s), 0 pending, "
                   "0 acknowledged\n")
    assert code == (1 if case.errors else 0)
    strict_code, _, _ = run_cli("check", tmp_playbook.root, "--strict")
    assert strict_code == (1 if case.errors or case.warnings else 0)
    tmp_playbook.assert_unchanged(before)


def _place(line: str) -> tuple[str, int, int]:
    path, row, column, _ = line.split(":", 3)
    return path, int(row), int(column)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 35
    assert len({c.id for c in CASES}) == len(CASES)


def test_the_mini_playbook_is_clean(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    before = tmp_playbook.snapshot()
    assert run_cli("check", tmp_playbook.root, "--strict") == (
        0, "", "playbook check ok: 0 error(s), 0 finding(s), 0 pending, 0 acknowledged\n")
    tmp_playbook.assert_unchanged(before)


def test_bom_file_loads_with_the_same_values(tmp_playbook: TmpPlaybook) -> None:
    plain, _ = load_playbook(tmp_playbook.root)
    file = tmp_playbook.path("data/mini/board_use.csv")
    tmp_playbook.write_bytes("data/mini/board_use.csv", b"\xef\xbb\xbf" + file.read_bytes())
    bom, problems = load_playbook(tmp_playbook.root)
    assert list(problems) == []
    assert bom.programs[0].series["board-use"] == plain.programs[0].series["board-use"]


def test_semicolon_file_reads_decimal_commas(tmp_playbook: TmpPlaybook) -> None:
    tmp_playbook.write("data/mini/start_time.csv",
                       "month;days;group\n2025-12-31;30,5;pilot\n2025-12-31;29,5;comparison\n")
    loaded, problems = load_playbook(tmp_playbook.root)
    assert list(problems) == []
    series = loaded.programs[0].series["start-time"]
    assert [(o.date.isoformat(), o.value, o.group) for o in series] == [
        ("2025-12-31", 30.5, "pilot"), ("2025-12-31", 29.5, "comparison")]


def test_every_error_of_every_file_in_one_run(tmp_playbook: TmpPlaybook,
                                              run_cli: RunCli) -> None:
    tmp_playbook.edit("roadmap.yml", "kpi: board-use", "kpi: board-usage")
    tmp_playbook.edit("program.yml", "status: pilot", "status: piloting")
    tmp_playbook.edit("vendors.yml", "outcomes: 4", "outcomes: 6")
    tmp_playbook.edit("program.yml", "id: mini", "id: maxi")
    tmp_playbook.edit("data/mini/board_use.csv", "2026-01-31,22", "2026-01-31,lots")
    tmp_playbook.edit("competencies.yml", "metric: board-use", "metric: board-usage")
    before = tmp_playbook.snapshot()

    code, out, err = run_cli("check", tmp_playbook.root)

    assert code == 1
    assert out.splitlines() == [
        "data/mini/board_use.csv:3:2: kpis[1].source.value: 'lots' in column 'pct' is not "
        "a number (declare it as missing if it means 'not measured': read: {missing: "
        "['lots']})",
        f"program/mini/competencies.yml:8:13: behaviors[0].metric: unknown KPI 'board-usage' "
        f"{KNOWN_KPIS}",
        "program/mini/program.yml:5:9: status: expected one of 'draft', 'pilot', 'scaling', "
        "'sustaining' or 'retired', got 'piloting'",
        f"program/mini/roadmap.yml:7:14: phases[0].gate[0].kpi: unknown KPI 'board-usage' "
        f"{KNOWN_KPIS}",
        "program/mini/vendors.yml:9:24: vendors[0].scores.outcomes: score 6 is outside 1–5 "
        "(1 is poor, 5 is excellent)",
    ]
    # program.yml is invalid, so its id cannot be compared with the folder yet
    assert err == "playbook check failed: 5 error(s), 0 finding(s), 0 pending, 0 acknowledged\n"
    tmp_playbook.assert_unchanged(before)


def test_json_format(tmp_playbook: TmpPlaybook, run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "target: {value: 24", "tagret: {value: 24")
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")

    code, out, err = run_cli("check", tmp_playbook.root, "--format", "json")

    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "context": "build",
        "blocking": 1,
        "errors": 1,
        "findings": 1,
        "pending": 0,
        "acknowledged": 0,
        "notices": 0,
        "problems": [
            {"path": "program/mini/kpis.yml", "line": 9, "column": 5, "field": "kpis[0]",
             "message": "unknown field 'tagret' in KPI", "hint": "did you mean 'target'?",
             "severity": "error", "code": "", "role": "", "acknowledged": None},
            {"path": "program/mini/program.yml", "line": 32, "column": 16,
             "field": "pilot.cohort_size",
             "message": "pilot cohort of 12 is outside 20–50: too small to tell an effect "
                        "from noise",
             "hint": "sample 20–50 leaders across functions", "severity": "finding",
             "code": "cohort-size", "role": "", "acknowledged": None},
        ],
    }
    code, out, _ = run_cli("check", tmp_playbook.root, "--format", "json", "--strict")
    assert code == 1
    strict = json.loads(out)
    assert (strict["context"], strict["blocking"]) == ("clean", 2)
    assert [p["severity"] for p in strict["problems"]] == ["error", "finding"]


def test_github_format_annotates_the_pull_request_diff(tmp_playbook: TmpPlaybook,
                                                       run_cli: RunCli) -> None:
    tmp_playbook.edit("kpis.yml", "    target: {value: 24,", "    tagret: {value: 24,")
    tmp_playbook.edit("program.yml", "cohort_size: 24", "cohort_size: 12")
    code, out, _ = run_cli("check", "--format", "github", tmp_playbook.root)
    assert code == 1
    assert out.splitlines() == [
        "::error file=program/mini/kpis.yml,line=9,col=5,title=kpis[0]::unknown field "
        "'tagret' in KPI (did you mean 'target'?)",
        "::warning file=program/mini/program.yml,line=32,col=16,title=pilot.cohort_size::"
        "finding cohort-size: pilot cohort of 12 is outside 20–50: too small to tell an "
        "effect from noise (sample 20–50 leaders across functions)",
    ]
