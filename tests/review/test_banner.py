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


def test_a_live_worker_that_loaded_the_model_wins_over_one_that_could_not(app, as_moderator):
    from service.domain.moderation.scoring_state import ALIVE, scoring_state

    comment_id = post(app, "ann", "still waiting")
    with app.app_context():
        db.session.get(Comment, comment_id).created_at = utcnow() - timedelta(minutes=2)
        long_gone = utcnow() - ALIVE - timedelta(seconds=5)
        db.session.add(WorkerHeartbeat(id="old", state="ok", model_name="gone-model", last_seen=long_gone))
        db.session.commit()
        assert scoring_state() == ("no worker", None)  # a silent worker says nothing
        db.session.add(WorkerHeartbeat(id="bad", state="error", error="checkpoint missing"))
        db.session.commit()
        assert scoring_state() == ("unavailable", "checkpoint missing")
        db.session.add(WorkerHeartbeat(id="good", state="ok", model_name="parley-test"))
        db.session.commit()
        assert scoring_state() == ("parley-test", None)
    page = html(as_moderator.get("/review/pending"))
    assert "Scoring is behind: 1 comment waited over a minute to be scored (model: parley-test)" in page
    assert "could not load" not in page
