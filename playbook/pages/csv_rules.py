"""The CSV rules section of the format reference: what a measurement export may look like.

Every rule is what :mod:`playbook.load.csv_table`, :mod:`playbook.load.reading` and
:mod:`playbook.load.observations` accept; the limits and the accepted labels are
formatted from the constants those modules use, so the page cannot drift from them.
"""

from __future__ import annotations

from playbook.load.csv_table import MAX_BYTES
from playbook.load.observations import GROUPS, WAVES
from playbook.load.outcomes import NOT_SELECTED, SELECTED
from playbook.pages.mdtext import Md, code, fmt, heading, join, lines


def _codes(values: tuple[str, ...] | frozenset[str]) -> Md:
    """Values as code spans joined by "or"; a set in a stable order (``1``, ``true``, ``yes``)."""
    ordered = values if isinstance(values, tuple) else sorted(
        values, key=lambda v: (not v.isdigit(), v))
    return join((code(v) for v in ordered), Md(" or "))


def markdown() -> Md:
    """The rules a measurement CSV must follow, and the ``read:`` options that relax them."""
    return lines([
        heading(2, "Measurement files (CSV)"),
        Md("A source's `file` is a CSV (or Parquet, `.parquet`, or JSON Lines, `.jsonl`), "
           "long format: one row per observation, a header row naming the columns.\n"),
        fmt("- **Encoding.** UTF-8. A byte-order mark, as Excel writes in *CSV UTF-8*, is "
            "read and dropped; any other encoding is an error at its line (export again as "
            "CSV UTF-8). A file larger than {} MB is refused.", int(MAX_BYTES / 1024 / 1024)),
        Md("- **Separators.** `,` or `;`, told apart by the header line: more `;` than `,` "
           "reads the file as `;`-separated. A tab or `|` needs `read: {delimiter: \"\\t\"}` "
           "or `\"|\"`. Cells may be quoted with `\"`; a quote inside a quoted cell is "
           "doubled (`\"\"`). Every row has as many cells as the header; blank lines are "
           "skipped; spaces around cells and column names are trimmed."),
        Md("- **Header.** The first line, or the line `read.header_row` names when a report "
           "has title lines above its table; `read.skip_rows` skips rows under it (a "
           "question-text or units row)."),
        Md("- **Numbers.** A `,`-separated file writes decimals with a point (`3.5`); a "
           "`;`-separated file, as European Excel exports it, with a comma (`3,5`, and "
           "`1.234,5` is 1234.5). `read.decimal` says otherwise. Spaces inside a number and "
           "a trailing `%` are ignored (`55 %` is 55). Thousands separators (`214,350`), "
           "currency symbols (`€`, `USD`) and accounting negatives (`(1,961.20)`) are read "
           "once declared with `read.thousands` and `read.currency`."),
        Md("- **Dates.** ISO `YYYY-MM-DD`; a time after the date, as BI tools export it "
           "(`2026-01-31T09:00:00Z`), is ignored. Other formats are read once declared with "
           "`read.date_format` (`%m/%d/%Y`, `%b-%y`); an undeclared `31.01.2026` is an error "
           "whose hint names the ISO date when day and month cannot be confused."),
        Md("- **Empty and missing values.** An empty or unreadable value is an error at its "
           "line, never a silent zero. Cells that mean *not measured* (`N/A`, or `\"\"` for "
           "an empty cell) are left out once listed in `read.missing`."),
        fmt("- **Groups and waves.** The `group` column says {} and the `wave` column {}, in "
            "any case; other labels (`Control`, `Baseline`) are translated with "
            "`read.values`.", _codes(GROUPS), _codes(WAVES)),
        fmt("- **Selections (`ai.yml` outcomes).** The `selected` column holds {} for a "
            "selected person and {} for one not selected, in any case; with `count`, both "
            "columns hold whole numbers (selected of the row's people).",
            _codes(SELECTED), _codes(NOT_SELECTED)),
        Md("- **People.** A column named like a direct identifier (`name`, `email`, `phone`) "
           "is an error: export a pseudonymous id and name it as the source's `subject`. Any "
           "file under `data/<id>/`, read or not, holding direct identifiers (by column name, "
           "or e-mail addresses and phone numbers in its cells) is a finding "
           "(`personal-data`) at the column: the site shows none of it, but the git history "
           "keeps it. Replace the columns as the export enters `data/`: `playbook "
           "pseudonymise ~/Downloads/lms.csv --columns email,name --out "
           "data/<id>/lms.csv` writes each cell as `ps-` and 20 hex digits of its "
           "HMAC-SHA256 under a key from `$PLAYBOOK_PSEUDONYM_KEY` (or `--key-env`, or "
           "`--key-file` outside the repository; no key, nothing written). The same person "
           "gets the same pseudonym in every export under the same key (trimmed; e-mail "
           "addresses in any case, `mailto:` dropped), so distinct counts and `subject` "
           "matching still work; a column of pseudonyms is no identifier, whatever its "
           "name. JSON Lines columns are dotted key paths (`actor.mbox`).\n"),
    ])
