"""The embeddable widget, through HTTP: allowed origins, the framed thread page's headers, CORS,
articles created on first load, and the widget's bearer tokens (minting, expiry, revocation,
what they may and may not do)."""

import gzip
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.domain.embed import sites, tokens
from service.domain.moderation import settings
from service.errors import ValidationError
from service.extensions import db
from service.models import Article, Comment, EmbedOrigin, EmbedPage, EmbedToken, ModerationAction, User
from service.models.base import utcnow

from .conftest import nothing_changes

HOST = "https://news.example.com"
STATIC = Path(__file__).resolve().parent.parent / "static"


# What a browser sends when a page on HOST frames the widget (a new article needs it).
FRAMED = {"HTTP_SEC_FETCH_DEST": "iframe", "HTTP_REFERER": HOST + "/2024/a-story"}


@pytest.fixture
def client(app):
    """A reader's browser loading the widget's frame on a page of HOST."""
    client = app.test_client()
    client.environ_base.update(FRAMED)
    return client


@pytest.fixture
def allow(app, make_user):
    """Register an origin directly, as an admin would on the Embed page."""

    def allow(origin=HOST):
        with app.app_context():
            actor = db.session.scalar(select(User).where(User.role == "admin")) or _admin()
            sites.add_origin(origin, actor)
            db.session.remove()

    def _admin():
        make_user("root", role="admin")
        return db.session.scalar(select(User).where(User.username == "root"))

    return allow


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def token_for(app, username, **changes):
    """A widget token for `username`, minted by the domain as the sign-in popup would."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        raw, token = tokens.mint(user, HOST)
        for field, value in changes.items():
            setattr(token, field, value)
        db.session.commit()
        db.session.remove()
    return raw


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


# --- origins -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given,expected",
    [
        ("https://News.Example.com", "https://news.example.com"),
        ("https://news.example.com/", "https://news.example.com"),
        ("https://news.example.com:443", "https://news.example.com"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("  https://a-b.example.org:8443  ", "https://a-b.example.org:8443"),
        ("http://[::1]:3000", "http://[::1]:3000"),
    ],
)
def test_origins_are_normalised(ctx, given, expected):
    assert sites.normalise_origin(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "",
        None,
        42,
        "news.example.com",
        "ftp://news.example.com",
        "javascript:alert(1)",
        "https://news.example.com/comments",
        "https://news.example.com/?x=1",
        "https://news.example.com#top",
        "https://user:pw@news.example.com",
        "https://news.example.com:99999",
        "https://news.example.com:abc",
        "https://-bad-.example.com",
        "https://exa mple.com",
        "https://",
        "https://" + "a" * 300 + ".com",
        "https://news.example.com?",
    ],
)
def test_bad_origins_are_refused_with_a_message(ctx, given):
    with pytest.raises(ValidationError) as caught:
        sites.normalise_origin(given)
    assert caught.value.errors["origin"]


def test_admin_adds_and_removes_an_origin_and_sees_the_snippet(app, as_admin):
    response = as_admin.form("/admin/embed/origins", {"origin": "HTTPS://News.Example.com:443/"})
    assert response.status_code == 302
    page = as_admin.get("/admin/embed").get_data(as_text=True)
    assert "<code>https://news.example.com</code>" in page
    assert 'data-article="SLUG"' in page and "http://localhost/embed.js" in page  # this server's URL
    with app.app_context():
        row = db.session.scalar(select(EmbedOrigin))
        recorded = db.session.scalar(select(ModerationAction).where(ModerationAction.reason == "embed origin added"))
        assert recorded.details == {"origin": "https://news.example.com"}
        origin_id = row.id
    assert as_admin.form("/admin/embed/origins/remove", {"origin_id": str(origin_id)}).status_code == 302
    assert count(app, EmbedOrigin) == 0


@pytest.mark.parametrize("value", ["https://news.example.com/path", "not a url", ""])
def test_a_bad_origin_on_the_admin_page_is_a_form_error_and_nothing_is_stored(app, as_admin, value):
    response = as_admin.form("/admin/embed/origins", {"origin": value})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert count(app, EmbedOrigin) == 0


def test_the_same_origin_twice_is_refused(app, as_admin):
    as_admin.form("/admin/embed/origins", {"origin": HOST})
    response = as_admin.form("/admin/embed/origins", {"origin": HOST + "/"})
    assert response.status_code == 422 and "already allowed" in response.get_data(as_text=True)
    assert count(app, EmbedOrigin) == 1


def test_removing_an_unknown_origin_changes_nothing(app, as_admin, allow):
    allow()
    response = as_admin.form("/admin/embed/origins/remove", {"origin_id": "99999"})
    assert response.status_code == 302
    assert count(app, EmbedOrigin) == 1


def test_the_create_articles_setting_is_off_by_default_and_an_admin_turns_it_on(app, as_admin):
    with app.app_context():
        assert settings.current()["embed_create_articles"] is False
    as_admin.form("/admin/embed/settings", {"create_articles": "on"})
    with app.app_context():
        assert sites.creates_articles() is True
    as_admin.form("/admin/embed/settings", {})
    with app.app_context():
        assert sites.creates_articles() is False


def test_the_setting_takes_only_true_or_false(app, as_admin):
    with nothing_changes(app):
        response = as_admin.client.patch(
            "/api/v1/admin/settings", json={"embed_create_articles": "yes"}, headers={"X-CSRFToken": as_admin.token()}
        )
    assert response.status_code == 422
    assert "embed_create_articles" in response.get_json()["errors"]


# --- the host page's calls: embed.js and CORS ------------------------------------------------


def test_embed_js_is_served_with_cache_headers(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert "javascript" in response.content_type
    assert "max-age=3600" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
    assert b"parley-comments" in response.data


def test_cors_only_for_registered_origins(client, allow):
    allow()
    ok = client.get("/api/v1/embed/config", headers={"Origin": HOST})
    assert ok.get_json()["allowed"] is True
    assert ok.headers["Access-Control-Allow-Origin"] == HOST
    assert "Origin" in ok.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in ok.headers
    other = client.get("/api/v1/embed/config", headers={"Origin": "https://evil.example"})
    assert other.get_json()["allowed"] is False
    assert "Access-Control-Allow-Origin" not in other.headers and "Origin" in other.headers["Vary"]
    # Only that endpoint: the rest of the API never grants CORS, even to a registered origin.
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/articles", headers={"Origin": HOST}).headers


def test_parleys_own_pages_may_embed_the_widget(client):
    assert client.get("/api/v1/embed/config").get_json()["allowed"] is True  # same-origin: no Origin header
    assert client.get("/api/v1/embed/config", headers={"Origin": "http://localhost"}).get_json()["allowed"] is True


# --- the framed thread page ------------------------------------------------------------------


def thread_url(slug="test-article", origin=HOST, **extra):
    from urllib.parse import urlencode

    return "/embed/thread?" + urlencode({"article": slug, "origin": origin, **extra})


def test_the_thread_page_may_be_framed_only_by_its_registered_origin(client, allow, make_article):
    allow()
    make_article()
    response = client.get(thread_url())
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors {HOST}" in csp and "frame-ancestors 'self'" not in csp
    assert "script-src 'self'" in csp
    assert "X-Frame-Options" not in response.headers  # SAMEORIGIN would refuse the host
    assert response.headers["Cache-Control"] == "no-store"
    # Every other page keeps refusing to be framed.
    assert client.get("/").headers["X-Frame-Options"] == "SAMEORIGIN"


def test_an_unregistered_origin_gets_a_refusal_that_no_one_may_frame(client, make_article):
    make_article()
    for origin in ("https://evil.example", "null", "javascript:alert(1)"):
        response = client.get(thread_url(origin=origin))
        assert response.status_code == 403
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert "not registered" in response.get_data(as_text=True)


def test_the_thread_page_names_no_comment_bodies(ann_on_article, client, allow, api):
    """Bodies reach the widget only as JSON, and its script writes them as text."""
    allow()
    api.post("/api/v1/articles/test-article/comments", {"body": "<img src=x onerror=alert(1)> marker-text"})
    html = client.get(thread_url()).get_data(as_text=True)
    assert "marker-text" not in html and "<img" not in html


def test_an_unknown_article_is_a_404_when_creating_is_off(app, client, allow):
    allow()
    response = client.get(thread_url("brand-new-story", title="Brand new", url=HOST + "/2024/brand-new"))
    assert response.status_code == 404
    assert f"frame-ancestors {HOST}" in response.headers["Content-Security-Policy"]  # the host shows the message
    assert count(app, Article) == 0


def test_an_unknown_article_is_created_on_first_load_when_allowed(app, client, allow, as_admin):
    allow()
    as_admin.form("/admin/embed/settings", {"create_articles": "on"})
    url = HOST + "/2024/brand-new?ref=home"
    response = client.get(thread_url("brand-new-story", title="Brand  new\u202e story", url=url))
    assert response.status_code == 200
    assert client.get(thread_url("brand-new-story", title="Another title")).status_code == 200  # found, not re-made
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "brand-new-story"))
        assert article.title == "Brand new story" and article.comments_mode == "open"
        page = db.session.get(EmbedPage, article.id)
        assert page.url == url and page.origin == HOST
    assert count(app, Article) == 1
    assert url.replace("&", "&amp;") in as_admin.get("/admin/embed").get_data(as_text=True)  # listed for the admin


ELSEWHERE = "data-url: Give the address of a page on https://news.example.com, the site that shows these comments."


@pytest.mark.parametrize(
    "slug,extra,message",
    [
        # The admin's article form's own rules, named by the snippet's attributes.
        ("Bad Slug!", {}, "data-article: Use lowercase letters, digits and single dashes"),
        ("a--b", {}, "data-article: Use lowercase letters"),
        ("s" * 121, {}, "data-article: Use lowercase letters, digits and single dashes (at most 120)"),
        ("fine-slug", {"title": "t" * 301}, "data-title: A title of 1–300 characters is required."),
        # The page must be on the registered site the frame is shown on.
        ("fine-slug", {"url": "https://evil.example/page"}, ELSEWHERE),
        ("fine-slug", {"url": "javascript:alert(1)"}, ELSEWHERE),
        ("fine-slug", {"url": "http://news.example.com/2024/story"}, ELSEWHERE),  # another scheme: another origin
        ("fine-slug", {"url": "https://news.example.com:8443/2024/story"}, ELSEWHERE),
        ("fine-slug", {"url": "https://news.example.com.evil.example/story"}, ELSEWHERE),
        ("fine-slug", {"url": "https://news.example.com@evil.example/story"}, ELSEWHERE),
        ("fine-slug", {"url": "//news.example.com/story"}, ELSEWHERE),
        ("fine-slug", {"url": "/2024/story"}, ELSEWHERE),
        ("fine-slug", {"url": "https://news.example.com/a story"}, ELSEWHERE),
        ("fine-slug", {"url": "https://news.example.com/a\nb"}, ELSEWHERE),
        ("fine-slug", {"url": "https://news.\texample.com/story"}, ELSEWHERE),
        ("fine-slug", {"url": HOST + "/" + "x" * 2000}, ELSEWHERE),
    ],
)
def test_auto_create_refuses_bad_page_data_and_writes_nothing(app, client, allow, as_admin, slug, extra, message):
    allow()
    as_admin.form("/admin/embed/settings", {"create_articles": "on"})
    response = client.get(thread_url(slug, **extra))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert f"frame-ancestors {HOST}" in response.headers["Content-Security-Policy"]  # shown in place on the host page
    assert count(app, Article) == 0 and count(app, EmbedPage) == 0


def test_auto_create_lists_every_problem_at_once(app, client, allow, as_admin):
    allow()
    as_admin.form("/admin/embed/settings", {"create_articles": "on"})
    page = client.get(thread_url("Bad Slug", title="t" * 301, url="https://evil.example/")).get_data(as_text=True)
    assert "data-article:" in page and "data-title:" in page and "data-url:" in page


def test_parleys_own_pages_do_not_create_articles(app, client, as_admin):
    """The demo page embeds the widget in Parley itself, an origin no admin registered: it shows
    existing articles only, whatever the setting."""
    as_admin.form("/admin/embed/settings", {"create_articles": "on"})
    response = client.get(thread_url("made-up-story", origin="http://localhost", url="http://localhost/made-up-story"))
    assert response.status_code == 403
    assert "registered under Admin → Embed" in response.get_data(as_text=True)
    assert count(app, Article) == 0 and count(app, EmbedPage) == 0


@pytest.mark.parametrize("title", [None, "", "   ", "\u202e\x07"])
def test_a_missing_title_comes_from_the_slug(app, client, allow, as_admin, title):
    allow()
    as_admin.form("/admin/embed/settings", {"create_articles": "on"})
    extra = {} if title is None else {"title": title}
    assert client.get(thread_url("late-night-vote", **extra)).status_code == 200
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "late-night-vote"))
        assert article.title == "Late night vote"
        assert db.session.get(EmbedPage, article.id).url == HOST + "/"  # no data-url: the site's front page


def test_without_article_or_origin_the_page_says_what_it_is(client):
    assert client.get("/embed/thread").status_code == 400


# --- the sign-in popup and tokens ------------------------------------------------------------


def test_the_popup_sends_a_signed_out_reader_to_sign_in_or_register_and_back(client):
    login = client.get("/embed/auth?origin=" + HOST)
    assert login.status_code == 302 and "/login?next=" in login.headers["Location"]
    assert "embed/auth" in login.headers["Location"]
    register = client.get("/embed/auth?register=1")
    assert "/register?next=" in register.headers["Location"]


def test_a_signed_in_reader_mints_a_token_in_the_popup(app, api, make_user, allow):
    allow()
    make_user("ann")
    api.login("ann")
    page = api.get("/embed/auth?origin=" + HOST)
    assert page.status_code == 200 and b"embed-auth.js" in page.data
    response = api.post("/api/v1/embed/tokens", {"origin": HOST})
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["token"].startswith("pe_") and answer["user"]["username"] == "ann"
    with app.app_context():
        stored = db.session.scalar(select(EmbedToken))
        assert stored.token_hash != answer["token"] and answer["token"] not in stored.token_hash  # hashed
        assert stored.origin == HOST
        lifetime = stored.expires_at - stored.created_at
        assert timedelta(hours=1) <= lifetime <= timedelta(hours=24)


def test_minting_needs_the_session_and_its_csrf_token(app, api, client, make_user):
    make_user("ann")
    api.login("ann")
    assert api.client.post("/api/v1/embed/tokens", json={}).status_code == 400  # cookie, no CSRF header
    assert client.post("/api/v1/embed/tokens", json={}).status_code == 401  # signed out
    assert count(app, EmbedToken) == 0


def test_a_token_posts_comments_and_sees_its_own_pending_one(app, client, make_user, make_article):
    make_article()
    make_user("ann")
    raw = token_for(app, "ann")
    posted = client.post(
        "/api/v1/articles/test-article/comments", json={"body": "From the widget"}, headers=bearer(raw)
    )
    assert posted.status_code == 201, posted.get_json()
    assert posted.get_json()["comment"]["status"] == "pending"
    mine = client.get("/api/v1/articles/test-article/comments", headers=bearer(raw)).get_json()["comments"]
    assert [c["body"] for c in mine] == ["From the widget"] and "scores" in mine[0]
    assert client.get("/api/v1/articles/test-article/comments").get_json()["comments"] == []  # others: not yet
    # Replies, reports, and deleting one's own go through the same token.
    comment_id = posted.get_json()["comment"]["id"]
    assert client.delete(f"/api/v1/comments/{comment_id}", headers=bearer(raw)).status_code == 204


def test_a_bearer_token_wins_over_a_cookie_and_needs_no_csrf_token(app, api, make_user, make_article):
    """Same-site pages send Parley's cookie along too: the token alone decides who is acting."""
    make_article()
    make_user("ann")
    make_user("bob")
    api.login("bob")  # bob's cookie is in this client
    raw = token_for(app, "ann")
    response = api.client.post("/api/v1/articles/test-article/comments", json={"body": "as ann"}, headers=bearer(raw))
    assert response.status_code == 201
    assert response.get_json()["comment"]["author"]["username"] == "ann"
    assert "Set-Cookie" not in response.headers  # the session was not touched


