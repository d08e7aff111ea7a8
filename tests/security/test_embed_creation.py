"""Articles the widget creates (issue 14, item 5): only from a real framed load of a page on
a registered site, within a rate budget, and off the front page until an admin lists them.

Before: `GET /embed/thread?article=x&origin=<registered>&title=BUY+CHEAP+PILLS` from anywhere
(curl, an <img>, a script) made a front-page article; 20 in 0.6 s.
"""

from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from service.domain.embed import sites
from service.domain.moderation import settings
from service.extensions import db
from service.models import Article, User

from .conftest import client_for

SITE = "https://news.example.com"
SPAM = "BUY CHEAP PILLS"
FRAMED = {"Sec-Fetch-Dest": "iframe", "Referer": SITE + "/2026/12/a-story"}


@pytest.fixture
def site(app, world):
    with app.app_context():
        admin = db.session.get(User, world.users["admin"])
        sites.add_origin(SITE, admin)
        settings.update({"embed_create_articles": True}, admin)
        db.session.remove()


def load(client, slug, headers, **extra):
    query = {"article": slug, "origin": SITE, "title": SPAM, "url": SITE + "/2026/12/a-story", **extra}
    return client.get("/embed/thread?" + urlencode(query), headers=headers)


def articles(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Article))


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, a script
        {"Sec-Fetch-Dest": "image", "Referer": SITE + "/"},  # an <img src=…> on the site
        {"Sec-Fetch-Dest": "iframe"},  # framed, but by whom?
        {"Sec-Fetch-Dest": "iframe", "Referer": "https://evil.example/page"},  # framed elsewhere
        {"Sec-Fetch-Dest": "iframe", "Referer": "https://news.example.com.evil.example/"},
    ],
)
def test_an_unframed_or_foreign_load_creates_nothing(app, world, site, client, headers):
    before = articles(app)
    response = load(client, "buy-cheap-pills", headers)
    assert response.status_code == 403
    assert articles(app) == before


def test_the_page_address_must_be_on_the_site(app, world, site, client):
    before = articles(app)
    assert load(client, "buy-cheap-pills", FRAMED, url="https://evil.example/x").status_code == 422
    assert articles(app) == before


def test_a_created_article_stays_off_the_front_page_until_an_admin_lists_it(app, world, site, client):
    assert load(client, "a-real-story", FRAMED).status_code == 200
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "a-real-story"))
        assert article is not None and article.listed is False
        article_id = article.id
    assert SPAM not in client.get("/").get_data(as_text=True)
    assert "a-real-story" not in [a["slug"] for a in client.get("/api/v1/articles").get_json()["articles"]]
    admin = client_for(app, world, "admin")
    assert SPAM in admin.get("/admin/articles").get_data(as_text=True)  # the admin sees it, marked
    saved = admin.form(
        f"/admin/articles/{article_id}/edit",
        {"title": "A real story", "slug": "a-real-story", "comments_mode": "open", "listed": ["on", "off"]},
    )
    assert saved.status_code == 302
    assert "A real story" in client.get("/").get_data(as_text=True)


def test_creation_is_rate_limited_per_address(app, world, site, client, monkeypatch):
    monkeypatch.setitem(app.config, "EMBED_CREATE_LIMIT_PER_IP", "3 per hour")
    statuses = [load(client, f"story-{i}", FRAMED).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert load(client, "story-0", FRAMED).status_code == 200  # what exists still loads
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article).where(Article.slug.like("story-%"))) == 3


def test_creation_is_rate_limited_per_site(app, world, site, monkeypatch):
    monkeypatch.setitem(app.config, "EMBED_CREATE_LIMIT_PER_ORIGIN", "2 per day")
    statuses = []
    for i in range(3):
        reader = app.test_client()
        reader.environ_base["REMOTE_ADDR"] = f"198.51.100.{i}"
        statuses.append(load(reader, f"site-story-{i}", FRAMED).status_code)
    assert statuses == [200, 200, 429]
    with app.app_context():
        slugs = db.session.scalars(select(Article.slug).where(Article.slug.like("site-story-%"))).all()
    assert sorted(slugs) == ["site-story-0", "site-story-1"]
