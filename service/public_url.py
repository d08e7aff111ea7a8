"""Parley's address as readers reach it, for absolute links: the embed snippet and mail.

Behind a TLS-terminating proxy the request Parley sees is http://internal:8000, not the
address readers use. PUBLIC_URL names that address; without it, links follow the request
(right when there is no proxy, or its headers are trusted: TRUST_PROXY_HEADERS) and mail
sent outside any request (by a worker) uses the development address.
"""
from flask import current_app, has_request_context, request

DEVELOPMENT_URL = "http://127.0.0.1:5000"


def base_url():
    """scheme://host[:port] without a trailing slash."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_URL


def public_url(path):
    """`path` (from url_for, or a literal such as "/profile") on Parley's public address."""
    return base_url() + path
