"""Problems of a YAML file that does not parse: a bad character, bad syntax, too deep.

Each points at the place in the text the person must fix, with a hint in
their words rather than the parser's.
"""

from __future__ import annotations

import yaml

from playbook.model.problems import Problem, Severity, character_problem

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings; real programs nest fewer than ten.

PyYAML composes nodes recursively: without a limit, a few thousand ``[``
would end in ``RecursionError`` instead of a problem."""


def reader_problem(path: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not accept, at its place (the error itself has no mark)."""
    at = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    problem = character_problem(chr(code), path, line, column, "")
    if problem is not None and problem.severity is Severity.ERROR:
        return problem
    return Problem(path, line, column, "", f"contains the character U+{code:04X}, which YAML "
                   "does not allow", "remove it")


def syntax_problem(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = str(getattr(exc, "problem", "") or exc).strip()
    if "'\\t'" in problem or "\\t" in problem:
        return Problem(path, line, column, "", "tab character in YAML",
                       "indent with spaces, never tabs")
    context = str(getattr(exc, "context", "") or "").strip()
    opened = getattr(exc, "context_mark", None)
    if context.startswith("while parsing a flow") and opened is not None and mark is not None \
            and mark.line > opened.line:
        # the bracket's line ended without its closing bracket: point at the bracket
        start, end = ("[", "]") if "sequence" in context else ("{", "}")
        return Problem(path, opened.line + 1, opened.column + 1, "",
                       f"invalid YAML: '{start}' is not closed",
                       f"end it with '{end}' and separate its items with commas")
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    return Problem(path, line, column, "", message,
                   "check indentation, colons and quotes on this line")


def too_deep(path: str, where: tuple[int, int]) -> Problem:
    return Problem(path, where[0], where[1], "", f"nesting deeper than {MAX_DEPTH} levels",
                   "a program file needs only a few levels of lists and mappings")


def deepest_start(text: str) -> tuple[int, int]:
    """Where the first collection past :data:`MAX_DEPTH` starts, read from the event stream.

    The parser is a state machine, so this works where the recursive composer
    ran out of stack.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                mark = event.start_mark
                if depth > MAX_DEPTH:
                    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return (1, 1)


