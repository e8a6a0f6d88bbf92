"""The format reference's section on severities, acknowledgements and the policy.

Every kind, code and context is listed from the enums the engine uses
(:mod:`playbook.model.findings`, :class:`~playbook.model.settings.Context`),
with their docstrings, so the page cannot name a code the engine does not.
"""

from __future__ import annotations

from enum import Enum

from playbook.model.findings import FindingCode, PendingCode, member_docs
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
    ])
