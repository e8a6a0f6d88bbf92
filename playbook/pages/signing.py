"""The format reference's section on signed sign-offs: keys, ``allowed_signers``, results.

The namespace and the file name come from :mod:`playbook.load.sshsig`, the
verification states from its enum, so the page says what the engine does.
"""

from __future__ import annotations

from playbook.load.sshsig import ALLOWED_SIGNERS, NAMESPACE, SignatureState
from playbook.model.findings import PendingCode, member_docs
from playbook.pages.mdtext import Md, code, fmt, labels, lines, table, text


def markdown() -> Md:
    """The section: how to sign with a key, the file that lists keys, what check says."""
    states = member_docs(SignatureState)
    return lines([
        Md("## Signed sign-offs\n"),
        fmt("Anyone who can open a pull request can write a sign-off in another person's "
            "name. `playbook sign PROGRAM --role ROLE --key PATH` binds it to the person: "
            "it signs the sign-off's digest with their SSH key (`ssh-keygen -Y sign`, "
            "namespace {}, as git's SSH commit signing does) and writes the armored text "
            "into the entry's `signature`. The signature is not part of the digest.\n",
            code(NAMESPACE)),
        fmt("The file {} at the playbook's root lists, in git's format "
            "(`<principal> <keytype> <key>`), the public keys of each stakeholder under "
            "their `handle` from `program.yml`. It is reviewed like any other file (owned "
            "by the sponsor in CODEOWNERS). Patterns (`*`, `?`, `!`) are refused: each "
            "line names its people.\n", code(ALLOWED_SIGNERS)),
        fmt("`playbook check`, the build and the preview verify every signature offline "
            "(`ssh-keygen -Y verify`) against the key listed for the handle of the role "
            "that signed:\n\n{}\n",
            table(labels("State", "Meaning"),
                  [[code(s.value), text(states[s.value])] for s in SignatureState])),
        fmt("An invalid signature (another person's key, a changed signature or digest, no "
            "{} file) is the pending item {}: a deploy that requires the role is refused "
            "until the person signs with their own key.\n",
            code(ALLOWED_SIGNERS), code(PendingCode.SIGNOFF_UNVERIFIABLE.value)),
        Md("""### A worked example

```console
$ ssh-keygen -t ed25519 -f ~/.ssh/playbook_ed25519 -C "@aquill"
$ echo "@aquill $(cut -d' ' -f1,2 ~/.ssh/playbook_ed25519.pub)" >> allowed_signers
$ playbook sign charge-nurse --role sponsor --key ~/.ssh/playbook_ed25519
signed charge-nurse 1.2.0 as sponsor (Ada Quill, 2026-05-01) with an SSH signature: sha256:…
```

The entry in `program.yml` then carries the signature:

```yaml
signoff:
  - role: sponsor
    name: "Ada Quill"
    date: 2026-05-01
    version: 1.2.0
    digest: sha256:…
    signature: |
      -----BEGIN SSH SIGNATURE-----
      U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg…
      -----END SSH SIGNATURE-----
```

and `playbook check` says `notice: signoff[0]: sign-off by sponsor (Ada Quill,
2026-05-01) is verified: signed by @aquill's key (added by commit author …)`.
"""),
    ])
