"""The data-contracts section of the format reference: the lock, its rules, ``expect:``.

Every threshold quoted is formatted from the constant the checks use
(:mod:`playbook.model.contracts`), so the page cannot say another number than
``playbook check`` applies.
"""

from __future__ import annotations

from typing import Final

from playbook.model.contracts import (
    LOCK_FILE,
    MAX_VALUES,
    MIN_HISTORY,
    MIN_NOISE,
    MIN_ROWS_BAND,
    SPREAD,
)
from playbook.pages.mdtext import Md, code_block, fmt, heading, lines, paragraphs

LOCK_EXAMPLE: Final = """\
inputs:
  data/my-program/gl_export.csv:
    columns: [Posting Date, Account, Cost Center, Amount]
    duplicate_lines: 0
    rows: 412
    rows_per_period: {2025-10: 101, 2025-11: 98, 2025-12: 104, 2026-01: 109}
    values:
      Account: [6100 Agency fees, 6110 Contractors, 7000 Travel]
series:
  agency-spend:
    all: {'2025-10-31': 20412.5, '2025-11-30': 19870.0, '2025-12-31': 21003.1}
"""

EXPECT_EXAMPLE: Final = """\
source:
  query_file: data/my-program/agency_spend.sql
  date: month
  value: spend
  expect:
    accepted_values: {Account: ["6100 Agency fees", "6110 Contractors", "7000 Travel"]}
    not_null: [Amount]
    unique: [Journal Line]
    rows_per_period: {min: 20}
"""


def rules() -> list[str]:
    """What makes a difference from the lock a finding, with the checks' own numbers."""
    return [
        "A value of a filtered, grouped or mapped column that the lock has not seen "
        "(finding contract-value, at its first line): finance moved to five-digit account "
        "codes, a unit was renamed, a label changed. The columns are the source's group and "
        "wave columns and its read.where filter; for a query, every column it compares with "
        "a literal (=, <>, IN, LIKE), groups by or maps with CASE, in each file the query "
        "names. A column holding a person's id or name is never locked, nor a column of "
        f"dates, nor one with more than {MAX_VALUES} values.",
        "A column of the lock missing from the file (contract-column, at line 1), and a file "
        "with a header and no rows (contract-empty, at line 1; a failed export job).",
        "A period whose rows lie outside the median of the accepted periods before it ± the "
        f"larger of {SPREAD:g} scaled median absolute deviations and {MIN_ROWS_BAND:.0%} of "
        f"the median, once at least {MIN_HISTORY} periods are accepted (contract-rows, at "
        "the period's first line). The latest period may have fewer: it may still be "
        "filling. Periods follow the KPI's cadence.",
        "More identical lines than the lock accepted in an input the source adds up (a "
        "query with sum, count or another aggregate; the AI outcomes file) "
        "(contract-duplicate, at the repeated line). A source file's own repeated rows are "
        "read once with the finding row-repeated.",
        "A value of an aggregate series that moved from the one before by more than "
        f"{SPREAD:g} times the series' noise: the scaled median absolute deviation of its "
        f"accepted changes, at least {MIN_NOISE:.0%} of its median level, once more than "
        f"{MIN_HISTORY} values are accepted (contract-jump, at the value's line).",
        "Each finding's fix is the same choice: if the export is right, accept it with "
        "'playbook lock <id>' and commit the lock's diff for review; if not, correct the "
        "export. An export file in the data folder that no source reads is a finding too "
        "(data-unused).",
    ]


def markdown() -> Md:
    """The data-contracts section of the format reference."""
    out = [heading(2, "Data contracts: exports that change under you"), fmt("{}\n", paragraphs(
        f"Each program's lock, data/<id>/{LOCK_FILE}, records what its input files held "
        "when a reviewer accepted them: their columns, rows, identical lines, rows per "
        "period, the values of every column a source filters, groups or maps, and each "
        "aggregate series' values. 'playbook lock [program]' writes it (sorted, the same "
        "bytes for the same data); commit it. 'playbook lock --check' exits 1 when a lock "
        "is missing or stale (CI, pre-commit), and 'playbook diff' lists each accepted "
        "fact that changed, of kind contract. A program without a lock is checked only "
        "against its declared expectations.")),
        code_block(LOCK_EXAMPLE, "yaml"), heading(3, "What a new export is checked for")]
    out += [fmt("- {}", paragraphs(rule)) for rule in rules()]
    out += [Md(""), heading(3, "Declared expectations (expect:)"), fmt("{}\n", paragraphs(
        "On top of the lock, a source may declare what its input files must hold, as dbt's "
        "source tests do: accepted_values, not_null, unique and rows_per_period (counted "
        "per period of the KPI's cadence by the input's date column). A row that breaks "
        "one is a finding expectation-failed at its line; a column that no input of the "
        "source has is an error at the expectation.")),
        code_block(EXPECT_EXAMPLE, "yaml")]
    return lines(out)
