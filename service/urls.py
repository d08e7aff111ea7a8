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


def id_url(endpoint, **values):
    """url_for for many rows of a page: id_url("review.comment", comment_id=ID)(42) is
    url_for("review.comment", comment_id=42), but the route is built once, with a placeholder
    id, and each row's id is put in its place (a queue page of 50 cards built 350 URLs)."""
    from flask import url_for

    (key,) = [k for k, v in values.items() if v is ID]
    placeholder = MAX_ID  # the largest id the route accepts: digits that appear nowhere else
    prefix, _, suffix = url_for(endpoint, **{**values, key: placeholder}).partition(str(placeholder))

    def build(value):
        return f"{prefix}{int(value)}{suffix}"

    build.slot = f"{prefix}{SLOT}{suffix}"  # for a form the page's script fills in
    return build


ID = object()  # marks the argument id_url fills in per row
SLOT = "__ID__"  # where a form the page's script copies takes its row's id (static/js/parley.js)


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs: a whole number the database can hold; a larger one does not match (404)."""

    def __init__(self, map, *args, **kwargs):
        if not args:
            kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
