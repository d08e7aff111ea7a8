"""The one place links in mail are built, for requests and the worker alike: Parley's public
address (PUBLIC_URL) and a path.

Never the request's address. With PUBLIC_URL unset, a reset link followed the request's Host
(or a trusted proxy's X-Forwarded-Host), so `POST /forgot` with `Host: evil.example` mailed a
valid token to evil.example; and mail the worker sent used a development address. Production
refuses to start without PUBLIC_URL (service/config.py, `require_public_url`); development
and tests use the loopback address `make run` serves.
"""

from flask import current_app

DEVELOPMENT_URL = "http://127.0.0.1:5000"


def public_origin():
    """scheme://host[:port] readers use, without a trailing slash."""
    return (current_app.config.get("PUBLIC_URL") or DEVELOPMENT_URL).rstrip("/")


def link(path):
    """An absolute link for mail: `path` (a literal such as "/profile", or from url_for) on
    the public address."""
    return public_origin() + path
