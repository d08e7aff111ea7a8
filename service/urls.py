from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

from .numbers import MAX_ID


def safe_next(target, default="/"):
    """Only same-site relative paths are followed after sign-in (no open redirects)."""
    if not target or not isinstance(target, str):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs: a whole number the database can hold; a larger one does not match (404)."""

    def __init__(self, map, *args, **kwargs):
        if not args:
            kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
