"""Admin → People in the OpenAPI document (openapi.py merges it in)."""

from .openapi import ID, NULLABLE_STR, STR, _answer, _obj, _op, _ref

ROLES = {"type": "string", "enum": ["reader", "moderator", "admin"]}

SCHEMAS = {
    "AdminUser": _obj(
        ["id", "username", "email", "role", "tier", "status", "created_at"],
        id={"type": "integer"},
        username=STR,
        email=STR,
        role=ROLES,
        tier=STR,
        status={"type": "string", "enum": ["active", "suspended", "banned", "deleted"]},
        suspended_until=NULLABLE_STR,
        premoderated={"type": "boolean"},
        created_at=STR,
        last_login_at=NULLABLE_STR,
    ),
}


def _query(name, description, schema=None):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema or STR}


PATHS = {
    "/api/v1/admin/users": {
        "get": _op(
            "Every account, newest first, 50 a page: search and filters (a bad filter is a 422 naming it)",
            {
                "200": _answer(
                    "A page of accounts",
                    _obj(
                        ["users", "next_page"],
                        users={"type": "array", "items": _ref("AdminUser")},
                        next_page={"type": ["integer", "null"]},
                    ),
                )
            },
            parameters=[
                _query("q", "part of a username or an email address, any case"),
                _query("role", "reader, moderator or admin", ROLES),
                _query("status", "active, suspended, banned or deleted"),
                _query("tier", "a tier's slug: who holds it now (the base tier: who holds no other)"),
                _query("joined_after", "an ISO 8601 date: joined on or after it"),
                _query("joined_before", "an ISO 8601 date: joined on or before it"),
                _query("page", "from 1", {"type": "integer", "minimum": 1}),
            ],
            tag="admin",
        )
    },
    "/api/v1/admin/users/{id}": {
        "patch": _op(
            "Change an account's role; recorded in the moderation history (action role) and mailed to the person. "
            "The last admin cannot be demoted (409); a deleted account holds no role (409)",
            {
                "200": _answer(
                    "The account; changed is false when it already had the role",
                    _obj(["user", "changed"], user=_ref("AdminUser"), changed={"type": "boolean"}),
                )
            },
            body=_obj(["role"], role=ROLES, reason={"type": "string", "maxLength": 500}),
            parameters=[ID],
            tag="admin",
        )
    },
}
