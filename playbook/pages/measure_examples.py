"""Worked examples of ``measure:`` for the format reference: five exports, no SQL.

Each example is a complete ``source`` mapping with a measure, read from the
export shown above it; a test validates each against the model, compiles it,
and checks that every measure field, aggregate and filter test appears in at
least one, so the reference cannot drift. The rules are written from the
constants the compiler uses.
"""

from __future__ import annotations

from typing import Final

from playbook.figures.rounding import RULE
from playbook.load import sql
from playbook.model.measures import Aggregate, Dated, Grain
from playbook.pages.mdtext import Md, code_block, fmt, heading, lines, paragraphs
from playbook.pages.source_examples import Example

EXAMPLES: Final = (
    Example("A 360 survey tool: one row per rater, wave labels, self-ratings left out",
            "Response ID,Submitted,Wave,Leader ID,Rater relationship,Cohort,Q7 Score\n"
            "R_3fa91c07aa,01/14/2026 09:12,Wave 1 - Baseline,L001,Peer,Pilot,4\n"
            "R_8b20d4e1c2,01/15/2026 16:40,Wave 1 - Baseline,L001,Self,Pilot,5\n"
            "R_0c5e77f1d9,07/20/2026 11:03,Wave 2 - 6 months,L001,Manager,Pilot,N/A\n",
            "source:\n  file: data/my-program/rater_360.csv\n  date: Submitted\n"
            "  value: Q7 Score\n  group: Cohort\n  read:\n"
            '    date_format: "%m/%d/%Y %H:%M"\n    missing: ["N/A"]\n'
            "    values: {group: {Control: comparison}}\n  measure:\n"
            "    aggregate: mean              # the raters' mean per quarter and cohort\n"
            "    grain: quarter\n    people: Leader ID           # a quarter with fewer "
            "leaders than the privacy minimum is not shown\n    where:\n"
            "      - {column: Wave, one_of: [Wave 1 - Baseline, Wave 2 - 6 months]}\n"
            "      - {column: Rater relationship, none_of: [Self]}\n"
            "      - {column: Q7 Score, at_most: 5}   # the tool writes 6 for \"don't know\"\n"),
    Example("An HRIS turnover report per unit, with a unit → arm lookup",
            "Voluntary Turnover by Organisation - Monthly\nGenerated 2026-10-02\n"
            'Period,Org Unit,Avg FTE,Terminations (Voluntary)\nSep-25,ORG-001,"1,214.5",9\n'
            "\nunits.csv:\nUnit,Arm\nORG-001,Pilot\nORG-002,Comparison\n",
            "source:\n  file: data/my-program/turnover.csv\n  date: Period\n"
            "  value: Terminations (Voluntary)\n  group: Org Unit          # mapped to an arm "
            "by the lookup\n"
            '  read: {header_row: 3, date_format: "%b-%y", thousands: ","}\n  measure:\n'
            "    aggregate: ratio             # leavers over FTE, pooled per arm and month\n"
            "    over: Avg FTE\n"
            "    lookup: {file: data/my-program/units.csv, key: Unit, group: Arm}\n"),
    Example("An LMS's xAPI statements (ISO timestamps with Z): distinct learners per week",
            "id,timestamp,actor.account.name,verb.display.en-US,object.id\n"
            "9f1c…,2026-03-01T23:30:00Z,lrn-0042,completed,https://lms.example/activities/7\n"
            "a07e…,2026-03-02T08:15:00Z,lrn-0042,voided,https://lms.example/activities/7\n",
            "source:\n  file: data/my-program/xapi.csv\n  date: timestamp      # read in UTC: "
            "23:30Z on Sunday is that Sunday's week\n  value: actor.account.name\n"
            "  measure:\n    aggregate: count_distinct\n    grain: week\n"
            "    people: actor.account.name\n    where:\n"
            "      - {column: verb.display.en-US, one_of: [launched, experienced, completed, "
            "answered]}\n"),
    Example("The same xAPI log: completions a day (a count of rows)",
            "id,timestamp,actor.account.name,verb.display.en-US,object.id\n"
            "9f1c…,2026-03-01T23:30:00Z,lrn-0042,completed,https://lms.example/activities/7\n",
            "source:\n  file: data/my-program/xapi.csv\n  date: timestamp\n  measure:\n"
            "    aggregate: count             # value: is not read\n    grain: day\n"
            "    people: actor.account.name\n"
            "    where: [{column: verb.display.en-US, equals: completed}]\n"),
    Example("A finance general ledger: many rows a month, € 1.234,56 and (€ 12,30)",
            "Posting Date,Document No,Account,Cost Centre,Amount,Currency\n"
            '31.10.2025,40012233,6100,CC-4101,"€ 16.625,78",EUR\n'
            '03.11.2025,40012234,6110,CC-4102,"(€ 1.961,20)",EUR\n'
            '03.11.2025,40012235,6200,CC-4102,"€ 310,00",EUR\n',
            "source:\n  file: data/my-program/ledger.csv\n  date: Posting Date\n"
            "  value: Amount\n"
            '  read: {date_format: "%d.%m.%Y", currency: ["€"], decimal: ",", thousands: "."}\n'
            "  measure:\n    aggregate: sum               # no grain: the KPI's cadence "
            "(monthly), dated at each month's last day\n    where:\n"
            "      - {column: Account, one_of: [6100, 6110]}\n"
            "      - {column: Cost Centre, none_of: [CC-9999]}\n"
            "      - {column: Amount, at_least: -50000}   # read by the read: rules\n"
            "      - {column: Amount, below: 250000}     # capital items are booked elsewhere\n"),
    Example("AI-tool outcome counts: a ratio of two sums per arm",
            "Week starting,Team,Arm,Suggestions,Accepted\n2026-01-05,T1,Pilot,214,118\n"
            "2026-01-05,T2,Comparison,96,40\n",
            "source:\n  file: data/my-program/ai_counts.csv\n  date: Week starting\n"
            "  value: Accepted\n  group: Arm\n  measure:\n"
            "    aggregate: ratio             # accepted over suggested, pooled: not a mean "
            "of the weeks' ratios\n    over: Suggestions\n    grain: month\n"
            "    dated: start                 # a month's value on its first day\n"
            "    where: [{column: Team, equals: T1}, {column: Suggestions, above: 0}]\n"),
)
"""One worked example per kind of export, each read without SQL."""

