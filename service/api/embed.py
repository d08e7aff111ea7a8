"""The widget's own API calls: may this site embed it (CORS), and its sign-in tokens."""

from flask import g, jsonify, request
from flask_login import current_user, login_required

from ..domain.accounts.users import user_view
from ..domain.embed import sites, tokens
from ..embed.bearer import via_token
from ..embed.origins import own_origin
from ..errors import DomainError
from ..models.base import isoformat
from . import bp


@bp.get("/embed/config")
def embed_config():
    """Asked by embed.js on the host page. Only a registered origin gets the CORS header, so on
    any other site the browser hides the answer and the script shows nothing."""
    origin = request.headers.get("Origin") or own_origin()
    allowed = sites.allowed(origin, own_origin())
    response = jsonify(origin=allowed or origin, allowed=allowed is not None, create_articles=sites.creates_articles())
    if allowed and request.headers.get("Origin"):
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    response.vary.add("Origin")
    return response


@bp.post("/embed/tokens")
@login_required
def embed_token_create():
    """Called by the sign-in popup (first-party, cookie + CSRF token): a token for the widget."""
    data = request.get_json(silent=True) or {}
    origin = data.get("origin") if isinstance(data, dict) else None
    raw, token = tokens.mint(current_user, sites.allowed(origin, own_origin()) if origin else None)
    return jsonify(token=raw, expires_at=isoformat(token.expires_at), user=user_view(current_user)), 201


@bp.delete("/embed/token")
@login_required
def embed_token_revoke():
    """The widget's Sign out: revokes the token the request carries."""
    if not via_token():
        raise DomainError("Send the widget's token in an Authorization: Bearer header to revoke it.")
    tokens.revoke(g.embed_token)
    return "", 204
