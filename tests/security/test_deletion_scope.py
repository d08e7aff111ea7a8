"""Deleting an account touches only that account's rows, chosen by id (issue 14, item 3).

A reader named `Hello` deleted their account, and the scrub (a pattern on the username)
matched the "Hello …," greeting of every message in the outbox: 100 of 100 bodies, 95 of
them other readers' reset links, were overwritten.
"""

from sqlalchemy import select

from service.domain.moderation import moderator_actions, sanctions
from service.domain.threads import comments
from service.extensions import db
from service.models import Article, OutboxMessage, User

from ..conftest import PASSWORD, Api


def outbox(app):
    with app.app_context():
        return {m.id: (m.recipient, m.subject, m.body) for m in db.session.scalars(select(OutboxMessage))}


def test_deleting_hello_leaves_everyone_elses_mail_alone(app, make_user, make_article):
    moderator_id = make_user("mona", role="moderator")
    others = [make_user(name) for name in ("otto", "ann", "bert")]
    hello_id = make_user("Hello")
    make_article()
    with app.app_context():
        moderator = db.session.get(User, moderator_id)
        article = db.session.scalar(select(Article))
        for user_id in others:  # "Hello otto, …": mail to other readers that contains the name
            sanctions.apply_sanction(user_id, moderator, "warn", reason="Hello there: please keep it civil")
        otto, hello = db.session.get(User, others[0]), db.session.get(User, hello_id)
        parent = comments.post_comment(article, otto, "Otto's point")
        moderator_actions.moderate(parent.id, moderator, "approve")
        reply = comments.post_comment(article, hello, "Hello's reply, with words only Hello wrote", parent_id=parent.id)
        moderator_actions.moderate(reply.id, moderator, "approve")  # tells otto, quoting Hello
        sanctions.apply_sanction(hello_id, moderator, "warn", reason="a note for Hello")  # mail to Hello
        db.session.remove()
    before = outbox(app)
    notice = [i for i, (_, subject, _) in before.items() if "replied" in subject]
    to_hello = [i for i, (recipient, _, _) in before.items() if recipient == "hello@example.com"]
    assert len(notice) == 1 and to_hello and "words only Hello wrote" in before[notice[0]][2]

    api = Api(app.test_client())
    api.login("Hello")
    assert api.form("/account/delete", {"password": PASSWORD}).status_code == 302

    after = outbox(app)
    untouched = {i: row for i, row in before.items() if i not in notice and i not in to_hello}
    assert {i: after[i] for i in untouched} == untouched  # every other message exactly as it was
    assert not set(to_hello) & set(after)  # mail to the deleted account is gone
    assert "words only Hello wrote" not in after[notice[0]][2] and "Hello" not in after[notice[0]][1]
    assert after[notice[0]][0] == "otto@example.com"
