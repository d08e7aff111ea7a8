"""`Authorization: Bearer <embed token>`: how the widget signs its API calls.

Runs before every other request hook (rate limits key on the user), and only for the calls
the widget makes: a token cannot reach the rest of the API. When a bearer token is sent it
is the only credential looked at: a session cookie the browser also sends is ignored, so the
request is exactly as authorised as the token, and needs no CSRF token (nothing ambient).
"""

from flask import current_app, g, request

from ..domain.embed import tokens
from ..errors import Unauthorized

WIDGET_ENDPOINTS = frozenset(
    {
        "api.article_comments",
        "api.post_comment",
        "api.comment_detail",
        "api.comment_edit",
        "api.comment_delete",
        "api.comment_report",
        "api.embed_token_revoke",
    }
)


def bearer_token():
    """The raw token of an `Authorization: Bearer` header, or None when there is no such header."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def authenticate():
    raw = bearer_token()
    if raw is None:
        return
    if request.endpoint not in WIDGET_ENDPOINTS:
        raise Unauthorized("Embed tokens work only for the comment widget's calls.")
    token = tokens.find(raw)
    if token is None:
        raise Unauthorized("This sign-in has expired or was revoked; sign in again.")
    g.embed_token = token
    # Flask-Login (pinned 0.6.3) keeps the request's user here; setting it first means the
    # session cookie is never read for this request.
    current_app.login_manager._update_request_context_with_user(token.user)


def via_token():
    """Whether this request is authorised by an embed token rather than a cookie."""
    return g.get("embed_token") is not None


def register(app):
    app.before_request_funcs.setdefault(None, []).insert(0, authenticate)
