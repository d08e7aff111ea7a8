"""Scrubbing invisible characters out of what people type before it is stored.

Control characters (NUL, BEL, ESC, DEL, C1 controls …) and the bidirectional-override
characters have no business in a name, a title or a reason: they can corrupt logs and
terminals, break CSV exports, reverse text shown to others ("Trojan Source") or, in the
case of NUL, make PostgreSQL refuse the row. Single-line fields lose all of them and have
their whitespace collapsed; multi-line fields keep newlines and tabs.
"""

import unicodedata

# Bidi embeddings, overrides and isolates: they reorder the text around them on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
KEEP_IN_TEXT = frozenset("\n\r\t")
WHITESPACE = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85")  # controls that str.split() treats as spaces


def _unwanted(char, keep=frozenset()):
    if char in keep:
        return False
    return char in BIDI_CONTROLS or unicodedata.category(char) == "Cc"


def single_line(value):
    """`value` with control characters removed and runs of whitespace made one space; None stays None."""
    if not isinstance(value, str):
        return value
    return " ".join("".join(char for char in value if not _unwanted(char, WHITESPACE)).split())


def multi_line(value):
    """`value` with control characters removed but line breaks and tabs kept."""
    if not isinstance(value, str):
        return value
    return "".join(char for char in value if not _unwanted(char, KEEP_IN_TEXT))


def is_blank(value):
    """True when nothing in `value` would show: only whitespace and invisible format
    characters (zero-width spaces and joiners, word joiners, byte-order marks). Such text
    passes a plain .strip() test but reads as empty, so required fields use this instead."""
    return not any(not char.isspace() and unicodedata.category(char) != "Cf" for char in value)
