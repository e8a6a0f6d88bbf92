"""The stable codes of findings and pending items: what an acknowledgement names.

A problem that is not an error carries one of these codes, so a program can
acknowledge it (``acknowledgements:`` in ``program.yml``) and a machine can
tell one kind from another without reading the message. A code never changes
meaning; a new kind of finding gets a new code.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from enum import Enum, StrEnum


def member_docs(enum: type[Enum]) -> dict[str, str]:
    """Each member's value → the docstring written under it (Python keeps none of them
    at run time; the format reference reads them from the source, as for fields)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(enum)))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    names = {m.name: m.value for m in enum}
    out: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) \
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) \
                and node.targets[0].id in names:
            out[str(names[node.targets[0].id])] = " ".join(str(after.value.value).split())
    return out


class FindingCode(StrEnum):
    """A true fact about a program's data or design: shown everywhere, never blocks."""

    OUTCOME_NOT_MEASURABLE = "outcome-not-measurable"
    """The strategy's outcome statement has no number or no time bound."""
    COHORT_SIZE = "cohort-size"
    """The pilot cohort is outside the recommended 20–50 leaders."""
    PILOT_SHORT = "pilot-short"
    """The pilot is shorter than the minimum viable intervention."""
    PILOT_ONE_FUNCTION = "pilot-one-function"
    """The pilot is drawn from fewer than two functions."""
    NO_COMPARISON = "no-comparison"
    """A pilot has no comparison group and no attribution method."""
    NO_KPIS = "no-kpis"
    """The program has no ``kpis.yml``: no measurement plan."""
    BEHAVIOR_UNOBSERVED = "behavior-unobserved"
    """A behaviour in ``competencies.yml`` has no metric or no evidence."""
    AI_NO_HUMAN = "ai-no-human"
    """An AI tool has no human in the loop."""
    AI_REVIEWERS = "ai-reviewers"
    """An AI tool is not reviewed by HR, legal and a DEI reviewer."""
    AI_NO_OUTCOMES = "ai-no-outcomes"
    """AI tools are listed but no selection outcomes feed the four-fifths check."""
    BUSINESS_KPIS_MANY = "business-kpis-many"
    """More business KPIs than keep a program focused."""
    NO_BUSINESS_KPI = "no-business-kpi"
    """The measurement plan names no business KPI."""
    NO_BEHAVIOR_KPI = "no-behavior-kpi"
    """The measurement plan names no behaviour metric."""
    KPI_NO_OWNER = "kpi-no-owner"
    """A KPI names no accountable role."""
    COMPARISON_DATA_MISSING = "comparison-data-missing"
    """Attribution is by comparison group, but no KPI data has a comparison group."""
    COSTS_NOT_LOADED = "costs-not-loaded"
    """``budget.yml`` leaves out a category of the fully loaded cost checklist."""
    ATTRITION_HIGH = "attrition-high"
    """More of a wave's respondents dropped out than the threshold allows."""
    ATTRITION_DIFFERS = "attrition-differs"
    """Those who dropped out differed from those who stayed at baseline."""
    VALUES_UNUSABLE = "values-unusable"
    """A behaviour KPI's values cannot give an effect (unit or export)."""
    ROW_REPEATED = "row-repeated"
    """A data row repeats an earlier one exactly (an export artifact): it is read once."""
    WAVE_ORDER = "wave-order"
    """A post wave is dated before the same subject's pre wave."""
    NUMBER_SEPARATOR = "number-separator"
    """An amount such as ``40.000`` reads as a decimal, perhaps meant as thousands."""
    DATA_UNUSED = "data-unused"
    """A data file that no source or query reads."""
    PERSONAL_DATA = "personal-data"
    """A committed data file holds direct identifiers (e-mail addresses, names, phone
    numbers, logins): replace them with keyed pseudonyms (``playbook pseudonymise``)."""
    DATA_ORPHAN = "data-orphan"
    """A data folder with no program of its name."""
    BIDI_CHARACTER = "bidi-character"
    """Text holds a bidirectional formatting character."""
    ANSWERS_AFTER_CLOSE = "answers-after-close"
    """Answers of a survey wave are dated after it closed: not counted (privacy)."""
    IMPLAUSIBLE = "implausible"
    """A number is outside the plausible range of its unit (an amount of money, days,
    a percentage): the figures built on it are computed but should not be trusted."""
    ACKNOWLEDGEMENT_UNMATCHED = "acknowledgement-unmatched"
    """An acknowledgement in ``program.yml`` matches no finding (fixed, or mistyped)."""
    CONTRACT_VALUE = "contract-value"
    """A column a source filters, groups or maps holds a value its contract lock has not
    seen (a new account code, unit or label): a filter may no longer match it."""
    CONTRACT_COLUMN = "contract-column"
    """An input file lacks a column its contract lock lists."""
    CONTRACT_ROWS = "contract-rows"
    """A period has far fewer or far more input rows than the accepted periods before it."""
    CONTRACT_DUPLICATE = "contract-duplicate"
    """An input that is summed or counted has more identical lines than its lock accepted."""
    CONTRACT_EMPTY = "contract-empty"
    """An input file has a header and no rows (a failed export job)."""
    CONTRACT_JUMP = "contract-jump"
    """A series' value moved from the one before by more than the series' noise allows."""
    EXPECTATION_FAILED = "expectation-failed"
    """An input file breaks an expectation its source declares (``expect:``)."""
    DESIGN_NO_NEEDS_ANALYSIS = "design-no-needs-analysis"
    """The design states no needs analysis, which Lacerenza et al. (2017) support."""
    DESIGN_NO_FEEDBACK = "design-no-feedback"
    """The design states no feedback to leaders, which Lacerenza et al. (2017) support."""
    DESIGN_NO_PRACTICE = "design-no-practice"
    """The design's delivery methods leave out practice, the method Lacerenza et al. (2017)
    single out."""
    DESIGN_ONE_METHOD = "design-one-method"
    """The design uses one delivery method where Lacerenza et al. (2017) support several."""
    DESIGN_MASSED = "design-massed"
    """The training is one sitting where Lacerenza et al. (2017) support spaced sessions."""
    DESIGN_OFF_SITE = "design-off-site"
    """The training is off-site where Lacerenza et al. (2017) support on-site."""
    DESIGN_NOT_FACE_TO_FACE = "design-not-face-to-face"
    """The training is virtual or self-administered where Lacerenza et al. (2017) support
    face-to-face delivery that is not self-administered."""
    DESIGN_NO_COACHING = "design-no-coaching"
    """The pilot has no coaching, which the practitioners' guidance asks of a pilot."""
    DESIGN_NO_ACTION_PROJECT = "design-no-action-project"
    """The pilot has no on-the-job action project, which the practitioners' guidance asks
    of a pilot."""
    DESIGN_NO_PRE_POST = "design-no-pre-post"
    """No behaviour KPI names a source, so no behaviour is measured after its baseline (the
    practitioners' guidance asks for pre/post measures)."""
    FORECAST_LATE = "forecast-late"
    """The program's forecast was made after its start: once data is in, a forecast is
    no longer a forecast, and its checkpoints are compared with it only as marked."""


class PendingCode(StrEnum):
    """Something a person still has to do: shown, a status of its own, never an error."""

    SIGNOFF_STALE = "signoff-stale"
    """A sign-off whose signed content changed since it was signed."""
    SIGNOFF_MISSING = "signoff-missing"
    """A role that the publishing policy requires has not signed."""
    SIGNOFF_UNVERIFIABLE = "signoff-unverifiable"
    """A signed sign-off whose signature no key of the role's handle in
    ``allowed_signers`` made: it does not count as signed."""
    REVIEW_OVERDUE = "review-overdue"
    """A day-90/180/365 review, or the ``next_review`` of ``reviews.yml``, is more than
    21 days past with no review recorded."""
