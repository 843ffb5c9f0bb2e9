"""Text from the user's pages, made safe to print on a terminal.

Records are scraped from the web: an answer, author or title can hold escape sequences
(``ESC[2J`` clears the screen, OSC sequences set the window's title or plant a link) and
bidirectional overrides that make a line read otherwise than it is. Every string the CLI
prints that came from a page or a file goes through :func:`printable` first.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (0x9B is CSI on its own), and the bidi
# embeddings, overrides and isolates (the marks LRM/RLM stay: RTL text needs them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The most characters of one user string a summary shows: rich's line wrapping takes time
# quadratic in the length of a word without spaces (100,000 characters: about a minute).
MAX_SHOWN = 300


def printable(text: object, one_line: bool = True, limit: int | None = MAX_SHOWN) -> str:
    """``text`` with every control character shown as its escape (``\\x1b``), cut to
    ``limit`` characters; newlines stay only when ``one_line`` is False."""
    text = str(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    pattern = _CONTROL_OR_NEWLINE if one_line else _CONTROL
    return pattern.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


# What json.dumps and tomli-w leave raw inside strings but a terminal acts on: DEL, C1 and
# the bidi controls (both escape the C0 controls themselves).
_UNESCAPED_IN_STRINGS = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable_json(document: str) -> str:
    """JSON text whose strings carry no control character a terminal acts on: ``json.dumps``
    escapes C0 controls but leaves DEL, C1 and bidi controls raw. They only occur inside
    strings, where ``\\u009b`` reads back as the same character."""
    return _escape_in_strings(document)


def printable_toml(document: str) -> str:
    """TOML text (as tomli-w writes it: basic strings) made safe the same way. Not
    :func:`printable`: its ``\\x85`` is no TOML escape, so the printed curation would not
    read back; ``\\u0085`` is one in JSON and TOML alike."""
    return _escape_in_strings(document)


def _escape_in_strings(document: str) -> str:
    return _UNESCAPED_IN_STRINGS.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
