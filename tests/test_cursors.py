"""Keyset cursors, pure: what encode writes, what decode reads back, and each way a cursor is
refused (the page and API answer 400 with BadCursor's words; tests/scaleout/test_keyset.py)."""

import base64
from datetime import datetime

import pytest

from service.domain.threads.cursors import MAX_LENGTH, BadCursor, decode, encode


def token(raw):
    """A cursor with these exact bytes inside, as a client could forge it."""
    return base64.urlsafe_b64encode(raw if isinstance(raw, bytes) else raw.encode()).decode().rstrip("=")


def test_encode_is_base64url_json_without_padding():
    assert encode([1]) == "WzFd"  # '[1]'
    assert encode([datetime(2026, 1, 2, 3, 4, 5, 6), 42, None, 0.5]) == token(
        '["2026-01-02T03:04:05.000006",42,null,0.5]'
    )
    assert "=" not in encode([12])  # '[12]' would need padding


def test_a_cursor_reads_back_as_it_was_written():
    when = datetime(2026, 12, 31, 23, 59, 59, 999999)
    assert decode(encode([when, 7]), ("time", "id")) == (when, 7)
    assert decode(encode([0.25, None, 9]), ("score", "score", "id")) == (0.25, None, 9)
    assert decode(encode([3]), ("score",)) == (3.0,)
    assert isinstance(decode(encode([3]), ("score",))[0], float)
    assert decode(token('["2026-01-02T03:04:05+00:00"]'), ("time",)) == (datetime(2026, 1, 2, 3, 4, 5),)
    # another offset is the same instant in UTC, not the same wall-clock reading
    assert decode(token('["2026-01-02T03:04:05+05:00"]'), ("time",)) == (datetime(2026, 1, 1, 22, 4, 5),)
    assert decode(encode([2**63 - 1]), ("id",)) == (2**63 - 1,)


# (the kinds a cursor holds, forged contents it must refuse), in the order of the test ids
FORGED = [
    # ids: 1 to a 64-bit key's largest, and integers only
    (("id",), ["[0]", "[-1]", f"[{2**63}]", "[true]", "[1.0]", '["1"]']),
    (("score",), ["[true]", '["0.5"]', "[NaN]", "[Infinity]", "[1e999]"]),
    (("time",), ['["yesterday"]', "[20260101]", "[null]"]),
    # an offset that takes the time out of datetime's range, or is not a real offset
    (
        ("time",),
        ['["0001-01-01T00:00:00+01:00"]', '["9999-12-31T23:59:59-01:00"]', '["2026-01-01T00:00:00+24:00"]'],
    ),
    (("id",), ["[null]"]),
    # too few values
    (("time", "id"), ["[1]"]),
    # too many; not a list (twice); not JSON; not UTF-8
    (("id",), ["[1, 2]", '{"id": 1}', "1", "[1", b"[\xff]"]),
]


@pytest.mark.parametrize("raw, kinds", [(raw, kinds) for kinds, forged in FORGED for raw in forged])
def test_a_forged_cursor_is_refused(raw, kinds):
    with pytest.raises(
        BadCursor, match=r"^That page link is not valid \(bad cursor\); start again from the first page\.$"
    ):
        decode(token(raw), kinds)


@pytest.mark.parametrize("bad", ["", "!!!!", "W", None, 12, ["WzFd"], "x" * (MAX_LENGTH + 1)])
def test_what_is_not_a_cursor_is_refused(bad):
    with pytest.raises(BadCursor):
        decode(bad, ("id",))


def test_a_count_is_a_whole_number_from_zero():
    for value in (0, 5, 2**63 - 1):
        assert decode(encode([value]), ("count",)) == (value,)
    for raw in ("[-1]", f"[{2**63}]", "[true]", "[1.0]", '["1"]', "[null]"):
        with pytest.raises(BadCursor):
            decode(token(raw), ("count",))


def test_every_length_of_cursor_reads_back():
    # Unpadded base64 of 1 to 18 digits: every token length modulo 4 that decode must re-pad.
    for digits in range(1, 19):
        value = int("9" * digits)
        assert decode(encode([value]), ("id",)) == (value,)


def test_the_length_limit_is_two_hundred_characters():
    assert MAX_LENGTH == 200
    ids = [10] + [1] * 73  # 150 bytes of JSON, 200 characters of base64
    longest = encode(ids)
    assert len(longest) == 200 and decode(longest, ("id",) * len(ids)) == tuple(ids)
    too_long = encode([10, 10] + [1] * 73)  # well formed, 203 characters
    assert len(too_long) > 200
    with pytest.raises(BadCursor):
        decode(too_long, ("id",) * 75)


def test_a_bad_cursor_answers_400():
    assert BadCursor().status == 400
