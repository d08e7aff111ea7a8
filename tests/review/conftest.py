"""The moderators' workspace: the scene, and helpers that put comments in a queue.

Comments are put in a queue deterministically: a pre-moderated article (the policy holds
whatever the scores), a reader's report, or a system decision recorded with known scores
where a test needs exact numbers (score bars, highlights, calibration).
"""

import re

import pytest
from sqlalchemy import select

from moderation.policy import Decision
from service.domain.moderation import verdicts
from service.domain.threads import comments
from service.extensions import db
from service.models import Article, Comment, User

CALM = {
    "toxicity": 0.02,
    "severe_toxicity": 0.01,
    "obscene": 0.01,
    "threat": 0.01,
    "insult": 0.01,
    "identity_attack": 0.01,
}


def scores(**values):
    return {**CALM, **values}


@pytest.fixture
def world(app, make_user, make_article):
    """A moderator, a reader who comments, and an article; returns their ids."""
    ids = {
        "mod": make_user("mod", role="moderator"),
        "ann": make_user("ann"),
        "bob": make_user("bob"),
        "article": make_article(),
    }
    return ids


def post(app, author, body, slug="test-article", parent_id=None):
    """A comment as the author posts it: stored pending."""
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        user = db.session.scalar(select(User).where(User.username == author))
        return comments.post_comment(article, user, body, parent_id).id


def system_decides(app, comment_id, outcome, values, reason=None, spans=None):
    """What a scoring worker records for one comment, with scores chosen by the test."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        decision = Decision(outcome, reason or f"toxicity {values['toxicity']:.2f}", "scores")
        verdicts.record_system_decision(comment, decision, values, "test-model", "1", spans)
        db.session.commit()


def held(app, author, body, values=None, **kwargs):
    comment_id = post(app, author, body, **kwargs)
    system_decides(app, comment_id, "hold", values or scores(toxicity=0.9))
    return comment_id


def status_of(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def html(response):
    return response.get_data(as_text=True)


def flashes(page):
    return re.findall(r'<p class="flash flash-\w+"[^>]*>(.*?)</p>', page)


def decide(api, comment_id, action, **extra):
    return api.form(f"/review/comments/{comment_id}/decision", {"action": action, "next": "/review/pending", **extra})


@pytest.fixture
def as_moderator(world, as_moderator):
    """In these tests the signed-in moderator comes with the scene (tests/conftest.py's client)."""
    return as_moderator


@pytest.fixture
def as_admin(world, as_admin):
    return as_admin
