"""Characters no program or data text may hold, and how to show them safely.

A C1 control character (U+009B is a terminal's CSI) written as a YAML escape
once broke a generated page's front matter; bidirectional formatting
characters make text display in another order than it is stored ("Trojan
Source"). One small test, :func:`unsafe_character`, serves the YAML reader,
the CSV reader and file names alike; :func:`escape` makes any text safe to
print in a problem line.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls except tab and newline, DEL and the C1 controls: an error."""

BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Bidirectional formatting characters: a finding (right-to-left text may need them)."""

_SHOWN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    "\u2066-\u2069\ud800-\udfff]")
"""What a problem line never prints raw: the above, newlines (a forged line or
workflow command) and lone surrogates (an undecodable file name; printing one raises)."""


def unsafe_character(text: str, *, line_breaks: bool = False) -> tuple[str, bool] | None:
    """Find the character of ``text`` that must not be there, if any.

    Args:
        text: The text to test.
        line_breaks: Allow carriage returns too, for text where they are line
            breaks of the file (a quoted CSV cell of a CRLF export).

    Returns:
        ``("U+009B", True)`` for the first control character, else
        ``("U+202E", False)`` for the first bidirectional formatting
        character, else ``None``.
    """
    for pattern, control in ((CONTROL, True), (BIDI, False)):
        for match in pattern.finditer(text):
            if line_breaks and match.group() == "\r":
                continue
            return f"U+{ord(match.group()):04X}", control
    return None


def escape(text: str) -> str:
    r"""Return ``text`` with unprintable characters written as ``\x9b`` or ``\u202e``."""
    return _SHOWN.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
