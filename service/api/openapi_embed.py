"""The comment widget's part of the OpenAPI document (openapi.py merges it in)."""

from .openapi import STR, _answer, _obj, _op, _ref

SCHEMAS = {
    "EmbedConfig": _obj(
        ["origin", "allowed", "create_articles"],
        origin=STR,
        allowed={"type": "boolean"},
        create_articles={"type": "boolean"},
    ),
    "EmbedToken": _obj(["token", "expires_at", "user"], token=STR, expires_at=STR, user=_ref("User")),
}

PATHS = {
    "/api/v1/embed/config": {
        "get": _op(
            "Whether the calling page's origin may embed the widget. Registered origins get "
            "Access-Control-Allow-Origin (their exact origin) and Vary: Origin; others no CORS header.",
            {"200": _answer("The answer for the request's Origin", _ref("EmbedConfig"))},
            tag="embed",
        )
    },
    "/api/v1/embed/tokens": {
        "post": _op(
            "Mint a short-lived widget token for the signed-in reader (session cookie and X-CSRFToken; "
            "the sign-in popup calls it). Send it as Authorization: Bearer on the widget's calls: the "
            "article's comments, posting, one comment, edit, delete, report, and revoking it.",
            {"201": _answer("The token, shown once", _ref("EmbedToken"))},
            body=_obj(origin={"type": ["string", "null"], "maxLength": 255}),
            tag="embed",
        )
    },
    "/api/v1/embed/token": {
        "delete": _op(
            "Revoke the widget token this request carries (the widget's Sign out)",
            {"204": _answer("Revoked")},
            tag="embed",
        ),
    },
}
