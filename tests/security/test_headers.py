"""Response headers and the session cookie, on every kind of answer the app gives."""

import re

import pytest

from ..conftest import PASSWORD
from .conftest import Api, client_for

# A sample of every kind of answer: pages, JSON, errors, redirects, static files.
URLS = (
    "/",
    "/login",
    "/api/v1/session",
    "/api/v1/articles",
    "/healthz",
    "/no-such-page",
    "/api/v1/no-such",
    "/profile",
    "/static/css/parley.css",
)


def csp_directives(header):
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("url", URLS)
def test_security_headers_on_every_answer(client, url):
    response = client.get(url)
    csp = csp_directives(response.headers["Content-Security-Policy"])
    script_src = csp.get("script-src", csp.get("default-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "*" not in script_src and "data:" not in script_src
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] in (["'self'"], ["'none'"])
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin", "no-referrer")
    assert response.headers["X-Frame-Options"] in ("SAMEORIGIN", "DENY")
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS would be ignored


@pytest.mark.parametrize("url", ("/", "/api/v1/session", "/no-such-page"))
def test_hsts_over_https(app, url):
    response = app.test_client().get(url, base_url="https://localhost")
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 180 * 24 * 3600


def test_no_inline_scripts_or_handlers_in_pages(app, world):
    """The CSP forbids inline scripts; the pages must not need any."""
    admin = client_for(app, world, "admin")
    for url in (
        "/",
        f"/articles/{world.article_slug}",
        "/login",
        "/register",
        "/sponsors",
        "/support",
        "/admin/articles",
        "/admin/members",
        "/review/pending",
    ):
        page = admin.client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert not re.search(r"\son[a-z]+\s*=", page), url
        assert "javascript:" not in page.lower(), url


def session_cookie(response, name="session"):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    return None


def test_session_cookie_flags_over_http(app, make_user):
    make_user("rita")
    client = app.test_client()
    client.get("/api/v1/session")
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/auth/login",
        json={"login": "rita", "password": PASSWORD, "remember": True},
        headers={"X-CSRFToken": token},
    )
    cookie = session_cookie(response)
    assert cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    remember = session_cookie(response, "remember_token")
    assert remember and "HttpOnly" in remember and "SameSite=Lax" in remember


def test_every_cookie_is_secure_over_https(app, make_user):
    """Found by this suite: SESSION_COOKIE_SECURE defaulted to off, so an HTTPS site sent
    its session cookie without Secure unless the operator knew to set it."""
    make_user("rita")
    client = app.test_client()
    token = client.get("/api/v1/session", base_url="https://localhost").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/auth/login",
        json={"login": "rita", "password": PASSWORD, "remember": True},
        headers={"X-CSRFToken": token, "Referer": "https://localhost/"},
        base_url="https://localhost",
    )
    assert response.status_code == 200
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    for cookie in cookies:
        assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


def test_the_session_changes_at_sign_in_and_nothing_planted_survives(app, make_user):
    """Flask's session is a signed cookie: sign-in must issue a new value and drop what was in it
    before (a planted CSRF token, a planted 'next' or anything else)."""
    make_user("rita")
    api = Api(app.test_client())
    before_token = api.token()
    before_cookie = api.client.get_cookie("session").value
    with api.client.session_transaction() as session:
        session["planted"] = "by an attacker"
    planted_cookie = api.client.get_cookie("session").value
    api.login("rita")
    after_cookie = api.client.get_cookie("session").value
    assert after_cookie not in (before_cookie, planted_cookie)
    with api.client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id")
    assert api.token() != before_token  # the pre-login CSRF token is not the signed-in one


def test_sign_out_ends_the_session(app, make_user):
    make_user("rita")
    api = Api(app.test_client())
    api.login("rita")
    signed_in_cookie = api.client.get_cookie("session").value
    assert api.post("/api/v1/auth/logout").status_code == 204
    assert api.get("/api/v1/session").get_json()["user"] is None
    # Replaying the old cookie: Flask's cookie sessions cannot be revoked server-side, so this
    # documents the limit (SECURITY.md): the cookie stays valid until it is replaced or the
    # SECRET_KEY rotates; bans, however, take effect at once (see test_authz).
    replay = app.test_client()
    replay.set_cookie("session", signed_in_cookie)
    assert replay.get("/api/v1/session").status_code == 200


def test_open_redirects_after_sign_in_are_refused(app, make_user):
    make_user("rita")
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
    ):
        api = Api(app.test_client())
        response = api.client.post(
            "/login?next=" + target, data={"login": "rita", "password": PASSWORD, "csrf_token": api.token()}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target


def test_json_answers_are_not_sniffable_as_html(client):
    response = client.get("/api/v1/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.mimetype == "application/json"
    assert "<script>" not in response.get_data(as_text=True)


def test_errors_do_not_leak_internals(client):
    for url in ("/api/v1/comments/99999999999999999999999", "/articles/%00", "/api/v1/articles/x%00y/comments"):
        body = client.get(url).get_data(as_text=True)
        assert "Traceback" not in body and "sqlalchemy" not in body.lower() and 'File "' not in body
