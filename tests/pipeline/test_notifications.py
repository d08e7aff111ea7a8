"""A reply tells the parent comment's author."""

from sqlalchemy import select

from service.extensions import db
from service.models import OutboxMessage

from .conftest import BENIGN, SLUG, post


def test_reply_notifies_the_parent_author(setup, api, other_api, worker, app):
    parent = post(api, BENIGN)
    worker.drain()
    other_api.login("bob")
    other_api.post(
        f"/api/v1/articles/{SLUG}/comments", {"body": "I agree, a useful summary.", "parent_id": parent["id"]}
    )
    worker.drain()
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "ann@example.com"))
    assert mail is not None and mail.subject == "bob replied to your comment"
