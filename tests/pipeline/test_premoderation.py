"""Pre-moderation: set by a moderator, or put on and lifted by an author's rejection rate."""

from sqlalchemy import select

from service.extensions import db
from service.models import ModerationAction, User

from .conftest import BENIGN, decisions_for, held_comment, post, status_of


def test_premoderated_author_is_held_whatever_the_scores(setup, api, other_api, worker, app):
    other_api.login("mod")
    with app.app_context():
        ann = db.session.scalar(select(User).where(User.username == "ann")).id
    other_api.post(f"/api/v1/review/users/{ann}/sanctions", {"action": "premoderate"})
    comment = post(api, BENIGN)
    worker.drain()
    assert status_of(app, comment["id"]) == "held"
    assert decisions_for(app, comment["id"])[0].reason == "author on pre-moderation"
    other_api.post(f"/api/v1/review/users/{ann}/sanctions", {"action": "release"})
    again = post(api, BENIGN)
    worker.drain()
    assert status_of(app, again["id"]) == "published"


def test_rejection_rate_puts_an_author_on_premoderation_and_lifts_it(setup, api, other_api, worker, app):
    other_api.login("boss")
    other_api.patch("/api/v1/admin/settings", {"rate_window": 4, "rate_min_decided": 4, "premoderation_rate": 0.5})
    held = [held_comment(app, api, worker, f"Calm remark number {i}.") for i in range(3)]
    for comment in held:
        other_api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "reject"})
    fourth = post(api, BENIGN)
    worker.drain()
    # 3 rejected of 4 decided: 0.75 > 0.5.
    assert status_of(app, fourth["id"]) == "published"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "ann")).auto_premoderated
    fifth = post(api, BENIGN + " Again.")
    worker.drain()
    assert status_of(app, fifth["id"]) == "held"
    assert decisions_for(app, fifth["id"])[0].reason == "author on pre-moderation"
    # Approving it: 2 rejected of the last 4 decided is 0.5, not above the rate, so it lifts.
    other_api.post(f"/api/v1/review/comments/{fifth['id']}/decision", {"action": "approve"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "ann"))
        assert not user.auto_premoderated
        flips = db.session.scalars(
            select(ModerationAction.action).where(
                ModerationAction.user_id == user.id, ModerationAction.action.like("auto_%")
            )
        ).all()
    assert flips == ["auto_premoderate", "auto_release"]
