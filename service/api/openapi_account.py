"""The readers' own data part of the OpenAPI document (openapi.py merges it in)."""

from .openapi import STR, _answer, _obj, _op, _ref

NULLABLE_STR = {"type": ["string", "null"]}

SCHEMAS = {
    "Export": _obj(
        ["id", "status", "requested_at", "download_url"],
        id={"type": "integer"},
        status={"type": "string", "enum": ["queued", "running", "ready", "failed"]},
        requested_at=STR,
        finished_at=NULLABLE_STR,
        expires_at=NULLABLE_STR,
        size={"type": ["integer", "null"], "description": "bytes of the JSON document"},
        error=NULLABLE_STR,
        download_url={
            "type": ["string", "null"],
            "description": "where the owner downloads the JSON file (Content-Disposition: attachment) while it is ready",
        },
    ),
}

EXPORT_ANSWER = _obj(["export"], export=_ref("Export"))

PATHS = {
    "/api/v1/me/export": {
        "get": _op(
            "My latest data export and its state",
            {
                "200": _answer(
                    "The export, or null", _obj(["export"], export={"oneOf": [_ref("Export"), {"type": "null"}]})
                )
            },
            tag="account",
        ),
        "post": _op(
            "Ask for a copy of my data: built at once for small accounts, in the background otherwise",
            {
                "201": _answer("Ready: follow download_url", EXPORT_ANSWER),
                "202": _answer("Queued: poll GET /api/v1/me/export (an email says when it is ready)", EXPORT_ANSWER),
                "429": _answer(
                    "Asked too often (EXPORT_LIMIT_PER_HOUR); Retry-After says when to ask again", _ref("Error")
                ),
            },
            tag="account",
        ),
    },
    "/api/v1/me": {
        "delete": _op(
            "Delete my account (confirmed with my current password); signs me out",
            {"204": _answer("Deleted")},
            body=_obj(["password"], password=STR),
            tag="account",
        )
    },
}