def test_a_token_cannot_change_another_readers_comment(app, client, make_user, make_article, api):
    make_article()
    make_user("ann")
    make_user("bob")
    api.login("bob")
    bobs = api.post("/api/v1/articles/test-article/comments", {"body": "Bob's"}).get_json()["comment"]["id"]
    raw = token_for(app, "ann")
    assert client.patch(f"/api/v1/comments/{bobs}", json={"body": "hijacked"}, headers=bearer(raw)).status_code in (
        403,
        404,
    )
    assert client.delete(f"/api/v1/comments/{bobs}", headers=bearer(raw)).status_code in (403, 404)
    with app.app_context():
        assert db.session.get(Comment, bobs).body == "Bob's"


@pytest.mark.parametrize(
    "changes",
    [{"expires_at": utcnow() - timedelta(seconds=1)}, {"revoked_at": utcnow()}],
    ids=["expired", "revoked"],
)
def test_expired_and_revoked_tokens_are_refused(app, client, make_user, make_article, changes):
    make_article()
    make_user("ann")
    raw = token_for(app, "ann", **changes)
    response = client.post("/api/v1/articles/test-article/comments", json={"body": "late"}, headers=bearer(raw))
    assert response.status_code == 401 and "sign in again" in response.get_json()["error"]
    assert client.get("/api/v1/articles/test-article/comments", headers=bearer(raw)).status_code == 401
    assert count(app, Comment) == 0


