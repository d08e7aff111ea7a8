"""The OpenAPI 3 document for /api/v1, kept beside the routes it describes."""

from flask import jsonify

from . import bp


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema):
    return {"content": {"application/json": {"schema": schema}}}


def _answer(description, schema=None):
    answer = {"description": description}
    if schema is not None:
        answer.update(_json(schema))
    return answer


def _obj(required=(), **props):
    return {"type": "object", "required": list(required), "properties": props}


ERROR = _answer("An error", _ref("Error"))
ERRORS = {str(code): ERROR for code in (400, 401, 403, 404, 409, 413, 422)}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
STR = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}


def _op(summary, responses, body=None, parameters=None, tag=None):
    op = {"summary": summary, "responses": {**responses, **ERRORS}}
    if body is not None:
        op["requestBody"] = {"required": True, **_json(body)}
    if parameters:
        op["parameters"] = parameters
    if tag:
        op["tags"] = [tag]
    return op


SCHEMAS = {
    "Error": _obj(["error"], error=STR, errors={"type": "object", "additionalProperties": STR}),
    "User": _obj(
        ["id", "username", "role", "tier"],
        id={"type": "integer"},
        username=STR,
        role={"type": "string", "enum": ["reader", "moderator", "admin"]},
        tier=STR,
    ),
    "Author": {"type": ["object", "null"], "properties": {"username": STR, "tier": STR}},
    "Comment": _obj(
        ["id", "article", "parent_id", "author", "body", "status", "created_at"],
        id={"type": "integer"},
        article=STR,
        parent_id={"type": ["integer", "null"]},
        author=_ref("Author"),
        body=STR,
        status={"type": "string", "enum": ["pending", "published", "review", "held", "rejected", "deleted"]},
        created_at=STR,
        edited_at=NULLABLE_STR,
        featured={"type": "boolean", "description": "An editors' pick"},
        respect={"type": "integer", "description": "How many readers gave it their respect"},
        respected={"type": "boolean", "description": "Whether you did (signed-in callers only)"},
        scores={"type": ["object", "null"], "additionalProperties": {"type": "number"}},
        reason=NULLABLE_STR,
    ),
    "ArticleSummary": _obj(
        ["slug", "title", "comments_mode", "comment_count"],
        slug=STR,
        title=STR,
        comments_mode={"type": "string", "enum": ["open", "closed", "members"]},
        comment_count={"type": "integer"},
    ),
    "Article": _obj(
        ["slug", "title", "summary", "body", "comments_mode", "published_at"],
        slug=STR,
        title=STR,
        summary=STR,
        body=STR,
        comments_mode={"type": "string", "enum": ["open", "closed", "members"]},
        published_at=STR,
    ),
}

USER_ANSWER = _obj(["user"], user=_ref("User"))
COMMENT_ANSWER = _obj(["comment"], comment=_ref("Comment"))
THREAD_CACHE_HEADER = {
    "description": "Signed out, the answer may come from the server's thread cache (hit), up to "
    "THREAD_CACHE_SECONDS (2) old; signed-in and Bearer requests always bypass it.",
    "schema": {"type": "string", "enum": ["hit", "miss", "bypass"]},
}
COMMENTS_ANSWER = _obj(["comments"], comments={"type": "array", "items": _ref("Comment")})
# A page of a thread: `limit` top-level comments with all their replies; `next` continues it.
THREAD_PAGE_ANSWER = _obj(
    ["comments", "next"],
    comments={"type": "array", "items": _ref("Comment")},
    next=NULLABLE_STR,
    sort=STR,
    picks={"type": "integer", "description": "How many top-level comments at the start are editors' picks (featured)"},
)
SORT = {
    "name": "sort",
    "in": "query",
    "required": False,
    "description": "featured (default: editors' picks lead the first page, then oldest first), oldest, newest, "
    "or respect (most respected first); each top-level comment is followed by its replies, oldest first",
    "schema": {"type": "string", "enum": ["featured", "oldest", "newest", "respect"]},
}
RESPECT_ANSWER = _obj(["respect", "respected"], respect={"type": "integer"}, respected={"type": "boolean"})
CURSOR = {
    "name": "cursor",
    "in": "query",
    "required": False,
    "description": "The `next` of the previous page (opaque); a bad one is a 400",
    "schema": STR,
}
LIMIT = {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 200}}

