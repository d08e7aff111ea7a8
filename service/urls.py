from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter


def safe_next(target, default="/"):
    """Only same-site relative paths are followed after sign-in (no open redirects)."""
    if not target or not isinstance(target, str):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


# Ids are 32-bit integer columns on PostgreSQL (and SQLite's driver overflows past 64 bits):
# anything larger can name nothing, and must be a 404 or a 422, never a database error.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs: a whole number the database can hold; a larger one does not match (404)."""

    def __init__(self, map, *args, **kwargs):
        if not args:
            kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def is_id(value):
    """Whether a JSON value can be a row id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
