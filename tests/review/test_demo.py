"""The demo seeder fills each queue."""

from sqlalchemy import select

from service.domain.moderation import settings
from service.extensions import db
from service.models import Comment, ModerationAction


def test_seed_demo_fills_each_queue_once(app, worker):
    from service.demo.moderation import HELD, REVIEW
    from service.domain.moderation import queues

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"]).output
    assert "demo comments for the moderation queues" in first and "'shill'" in first
    assert first.count("password:") == 2  # demo commenters never sign in
    worker.drain()
    with app.app_context():
        status = {c.body: c.status for c in db.session.scalars(select(Comment))}
        assert [status[body] for body in HELD] == ["held", "held"]
        assert status[REVIEW] == "review"
        counts = queues.counts()
        assert counts["pending"].value == 2 and counts["reported"].value == 1 and counts["review"].value >= 1
        assert settings.current()["suspect_words"] == ["shill"]
        change = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings"))
        assert change.actor_id is None  # the system, not a person
    second = runner.invoke(args=["seed-demo"]).output
    assert "moderation queues" not in second
    with app.app_context():
        assert len(db.session.scalars(select(Comment)).all()) == len(status)
