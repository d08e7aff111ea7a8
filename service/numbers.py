"""The one way Parley reads a whole number from text a client sent (query strings, form
fields, JSON strings, Stripe metadata).

`str.isdigit()` is true for "²", "٣" and other Unicode digits that `int()` then refuses or
reads as something else, and `int()` of an unbounded string costs time quadratic in its
length. So: ASCII digits only, at most MAX_DIGITS of them, inside the caller's bounds.
"""

import re

MAX_DIGITS = 12  # more than any id, page or count Parley takes; int() of it is instant
ASCII_WHOLE = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
# Ids are 32-bit integer columns on PostgreSQL (and SQLite's driver overflows past 64 bits):
# anything larger can name nothing, and must be a 404 or a 422, never a database error.
MAX_ID = 2**31 - 1


def whole_number(text, low, high):
    """`text` as an int when it is ASCII digits (surrounding spaces allowed) from low to high; else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not ASCII_WHOLE.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_id(text):
    """A row id from text, or None."""
    return whole_number(text, 1, MAX_ID)


def is_id(value):
    """Whether a JSON value can be a row id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
