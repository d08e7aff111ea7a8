"""The HTTP API contract of DESIGN.md, and its answers to bad input."""

import re

from sqlalchemy import select

from service.extensions import db
from service.models import Article, Comment

from .conftest import nothing_changes


def test_healthz(client, make_article):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["db"] == "ok"
    assert body["model"] == "no worker" and body["pending"] == 0


def test_session_gives_a_csrf_token(client):
    body = client.get("/api/v1/session").get_json()
    assert body["user"] is None and len(body["csrf_token"]) > 20


def test_articles_list_counts_visible_comments(api, make_user, make_article, worker):
    make_article()
    make_article(slug="closed-one", comments_mode="closed")
    make_user("ann")
    api.login("ann")
    api.post("/api/v1/articles/test-article/comments", {"body": "hello"})
    worker.drain()
    listed = {a["slug"]: a for a in api.get("/api/v1/articles").get_json()["articles"]}
    assert listed["test-article"] == {
        "slug": "test-article",
        "title": "A test article",
        "comments_mode": "open",
        "comment_count": 1,
    }
    assert listed["closed-one"]["comment_count"] == 0


def test_comment_shape_for_author_includes_scores_and_reason(api, other_api, make_user, make_article, worker):
    make_article()
    make_user("ann")
    make_user("bob")
    api.login("ann")
    comment = api.post("/api/v1/articles/test-article/comments", {"body": "hi"}).get_json()["comment"]
    assert set(comment) >= {"id", "article", "parent_id", "author", "body", "status", "created_at", "scores", "reason"}
    assert comment["article"] == "test-article" and comment["created_at"].endswith("Z")
    other_api.login("bob")
    assert other_api.get(f"/api/v1/comments/{comment['id']}").status_code == 404  # still pending
    worker.drain()
    decided = api.get(f"/api/v1/comments/{comment['id']}").get_json()["comment"]
    assert set(decided["scores"]) == {"toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack"}
    assert decided["reason"]
    seen = other_api.get(f"/api/v1/comments/{comment['id']}").get_json()["comment"]
    assert "scores" not in seen and "reason" not in seen


def test_writes_with_a_cookie_need_the_csrf_header(ann_on_article, api, app):
    bare = api.client.post("/api/v1/articles/test-article/comments", json={"body": "no token"})
    assert bare.status_code == 400 and "CSRF" in bare.get_json()["error"]
    wrong = api.client.post(
        "/api/v1/articles/test-article/comments", json={"body": "bad token"}, headers={"X-CSRFToken": "nope"}
    )
    assert wrong.status_code == 400
    assert no_comments(app)


def no_comments(app):
    with app.app_context():
        return db.session.scalar(select(Comment.id)) is None


def test_admin_creates_articles_with_validation(api, make_user, app):
    make_user("boss", role="admin")
    api.login("boss")
    good = {"slug": "fresh-news", "title": "Fresh news", "summary": "S", "body": "B", "comments_mode": "members"}
    created = api.post("/api/v1/admin/articles", good)
    assert created.status_code == 201
    assert created.get_json()["article"]["comments_mode"] == "members"
    assert api.post("/api/v1/admin/articles", good).status_code == 409
    for bad in (
        {**good, "slug": "Bad Slug"},
        {**good, "slug": "ok-slug", "title": ""},
        {**good, "slug": "ok-slug", "comments_mode": "sometimes"},
        {**good, "slug": "ok-slug", "published_at": "yesterday"},
        {**good, "slug": "ok-slug", "summary": ["not", "text"]},
    ):
        assert api.post("/api/v1/admin/articles", bad).status_code == 422, bad
    with app.app_context():
        assert db.session.scalars(select(Article.slug)).all() == ["fresh-news"]


def test_malformed_json_is_400(ann_on_article, api, app):
    token = api.token()
    response = api.client.post(
        "/api/v1/articles/test-article/comments",
        data="{not json",
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and "JSON" in response.get_json()["error"]
    listed = api.client.post(
        "/api/v1/articles/test-article/comments", json=["a", "list"], headers={"X-CSRFToken": token}
    )
    assert listed.status_code == 400
    assert no_comments(app)


def test_unknown_routes_and_methods(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and "error" in missing.get_json()
    assert client.get("/api/v1/articles/no-such-article/comments").status_code == 404
    assert client.get("/api/v1/comments/424242").status_code == 404
    wrong_method = client.put("/api/v1/articles")
    assert wrong_method.status_code == 405 and "error" in wrong_method.get_json()
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "Page not found" in page.get_data(as_text=True)
    assert client.delete("/").status_code == 405


def test_bodies_over_one_mebibyte_are_413(ann_on_article, app, api):
    with nothing_changes(app):
        response = api.client.post(
            "/api/v1/articles/test-article/comments",
            data=b'{"body": "' + b"x" * (1024 * 1024) + b'"}',
            headers={"X-CSRFToken": api.token(), "Content-Type": "application/json"},
        )
    assert response.status_code == 413 and "error" in response.get_json()


def test_openapi_document_lists_the_contract(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    expected = {
        "/healthz": {"get"},
        "/api/v1/session": {"get"},
        "/api/v1/auth/register": {"post"},
        "/api/v1/auth/login": {"post"},
        "/api/v1/auth/logout": {"post"},
        "/api/v1/articles": {"get"},
        "/api/v1/articles/{slug}/comments": {"get", "post"},
        "/api/v1/comments/{id}": {"get", "patch", "delete"},
        "/api/v1/admin/articles": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(doc["paths"][path]), path


def test_openapi_paths_exist_in_the_url_map(app):
    """Every documented path is a real route, so the document cannot drift from the server."""
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    # Parameter names may differ ({id} in the document, <int:user_id> in the route); positions may not.
    rules = {}
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{}", rule.rule)
        rules.setdefault(path, set()).update(m.lower() for m in rule.methods)
    for documented, ops in doc["paths"].items():
        path = re.sub(r"\{[^}]+\}", "{}", documented)
        assert path in rules, documented
        assert set(ops) <= rules[path], documented
