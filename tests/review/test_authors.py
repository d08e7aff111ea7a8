"""An author's page: their record, comments and sanctions."""

from sqlalchemy import select

from service.extensions import db
from service.models import ModerationAction, User

from .conftest import decide, flashes, held, html


def test_author_page_shows_record_comments_and_applies_sanctions(app, as_moderator, world):
    approved = held(app, "ann", "an approved one")
    rejected = held(app, "ann", "a rejected one")
    decide(as_moderator, approved, "approve")
    decide(as_moderator, rejected, "reject", reason="spam")
    url = f"/review/users/{world['ann']}"
    page = html(as_moderator.get(url))
    assert '<dd data-field="approved">1</dd>' in page and '<dd data-field="rejected">1</dd>' in page
    assert "a rejected one" in page and "status-rejected" in page

    response = as_moderator.form(f"{url}/sanctions", {"action": "suspend", "days": "3", "reason": "cooling off"})
    assert response.status_code == 302 and response.headers["Location"] == url
    page = html(as_moderator.get(url))
    assert "ann: suspend recorded." in flashes(page) and 'data-field="status">suspended until' in page
    assert "cooling off" in page  # in the user's history
    with app.app_context():
        assert db.session.get(User, world["ann"]).is_suspended

    as_moderator.form(f"{url}/sanctions", {"action": "suspend", "days": "zero"})
    assert "days" in flashes(html(as_moderator.get(url)))[0]
    as_moderator.form(f"{url}/sanctions", {"action": "premoderate"})
    assert 'data-field="premoderation">on (set by a moderator)' in html(as_moderator.get(url))
    as_moderator.form(f"{url}/sanctions", {"action": "ban"})
    as_moderator.form(f"{url}/sanctions", {"action": "reinstate"})
    with app.app_context():
        user = db.session.get(User, world["ann"])
        assert user.status == "active" and user.premoderated
        actions = [
            a.action
            for a in db.session.scalars(select(ModerationAction).where(ModerationAction.actor_id == world["mod"]))
        ]
        assert actions.count("suspend") == 1 and "ban" in actions and "reinstate" in actions
    as_moderator.form(f"/review/users/{world['mod']}/sanctions", {"action": "warn"})
    assert "You cannot sanction yourself." in flashes(html(as_moderator.get(f"/review/users/{world['mod']}")))
