"""A moderator's decisions through the card forms and in bulk."""

from sqlalchemy import select

from service.extensions import db
from service.models import Comment, ModerationAction

from .conftest import decide, flashes, held, html, status_of


def test_approve_reject_and_feature_through_the_card_forms(app, as_moderator):
    first = held(app, "ann", "first")
    second = held(app, "ann", "second")
    third = held(app, "bob", "third")

    response = decide(as_moderator, first, "approve")
    assert response.status_code == 302 and response.headers["Location"] == "/review/pending"
    assert f"Comment #{first} approved." in flashes(html(as_moderator.get("/review/pending")))
    decide(as_moderator, second, "reject", reason="spam", reason_text="  selling watches  ")
    decide(as_moderator, third, "feature")
    assert (status_of(app, first), status_of(app, second), status_of(app, third)) == (
        "published",
        "rejected",
        "published",
    )
    with app.app_context():
        assert db.session.get(Comment, third).featured
        rejection = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "reject"))
        assert rejection.reason == "selling watches" and rejection.actor.username == "mod"
    decide(as_moderator, held(app, "bob", "fourth"), "reject", reason="hate speech")
    with app.app_context():
        assert db.session.scalar(select(Comment).where(Comment.body == "fourth")).reason == "hate speech"
    assert '<span class="count" data-count="pending">0</span>' in html(as_moderator.get("/review/pending"))


def test_a_decision_someone_already_made_is_reported_not_overwritten(app, as_moderator, other_api, make_user):
    make_user("mod2", role="moderator")
    other_api.login("mod2")
    comment_id = held(app, "ann", "contested")
    assert 'name="expected_status" value="held"' in html(as_moderator.get("/review/pending"))  # what the card showed
    decide(other_api, comment_id, "approve", expected_status="held")
    response = decide(as_moderator, comment_id, "reject", reason="spam", expected_status="held")
    assert response.status_code == 302
    messages = flashes(html(as_moderator.get("/review/pending")))
    assert messages == [f"Comment #{comment_id}: This comment is now published, not held."]
    decide(as_moderator, comment_id, "approve")
    assert flashes(html(as_moderator.get("/review/pending"))) == [
        f"Comment #{comment_id}: Already decided: this comment is published."
    ]
    assert status_of(app, comment_id) == "published"
    assert (
        "Unknown action"
        in flashes(html(as_moderator.get(decide(as_moderator, comment_id, "obliterate").headers["Location"])))[0]
    )


def test_bulk_approve_and_reject_of_a_selection(app, as_moderator):
    ids = [held(app, "ann", f"bulk {n}") for n in range(4)]
    response = as_moderator.form(
        "/review/bulk", {"action": "approve", "ids": [str(ids[0]), str(ids[1])], "next": "/review/pending"}
    )
    assert response.status_code == 302
    assert "Approved 2 comments." in flashes(html(as_moderator.get("/review/pending")))
    as_moderator.form(
        "/review/bulk",
        {"action": "reject", "reason": "spam", "ids": [str(i) for i in ids[1:]], "next": "/review/pending"},
    )
    messages = flashes(html(as_moderator.get("/review/pending")))
    assert f"Comment #{ids[1]}: Already decided: this comment is published." in messages
    assert "Rejected 2 comments." in messages
    assert [status_of(app, i) for i in ids] == ["published", "published", "rejected", "rejected"]
    as_moderator.form("/review/bulk", {"action": "approve", "next": "/review/pending"})
    assert "Select some comments first." in flashes(html(as_moderator.get("/review/pending")))
