"""JSON as Parley reads it from clients (request bodies, Stripe's events): bounded nesting,
and no lone surrogates.

The standard parser recurses once per level, so a body of 1,000 `[` raised RecursionError
(a 500) before any view ran. A lone surrogate ("\\ud800") is legal JSON but no valid text:
it cannot be encoded as UTF-8, so it failed at INSERT. Both are settled here, at the edge,
for every caller: too deep is refused like any malformed JSON (a 400), and a lone surrogate
becomes U+FFFD, the replacement character, as a malformed UTF-8 byte in a form field does.
"""

import json
import re

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32  # Parley's own documents nest 3 deep; room for clients that wrap them
SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


class TooDeep(ValueError):
    """Nested more than MAX_DEPTH levels (a ValueError, so callers treat it as bad JSON)."""


def loads(text):
    """Parse client JSON; ValueError (as for malformed JSON) when nested too deep."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
    return _clean(value, 1)


def _clean(value, depth):
    """The value with every string's lone surrogates replaced; TooDeep past MAX_DEPTH.

    Recursion here is safe: it stops at MAX_DEPTH."""
    if isinstance(value, str):
        return SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, (list, dict)) and depth > MAX_DEPTH:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels.")
    if isinstance(value, list):
        return [_clean(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_clean(key, depth): _clean(item, depth + 1) for key, item in value.items()}
    return value


class ClientJSONProvider(DefaultJSONProvider):
    """Flask's provider, reading request bodies through `loads` above (`request.get_json`)."""

    def loads(self, s, **kwargs):
        return loads(s)
