"""Reading one program file by hand-written YAML's rules: no link, regular, bounded.

Every command that reads a program file reads it here (the loader, and
``playbook diff`` on the work tree), so none reads one through a link.
"""

from __future__ import annotations

from pathlib import Path

from playbook.load import yaml_source as yamlsrc
from playbook.load.safefiles import Refusal, locate, open_regular, too_large
from playbook.model.problems import Problem


def read_program_file(file: Path, root: Path, shown: str,
                      problems: list[Problem]) -> bytes | None:
    """The bytes of one program file; ``None`` when absent or refused (a problem says why).

    Every command that reads a program file reads it here (``playbook diff`` on the
    work tree too), so none reads one through a link.
    """
    real = locate(file, root, shown)
    if real is None:
        return None  # an absent file: the checks say when it is needed
    opened = real if isinstance(real, Refusal) else open_regular(real, shown)
    if isinstance(opened, Refusal):
        problems.append(Problem(shown, 1, 1, "", opened.message, opened.hint))
        return None
    stream, size = opened
    with stream:
        raw = stream.read(yamlsrc.MAX_BYTES + 1) if size <= yamlsrc.MAX_BYTES else b""
    if size > yamlsrc.MAX_BYTES or len(raw) > yamlsrc.MAX_BYTES:
        problems.append(Problem(
            shown, 1, 1, "", too_large(max(size, len(raw)), yamlsrc.MAX_BYTES, "a program file"),
            "a program file is written by hand: keep measurements in CSV files under data/"))
        return None
    return raw
