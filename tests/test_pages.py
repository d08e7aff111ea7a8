from sqlalchemy import select

from service.extensions import db
from service.models import Article

from .conftest import deliver_mail, nothing_changes


def test_home_lists_articles(client, make_article):
    make_article(title="Talks in Beijing")
    page = client.get("/")
    assert page.status_code == 200 and "Talks in Beijing" in page.get_data(as_text=True)


def test_register_page_shows_field_errors_next_to_fields(api):
    page = api.form("/register", {"email": "nope", "username": "x", "password": "short"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    for field in ("email", "username", "password"):
        assert f'id="f-{field}-error"' in html and f'aria-describedby="f-{field}-error' in html
    # The hint stays described beside the error.
    assert 'aria-describedby="f-password-error f-password-hint"' in html and 'aria-describedby="f-email-error"' in html
    assert 'value="nope"' in html


def test_register_page_signs_in_and_returns_to_next(api):
    page = api.client.post(
        "/register?next=/articles/a",
        data={"email": "z@example.com", "username": "zed", "password": "long-enough-pw", "csrf_token": api.token()},
    )
    assert page.status_code == 302 and page.headers["Location"] == "/articles/a"
    assert api.get("/api/v1/session").get_json()["user"]["username"] == "zed"


def test_login_page_error(api, make_user):
    make_user("bob")
    page = api.form("/login", {"login": "bob", "password": "wrong-password"})
    assert page.status_code == 401 and "do not match" in page.get_data(as_text=True)


def test_profile_lists_my_comments_with_their_state(ann_on_article, api, worker):
    api.post("/api/v1/articles/test-article/comments", {"body": "mine, all mine"})
    assert "being checked" in api.client.get("/profile").get_data(as_text=True)
    worker.drain()
    page = api.client.get("/profile").get_data(as_text=True)
    assert "mine, all mine" in page and "published" in page


def test_profile_needs_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_pages_create_and_edit_articles(api, make_user, app):
    make_user("boss", role="admin")
    api.login("boss")
    assert api.client.get("/admin/articles").status_code == 200
    with nothing_changes(app):
        bad = api.form("/admin/articles/new", {"title": "", "slug": "Bad slug", "comments_mode": "open"})
    assert bad.status_code == 422 and 'id="f-slug-error"' in bad.get_data(as_text=True)
    good = api.form(
        "/admin/articles/new",
        {"title": "Made here", "slug": "made-here", "summary": "s", "body": "b", "comments_mode": "closed"},
    )
    assert good.status_code == 302
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == "made-here"))
    edit = api.form(
        f"/admin/articles/{article_id}/edit",
        {"title": "Made here, edited", "slug": "made-here", "comments_mode": "open"},
    )
    assert edit.status_code == 302
    assert "Made here, edited" in api.client.get("/articles/made-here").get_data(as_text=True)


def test_admin_pages_refuse_others(api, make_user, client):
    make_user("ann")
    assert client.get("/admin/articles").status_code == 302
    api.login("ann")
    assert api.client.get("/admin/articles").status_code == 403
    assert api.client.get("/admin/outbox").status_code == 403


def test_admin_reads_the_outbox(api, make_user):
    make_user("boss", role="admin")
    api.form("/forgot", {"email": "boss@example.com"})
    deliver_mail(api.client.application)
    api.login("boss")
    page = api.client.get("/admin/outbox").get_data(as_text=True)
    assert "Reset your Parley password" in page


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_seed_demo_is_idempotent_and_prints_passwords_once(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and first.output.count("password:") == 2
    second = runner.invoke(args=["seed-demo"])
    assert "password:" not in second.output
    page = client.get("/articles/blinken-beijing-talks").get_data(as_text=True)
    assert "Blinken starts round of talks with Chinese officials in Beijing" in page
