"""The widget's own API calls: may this site embed it (CORS), and its sign-in tokens."""

from flask import g, jsonify, request
from flask_login import current_user, login_required

from ..domain.accounts.users import user_view
from ..domain.embed import sites, tokens
from ..embed.bearer import via_token
from ..embed.origins import own_origin
from ..errors import DomainError
from ..models.base import isoformat
from ..schemas.accounts import EmbedConfig, EmbedToken, TokenRequest
from . import bp
from .spec import documented


@bp.get("/embed/config")
@documented("embed", {200: (EmbedConfig, "The answer for the request's Origin")})
def embed_config():
    """Whether the calling page's origin may embed the widget

    Registered origins get Access-Control-Allow-Origin (their exact origin) and Vary: Origin;
    others no CORS header, so on any other site the browser hides the answer and embed.js shows
    nothing."""
    origin = request.headers.get("Origin") or own_origin()
    allowed = sites.allowed(origin, own_origin())
    response = jsonify(origin=allowed or origin, allowed=allowed is not None, create_articles=sites.creates_articles())
    if allowed and request.headers.get("Origin"):
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    response.vary.add("Origin")
    return response


@bp.post("/embed/tokens")
@login_required
@documented("embed", {201: (EmbedToken, "The token, shown once")}, body=TokenRequest)
def embed_token_create():
    """Mint a short-lived widget token for the signed-in reader

    Called by the sign-in popup (first-party: session cookie and X-CSRFToken). Send the token
    as Authorization: Bearer on the widget's calls: the article's comments, posting, one
    comment, edit, delete, report, and revoking it."""
    data = request.get_json(silent=True)  # the body is optional
    origin = TokenRequest.check(data if isinstance(data, dict) else {}).origin
    raw, token = tokens.mint(current_user, sites.allowed(origin, own_origin()) if origin else None)
    return jsonify(token=raw, expires_at=isoformat(token.expires_at), user=user_view(current_user)), 201


@bp.delete("/embed/token")
@login_required
@documented("embed", {204: (None, "Revoked")})
def embed_token_revoke():
    """Revoke the widget token this request carries (the widget's Sign out)"""
    if not via_token():
        raise DomainError("Send the widget's token in an Authorization: Bearer header to revoke it.")
    tokens.revoke(g.embed_token)
    return "", 204
