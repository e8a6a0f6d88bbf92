"""``playbook sign``: append one sign-off to ``program.yml``, or refuse and change nothing.

The digest it writes is :func:`playbook.load.signoffs.digest` of the program as
it is now; the file is rewritten by :func:`playbook.load.safewrite.write_files`,
through a temporary file in the same real folder and never through a link.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Final

import yaml

from playbook import engine
from playbook.load import sshsig
from playbook.load import yaml_source as yamlsrc
from playbook.load.bundle import Bundle
from playbook.load.safefiles import Refusal, read_file
from playbook.load.safewrite import write_files
from playbook.load.signoffs import digest
from playbook.load.validate import validate
from playbook.model.problems import PlaybookError
from playbook.model.program import Program


class SignError(PlaybookError):
    """The sign-off cannot be written; nothing was changed."""


class _Unsupported(Exception):
    """``program.yml`` has a layout ``sign`` cannot extend safely; the reason is the text."""


BOM = "\ufeff"
_YAML_BREAKS: Final = frozenset({"\x85", "\u2028", "\u2029"})
"""Characters YAML reads as line breaks besides CR and LF: never raw in a quoted scalar."""


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly as ``text``.

    JSON escaping covers quotes, backslashes and C0 controls; YAML also folds
    NEL, LS and PS and refuses other non-printable characters, so those are
    escaped too.
    """
    out = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if c in _YAML_BREAKS or c == BOM or not c.isprintable()
        else c for c in out)


def entry_data(role: str, name: str, day: date, version: str,
               value: str, signature: str | None = None) -> dict[str, str]:
    """One sign-off as the project's YAML loader reads it back (dates stay text)."""
    entry = {"role": role, "name": name, "date": day.isoformat(), "version": version,
             "digest": value}
    if signature is not None:
        entry["signature"] = signature
    return entry


def entry_text(entry: dict[str, str], indent: int = 2, nl: str = "\n") -> str:
    """The YAML lines of one sign-off list item, its dash at column ``indent``."""
    dash, body = " " * indent, " " * (indent + 2)
    text = (f"{dash}- role: {entry['role']}{nl}{body}name: {quoted(entry['name'])}{nl}"
            f"{body}date: {entry['date']}{nl}{body}version: {entry['version']}{nl}"
            f"{body}digest: {entry['digest']}{nl}")
    if "signature" in entry:  # armored base64 lines: a literal block keeps them as they are
        lines = entry["signature"].splitlines()
        text += f"{body}signature: |{nl}" + "".join(f"{body}  {line}{nl}" for line in lines)
    return text


def _flow_entry(entry: dict[str, str]) -> str:
    """One sign-off as a flow mapping, for files written in flow style."""
    signed = f", signature: {quoted(entry['signature'])}" if "signature" in entry else ""
    return (f"{{role: {entry['role']}, name: {quoted(entry['name'])}, date: {entry['date']}, "
            f"version: {quoted(entry['version'])}, digest: {quoted(entry['digest'])}{signed}}}")


def _last_scalar(node: yaml.Node) -> yaml.Node:
    """The last scalar or flow collection inside ``node``.

    A block collection's own end mark runs on to the next token (past comments
    and blank lines); a scalar's or a bracketed collection's does not.
    """
    while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _before_bracket(text: str, node: yaml.CollectionNode, item: str) -> list[str]:
    """Texts with ``item`` added as the last entry of the flow collection ``node``."""
    close = node.end_mark.index - 1
    if text[close:close + 1] not in ("]", "}"):
        raise _Unsupported("its flow collection does not end in a bracket")
    head, tail = text[:close], text[close:]
    if not node.value:
        return [head + item + tail]
    # the second form fits a collection that already ends in a comma: "[a, b, ]"
    return [head + ", " + item + tail, head + " " + item + tail]


def _candidates(text: str, entry: dict[str, str]) -> list[str]:
    """Ways to add ``entry`` to ``text`` (no BOM), the most natural first.

    Each is only a proposal: :func:`_check` decides whether it adds exactly the
    entry. Line breaks follow the file's own (CRLF or LF).

    Raises:
        _Unsupported: No proposal fits this layout.
    """
    if "\r" in text.replace("\r\n", ""):
        raise _Unsupported("it has lines ending in a bare CR")
    first = text.find("\n")
    nl = "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        ends = [e for e in yaml.parse(text, Loader=yaml.SafeLoader)
                if isinstance(e, yaml.DocumentEndEvent)]
    except yaml.YAMLError:
        raise _Unsupported("it is not a single YAML document") from None
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise _Unsupported("the top of the file is not a mapping")
    found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "signoff"]
    signed = found[0] if found else None
    if node.flow_style:
        if signed is None:
            return _before_bracket(text, node, f"signoff: [{_flow_entry(entry)}]")
        if isinstance(signed, yaml.SequenceNode) and signed.flow_style:
            return _before_bracket(text, signed, _flow_entry(entry))
        raise _Unsupported("its 'signoff' value is not a list in brackets")
    if signed is None:
        # a new key at the end of the mapping, before an explicit `...` end marker
        marker = ends[0].start_mark if ends and ends[0].explicit else None
        cut = marker.index if marker is not None else len(text)
        head, tail = text[:cut], text[cut:]
        if head and not head.endswith("\n"):
            head += nl
        column = node.value[0][0].start_mark.column  # the mapping may be indented
        block = " " * column + "signoff:" + nl + entry_text(entry, column + 2, nl)
        if not tail and not text.endswith("\n"):
            block = block[:-len(nl)]  # keep the file's missing final line break
        # without the blank line, for a `|+` scalar that would keep it as content
        return [head + nl + block + tail, head + block + tail]
    if isinstance(signed, yaml.SequenceNode) and signed.flow_style:
        return _before_bracket(text, signed, _flow_entry(entry))
    if isinstance(signed, yaml.SequenceNode) and signed.value:
        item = entry_text(entry, signed.start_mark.column, nl)
        end = _last_scalar(signed).end_mark.index
        # the last item ends at its last character; insert at the next line's start
        cut = text.find("\n", max(end - 1, 0))
        if cut < 0:
            return [text + nl + item[:-len(nl)]]
        return [text[:cut + 1] + item + text[cut + 1:]]
    raise _Unsupported("its 'signoff' value is not a list of sign-offs")


