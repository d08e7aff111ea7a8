"""Filters that used to drift apart: the queue's author filter folds names as sign-in does, and
the history's action filter works in the API as on the page (4xx for an unknown action)."""

import pytest

from service.domain.threads import comments
from service.extensions import db
from service.models import Article, User


@pytest.fixture
def scene(app, make_user, make_article, other_api):
    make_article()
    make_user("Ann")
    make_user("mod", role="moderator")
    with app.app_context():
        article = db.session.query(Article).one()
        ann = db.session.query(User).filter_by(username="Ann").one()
        comments.post_comment(article, ann, "Waiting for the worker.")
    other_api.login("mod")


@pytest.mark.parametrize("name", ["Ann", "ann", "ANN", " ann "])
def test_the_queue_author_filter_folds_the_name(scene, other_api, name):
    page = other_api.get(f"/api/v1/review/queues/pending?author={name}").get_json()
    assert [c["body"] for c in page["comments"]] == ["Waiting for the worker."]


def test_the_history_api_filters_by_action(scene, other_api):
    pending = other_api.get("/api/v1/review/queues/pending").get_json()["comments"][0]
    assert other_api.post(f"/api/v1/review/comments/{pending['id']}/decision", {"action": "approve"}).status_code == 200
    approved = other_api.get("/api/v1/review/history?action=approve").get_json()["actions"]
    assert [a["action"] for a in approved] == ["approve"]
    assert other_api.get("/api/v1/review/history?action=hold").get_json()["actions"] == []
    refused = other_api.get("/api/v1/review/history?action=nonsense")
    assert refused.status_code == 422 and "action" in refused.get_json()["errors"]
