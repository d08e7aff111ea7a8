"""/api: the API as a page people can read (the footer links here), made from the same
OpenAPI document that /api/v1/openapi.json serves, so the two never disagree."""

from flask import render_template

from ..api.spec import document
from . import bp

METHODS = ("get", "post", "put", "patch", "delete")


def _sections(doc):
    """[(tag, [(METHOD, path, summary)])], untagged operations under "Comments and articles"."""
    sections = {}
    for path, operations in doc["paths"].items():
        for method in METHODS:
            op = operations.get(method)
            if op is None:
                continue
            tag = (op.get("tags") or ["Comments and articles"])[0]
            sections.setdefault(tag, []).append((method.upper(), path, op.get("summary", "")))
    return sorted(sections.items(), key=lambda item: (item[0] != "Comments and articles", item[0]))


@bp.get("/api")
def api_reference():
    doc = document()
    return render_template("api_reference.html", info=doc["info"], sections=_sections(doc))
