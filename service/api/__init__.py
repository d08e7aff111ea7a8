"""The JSON API under /api/v1; see openapi.py for the document that describes it."""
from flask import Blueprint, current_app, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError as CSRFValidationError

from ..errors import DomainError
from ..extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # checked below, only where a cookie carries the authority

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@bp.before_request
def check_csrf():
    """Cookie-authenticated writes need the X-CSRFToken header from GET /api/v1/session.

    A request without any session cookie carries no ambient authority, so a forged
    cross-site request has nothing to ride on; those are let through.
    """
    if request.method not in WRITES:
        return
    cookies = (current_app.config["SESSION_COOKIE_NAME"], current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    if not any(name in request.cookies for name in cookies):
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token"))
    except CSRFValidationError:
        raise DomainError("The CSRF token is missing or invalid; get one from /api/v1/session.") from None


def json_body():
    """The request's JSON object, or a 400 that says what was wrong."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("Send a JSON object with Content-Type: application/json.")
    return data


from . import admin, articles, auth, comments, membership, openapi, review  # noqa: E402,F401
