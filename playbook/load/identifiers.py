"""Person identifiers in measurement files, found by column name and by content.

Two kinds matter. *Direct* identifiers (names, e-mail addresses, phone
numbers, logins, national ids) may not be in a measurement file at all.
*Person ids* (``employee_id``, ``leader``, ``actor.account.name``) are
allowed only where the format expects them: as the ``subject`` column of a
person-level source, so that small groups are suppressed. Neither may label a
group. Column names are compared in a normal form: camelCase split, dots,
dashes and spaces as underscores, lowercase (``actor.mbox`` → ``actor_mbox``,
``EmployeeID`` → ``employee_id``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

DIRECT: Final = re.compile(
    r"^(name|surname|mail|tel|ssn|address|upn|login|username|user_name|display_name"
    r"|actor_mbox|actor_mbox_sha1sum|actor_name|mbox)$"
    r"|(^|_)(e_?mail|email_address|mail_address|phone|mobile|telephone|ssn|national_id"
    r"|passport|home_address|social_security)(_|$)"
    r"|(first|last|full|given|family|middle|sur|manager|employee|leader|person|participant"
    r"|user|coach|display|learner|staff)_?name$")
"""Normal-form column names that hold direct identifiers."""

PERSON_ID: Final = re.compile(
    r"^(employee|emp|staff|person|user|leader|manager|participant|learner|member|worker"
    r"|respondent|actor_account|actor)(_?(id|no|number|num|key|code|account_name|name))?$"
    r"|^(userid|employeeid|empid|personid|staffid|actor_account_name|subject|subject_id"
    r"|respondent)$")
"""Normal-form column names that hold one id per person."""

EMAIL: Final = re.compile(r"(?<![^@\s])[^@\s]++@[^@\s]+\.[A-Za-z]{2,}")
"""Cell contents that hold an e-mail address (``search``): ``name@host.tld`` anywhere.

It is tried only where a run of characters other than ``@`` and white space begins,
and that run is taken whole (``++``, never given back). A match that starts inside a
run also starts at its beginning, so the same cells match as when it is tried at every
position, but each run is scanned at most twice: tried at every position, a cell of
``aaa…`` or ``a@bbb…`` took time quadratic in its length (a 128 KiB cell, a minute).
"""
PHONE: Final = re.compile(r"^\+?[\d ()./-]{7,}$")
"""Cell contents that are phone numbers (``match``, on the stripped cell)."""
_DATE: Final = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
"""Where camelCase words meet (``EmployeeID`` → ``Employee|ID``)."""
_SEPARATORS: Final = re.compile(r"[^a-z0-9]+")


def normal(column: str) -> str:
    """``EmployeeID`` → ``employee_id``; ``actor.mbox`` → ``actor_mbox``."""
    split = _CAMEL.sub("_", column.strip())
    return _SEPARATORS.sub("_", split.lower()).strip("_")


def is_direct(column: str) -> bool:
    """Whether a column name stands for a direct identifier."""
    return bool(DIRECT.search(normal(column)))


def is_person_id(column: str) -> bool:
    """Whether a column name stands for one id per person (or a direct identifier)."""
    return is_direct(column) or bool(PERSON_ID.search(normal(column)))


def identifying_cell(value: str) -> bool:
    """Whether a cell holds an e-mail address or a phone number."""
    value = value.strip()
    if EMAIL.search(value):
        return True
    # a date is not a phone number, however many digits it has
    return bool(PHONE.match(value) and not _DATE.match(value)
                and sum(c.isdigit() for c in value) >= 7)


def direct_columns(header: Iterable[str]) -> list[str]:
    """The header names that look like direct identifiers."""
    return [h for h in header if is_direct(h)]
