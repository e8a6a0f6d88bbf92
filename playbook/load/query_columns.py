"""A source query's text → the columns it filters, groups or maps, and whether it sums.

A query decides which rows count with ``WHERE Account IN (...)``, ``CASE WHEN
unit = 'ICU' THEN 'pilot' END`` or ``GROUP BY cost_centre``: a value the query
did not foresee (a new account code) silently falls out of the figure. Those
columns are the ones a contract locks (:mod:`playbook.load.contracts`). The
query is parsed with sqlglot in DuckDB's dialect; a column compared with a
range (``amount > 0``, ``date >= '2026-01-01'``) is not a category and is left
out, as is a column compared with another column (a join key: the other side
is what the join maps).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

_CATEGORY_TESTS = (exp.EQ, exp.NEQ, exp.Like, exp.ILike)
"""Comparisons of a column with a literal that pick rows by category."""


@dataclass(frozen=True)
class QueryShape:
    """What a contract needs to know of a query."""

    categories: frozenset[str]
    """Lower-cased names of the columns filtered, grouped or mapped by value."""
    columns: frozenset[str]
    """Lower-cased names of every column the query names."""
    summed: bool
    """Whether the query adds rows up (``sum``, ``count``, ``avg``, not ``DISTINCT``): a
    repeated line then moves its result."""


EMPTY = QueryShape(frozenset(), frozenset(), summed=False)
"""The shape of a query that does not parse (its error is reported where it runs)."""


def shape(query: str) -> QueryShape:
    """Read the columns a query filters, groups or maps, and whether it aggregates."""
    try:
        tree = sqlglot.parse_one(query, read="duckdb")
    except (ParseError, TokenError, ValueError):
        return EMPTY
    found: set[str] = set()
    for within in tree.find_all(exp.In):
        if isinstance(within.this, exp.Column) and within.args.get("expressions"):
            found.add(within.this.name)
    for test in tree.find_all(*_CATEGORY_TESTS):
        left, right = test.this, test.expression
        if isinstance(left, exp.Column) and isinstance(right, exp.Literal):
            found.add(left.name)
        elif isinstance(right, exp.Column) and isinstance(left, exp.Literal):
            found.add(right.name)
    for group in tree.find_all(exp.Group):
        found.update(c.name for c in group.find_all(exp.Column))
    for case in tree.find_all(exp.Case):
        if isinstance(case.this, exp.Column):  # CASE unit WHEN 'ICU' THEN …
            found.add(case.this.name)
    columns = {c.name.lower() for c in tree.find_all(exp.Column)}
    # a distinct count, a minimum or a maximum is not moved by a repeated line
    summed = any(not isinstance(agg.this, exp.Distinct)
                 for agg in tree.find_all(exp.Sum, exp.Count, exp.Avg))
    return QueryShape(frozenset(n.lower() for n in found if n), frozenset(columns), summed)
