"""Rate limits answer 429 with Retry-After and a clear message, per account, IP and user."""

import pytest

from .conftest import PASSWORD, nothing_changes


@pytest.fixture
def limits(app, monkeypatch):
    def set_limit(name, value):
        monkeypatch.setitem(app.config, name, value)

    return set_limit


def test_failed_sign_ins_are_throttled_per_account(api, other_api, make_user, limits):
    limits("LOGIN_LIMIT_PER_ACCOUNT", "3 per minute")
    make_user("bob")
    for _ in range(3):
        assert api.post("/api/v1/auth/login", {"login": "bob", "password": "wrong-password"}).status_code == 401
    blocked = api.post("/api/v1/auth/login", {"login": "bob", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.get_json()["error"]
    assert int(blocked.headers["Retry-After"]) > 0
    # The same name in another case is the same account; another account is not affected.
    assert other_api.post("/api/v1/auth/login", {"login": "BOB", "password": PASSWORD}).status_code == 429
    make_user("carol")
    assert other_api.post("/api/v1/auth/login", {"login": "carol", "password": PASSWORD}).status_code == 200


def test_successful_sign_ins_do_not_count(api, make_user, limits):
    limits("LOGIN_LIMIT_PER_ACCOUNT", "2 per minute")
    make_user("bob")
    for _ in range(4):
        assert api.post("/api/v1/auth/login", {"login": "bob", "password": PASSWORD}).status_code == 200


def test_sign_in_page_is_throttled_per_ip(api, make_user, limits):
    limits("LOGIN_LIMIT_PER_IP", "2 per minute")
    for name in ("x1", "x2"):
        assert api.form("/login", {"login": name, "password": "wrong-password"}).status_code == 401
    page = api.form("/login", {"login": "x3", "password": "wrong-password"})
    assert page.status_code == 429 and "Too many failed sign-ins" in page.get_data(as_text=True)


def test_registrations_per_ip(app, api, limits):
    limits("REGISTER_LIMIT_PER_IP", "1 per hour")
    first = api.post("/api/v1/auth/register", {"email": "a@example.com", "username": "aaa", "password": PASSWORD})
    assert first.status_code == 201
    with nothing_changes(app):
        second = api.post("/api/v1/auth/register", {"email": "b@example.com", "username": "bbb", "password": PASSWORD})
    assert second.status_code == 429 and "new accounts" in second.get_json()["error"]


def test_comments_per_user_per_minute(app, api, other_api, make_user, make_article, limits):
    limits("COMMENT_LIMIT_PER_MINUTE", 2)
    make_article()
    make_user("ann")
    make_user("bob")
    api.login("ann")
    other_api.login("bob")
    url = "/api/v1/articles/test-article/comments"
    assert [api.post(url, {"body": f"comment {i}"}).status_code for i in range(2)] == [201, 201]
    with nothing_changes(app):
        assert api.post(url, {"body": "comment 2"}).status_code == 429
    # Per user, not per address: bob is unaffected.
    assert other_api.post(url, {"body": "mine"}).status_code == 201


def test_refused_comments_do_not_spend_the_writing_budget(app, api, make_user, make_article, limits):
    """Members only, empty, too long: refusals count against their own wider budget, so a
    reader who tries a few times is not then told to slow down before posting anything."""
    limits("COMMENT_LIMIT_PER_MINUTE", 2)
    limits("COMMENT_ATTEMPT_LIMIT_PER_MINUTE", "4 per minute")
    make_article()
    make_article("members-article", comments_mode="members")
    make_user("ann")
    api.login("ann")
    refused = [
        api.post("/api/v1/articles/members-article/comments", {"body": "hello"}).status_code,
        api.post("/api/v1/articles/test-article/comments", {"body": "   "}).status_code,
        api.form("/articles/members-article/comments", {"body": "hello"}).status_code,
    ]
    assert refused == [403, 422, 403]
    url = "/api/v1/articles/test-article/comments"
    assert [api.post(url, {"body": f"comment {i}"}).status_code for i in range(2)] == [201, 201]
    with nothing_changes(app):
        too_fast = api.post(url, {"body": "comment 2"})
    assert too_fast.status_code == 429 and "very quickly" in too_fast.get_json()["error"]


def test_refused_comment_attempts_have_a_budget_too(app, api, make_user, make_article, limits):
    limits("COMMENT_ATTEMPT_LIMIT_PER_MINUTE", "2 per minute")
    make_article("members-article", comments_mode="members")
    make_user("ann")
    api.login("ann")
    url = "/api/v1/articles/members-article/comments"
    assert [api.post(url, {"body": "hello"}).status_code for _ in range(2)] == [403, 403]
    blocked = api.post(url, {"body": "hello"})
    assert blocked.status_code == 429 and "refused just now" in blocked.get_json()["error"]


def test_edits_spend_the_writing_budget(app, api, make_user, make_article, limits):
    """Each edit is new text for the model: unlimited edits would let one reader fill the queue."""
    limits("COMMENT_LIMIT_PER_MINUTE", 3)
    make_article()
    make_user("ann")
    api.login("ann")
    comment_id = api.post("/api/v1/articles/test-article/comments", {"body": "first"}).get_json()["comment"]["id"]
    assert api.patch(f"/api/v1/comments/{comment_id}", {"body": "second"}).status_code == 200
    assert api.form(f"/comments/{comment_id}/edit", {"body": "third"}).status_code == 302
    with nothing_changes(app):
        api_edit = api.patch(f"/api/v1/comments/{comment_id}", {"body": "fourth"})
        page_edit = api.form(f"/comments/{comment_id}/edit", {"body": "fourth"})
    assert api_edit.status_code == 429 and "very quickly" in api_edit.get_json()["error"]
    assert page_edit.status_code == 429 and "fourth" in page_edit.get_data(as_text=True)  # the draft is kept


def test_data_exports_per_user_on_the_page_and_the_api_together(app, api, other_api, make_user, limits):
    """Each request builds a whole copy of the account: a reader gets a few an hour, whichever
    door they use; another reader is not affected."""
    limits("EXPORT_LIMIT_PER_HOUR", "3 per hour")
    make_user("ann")
    make_user("bob")
    api.login("ann")
    other_api.login("bob")
    assert api.post("/api/v1/me/export").status_code == 201
    assert api.form("/account/export", {}).status_code == 302
    assert api.post("/api/v1/me/export").status_code == 201
    with nothing_changes(app):  # no fourth export built
        refused = api.post("/api/v1/me/export")
        page = api.form("/account/export", {})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "asked for your data" in refused.get_json()["error"]
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert "asked for your data" in page.get_data(as_text=True)
    assert api.get("/api/v1/me/export").status_code == 200  # looking at the latest one is not limited
    assert other_api.post("/api/v1/me/export").status_code == 201