PATHS = {
    "/healthz": {
        "get": _op(
            "Health of the service: the status, the model, the pending count and a coarse backlog; "
            "for moderators and admins also the model's load error",
            {
                "200": _answer(
                    "Up",
                    _obj(
                        ["status", "db", "model", "pending", "backlog"],
                        status=STR,
                        db=STR,
                        model=STR,
                        backlog={"type": "string", "enum": ["none", "some", "large"]},
                        pending={"type": "integer"},
                        model_error=STR,
                    ),
                ),
                "503": _answer("Database unreachable"),
            },
        )
    },
    "/api/v1/session": {
        "get": _op(
            "Who is signed in, and a CSRF token for writes",
            {
                "200": _answer(
                    "Session",
                    _obj(["user", "csrf_token"], user={"oneOf": [_ref("User"), {"type": "null"}]}, csrf_token=STR),
                )
            },
            tag="auth",
        )
    },
    "/api/v1/auth/register": {
        "post": _op(
            "Register and sign in",
            {"201": _answer("Registered", USER_ANSWER)},
            body=_obj(["email", "username", "password"], email=STR, username=STR, password=STR),
            tag="auth",
        )
    },
    "/api/v1/auth/login": {
        "post": _op(
            "Sign in with email or username",
            {"200": _answer("Signed in", USER_ANSWER)},
            body=_obj(["login", "password"], login=STR, password=STR, remember={"type": "boolean"}),
            tag="auth",
        )
    },
    "/api/v1/auth/logout": {"post": _op("Sign out", {"204": _answer("Signed out")}, tag="auth")},
    "/api/v1/articles": {
        "get": _op(
            "Articles, newest first",
            {
                "200": _answer(
                    "Articles", _obj(["articles"], articles={"type": "array", "items": _ref("ArticleSummary")})
                )
            },
            tag="articles",
        )
    },
    "/api/v1/articles/{slug}": {
        "get": _op(
            "One article",
            {"200": _answer("Article", _obj(["article"], article=_ref("Article")))},
            parameters=[SLUG],
            tag="articles",
        )
    },
    "/api/v1/articles/{slug}/comments": {
        "get": _op(
            "The comments this viewer may see, a page of threads (default 50) in `sort` order",
            {"200": {**_answer("Comments", THREAD_PAGE_ANSWER), "headers": {"X-Cache": THREAD_CACHE_HEADER}}},
            parameters=[SLUG, CURSOR, LIMIT, SORT],
            tag="comments",
        ),
        "post": _op(
            "Post a comment or a reply",
            {"201": _answer("Stored", COMMENT_ANSWER)},
            body=_obj(
                ["body"],
                body={"type": "string", "minLength": 1, "maxLength": 5000},
                parent_id={"type": ["integer", "null"]},
            ),
            parameters=[SLUG],
            tag="comments",
        ),
    },
    "/api/v1/comments/{id}": {
        "get": _op("One comment", {"200": _answer("Comment", COMMENT_ANSWER)}, parameters=[ID], tag="comments"),
        "patch": _op(
            "Edit own comment within the edit window",
            {"200": _answer("Edited", COMMENT_ANSWER)},
            body=_obj(["body"], body={"type": "string", "minLength": 1, "maxLength": 5000}),
            parameters=[ID],
            tag="comments",
        ),
        "delete": _op("Delete own comment", {"204": _answer("Deleted")}, parameters=[ID], tag="comments"),
    },
    "/api/v1/comments/{id}/respect": {
        "post": _op(
            "Give a published comment (not your own) your respect; once per reader, again changes nothing",
            {"200": _answer("The comment's count", RESPECT_ANSWER)},
            parameters=[ID],
            tag="comments",
        ),
        "delete": _op(
            "Take your respect back",
            {"200": _answer("The comment's count", RESPECT_ANSWER)},
            parameters=[ID],
            tag="comments",
        ),
    },
    "/api/v1/admin/articles": {
        "post": _op(
            "Create an article",
            {"201": _answer("Created", _obj(["article"], article=_ref("Article")))},
            body=_obj(
                ["slug", "title", "summary"],
                slug=STR,
                title=STR,
                summary=STR,
                body=STR,
                comments_mode={"type": "string", "enum": ["open", "closed", "members"]},
                published_at=STR,
            ),
            tag="admin",
        )
    },
}


# Membership's paths live in their own module; merged here so there is still one document.
from . import openapi_account, openapi_embed, openapi_membership, openapi_people, openapi_review  # noqa: E402

for part in (openapi_membership, openapi_review, openapi_account, openapi_embed, openapi_people):
    PATHS.update(part.PATHS)
    SCHEMAS.update(part.SCHEMAS)


def document():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Parley API",
            "version": "1",
            "description": "Comments, moderation and membership for a news site. Cookie-authenticated "
            "writes carry the token from GET /api/v1/session in an X-CSRFToken header.",
        },
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
