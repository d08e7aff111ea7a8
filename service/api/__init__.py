"""The JSON API under /api/v1; see spec.py for the document that describes it."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError as CSRFValidationError

from ..embed.bearer import via_token
from ..errors import DomainError
from ..extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # checked below, only where a cookie carries the authority

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Endpoints that prove who is calling some other way and never act on a session cookie:
# Stripe signs each webhook delivery (payments.verify_stripe_event).
SIGNED_ENDPOINTS = {"api.stripe_webhook"}


@bp.before_request
def check_csrf():
    """Cookie-authenticated writes need the X-CSRFToken header from GET /api/v1/session.

    A request without any session cookie carries no ambient authority, so a forged
    cross-site request has nothing to ride on; those are let through, unless the browser
    says they come from another site (a forged sign-in into the attacker's account).
    Writes also need a JSON body (json_body), which no cross-site form can send without
    a CORS preflight this API never grants.
    """
    if request.method not in WRITES or request.endpoint in SIGNED_ENDPOINTS:
        return
    if via_token():
        return  # the comment widget's bearer token: no cookie was looked at (service/embed/bearer.py)
    cookies = (
        current_app.config["SESSION_COOKIE_NAME"],
        current_app.config["REMEMBER_COOKIE_NAME"],
    )
    if not any(name in request.cookies for name in cookies):
        # Still refuse what a browser marks as cross-site: with SameSite=Lax the cookie stays
        # behind on a cross-site POST, and a forged sign-in (login CSRF) would otherwise pass.
        if _cross_site():
            raise DomainError("Cross-site requests cannot write to this API.")
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token"))
    except CSRFValidationError:
        raise DomainError("The CSRF token is missing or invalid; get one from /api/v1/session.") from None


def _cross_site():
    """Whether the browser says this request came from another site (Sec-Fetch-Site or Origin)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin == "null"
    # Host only: behind a TLS-terminating proxy the scheme we see may differ from the browser's.
    return urlsplit(origin).netloc.lower() != request.host.lower()


def json_body():
    """The request's JSON object, or a 400 that says what was wrong."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("Send a JSON object with Content-Type: application/json.")
    return data


from . import account, admin, articles, auth, comments, embed, membership, review, spec  # noqa: E402,F401
