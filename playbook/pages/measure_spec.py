"""A KPI page's "Measure" row: what a source's ``measure:`` adds up, in words.

A reviewer reads the declaration back as a sentence (the aggregate, the
period and its dating, every filter, the lookup, the people counted) and can
check it against the export without reading SQL; ``playbook explain`` gives
the query itself.
"""

from __future__ import annotations

from typing import Final

from playbook.model.choices import Cadence
from playbook.model.measure import Source
from playbook.model.measures import Aggregate, Dated, Filter
from playbook.pages.mdtext import Md, code, fmt, join, text, words

AGGREGATE_WORDS: Final = {
    Aggregate.SUM: "total of", Aggregate.MEAN: "mean of", Aggregate.COUNT: "number of rows",
    Aggregate.COUNT_DISTINCT: "number of distinct", Aggregate.RATIO: "total of",
}
"""Each aggregate, as the sentence starts."""

TEST_WORDS: Final = {
    "equals": "is", "one_of": "is one of", "none_of": "is none of", "above": "is above",
    "at_least": "is at least", "below": "is below", "at_most": "is at most",
}
"""Each filter test, as the sentence says it."""


def measure_line(src: Source, cadence: Cadence) -> Md:
    """The measure of ``src`` as a sentence (``src.measure`` is set; ``cadence``: its KPI's)."""
    measure = src.measure
    assert measure is not None
    what = words(AGGREGATE_WORDS[measure.aggregate])
    if measure.aggregate is not Aggregate.COUNT:
        what = fmt("{} {}", what, code(src.value))
    if measure.over is not None:
        what = fmt("{} over the total of {}", what, code(measure.over))
    dated = "end" if measure.dated is Dated.END else "start"
    grain = measure.period(cadence)
    out = fmt("{} per {}, dated at each {}'s {}", what, text(grain), text(grain), words(dated))
    if measure.where:
        out = fmt("{}; rows where {}", out, join((_filter(f) for f in measure.where),
                                                 words(" and ")))
    if measure.lookup is not None and src.group is not None:
        lookup = measure.lookup
        out = fmt("{}; group of {} from {} ({} → {})", out, code(src.group), code(lookup.file),
                  code(lookup.key or src.group), code(lookup.group))
    if measure.people is not None:
        out = fmt("{}; people counted in {}", out, code(measure.people))
    return out


def _filter(test: Filter) -> Md:
    name, value = test.test
    listed = value if isinstance(value, list) else [value]
    shown = join((code(f"{v:g}" if isinstance(v, float) else v) for v in listed), Md(", "))
    return fmt("{} {} {}", code(test.column), words(TEST_WORDS[name]), shown)
