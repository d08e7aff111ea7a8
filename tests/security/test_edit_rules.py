"""An edit is posting new text (issue 14, items 7 and 8): it obeys the same rules as a new
comment (`can_comment`), and a moderator's feature, given to the text they read, does not
carry over to new text; the history says the edit cleared it."""

from datetime import timedelta

from sqlalchemy import select, update

from service.domain.membership.perks import forget_cached_tiers
from service.domain.moderation import moderator_actions
from service.extensions import db
from service.models import Article, Comment, Membership, ModerationAction, User
from service.models.base import utcnow

from .conftest import client_for, sanction


def post(api, world, body):
    response = api.post(f"/api/v1/articles/{world.article_slug}/comments", {"body": body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["comment"]["id"]


def body_of(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id).body


def test_a_suspended_author_cannot_edit(app, world):
    rita = client_for(app, world, "reader")
    comment_id = post(rita, world, "Before the suspension")
    sanction(app, world, "reader", "suspend", days=7)
    assert rita.patch(f"/api/v1/comments/{comment_id}", {"body": "Edited while suspended"}).status_code == 403
    assert rita.form(f"/comments/{comment_id}/edit", {"body": "Edited on the page"}).status_code in (302, 403)
    assert body_of(app, comment_id) == "Before the suspension"


def test_a_lapsed_member_cannot_edit_a_members_only_comment(app, world):
    with app.app_context():
        db.session.execute(update(Article).where(Article.id == world.article_id).values(comments_mode="members"))
        db.session.commit()
    rita = client_for(app, world, "reader")  # a sponsor: members may comment
    comment_id = post(rita, world, "Written as a member")
    with app.app_context():
        long_ago = utcnow() - timedelta(days=400)
        db.session.execute(
            update(Membership)
            .where(Membership.user_id == world.users["reader"])
            .values(starts_at=long_ago - timedelta(days=30), ends_at=long_ago)
        )
        db.session.commit()
        forget_cached_tiers()
    refused = rita.patch(f"/api/v1/comments/{comment_id}", {"body": "Edited after lapsing"})
    assert refused.status_code == 403 and "members" in refused.get_json()["error"]
    assert body_of(app, comment_id) == "Written as a member"


def test_editing_a_featured_comment_clears_the_feature_and_the_history_says_so(app, world):
    rita = client_for(app, world, "reader")
    with app.app_context():
        moderator = db.session.get(User, world.users["moderator"])
        moderator_actions.moderate(world.comment_id, moderator, "feature")
        assert db.session.get(Comment, world.comment_id).featured
        db.session.remove()
    edited = rita.patch(f"/api/v1/comments/{world.comment_id}", {"body": "Swapped text after the feature"})
    assert edited.status_code == 200
    assert edited.get_json()["comment"]["featured"] is False
    with app.app_context():
        comment = db.session.get(Comment, world.comment_id)
        assert not comment.featured and comment.status == "pending"
        last = db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.comment_id == world.comment_id)
            .order_by(ModerationAction.id.desc())
        ).first()
        assert last.action == "edit" and "no longer featured" in last.reason and last.details == {"unfeatured": True}
