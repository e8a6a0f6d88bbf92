"""Keyed pseudonyms for identifier columns: the same person, the same token, no way back.

A token is the HMAC-SHA256 of the cell under a key that never enters the
repository (an environment variable, or a file outside the playbook folder):
without the key, no one can test a guessed e-mail address against it; with
it, the same input gives the same token in every export, so distinct counts
and the matching of a subject across files still work. A cell is compared
trimmed, and an e-mail address (``mailto:`` dropped) in any letter case, so
``Ann@X.org`` in one export and ``ann@x.org`` in the next are one person. An
empty cell stays empty: a missing value is still missing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from playbook.load.safefiles import inside, real_path
from playbook.model.problems import UsageError

KEY_ENV: Final = "PLAYBOOK_PSEUDONYM_KEY"
"""The environment variable that holds the key, unless another is named."""
MIN_KEY: Final = 16
"""Fewest characters of a key (a short key can be found by trying keys)."""
TOKEN: Final = re.compile(r"^ps-[0-9a-f]{20}$")
"""What a pseudonym looks like: ``ps-`` and 80 bits of the HMAC, in hex."""
COMMAND: Final = "playbook pseudonymise"
"""The command that pseudonymises a file, as hints name it."""
_MAILTO: Final = "mailto:"
_NEW_KEY: Final = "python -c 'import secrets; print(secrets.token_hex(32))'"


class PseudonymError(UsageError):
    """No usable key, or a column that is not in the file: nothing was written."""


def token(key: bytes, value: str) -> str:
    """The pseudonym of one cell under ``key`` (an empty cell stays empty)."""
    text = value.strip()
    if not text:
        return ""
    if "@" in text:
        text = text.casefold().removeprefix(_MAILTO)
    return "ps-" + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def pseudonymised(cells: Iterable[str]) -> bool:
    """Whether ``cells`` hold pseudonyms only (and at least one; empty cells aside)."""
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(TOKEN.match(c) for c in filled)


def key_from(root: Path, env: str | None = None, file: Path | None = None) -> bytes:
    """The key: from the file ``file`` when named, else the environment variable ``env``.

    Raises:
        PseudonymError: The variable is unset or the file missing, the file is inside
            the playbook folder ``root`` (it would be committed), or the key is short.
    """
    if file is not None:
        found = real_path(file)
        if found is None:
            raise PseudonymError(f"key file '{file}' does not exist (nothing was written)")
        top = real_path(root) or root
        if inside(found, top) or found == top:
            raise PseudonymError(f"key file '{file}' is inside the playbook folder, where it "
                                 "would be committed with the data; keep it outside the "
                                 "repository (nothing was written)")
        text = found.read_text(encoding="utf-8", errors="replace").strip()
        where = f"key file '{file}'"
    else:
        name = env or KEY_ENV
        text = os.environ.get(name, "").strip()
        where = f"${name}"
        if not text:
            raise PseudonymError(f"no pseudonym key: set {name} (or name a key file outside "
                                 f"the repository with --key-file); make one with {_NEW_KEY} "
                                 "and keep it where the data's owners keep secrets, the same "
                                 "key for every export (nothing was written)")
    if len(text) < MIN_KEY:
        raise PseudonymError(f"the key in {where} has {len(text)} character(s), fewer than "
                             f"{MIN_KEY}: a short key can be guessed; make one with "
                             f"{_NEW_KEY} (nothing was written)")
    return text.encode("utf-8")
