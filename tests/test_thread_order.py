"""Editors' picks lead the thread and carry a visible mark; readers choose the order (picks
first, oldest, newest, most respected); Respect is one per reader per comment, counted; a
moderator can take the feature away again. On the page and in the API alike."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Comment, ModerationAction, User

SLUG = "test-article"
URL = f"/api/v1/articles/{SLUG}/comments"


def post(api, body, parent=None):
    data = {"body": body, **({"parent_id": parent} if parent else {})}
    return api.post(URL, data).get_json()["comment"]["id"]


def publish(app, *ids, featured=()):
    """Published, an hour apart in the order given (oldest first)."""
    with app.app_context():
        for n, cid in enumerate(ids):
            comment = db.session.get(Comment, cid)
            comment.status = "published"
            comment.featured = cid in featured
            comment.created_at = comment.created_at.replace(microsecond=0) - timedelta(hours=len(ids) - n)
        db.session.commit()


def bodies(answer):
    return [c["body"] for c in answer.get_json()["comments"]]


def thread(api, ann, bob, app):
    """Three threads by ann (a reply by bob under the first); the last one featured."""
    first, second, third = post(ann, "first"), post(ann, "second"), post(ann, "third")
    publish(app, first)
    reply = post(bob, "reply to first", first)
    publish(app, first, second, third, reply, featured={third})
    return first, second, third, reply


@pytest.fixture
def ann_and_bob(ann_on_article, other_api, make_user):
    """ann_on_article, and `other_api` signed in as bob, another reader."""
    make_user("bob")
    other_api.login("bob")


def test_featured_comments_lead_the_thread_and_say_so(ann_and_bob, app, api, other_api, client):
    first, second, third, reply = thread(api, api, other_api, app)

    answer = client.get(URL)
    assert bodies(answer) == ["third", "first", "reply to first", "second"]
    assert answer.get_json()["picks"] == 1 and answer.get_json()["comments"][0]["featured"] is True

    page = client.get(f"/articles/{SLUG}").get_data(as_text=True)
    picks = page[page.index("Editors' picks") : page.index("All comments")]
    assert f'id="comment-{third}"' in picks and 'class="badge featured-badge">Featured</span>' in picks
    assert f'id="comment-{first}"' not in picks
    # The other orders do not lift it.
    assert bodies(client.get(URL + "?sort=oldest")) == ["first", "reply to first", "second", "third"]
    assert bodies(client.get(URL + "?sort=newest")) == ["third", "second", "first", "reply to first"]
    assert "Editors' picks" not in client.get(f"/articles/{SLUG}?sort=newest").get_data(as_text=True)
    assert client.get(URL + "?sort=loudest").status_code == 422


def test_respect_is_one_per_reader_counted_and_sorts_the_thread(ann_and_bob, app, api, other_api, client):
    first, second, third, reply = thread(api, api, other_api, app)

    given = other_api.post(f"/api/v1/comments/{second}/respect")
    assert given.status_code == 200 and given.get_json() == {"respect": 1, "respected": True}
    assert other_api.post(f"/api/v1/comments/{second}/respect").get_json()["respect"] == 1  # again: no change
    assert api.post(f"/api/v1/comments/{reply}/respect").get_json()["respect"] == 1
    # Not for your own comment, and only signed in.
    assert api.post(f"/api/v1/comments/{second}/respect").status_code == 403
    assert client.post(f"/api/v1/comments/{second}/respect").status_code in (401, 403)

    ranked = other_api.get(URL + "?sort=respect").get_json()["comments"]
    assert [c["body"] for c in ranked][0] == "second" and ranked[0]["respect"] == 1 and ranked[0]["respected"] is True
    assert "respected" not in client.get(URL).get_json()["comments"][0]  # a visitor has none

    # Page by page, the cursor keeps the order: one top-level comment per page.
    seen, cursor = [], None
    while True:
        page = client.get(URL + "?sort=respect&limit=1" + (f"&cursor={cursor}" if cursor else "")).get_json()
        seen += [c["body"] for c in page["comments"] if c["parent_id"] is None]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == ["second", "first", "third"]

    taken = other_api.delete(f"/api/v1/comments/{second}/respect")
    assert taken.get_json() == {"respect": 0, "respected": False}
    assert other_api.delete(f"/api/v1/comments/{second}/respect").get_json()["respect"] == 0


def test_respect_from_the_page_toggles_and_shows_the_count(ann_and_bob, app, api, other_api):
    first, *_ = thread(api, api, other_api, app)
    back = other_api.form(f"/comments/{first}/respect", {"respect": "give", "sort": "respect"})
    assert back.status_code == 302 and back.headers["Location"].endswith(f"?sort=respect#comment-{first}")
    page = other_api.client.get(f"/articles/{SLUG}").get_data(as_text=True)
    assert 'aria-pressed="true">Respect · 1</button>' in page
    other_api.form(f"/comments/{first}/respect", {"respect": "take"})
    with app.app_context():
        assert db.session.get(Comment, first).respect_count == 0


def test_respect_refuses_comments_readers_cannot_see(ann_and_bob, app, api, other_api):
    held = post(api, "not yet checked")
    assert other_api.post(f"/api/v1/comments/{held}/respect").status_code == 404
    with app.app_context():
        assert db.session.get(Comment, held).respect_count == 0


def test_a_moderator_takes_the_feature_away_and_the_history_says_so(ann_on_article, app, api, other_api, make_user):
    make_user("mod", role="moderator")
    other_api.login("mod")
    cid = post(api, "worth featuring")
    publish(app, cid, featured={cid})
    decide = f"/api/v1/review/comments/{cid}/decision"
    answer = other_api.post(decide, {"action": "unfeature"})
    assert answer.status_code == 200 and answer.get_json()["comment"]["featured"] is False
    assert answer.get_json()["comment"]["status"] == "published"
    assert other_api.post(decide, {"action": "unfeature"}).status_code == 409  # not featured any more
    with app.app_context():
        action = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "unfeature"))
        assert action.reason == "un-featured by a moderator" and action.to_status == "published"
        moderator = db.session.scalar(select(User).where(User.username == "mod"))
        assert action.actor_id == moderator.id
    card = other_api.client.get(f"/review/comments/{cid}").get_data(as_text=True)
    assert 'value="feature"' in card and 'value="unfeature"' not in card


def test_the_respect_a_reader_gave_is_in_their_data_export(ann_and_bob, app, api, other_api):
    from service.domain.accounts.export import build_document

    first, *_ = thread(api, api, other_api, app)
    other_api.post(f"/api/v1/comments/{first}/respect")
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.username == "bob"))
        assert [r["comment_id"] for r in build_document(bob)["respect_given"]] == [first]
