"""Sanctions: a suspended or banned author cannot post, with a clear message."""

from sqlalchemy import select

from service.extensions import db
from service.models import User

from ..conftest import nothing_changes
from .conftest import BENIGN, SLUG


def test_sanctions_refuse_posting_with_a_clear_message(setup, api, other_api, app):
    other_api.login("mod")
    with app.app_context():
        ann = db.session.scalar(select(User).where(User.username == "ann")).id
    url = f"/api/v1/review/users/{ann}/sanctions"
    with nothing_changes(app):
        refused = other_api.post(url, {"action": "suspend", "days": 0})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"days": "A whole number of days from 1 to 3650."}  # schemas/acts.py
    assert other_api.post(url, {"action": "suspend", "days": 3, "reason": "cooling off"}).status_code == 201
    with nothing_changes(app):
        refused = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": BENIGN})
    assert (
        refused.status_code == 403
        and "suspended" in refused.get_json()["error"]
        and "until" in refused.get_json()["error"]
    )
    assert other_api.post(url, {"action": "reinstate"}).status_code == 201
    assert api.post(f"/api/v1/articles/{SLUG}/comments", {"body": BENIGN}).status_code == 201
    assert other_api.post(url, {"action": "ban"}).status_code == 201
    assert api.post(f"/api/v1/articles/{SLUG}/comments", {"body": BENIGN}).status_code in (401, 403)
    with nothing_changes(app):
        assert other_api.post(url, {"action": "behead"}).status_code == 400
    with app.app_context():
        mod = db.session.scalar(select(User).where(User.username == "mod")).id
    assert other_api.post(f"/api/v1/review/users/{mod}/sanctions", {"action": "warn"}).status_code == 403
