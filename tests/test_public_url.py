"""Parley behind a TLS-terminating proxy: PUBLIC_URL for the links it hands out (the embed
snippet, mail), and TRUST_PROXY_HEADERS for believing the proxy's X-Forwarded-* headers."""

import re

import pytest
from sqlalchemy import select

from service.background import exports
from service.extensions import db
from service.models import OutboxMessage

from .conftest import PASSWORD, deliver_mail

PUBLIC = "https://comments.example.com"
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "comments.example.com", "X-Forwarded-For": "203.0.113.9"}


def mail_links(app, subject):
    deliver_mail(app)  # reset requests become mail in the worker
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.subject == subject))
    return re.findall(r"https?://\S+", body)


@pytest.fixture
def public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


# --- PUBLIC_URL --------------------------------------------------------------------------------


def test_the_snippet_shows_the_public_address(as_admin, public_url):
    page = as_admin.get("/admin/embed").get_data(as_text=True)
    assert f'src="{PUBLIC}/embed.js"' in page and "http://localhost/embed.js" not in page


def test_without_it_the_snippet_shows_the_requests_address(as_admin):
    assert 'src="http://localhost/embed.js"' in as_admin.get("/admin/embed").get_data(as_text=True)


def test_the_reset_link_in_mail_uses_the_public_address(app, client, make_user, public_url):
    make_user("ann")
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    client.post("/forgot", data={"email": "ann@example.com", "csrf_token": token})
    [link] = mail_links(app, "Reset your Parley password")
    assert link.startswith(PUBLIC + "/reset/")


def test_mail_sent_by_a_worker_uses_the_public_address(ann_on_article, app, api, monkeypatch, public_url):
    """Outside any request (the worker loop) there is no request address to fall back on."""
    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 0)
    api.post("/api/v1/articles/test-article/comments", {"body": "One comment: too many for an export at once"})
    assert api.post("/api/v1/me/export").status_code == 202
    with app.app_context():
        assert exports.build_next() == 1
        db.session.remove()
    assert mail_links(app, "Your data is ready to download") == [PUBLIC + "/profile#your-data"]


def test_the_demo_page_embeds_the_widget_from_the_public_address(app, client, public_url, monkeypatch):
    monkeypatch.setitem(app.config, "EMBED_DEMO", True)
    assert f'src="{PUBLIC}/embed.js"' in client.get("/embed/demo").get_data(as_text=True)
    # The framed thread on the demo page names the public origin, which is Parley's own.
    framed = client.get(f"/embed/thread?article=nothing-here&origin={PUBLIC}")
    assert framed.status_code == 404 and f"frame-ancestors {PUBLIC}" in framed.headers["Content-Security-Policy"]


# --- TRUST_PROXY_HEADERS -------------------------------------------------------------------------


def sign_in(client, headers, referer):
    token = client.get("/api/v1/session", headers=headers).get_json()["csrf_token"]
    return client.post(
        "/api/v1/auth/login",
        json={"login": "adam", "password": PASSWORD},
        headers={**headers, "X-CSRFToken": token, "Referer": referer},
    )


def test_a_trusted_proxys_https_gives_https_links_and_secure_cookies(behind_proxy, make_user):
    make_user("adam", role="admin")
    client = behind_proxy.test_client()
    signed_in = sign_in(client, FORWARDED, PUBLIC + "/login")
    assert signed_in.status_code == 200, signed_in.get_json()
    cookies = signed_in.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in cookie for cookie in cookies), cookies
    assert "Strict-Transport-Security" in signed_in.headers
    page = client.get("/admin/embed", headers=FORWARDED)
    assert page.status_code == 200
    assert f'src="{PUBLIC}/embed.js"' in page.get_data(as_text=True)


def test_the_clients_address_comes_from_the_trusted_proxy(behind_proxy, monkeypatch):
    """Per-address limits count the reader, not the proxy every request arrives from."""
    monkeypatch.setitem(behind_proxy.config, "REGISTER_LIMIT_PER_IP", "1 per hour")
    client = behind_proxy.test_client()

    def register(name, address):
        headers = {**FORWARDED, "X-Forwarded-For": address}
        token = client.get("/api/v1/session", headers=headers).get_json()["csrf_token"]
        body = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
        return client.post(
            "/api/v1/auth/register", json=body, headers={**headers, "X-CSRFToken": token, "Referer": PUBLIC + "/"}
        )

    assert register("first", "203.0.113.1").status_code == 201
    assert register("second", "203.0.113.1").status_code == 429
    assert register("third", "203.0.113.2").status_code == 201


def test_untrusted_proxy_headers_change_nothing(app, make_user):
    make_user("adam", role="admin")
    client = app.test_client()
    signed_in = sign_in(client, FORWARDED, "http://localhost/login")
    assert signed_in.status_code == 200, signed_in.get_json()
    assert not any("; Secure" in cookie for cookie in signed_in.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" not in signed_in.headers
    page = client.get("/admin/embed", headers=FORWARDED).get_data(as_text=True)
    assert 'src="http://localhost/embed.js"' in page and "comments.example.com" not in page
