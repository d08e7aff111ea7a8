"""Moderators decide held comments through the API: one decision wins, refusals change nothing."""

import threading

from sqlalchemy import select

from service.extensions import db
from service.models import ModerationAction, OutboxMessage

from ..conftest import nothing_changes
from .conftest import BENIGN, SLUG, held_comment, post, status_of


def test_moderator_approves_a_held_comment_and_the_author_is_told(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    other_api.login("mod")
    queue = other_api.get("/api/v1/review/queues/pending").get_json()
    assert [c["id"] for c in queue["comments"]] == [comment["id"]]
    assert queue["counts"]["pending"] == 1
    answer = other_api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "approve"})
    assert answer.status_code == 200 and answer.get_json()["comment"]["status"] == "published"
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "ann@example.com"))
        assert mail.subject == "Your comment is published"
        actions = [
            a.action
            for a in db.session.scalars(select(ModerationAction).where(ModerationAction.comment_id == comment["id"]))
        ]
    assert actions == ["hold", "approve"]


def test_rejection_carries_its_reason_to_the_author(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    other_api.login("mod")
    answer = other_api.post(
        f"/api/v1/review/comments/{comment['id']}/decision", {"action": "reject", "reason": "personal attack"}
    )
    assert answer.get_json()["comment"]["status"] == "rejected"
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Your comment was not published"))
        assert "Reason: personal attack" in mail.body


def test_second_moderator_gets_409_with_the_current_state(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    other_api.login("mod")
    url = f"/api/v1/review/comments/{comment['id']}/decision"
    assert other_api.post(url, {"action": "approve"}).status_code == 200
    second = other_api.post(url, {"action": "reject"})
    assert second.status_code == 409
    assert second.get_json()["comment"]["status"] == "published"
    assert other_api.post(url, {"action": "approve"}).status_code == 409
    stale = other_api.post(url, {"action": "reject", "expected_status": "held"})
    assert stale.status_code == 409 and "now published" in stale.get_json()["error"]
    assert other_api.post(url, {"action": "obliterate"}).status_code == 400
    # Taking down a published comment is deliberate: the moderator says what they saw.
    takedown = other_api.post(url, {"action": "reject", "expected_status": "published"})
    assert takedown.status_code == 200 and takedown.get_json()["comment"]["status"] == "rejected"
    assert status_of(app, comment["id"]) == "rejected"
    with app.app_context():
        last = db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.comment_id == comment["id"])
            .order_by(ModerationAction.id.desc())
        ).first()
        assert (last.action, last.from_status, last.to_status) == ("reject", "published", "rejected")
        assert last.actor.username == "mod"
    # Readers no longer see it (its author still does, with its status).
    thread = app.test_client().get(f"/api/v1/articles/{SLUG}/comments").get_json()["comments"]
    assert comment["id"] not in [c["id"] for c in thread]


def test_simultaneous_decisions_never_overwrite(setup, api, worker, app):
    comment = held_comment(app, api, worker)
    clients = []
    for _ in range(2):
        from tests.conftest import Api

        moderator = Api(app.test_client())
        moderator.login("mod")
        clients.append(moderator)
    barrier = threading.Barrier(2)
    codes = []

    def decide(moderator, action):
        token = moderator.token()
        barrier.wait()
        response = moderator.client.post(
            f"/api/v1/review/comments/{comment['id']}/decision", json={"action": action}, headers={"X-CSRFToken": token}
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=decide, args=(c, a)) for c, a in zip(clients, ("approve", "reject"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [200, 409]
    with app.app_context():
        human = db.session.scalars(
            select(ModerationAction).where(
                ModerationAction.comment_id == comment["id"], ModerationAction.actor_id.is_not(None)
            )
        ).all()
    assert len(human) == 1


def test_decisions_on_deleted_comments_are_409(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    api.delete(f"/api/v1/comments/{comment['id']}")
    other_api.login("mod")
    with nothing_changes(app):
        response = other_api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "approve"})
    assert response.status_code == 409 and response.get_json()["comment"]["status"] == "deleted"


def test_readers_cannot_use_the_review_api(setup, api, app):
    comment = post(api, BENIGN)
    assert api.get("/api/v1/review/queues/pending").status_code == 403
    with nothing_changes(app):  # still pending, and no moderation action recorded
        assert api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "approve"}).status_code == 403


def test_unknown_queue_is_404(setup, other_api):
    other_api.login("mod")
    assert other_api.get("/api/v1/review/queues/elsewhere").status_code == 404


def test_the_schema_names_a_bad_decision_or_sanction_and_nothing_changes(setup, api, other_api, worker, app):
    """service/schemas/acts.py: a bad field is a 422 naming it; an act that names nothing a 400."""
    comment = held_comment(app, api, worker)
    other_api.login("mod")
    decide = f"/api/v1/review/comments/{comment['id']}/decision"
    with nothing_changes(app):
        refused = other_api.post(decide, {"action": "approve", "expected_status": "lost", "reason": "x" * 1001})
        assert refused.status_code == 422
        assert refused.get_json()["errors"] == {
            "expected_status": "A comment status.",
            "reason": "Text of at most 1,000 characters.",
        }
        unknown = other_api.post(decide, {"action": "obliterate"})
        assert unknown.status_code == 400 and "errors" not in unknown.get_json()
        assert (
            unknown.get_json()["error"]
            == "Unknown action 'obliterate'; use one of: approve, reject, feature, unfeature."
        )
    assert status_of(app, comment["id"]) == "held"
