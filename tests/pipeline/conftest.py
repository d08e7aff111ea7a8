"""The comment lifecycle end to end: stored pending, scored by the real model in a worker,
routed by the policy, decided by moderators, reported by readers. The scene and its helpers."""

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Article, Comment, ScoringDecision

SLUG = "test-article"
BENIGN = "Thanks for the balanced article, I learned a lot about the Beijing talks."
ABUSIVE = "You are a worthless idiot and everyone hates you, shut up you pathetic moron."


@pytest.fixture
def setup(cast_on_article, app):
    """The scene: the test article, ann (signed in on `api`), bob, mod and boss; the app."""
    return app


def post(api, body, parent_id=None):
    payload = {"body": body} if parent_id is None else {"body": body, "parent_id": parent_id}
    response = api.post(f"/api/v1/articles/{SLUG}/comments", payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["comment"]


def status_of(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def decisions_for(app, comment_id):
    with app.app_context():
        return db.session.scalars(select(ScoringDecision).where(ScoringDecision.comment_id == comment_id)).all()


def set_premoderated_article(app, value=True):
    with app.app_context():
        db.session.scalar(select(Article).where(Article.slug == SLUG)).premoderated = value
        db.session.commit()


def held_comment(app, api, worker, body="A perfectly calm remark about diplomacy."):
    """A comment the policy holds whatever the model says: the article is pre-moderated."""
    set_premoderated_article(app, True)
    comment = post(api, body)
    worker.drain()
    set_premoderated_article(app, False)
    assert status_of(app, comment["id"]) == "held"
    return comment