RULES: Final = (
    "A measure adds up the rows of a file (CSV, Parquet or JSON Lines in the program's data "
    "folder): the source's date:, value: and group: name the export's columns. Aggregates: "
    + ", ".join(f"{a.value}" for a in Aggregate) + "; a ratio divides the period's total "
    "of value: by its total of over:, pooled per period and group. Grains: "
    + ", ".join(g.value for g in Grain) + " (ISO weeks, Monday to Sunday); without one, the "
    "KPI's cadence, so each point is one period's total (a finer grain's values are averaged "
    "into the KPI's period). A period's value "
    f"is dated at its {Dated.END.value} by default (a month's total is known when the month "
    f"is over); dated: {Dated.START.value} dates it at its first day.",
    "The read: options apply to each cell before the rows are filtered and added up: "
    "currency symbols are removed, a value in parentheses is negative, thousands "
    "separators go, a decimal comma is read, and a date is read as an ISO day, an ISO "
    f"timestamp (converted to its {sql.TIME_ZONE} day) or by date_format. A cell that "
    "cannot be read is an error at its line; a cell listed in missing: is not counted; rows "
    "the filters leave out are not read at all.",
    "Filters (measure.where) keep the rows that meet all of them: equals, one_of and "
    "none_of compare the cell as written; above, at_least, below and at_most read it as a "
    "number. The values are passed to DuckDB as parameters and the column names as quoted "
    "identifiers: nothing an editor writes becomes query text. A lookup file gives each "
    "row's group from its group: cell; a cell the lookup lacks, or a key given two groups, "
    "is an error.",
    "A file with a column of person ids needs measure.people: each value keeps how many "
    "distinct people it stands for, and a period under privacy.min_group_size people is "
    "not published. 'playbook explain PROGRAM KPI' prints the one DuckDB query a measure "
    f"compiles to, run in the {sql.TIME_ZONE} time zone, with its bound values listed "
    "under it ($1, $2, …): when a measure no longer fits, start a query: from it, each $n "
    "written as its value (SQL is the escape hatch).",
    "read: on a query (query:, query_file: or a warehouse snapshot) applies to the query's "
    "result, cell by cell, after the query ran, as to a file: date_format, decimal, "
    "thousands, currency, missing, values and where read the result's columns. Under a "
    "measure they apply to the export's cells before the rows are added up.",
    f"Published figures are rounded {RULE}, on the number as written (2.5 → 3, 2.675 → "
    "2.68), as SQL's round() does on DECIMAL values, in figures.json, the report and the "
    "pages alike.",
)
"""The rules of measures, stated once for the reference."""


def markdown() -> Md:
    """The measures section of the format reference."""
    out = [heading(2, "Measures: exports added up without SQL"), fmt("{}\n", paragraphs(
        "Each example shows the first lines of a raw export and a source whose measure: "
        "adds its rows up per period and group, with no query to write."))]
    for example in EXAMPLES:
        out += [heading(3, example.title), code_block(example.export, "text"),
                code_block(example.source, "yaml")]
    out += [heading(3, "Rules for measures")]
    out += [fmt("{}\n", paragraphs(rule)) for rule in RULES]
    return lines(out)
