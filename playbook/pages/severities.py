"""The format reference's section on severities, acknowledgements and the policy.

Every kind, code and context is listed from the enums the engine uses
(:mod:`playbook.model.findings`, :class:`~playbook.model.settings.Context`),
with their docstrings, so the page cannot name a code the engine does not.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from playbook.model.findings import FindingCode, PendingCode, member_docs
from playbook.model.parts import REVIEW_GRACE_DAYS
from playbook.model.problems import ANNOTATION_LEVELS, Severity
from playbook.model.settings import Context
from playbook.pages.mdtext import Md, code, fmt, labels, lines, table, text

EXAMPLE = Md("""### A worked example

`playbook check` names each finding with its code, file and field (lines folded here):

```text
program/charge-nurse/kpis.yml:45:7: finding attrition-high: kpis[2].source: 8 of the 30
  pilot people who answered the pre wave have no post answer (27%, above 20%); ...
program/charge-nurse/program.yml:98:7: pending signoff-stale: signoff[0].digest: sign-off
  by sponsor (Ada Quill, 2026-05-01) is stale: ...
playbook check ok: 0 error(s), 1 finding(s), 1 pending, 0 acknowledged
```

The wave is closed; nothing can bring the missing answers back. The program accepts the
finding in `program.yml`, copying the code, file and field:

```yaml
acknowledgements:
  - code: attrition-high
    file: program/charge-nurse/kpis.yml
    field: kpis[2].source
    reason: >-
      The 2026 360 wave is closed; the effect is read over the nurses who answered
      both waves, as the reviews page says.
    accepted_by: sponsor
    until: 2027-03-31
```

From then on `check` prints `acknowledged attrition-high until 2027-03-31 by sponsor:`
and the program's overview lists it under *Known limitations*. On 2027-04-01 it is a
finding again. The acknowledgement is part of `program.yml`, so adding it makes the
sign-offs stale: the sponsor signs the program with it.

The publishing policy sits in `playbook.yml`. This one publishes only programs the
sponsor and the business owner signed as they are, and every finding acknowledged:

```yaml
publish:
  require_signoffs: [sponsor, business_owner]
  findings_must_be_acknowledged: true
```

`playbook check --for deploy` (the Makefile's `deploy` runs it before `mike`) then
fails on a stale or missing sign-off of those roles and on a finding not acknowledged.
Every other place (pre-commit, the pull request's check, the build, the preview)
still fails on errors only, and shows the rest.
""")
"""The worked example: a finding acknowledged, a policy that asks for it."""

PLACES: Final = (
    ("pre-commit hook", "playbook check --for pre-commit", "errors"),
    ("pull request: playbook check", "playbook check --for pr --format github",
     "errors (findings are warnings on the diff, pending items notices)"),
    ("pull request: sign-offs", "playbook check --for signoff",
     "a missing, stale or unverifiable sign-off of a role publish.require_signoffs names"),
    ("pull request: preview", "make offline",
     "errors and broken links; each pending item is shown on its program's page"),
    ("main: deploy", "make deploy",
     "what playbook check --for deploy refuses: errors, the required sign-offs, findings "
     "not acknowledged when the policy asks"),
)
"""Each place of the monthly cycle: the command it runs, what fails it."""

YEAR: Final = (
    ("Feb", "the export repeats a row (row-repeated: read once)", "ok", "ok", "ok"),
    ("Mar", "a sign-off as the business owner made with another key", "ok", "pending",
     "refused"),
    ("Apr", "the 360 post wave closes with 3 of 10 pilot nurses gone (attrition-high); the "
     "business owner signs with their own key", "ok", "ok", "ok"),
    ("May", "the attrition acknowledged (the definition changed, nobody signed yet); the "
     "day-90 review overdue", "ok", "pending", "refused"),
    ("Jun", "the review recorded, both sign", "ok", "ok", "ok"),
    ("Jul", "a typo in an export (an error), fixed in the next commit", "fails", "ok",
     "refused"),
    ("Aug", "a read option for the export's new semicolons; only the sponsor signs", "ok",
     "pending", "refused"),
    ("Sep", "the business owner signs; the acknowledgement expired (a finding again)", "ok",
     "ok", "ok"),
    ("Oct", "the policy now wants findings acknowledged", "ok", "ok", "refused"),
    ("Nov", "the acknowledgement renewed, both sign", "ok", "ok", "ok"),
)
"""A year of one program (``tests/test_year.py`` runs it, commit by commit)."""

CYCLE = Md("""The sign-off status is a check of its own, run by the base revision's `playbook`
over the pull request's files: the preview is built whatever it says, so reviewers see the
change before they sign it. The preview is the offline build, uploaded as the artifact
`preview`: unzip it and open `site-offline/index.html`, no server needed. The pull
request's comment (`playbook diff`) links to it and ends with a *Pending* table: each
sign-off still to give (marked when the policy requires it) and each review overdue.
A change of `publish:` itself is listed in the comment as a change of meaning; the
sign-offs check keeps applying the base's policy until the change is merged.
""")
"""The sign-off status, the preview and the comment, in words."""


def _rows(enum: type[Enum], kind: str) -> list[list[Md]]:
    docs = member_docs(enum)
    return [[code(m.value), text(kind), text(docs[m.value])] for m in enum]


def markdown() -> Md:
    """The section: the three kinds, every code, where each context blocks, the example."""
    kinds = member_docs(Severity)
    contexts = member_docs(Context)
    return lines([
        Md("## Severities, acknowledgements and the publishing policy\n"),
        fmt("Every problem is one of three kinds, the same in `playbook check`, on the "
            "site, in the pull request's comment and in the build:\n\n{}\n",
            table(labels("Kind", "GitHub annotation", "Meaning"),
                  [[code(s.value), code(ANNOTATION_LEVELS[s]), text(kinds[s.value])]
                   for s in Severity])),
        fmt("Findings and pending items carry a stable code; an acknowledgement names a "
            "finding by it (an acknowledged finding is a `notice`):\n\n{}\n",
            table(labels("Code", "Kind", "Meaning"),
                  [*_rows(FindingCode, "finding"), *_rows(PendingCode, "pending")])),
        fmt("What blocks depends on where the playbook is checked or built (`playbook "
            "check --for`, `--strict` for the clean one):\n\n{}\n",
            table(labels("Context", "What blocks"),
                  [[code(c.value), text(contexts[c.value])] for c in Context])),
        EXAMPLE,
        Md("### The monthly cycle\n"),
        fmt("Each place the cycle passes through runs `playbook check` with its own "
            "`--for`:\n\n{}\n", table(labels("Place", "Command", "Fails on"),
                                      [[text(a), code(b), text(c)] for a, b, c in PLACES])),
        CYCLE,
        fmt("A year of one program under the policy above, acknowledgements required only "
            "from October (`tests/test_year.py` runs it commit by commit):\n\n{}\n",
            table(labels("Month", "What the commit brings", "check", "sign-offs", "deploy"),
                  [[text(v) for v in row] for row in YEAR])),
        fmt("A review is something people still have to do as well: each "
            "day-90/180/365 checkpoint counted from `start`, and `next_review` in "
            "`reviews.yml` (a sustained program's yearly review), is pending as "
            "`review-overdue` once it is more than {} days past with no review recorded. "
            "It is shown on the site and in the comment, and blocks only `--strict`.\n",
            REVIEW_GRACE_DAYS),
    ])