def test_unknown_and_malformed_tokens_are_refused(client, make_article):
    make_article()
    for value in ("pe_not-a-real-token", "garbage", "", "pe_" + "x" * 500):
        response = client.get("/api/v1/articles/test-article/comments", headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 401, value


def test_a_banned_readers_token_stops_working(app, client, make_user, make_article):
    make_article()
    make_user("ann")
    raw = token_for(app, "ann")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "ann")).status = "banned"
        db.session.commit()
    with nothing_changes(app):
        refused = client.post("/api/v1/articles/test-article/comments", json={"body": "x"}, headers=bearer(raw))
    assert refused.status_code == 401


def test_sign_out_revokes_the_token(app, client, make_user, make_article):
    make_article()
    make_user("ann")
    raw = token_for(app, "ann")
    assert client.delete("/api/v1/embed/token", headers=bearer(raw)).status_code == 204
    assert (
        client.post("/api/v1/articles/test-article/comments", json={"body": "x"}, headers=bearer(raw)).status_code
        == 401
    )
    with app.app_context():
        assert db.session.scalar(select(EmbedToken)).revoked_at is not None


def test_revoke_all_signs_a_reader_out_of_every_widget(app, client, make_user, make_article):
    make_article()
    make_user("ann")
    first, second = token_for(app, "ann"), token_for(app, "ann")
    with app.app_context():
        tokens.revoke_all(db.session.scalar(select(User).where(User.username == "ann")))
        db.session.commit()  # revoke_all goes with its caller's transaction
    for raw in (first, second):
        assert client.get("/api/v1/articles/test-article/comments", headers=bearer(raw)).status_code == 401


