"""The site's moderation settings: validated, recorded, applied to new comments."""

from sqlalchemy import select

from service.domain.moderation import settings as site_settings
from service.extensions import db
from service.models import ModerationAction

from .conftest import BENIGN, decisions_for, post, status_of


def test_settings_are_validated_recorded_and_apply_to_new_comments(setup, api, other_api, worker, app):
    other_api.login("boss")
    for bad in (
        {"review": {"toxicity": 1.5}},
        {"hold": {"toxicity": -0.1}},
        {"review": {"toxicity": 0.95}},
        {"colour": "blue"},
        {"report_hide_threshold": 0},
        {"auto_reject": "yes please"},
    ):
        response = other_api.patch("/api/v1/admin/settings", bad)
        assert response.status_code == 422, bad
    assert other_api.patch("/api/v1/admin/settings", {"banned_words": ["beijing"]}).status_code == 200
    comment = post(api, BENIGN)
    worker.drain()
    assert status_of(app, comment["id"]) == "held"
    assert decisions_for(app, comment["id"])[0].reason == "banned word 'beijing'"
    with app.app_context():
        change = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings"))
        assert change.details["after"] == {"banned_words": ["beijing"]} and change.details["before"] == {
            "banned_words": []
        }
        assert site_settings.current()["banned_words"] == ["beijing"]
    api.login("ann")
    assert api.patch("/api/v1/admin/settings", {"banned_words": []}).status_code == 403
