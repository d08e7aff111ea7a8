"""The banner moderators see when scoring is behind or down."""

from datetime import timedelta

from service.extensions import db
from service.models import Comment, WorkerHeartbeat
from service.models.base import utcnow

from .conftest import html, post


def test_moderators_see_a_banner_when_scoring_is_behind_or_down(app, as_moderator, other_api):
    assert "moderation-banner" not in html(as_moderator.get("/"))
    comment_id = post(app, "ann", "still waiting")
    with app.app_context():
        db.session.get(Comment, comment_id).created_at = utcnow() - timedelta(minutes=2)
        db.session.commit()
    page = html(as_moderator.get("/"))
    assert "moderation-banner" in page and "Scoring is behind: 1 comment waited over a minute" in page
    other_api.login("ann")
    assert "moderation-banner" not in html(other_api.get("/"))

    with app.app_context():
        db.session.add(WorkerHeartbeat(id="w1", state="error", error="checkpoint missing"))
        db.session.commit()
    assert "the model could not load (checkpoint missing)" in html(as_moderator.get("/review/pending"))
