"""Perks come from the member's current tier: members-only comments, trusted commenter, badge."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from service.domain.accounts import users
from service.domain.membership import grants
from service.domain.membership.perks import has_perk, rate_limit_multiplier, tier_of
from service.extensions import db
from service.models import Comment, Membership, User
from service.models.base import utcnow

from ..conftest import nothing_changes
from .conftest import days


def grant(app, username, tier="subscriber", **extra):
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin")) or users.find_user("boss")
        user = users.find_user(username)
        return grants.grant(user, {"tier": tier, **extra}, admin).id


@pytest.fixture
def setup(app, make_user, make_article):
    make_user("boss", role="admin")
    make_user("ann")
    make_article(slug="members-talk", comments_mode="members", title="For members")


def post(api, body="Hello members"):
    return api.post("/api/v1/articles/members-talk/comments", {"body": body})


def test_a_reader_reads_the_thread_but_cannot_comment_and_is_shown_support_us(app, setup, api, client):
    api.login("ann")
    with nothing_changes(app):
        refused = post(api)
    assert refused.status_code == 403 and "members only" in refused.get_json()["error"]
    page = api.client.get("/articles/members-talk").get_data(as_text=True)
    assert "open to members only" in page and 'href="/support">Support us</a> to join the discussion' in page
    assert 'name="body"' not in page.split('id="comment-form"')[1].split("</div>")[0]
    # Signed out: still readable.
    assert client.get("/api/v1/articles/members-talk/comments").status_code == 200


def test_a_subscriber_comments_and_the_badge_shows_in_thread_and_api(app, setup, api, other_api, make_user):
    grant(app, "ann")
    api.login("ann")
    created = post(api)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["comment"]["author"] == {"username": "ann", "tier": "subscriber"}
    assert api.get("/api/v1/session").get_json()["user"]["tier"] == "subscriber"
    with app.app_context():
        db.session.execute(update(Comment).values(status="published"))
        db.session.commit()
    page = api.client.get("/articles/members-talk").get_data(as_text=True)
    assert '<span class="author">ann</span>' in page and '<span class="badge tier-badge">Subscriber</span>' in page
    make_user("bob")
    other_api.login("bob")
    listed = other_api.get("/api/v1/articles/members-talk/comments").get_json()["comments"]
    assert listed[0]["author"] == {"username": "ann", "tier": "subscriber"}


def test_when_the_subscription_lapses_the_perk_goes(app, setup, api):
    # Ended ten days ago, one-off: no grace period.
    grant(app, "ann", starts_at=days(-40), ends_at=days(-10))
    api.login("ann")
    with nothing_changes(app):
        assert post(api).status_code == 403
    assert api.get("/api/v1/me/membership").get_json()["tier"] == "reader"


def test_a_lapsed_recurring_subscription_keeps_the_perk_through_the_grace_period(app, setup, api):
    membership_id = grant(app, "ann", starts_at=days(-33), ends_at=days(-3), recurrence="monthly")
    api.login("ann")
    assert post(api).status_code == 201
    with app.app_context():
        db.session.execute(
            update(Membership).where(Membership.id == membership_id).values(ends_at=utcnow() - timedelta(days=8))
        )
        db.session.commit()
    with nothing_changes(app):
        assert post(api, "again").status_code == 403


def test_a_tier_without_the_perk_does_not_open_members_only_articles(app, setup, api, other_api):
    other_api.login("boss")
    assert other_api.patch("/api/v1/admin/tiers/subscriber", {"members_comments": False}).status_code == 200
    grant(app, "ann")
    api.login("ann")
    with nothing_changes(app):
        assert post(api).status_code == 403


def test_moderators_may_comment_anywhere(app, setup, api, make_user):
    make_user("mod", role="moderator")
    api.login("mod")
    created = post(api)
    assert created.status_code == 201
    # Stored on the members' article and queued for scoring like anyone's comment.
    with app.app_context():
        stored = db.session.get(Comment, created.get_json()["comment"]["id"])
        assert (stored.author.username, stored.article.slug, stored.status, stored.body) == (
            "mod",
            "members-talk",
            "pending",
            "Hello members",
        )


def test_has_perk_follows_the_tier(app, setup):
    grant(app, "ann", tier="sponsor")
    with app.app_context():
        ann = users.find_user("ann")
        assert has_perk(ann, "trusted_commenter") and has_perk(ann, "members_comments") and has_perk(ann, "badge")
        assert has_perk(ann, "rate_limit_multiplier") and rate_limit_multiplier(ann) == 3
        boss = users.find_user("boss")
        assert not has_perk(boss, "trusted_commenter") and tier_of(boss).slug == "reader"
        # The reader tier's multiplier is 1: no more than everyone has, so not a perk.
        assert tier_of(boss).rate_limit_multiplier == 1 and not has_perk(boss, "rate_limit_multiplier")
        assert rate_limit_multiplier(boss) == 1 and not has_perk(boss, "badge")
        assert not has_perk(None, "members_comments")
        with pytest.raises(ValueError, match=r"^unknown perk 'free_lunch'$"):
            has_perk(ann, "free_lunch")


def test_the_highest_tier_wins_when_several_are_active(app, setup, api):
    grant(app, "ann", tier="subscriber")
    grant(app, "ann", tier="sponsor", ends_at=days(30))
    api.login("ann")
    assert api.get("/api/v1/me/membership").get_json()["tier"] == "sponsor"
    created = post(api).get_json()["comment"]
    assert created["author"]["tier"] == "sponsor"
