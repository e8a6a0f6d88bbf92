"""YAML text → node trees, by libyaml when it is safe, else by pure-Python PyYAML.

Called by :mod:`playbook.load.yaml_source`, which walks the nodes. Pure-Python
scanning was most of the load at portfolio scale (200 programs, 1,600 files),
so composing runs in libyaml (``CSafeLoader``) when PyYAML was built with it.
Its nodes differ in one way (a plain scalar's style is ``""``, not ``None``), so
the readers test a plain scalar as ``not node.style``; its errors carry fewer details,
so a file it rejects is parsed again by the pure loader, whose messages and
marks every problem was written against.
"""

from __future__ import annotations

import re

import yaml

_C_LOADER: type | None = getattr(yaml, "CSafeLoader", None)
_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
         yaml.MappingNode: "tag:yaml.org,2002:map"}


if _C_LOADER is not None:
    class _Composer(_C_LOADER):  # type: ignore[misc, valid-type]
        """libyaml's composer without PyYAML's tag guessing, which runs in Python.

        :func:`playbook.load.yaml_source.resolve_scalar` types every plain scalar
        itself (YAML 1.2 core schema) and treats the implicit tags alike, so guessing
        them (a dozen patterns per scalar) was a quarter of composing. A tag written
        in the file is kept.
        """

        def resolve(self, kind: type, value: str, implicit: object) -> str:
            return _TAGS[kind]

_FAST_LOADER: type | None = _Composer if _C_LOADER is not None else None
"""libyaml's composer, when PyYAML has it; ``None`` falls back to the pure loader."""
_NESTING = re.compile(r"[\[{:]|[-?](?=\s|$)", re.MULTILINE)
"""Characters that can open a collection: a chain of nested ones needs one each."""
FAST_MAX_OPENERS = 2_000
"""Most openers a file may hold for libyaml to compose it.

libyaml's composer recurses in C with no depth check: a few tens of thousands
of nested ``- - -`` crash the process (no ``RecursionError`` to catch). Nesting
depth is at most the number of openers, and 2,000 is ten times below the depth
measured to crash on a thread's default stack; real program files hold under
200. A file with more goes to the pure loader, whose depth problems stand.
"""


def _openers_at_most(text: str, limit: int) -> bool:
    """Whether ``text`` holds at most ``limit`` openers (:data:`_NESTING`)."""
    # every opener is one of these characters, so their count bounds the openers' from
    # above: counted in C, it settles a program file without the pattern (a tenth of
    # composing it); only a file over the bound is matched opener by opener
    if sum(text.count(c) for c in "[{:-?") <= limit:
        return True
    return len(_NESTING.findall(text)) <= limit


def compose(text: str) -> list[yaml.Node]:
    """Every document's node tree, by libyaml when it is safe, else by pure Python.

    Raises:
        yaml.YAMLError: From the pure loader, with the marks problems are written for.
    """
    if _FAST_LOADER is not None and _openers_at_most(text, FAST_MAX_OPENERS):
        try:
            return list(yaml.compose_all(text, Loader=_FAST_LOADER))
        except yaml.YAMLError:
            pass  # parse again below: the pure loader's error names the place and cause
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))
