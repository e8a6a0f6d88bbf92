"""Worked examples of ``source`` for the format reference: exports from real tools.

Every example is a complete ``source`` mapping; a test validates each one
against the model and checks that every ``read`` option and every way to
name a source appears in at least one, so the reference cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from playbook.load import results, sql
from playbook.model.settings import Connection
from playbook.pages.mdtext import Md, code_block, fmt, heading, lines, paragraphs


@dataclass(frozen=True)
class Example:
    """One worked example: what the export looks like and the ``source`` that reads it."""

    title: str
    export: str
    """The first lines of the export, as the tool writes them."""
    source: str
    """The ``source:`` mapping in ``kpis.yml`` that reads it unchanged."""


EXAMPLES: Final = (
    Example("A 360 survey tool (question row, US dates, N/A, words for waves and groups)",
            'Respondent,Cohort,Round,EndDate,Q7\n'
            ',,,,"Q7: Settles cross-team priorities in one forum (1-5)"\n'
            'L001,Pilot,Baseline,01/15/2026,3.42\nL001,Pilot,Follow-up (6 mo),07/17/2026,N/A\n',
            'source:\n  file: data/my-program/survey_360.csv\n  date: EndDate\n  value: Q7\n'
            '  subject: Respondent\n  wave: Round\n  group: Cohort\n  read:\n'
            '    skip_rows: 1                 # the question-text row under the header\n'
            '    date_format: "%m/%d/%Y"\n    missing: ["N/A"]\n    values:\n'
            '      wave: {Baseline: pre, "Follow-up (6 mo)": post}\n'
            '      group: {Pilot: pilot, Control: comparison}\n'),
    Example("An HRIS report (title lines above the table, Sep-25 periods, thousands)",
            'Voluntary Turnover by Organisation - Monthly\nGenerated 2026-10-02\n'
            'Period,Org Unit,Avg FTE,Turnover %\nSep-25,ORG-001,"1,214.5",0.9\n',
            'source:\n  file: data/my-program/hris_turnover.csv\n  date: Period\n'
            '  value: Turnover %\n  read:\n    header_row: 3\n    date_format: "%b-%y"\n'
            '    where: {Org Unit: [ORG-001, ORG-003]}   # only the pilot units\n'),
    Example("A finance ledger (euro amounts, accounting negatives, two accounts)",
            'Posting Date,Account,Cost Center,Amount\n'
            '31.10.2025,6100 Agency fees,CC-4101,"€16,625.78"\n'
            '03.11.2025,6110 Contractors,CC-4102,"(€1,961.20)"\n',
            'source:\n  file: data/my-program/gl_export.csv\n  date: Posting Date\n'
            '  value: Amount\n  read:\n    date_format: ["%d.%m.%Y"]\n    currency: ["€"]\n'
            '    thousands: ","\n    where: {Account: ["6100 Agency fees", "6110 Contractors"]}\n'),
    Example("European Excel (semicolons, decimal commas) and tab-separated exports",
            'Monat;Wert\n2026-01-31;12,5\n',
            'source:\n  file: data/my-program/monthly.csv\n  date: Monat\n  value: Wert\n'
            '  read: {delimiter: ";", decimal: ","}   # a TSV: delimiter: "\\t"\n'),
    Example("Parquet and JSON Lines files (read through DuckDB)",
            'data/my-program/engagement.parquet  (columns week_ending, active_pct)\n',
            'source:\n  file: data/my-program/engagement.parquet   # or .jsonl / .ndjson\n'
            '  date: week_ending\n  value: active_pct\n'),
    Example("SQL over the raw files: pooled turnover with a unit lookup",
            'hris_turnover.csv (one row per unit and month) and units.csv (unit, arm)\n',
            "source:\n  query: |\n"
            "    SELECT strptime(h.\"Period\", '%b-%y')::DATE AS month, u.arm AS cohort,\n"
            "           100.0 * sum(h.leavers) / sum(h.fte) AS turnover_pct\n"
            "    FROM read_csv('data/my-program/hris_turnover.csv', skip = 2) AS h\n"
            "    JOIN 'data/my-program/units.csv' AS u ON u.unit = h.unit\n"
            "    GROUP BY ALL\n  date: month\n  value: turnover_pct\n  group: cohort\n"),
    Example("A query in a .sql file: weekly active learners from an LMS's xAPI log",
            '{"actor":{"account":{"name":"learner-0042"}},"verb":{"id":".../verbs/completed"},'
            '"timestamp":"2026-03-02T09:14:00Z"}\n',
            'source:\n  query_file: data/my-program/weekly_active.sql\n  date: week_ending\n'
            '  value: active_pct   # 100 or 0: one row per enrolled learner and week\n'
            '  subject: learner    # the site averages the people, never the query\n'),
    Example("A warehouse query, kept as a snapshot by `playbook pull`",
            'playbook.yml: connections: {warehouse: {env: PLAYBOOK_WAREHOUSE_URL}}\n',
            'source:\n  connection: warehouse\n  query: |\n'
            '    SELECT period AS month, 100.0 * sum(leavers) / sum(fte) AS turnover_pct\n'
            '    FROM hr.turnover_monthly GROUP BY period\n  date: month\n'
            '  value: turnover_pct\n'),
)
"""Worked examples, one per kind of export."""

RULES: Final = (
    "A query is one SELECT statement. DuckDB runs it over the files of the program's own "
    "data folder (data/<id>/), named by their path from the playbook root; it cannot read "
    "any other file, write a file, attach a database, load an extension or reach the "
    f"network, and it is stopped after {sql.TIMEOUT_SECONDS / 60:g} minutes. Its result may "
    f"hold at most {results.MAX_ROWS:,} rows and {results.MAX_TEXT // 2**20} MiB of text, "
    "counted while DuckDB makes it: aggregate in the query. The queries of one build may run "
    f"for {sql.BUILD_SECONDS / 60:g} minutes in all. A result cell holding a folder of the "
    "machine that ran it (a DuckDB setting) is refused. Every query and every Parquet or "
    f"JSON read runs in the {sql.TIME_ZONE} time zone, whatever the machine's: a timestamp "
    "ending in Z falls on the same day and week wherever the site is built.",
    "People's rows are aggregated by the site, never by the query: a query that reads a "
    "file with a column of person ids (an LMS's actor, an HRIS's employee id) must return "
    "one row per person with that id, named as the source's subject:, and the site "
    "averages them, withholding a group under privacy.min_group_size. Such a query without "
    "subject: is refused. A count column (the number of people behind each value) is for "
    "aggregates made elsewhere, such as a vendor's summary; without it, each row is taken "
    "to be a published aggregate.",
    "A warehouse query runs only in 'playbook pull', with the URL from the connection's "
    "environment variable. It is parsed in the warehouse's dialect before it is sent and "
    "must be one read-only SELECT: no second statement, COMMIT, DDL, DML, COPY, SELECT INTO, "
    "data-modifying WITH, FOR UPDATE, or call of a function that writes or runs SQL text. In "
    "PostgreSQL it runs in a read-only session over a protocol that runs one statement, is "
    "stopped after the connection's timeout (default "
    f"{Connection.model_fields['timeout'].default / 60:g} minutes) and rolled back, and the "
    "connection's role must be able to do nothing but read: not a superuser, no CREATEROLE, "
    "CREATEDB, REPLICATION or BYPASSRLS, no INSERT, UPDATE, DELETE, TRUNCATE or CREATE "
    "anywhere. The role check and the timeout are PostgreSQL's; other warehouses rely on the "
    "role their URL names. The site is built from the snapshot "
    "data/<id>/snapshots/<kpi-id>.csv, so a build needs no credentials. "
    "Commit the snapshot: reviewers see the data change in the pull request.",
    "A snapshot holds only the columns the KPI reads (date, value, group, subject, wave, "
    "count and the row filter's) and is checked like any export before it is written: no "
    "column or cell may be a direct identifier (name, e-mail, phone); person-level rows "
    "carry only the pseudonymous subject id, and are aggregated on the site with the privacy "
    "minimum like any person-level file. Prefer aggregating in the warehouse: then no "
    "person-level row leaves it.",
)
"""The rules for queries, snapshots and rows, stated once for the reference."""


def markdown() -> Md:
    """The examples section of the format reference."""
    out = [heading(2, "Sources: exports as they come"), fmt("{}\n", paragraphs(
        "Each example shows the first lines of an export as the tool writes it and the "
        "source that reads it unchanged, in kpis.yml under a KPI."))]
    for example in EXAMPLES:
        out += [heading(3, example.title), code_block(example.export, "text"),
                code_block(example.source, "yaml")]
    out += [heading(3, "Rules for queries, snapshots and rows")]
    out += [fmt("{}\n", paragraphs(rule)) for rule in RULES]
    return lines(out)
