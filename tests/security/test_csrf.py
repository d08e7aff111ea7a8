"""CSRF: every state-changing route in the URL map refuses a signed-in request without a valid token.

Routes are enumerated from app.url_map, so a new POST/PUT/PATCH/DELETE is covered the day it
lands. Each forged request is made as the admin (who could otherwise do the most) and as the
comment's author, and must leave every row of the database as it was.
"""

import pytest

from .conftest import WRITE_METHODS, app_rules, client_for, db_fingerprint
from .routes import build_url, is_api

# Routes that do not act on the session at all, and how they authenticate instead.
NOT_SESSION_AUTHENTICATED = {
    "api.stripe_webhook": "a Stripe-Signature header over the raw body (payments.verify_stripe_event)",
}
CHECKED = {"requests": 0}


def write_routes(app):
    return [(rule, method) for rule, method in app_rules(app) if method in WRITE_METHODS]


def test_there_are_write_routes_to_check(app):
    assert len(write_routes(app)) >= 30


def _forged(api, rule, method, url, token):
    """The request a hostile page could make: the victim's cookies, but no (or a wrong) token."""
    headers = {"X-CSRFToken": token} if token is not None else {}
    if is_api(rule):
        return api.client.open(url, method=method, json={"body": "forged", "reason": "forged"}, headers=headers)
    data = {"body": "forged", "reason": "forged", "title": "forged"}
    if token is not None:
        data["csrf_token"] = token
    return api.client.open(url, method=method, data=data)


FORGERIES = [
    ("admin", None),
    ("admin", ""),
    ("admin", "IjAwMDAi.ZZZZZZ.AAAAAAAAAAAAAAAAAAAAAAAAAAA"),  # shaped like a real token, wrong signature
    ("reader", None),
    ("reader", "forged-token"),
]


@pytest.mark.parametrize(
    "role,token", FORGERIES, ids=["admin-none", "admin-empty", "admin-badsig", "reader-none", "reader-junk"]
)
def test_writes_without_a_valid_token_are_refused(app, world, role, token):
    api = client_for(app, world, role)
    problems = []
    for rule, method in write_routes(app):
        url = build_url(rule, world)
        before = db_fingerprint(app)
        response = _forged(api, rule, method, url, token)
        CHECKED["requests"] += 1
        where = f"{method} {url} ({rule.endpoint}) as {role} with token {token!r}: {response.status_code}"
        if rule.endpoint in NOT_SESSION_AUTHENTICATED:
            if response.status_code not in (400, 401, 403):
                problems.append(f"{where}; an unsigned webhook must be refused")
        elif response.status_code != 400:
            problems.append(f"{where}; expected 400 (CSRF)")
        elif is_api(rule) and "CSRF" not in (response.get_json() or {}).get("error", ""):
            problems.append(f"{where}; refused, but not by the CSRF check: {response.get_json()}")
        if db_fingerprint(app) != before:
            problems.append(f"{where}; the database CHANGED")
    assert not problems, "\n".join(problems)


def test_a_token_from_another_session_is_refused(app, world):
    """Tokens are bound to the session they were issued to."""
    attacker = client_for(app, world, "other_reader")
    victim = client_for(app, world, "reader")
    stolen = attacker.token()
    before = db_fingerprint(app)
    response = victim.client.patch(
        f"/api/v1/comments/{world.comment_id}", json={"body": "forged"}, headers={"X-CSRFToken": stolen}
    )
    assert response.status_code == 400
    assert db_fingerprint(app) == before


def test_the_stripe_webhook_needs_no_csrf_token_but_a_signature(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "whsec_test")
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test")
    admin = client_for(app, world, "admin")  # cookies present, no token: must reach the signature check
    before = db_fingerprint(app)
    response = admin.client.post(
        "/api/v1/payments/stripe/webhook",
        data=b'{"id": "evt_1", "type": "checkout.session.completed"}',
        headers={"Stripe-Signature": "t=1,v1=deadbeef", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "signature" in response.get_json()["error"].lower()
    assert db_fingerprint(app) == before


def test_cookieless_cross_site_writes_are_refused(app, world):
    """Login CSRF: without cookies the API needs no token, so a browser-marked cross-site
    request (or one from a foreign Origin) must be refused outright."""
    client = app.test_client()
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        response = client.post("/api/v1/auth/login", json={"login": "otto", "password": "x" * 12}, headers=headers)
        assert response.status_code == 400, headers
        assert "Cross-site" in response.get_json()["error"]
    # The same request from the site itself (or a non-browser client) is an ordinary failed sign-in.
    same = client.post(
        "/api/v1/auth/login", json={"login": "otto", "password": "x" * 12}, headers={"Origin": "http://localhost"}
    )
    assert same.status_code == 401


def test_form_encoded_bodies_cannot_reach_the_json_api(app, world):
    """A cross-site <form> can only send form, multipart or text/plain bodies; the API reads JSON only."""
    client = app.test_client()
    for content_type, body in (
        ("application/x-www-form-urlencoded", "login=rita&password=a-long-enough-password"),
        ("text/plain", '{"login": "rita", "password": "a-long-enough-password"}'),
    ):
        response = client.post("/api/v1/auth/login", data=body, content_type=content_type)
        assert response.status_code == 400, content_type
    assert client.get("/api/v1/session").get_json()["user"] is None


def test_page_forms_refuse_a_missing_token_even_when_signed_out(app, world):
    """Page sign-in is a form: without the session-bound token it is refused (no login CSRF)."""
    client = app.test_client()
    response = client.post("/login", data={"login": "rita", "password": "a-long-enough-password"})
    assert response.status_code == 400
    assert client.get("/api/v1/session").get_json()["user"] is None