def test_tokens_only_reach_the_widgets_calls(app, client, make_user):
    """A token leaked from a widget cannot mint more tokens, read memberships or administer."""
    make_user("adam", role="admin")
    raw = token_for(app, "adam")
    for method, url in (
        ("POST", "/api/v1/embed/tokens"),
        ("GET", "/api/v1/me/membership"),
        ("GET", "/api/v1/review/queues/pending"),
        ("POST", "/api/v1/admin/articles"),
    ):
        response = client.open(url, method=method, json={}, headers=bearer(raw))
        assert response.status_code == 401, (method, url, response.status_code)
    assert client.get("/admin/embed", headers=bearer(raw)).status_code == 302  # pages: off to sign in
    assert count(app, EmbedToken) == 1


def test_revoking_needs_a_bearer_token(app, api, make_user):
    make_user("ann")
    token_for(app, "ann")
    api.login("ann")
    with nothing_changes(app):  # the widget's token stays good
        response = api._write("DELETE", "/api/v1/embed/token")
    assert response.status_code == 400 and "Bearer" in response.get_json()["error"]


# --- demo and size ---------------------------------------------------------------------------


def test_the_demo_page_is_only_served_in_development(app, client):
    assert client.get("/embed/demo").status_code == 404
    app.config["EMBED_DEMO"] = True
    try:
        page = client.get("/embed/demo").get_data(as_text=True)
    finally:
        app.config["EMBED_DEMO"] = False
    assert 'id="parley-comments" data-article="blinken-beijing-talks"' in page
    assert 'src="http://localhost/embed.js" async' in page
    assert "Blinken starts round of talks" in page


def test_the_widget_is_under_30_kb_gzipped():
    files = ["embed.js", "embed-frame.js", "embed-frame.css", "embed-auth.js"]
    total = sum(len(gzip.compress((STATIC / name).read_bytes(), 9)) for name in files)
    assert total < 30 * 1024, total
