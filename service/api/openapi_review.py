"""The moderation part of the OpenAPI document (openapi.py merges it in)."""

from ..domain.moderation.capped import CAP
from ..domain.moderation.history import HISTORY_ACTIONS
from .openapi import COMMENT_ANSWER, CURSOR, ID, STR, _answer, _obj, _op, _ref

INT = {"type": "integer"}
UNIT = {"type": "number", "minimum": 0, "maximum": 1}
BANDS = {"type": "object", "additionalProperties": UNIT}
WORDS = {"type": "array", "items": STR}
QUEUE = {
    "name": "queue",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["pending", "reported", "review"]},
}


def _query(name, schema):
    return {"name": name, "in": "query", "required": False, "schema": schema}


SCHEMAS = {
    "Settings": _obj(
        review=BANDS,
        hold=BANDS,
        banned_words=WORDS,
        suspect_words=WORDS,
        auto_reject={"type": "boolean"},
        reject_threshold=UNIT,
        premoderation_rate=UNIT,
        rate_window={"type": "integer", "minimum": 1},
        rate_min_decided={"type": "integer", "minimum": 1},
        report_hide_threshold={"type": "integer", "minimum": 1, "maximum": 1000},
        deleted_account_comments={"type": "string", "enum": ["anonymise", "delete"]},
        language_action={"type": "string", "enum": ["publish", "review", "hold"]},
        embed_create_articles={"type": "boolean"},
        payment_instructions={
            "type": "string",
            "maxLength": 2000,
            "description": "how readers pay a manual request (bank details): shown with the reference and mailed",
        },
    ),
    "HistoryEntry": _obj(
        ["id", "actor", "action", "created_at"],
        id=INT,
        comment_id={"type": ["integer", "null"]},
        actor=STR,
        user={"type": ["string", "null"]},
        action=STR,
        from_status={"type": ["string", "null"]},
        to_status={"type": ["string", "null"]},
        reason={"type": ["string", "null"]},
        details={"type": ["object", "null"]},
        created_at=STR,
    ),
}

SETTINGS_ANSWER = _answer("Settings", _obj(["settings"], settings=_ref("Settings")))

PATHS = {
    "/api/v1/comments/{id}/reports": {
        "post": _op(
            "Report a comment (once per reader)",
            {"201": _answer("Reported", _obj(["status"], status=STR))},
            body=_obj(["reason"], reason={"type": "string", "minLength": 1, "maxLength": 500}),
            parameters=[ID],
            tag="comments",
        )
    },
    "/api/v1/review/queues/{queue}": {
        "get": _op(
            "A moderation queue: pending (held), reported, review",
            {
                "200": _answer(
                    "The queue, with each comment's scores, reason, reports and decision",
                    _obj(
                        ["comments", "counts", "counts_capped", "next"],
                        comments={"type": "array", "items": _ref("Comment")},
                        counts={
                            "type": "object",
                            "additionalProperties": INT,
                            "description": f"comments waiting in each queue, counted up to {CAP:,}: a queue with more shows {CAP} and true in counts_capped",
                        },
                        counts_capped={
                            "type": "object",
                            "additionalProperties": {"type": "boolean"},
                            "description": "per queue: true when it holds more comments than its count says",
                        },
                        next={"type": ["string", "null"]},
                    ),
                )
            },
            parameters=[
                QUEUE,
                _query("sort", {"type": "string", "enum": ["age", "oldest", "score"]}),
                _query("article", STR),
                _query("author", STR),
                _query(
                    "attribute",
                    {
                        "type": "string",
                        "enum": ["toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack"],
                    },
                ),
                _query("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
                CURSOR,
                _query("offset", {"type": "integer", "minimum": 0}),
            ],
            tag="review",
        )
    },
    "/api/v1/review/comments/{id}/decision": {
        "post": _op(
            "Approve, reject, feature or un-feature a comment; 409 with the current state when already decided",
            {"200": _answer("Decided", COMMENT_ANSWER)},
            body=_obj(
                ["action"],
                action={"type": "string", "enum": ["approve", "reject", "feature", "unfeature"]},
                reason={"type": "string", "maxLength": 1000},
                expected_status={"type": "string", "description": "the status the moderator saw; a mismatch is a 409"},
            ),
            parameters=[ID],
            tag="review",
        )
    },
    "/api/v1/review/users/{id}/sanctions": {
        "post": _op(
            "Warn, suspend, ban, pre-moderate, release or reinstate a commenter",
            {"201": _answer("Applied", _obj(["user"], user=_ref("User")))},
            body=_obj(
                ["action"],
                action={"type": "string", "enum": ["warn", "suspend", "ban", "premoderate", "release", "reinstate"]},
                reason={"type": "string", "maxLength": 1000},
                days={"type": "integer", "minimum": 1, "maximum": 3650},
            ),
            parameters=[ID],
            tag="review",
        )
    },
    "/api/v1/review/history": {
        "get": _op(
            "Moderation history, newest first",
            {"200": _answer("History", _obj(["actions"], actions={"type": "array", "items": _ref("HistoryEntry")}))},
            parameters=[
                _query("comment_id", {"type": "integer", "minimum": 1}),
                _query("user_id", {"type": "integer", "minimum": 1}),
                _query("action", {"type": "string", "enum": list(HISTORY_ACTIONS)}),
                _query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}),
                _query("offset", {"type": "integer", "minimum": 0}),
            ],
            tag="review",
        )
    },
    "/api/v1/admin/settings": {
        "get": _op("Moderation settings now in force", {"200": SETTINGS_ANSWER}, tag="admin"),
        "patch": _op(
            "Change moderation settings (all or nothing; recorded)",
            {"200": SETTINGS_ANSWER},
            body=_ref("Settings"),
            tag="admin",
        ),
    },
}
