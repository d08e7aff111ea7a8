"""Opaque keyset cursors: the sort key of the last row of a page, to continue after it.

A cursor is base64url(JSON list); it is opaque to clients but carries no secret, so a
tampered one only ever moves the reader to another position in what they may already see.
Each value is read back by its kind: "time" (a naive UTC datetime), "id" (a positive
integer), "score" (a number, or null for comments without one) or "count" (a whole number, 0 or more).
"""

import base64
import binascii
import json
import math
from datetime import datetime

from ...errors import DomainError

MAX_LENGTH = 200


class BadCursor(DomainError):
    status = 400

    def __init__(self):
        super().__init__("That page link is not valid (bad cursor); start again from the first page.")


def encode(values):
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _time(value):
    if not isinstance(value, str):
        return None
    when = datetime.fromisoformat(value)
    # Stored times are naive UTC; an offset (only in a hand-made cursor) is taken off, not dropped.
    offset = when.utcoffset()
    return when.replace(tzinfo=None) - offset if offset is not None else when


def _id(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63 else None


def _score(value):
    if value is None:
        return ("null",)  # a valid "no score" is told apart from a bad value below
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _count(value):
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63
    return value if ok else None


READERS = {"time": _time, "id": _id, "score": _score, "count": _count}


def decode(token, kinds):
    """The values of a cursor made by `encode`, checked against `kinds`; BadCursor otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_LENGTH:
        raise BadCursor()
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):  # bad base64, bad UTF-8 and bad JSON all land here
        raise BadCursor() from None
    if not isinstance(values, list) or len(values) != len(kinds):
        raise BadCursor()
    out = []
    for kind, value in zip(kinds, values):
        try:
            read = READERS[kind](value)
        except (ValueError, OverflowError):
            read = None
        if read is None:
            raise BadCursor()
        out.append(None if read == ("null",) else read)
    return tuple(out)
