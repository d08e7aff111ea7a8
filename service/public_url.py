"""Parley's address as readers reach it, for absolute links outside mail: the embed snippet
and Stripe's return addresses (mail: service/domain/mail/links.py, which never follows the
request).

Behind a TLS-terminating proxy the request Parley sees is http://internal:8000, not the
address readers use. PUBLIC_URL names that address, and production requires it; in
development without it these links follow the request (right when there is no proxy, or its
headers are trusted: TRUST_PROXY_HEADERS), shown only to whoever sent that request.
"""

from flask import current_app, has_request_context, request

from .domain.mail.links import public_origin


def base_url():
    """scheme://host[:port] without a trailing slash."""
    if not current_app.config.get("PUBLIC_URL") and has_request_context():
        return request.host_url.rstrip("/")
    return public_origin()


def public_url(path):
    """`path` (from url_for, or a literal such as "/profile") on Parley's public address."""
    return base_url() + path