def _check(old: str, new: str, entry: dict[str, str]) -> str | None:
    """Why ``new`` is not ``old`` plus exactly ``entry`` as the last sign-off, or ``None``.

    Both are read with the project's loader, the way every other command
    reads them, so what is checked is what the digest covers.
    """
    before, _ = yamlsrc.parse(old, "program.yml")
    after, problems = yamlsrc.parse(new, "program.yml")
    if problems or not isinstance(after.data, dict) or not isinstance(before.data, dict):
        return "the result would not be valid YAML"
    was, now = dict(before.data), dict(after.data)
    signed_before, signed_after = was.pop("signoff", []), now.pop("signoff", None)
    changed = sorted(k for k in set(was) | set(now) if was.get(k) != now.get(k))
    if changed:
        return "it would also change " + ", ".join(f"'{k}'" for k in changed)
    if signed_after != [*signed_before, entry]:
        return "the 'signoff' list would not end in exactly the new sign-off"
    _, problems = validate(Program, after)
    if problems:
        return f"the new sign-off would not be valid: {problems[0].message}"
    return None


def append_entry(original: str, entry: dict[str, str]) -> str:
    """Return ``original`` (no BOM) with ``entry`` added to its ``signoff`` list.

    The item goes after the last item of an existing ``signoff`` list, or into
    a new ``signoff`` key at the end of the top-level mapping.

    Raises:
        _Unsupported: No way of adding it reads back as exactly one more
            sign-off with everything else unchanged.
    """
    reasons = []
    for text in _candidates(original, entry):
        reason = _check(original, text, entry)
        if reason is None:
            return text
        reasons.append(reason)
    raise _Unsupported(reasons[0])


def _signable(root: Path, program_id: str) -> Bundle:
    """The program to sign, loaded and checked; refuse it while it has errors."""
    bundle, errors = engine.program(root, program_id)
    if errors or bundle is None or bundle.program is None:
        raise SignError("fix these errors before signing:\n" + "\n".join(map(str, errors)))
    return bundle


def sign(root: Path, program_id: str, role: str, name: str | None,
         day: date, key: Path | None = None) -> dict[str, str]:
    """Append a sign-off of the program as it is now to its ``program.yml``.

    Args:
        root: The playbook folder.
        program_id: The program to sign.
        role: The stakeholder role signing; it must have a person.
        name: Who signs; defaults to the person named for the role.
        day: Date of the sign-off.
        key: The signer's SSH private key: the digest is signed with it
            (``ssh-keygen -Y sign``); ``None`` writes an unsigned sign-off.

    Returns:
        The entry written.

    Raises:
        SignError: The playbook has errors, the program or role is unknown, or
            the file cannot be extended safely, or the key cannot sign; nothing
            was changed.
    """
    bundle = _signable(root, program_id)
    assert bundle.program is not None  # _signable refuses a program without one
    person = bundle.program.stakeholders.model_dump(exclude_none=True).get(role)
    if person is None:
        raise SignError(f"role '{role}' has no person in stakeholders of '{program_id}'")
    name = name or str(person["name"])
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the command line
        raise SignError("the name is not valid UTF-8 text") from None
    value = digest(bundle)
    try:
        signature = sshsig.sign(key, value) if key is not None else None
    except sshsig.SigningError as exc:
        raise SignError(str(exc)) from None
    entry = entry_data(role, name, day, bundle.program.version, value, signature)
    path = bundle.folder / "program.yml"
    shown = f"program/{program_id}/program.yml"

    def refuse(reason: str) -> SignError:
        return SignError(f"cannot append a sign-off to {shown} safely: {reason}; add it by "
                         f"hand to its 'signoff' list:\n{entry_text(entry).rstrip()}")

    # the file comes from a pull request: read and written as every file is, never
    # through a link it planted (the loader has refused one already)
    raw = read_file(path, root, shown, yamlsrc.MAX_BYTES)
    if raw is None or isinstance(raw, Refusal):
        raise refuse(raw.message if raw is not None else "it is gone")
    bom = raw.startswith(BOM.encode("utf-8"))
    try:
        original = raw.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError:
        raise refuse("it is not UTF-8 text") from None
    try:
        text = append_entry(original, entry)
    except _Unsupported as exc:
        raise refuse(str(exc)) from None
    write_files(root, [(shown, (BOM if bom else "").encode("utf-8") + text.encode("utf-8"))])
    return entry
