"""Widget sign-ins end with the events that end cookie sessions: a password reset and a ban.

A ban alone already makes tokens fail (find() refuses inactive users), so the ban test
reinstates the reader afterwards: a token minted before the ban must stay dead.
"""

import pytest
from sqlalchemy import select

from service.domain.accounts import accounts
from service.extensions import db
from service.models import Comment, EmbedToken, User

from .conftest import nothing_changes
from .test_embed import bearer, token_for

NEW_PASSWORD = "another-long-password"


def widget_post(client, raw):
    return client.post("/api/v1/articles/test-article/comments", json={"body": "From the widget"}, headers=bearer(raw))


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def reset_link(app, username):
    """The link a password-reset mail would carry."""
    with app.app_context():
        return "/reset/" + accounts.make_reset_token(db.session.get(User, user_id(app, username)))


@pytest.fixture
def ann_and_mod(app, api, make_user, make_article):
    """The test article, ann (her id and a widget token of hers), and `api` signed in as mod."""
    make_article()
    make_user("mod", role="moderator")
    ann = make_user("ann")
    raw = token_for(app, "ann")
    api.login("mod")
    return ann, raw


def test_a_password_reset_signs_the_reader_out_of_every_widget(app, client, other_api, make_user, make_article):
    make_article()
    make_user("ann")
    tokens = [token_for(app, "ann"), token_for(app, "ann")]
    reset = other_api.form(reset_link(app, "ann"), {"password": NEW_PASSWORD})
    assert reset.status_code == 302, reset.get_data(as_text=True)
    for raw in tokens:
        response = widget_post(client, raw)
        assert response.status_code == 401 and "sign in again" in response.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(select(Comment.id)) is None
        assert all(t.revoked_at is not None for t in db.session.scalars(select(EmbedToken)))


def test_a_refused_new_password_leaves_the_widget_signed_in(app, client, other_api, make_user, make_article):
    make_article()
    make_user("ann")
    raw = token_for(app, "ann")
    link = reset_link(app, "ann")
    with nothing_changes(app):
        refused = other_api.form(link, {"password": "short"})
    assert refused.status_code == 422
    assert widget_post(client, raw).status_code == 201


def test_a_ban_ends_widget_sign_ins_for_good(app, client, api, ann_and_mod):
    ann, raw = ann_and_mod
    url = f"/api/v1/review/users/{ann}/sanctions"
    assert api.post(url, {"action": "ban", "reason": "abuse"}).status_code == 201
    assert widget_post(client, raw).status_code == 401
    assert api.post(url, {"action": "reinstate"}).status_code == 201
    # Reinstated, ann signs in again to use the widget; the old token does not come back to life.
    assert widget_post(client, raw).status_code == 401
    assert widget_post(client, token_for(app, "ann")).status_code == 201


def test_other_sanctions_keep_the_widget_signed_in(client, api, ann_and_mod):
    ann, raw = ann_and_mod
    for action in ("warn", "premoderate", "release"):
        assert api.post(f"/api/v1/review/users/{ann}/sanctions", {"action": action}).status_code == 201
    assert widget_post(client, raw).status_code == 201
