"""Account settings: a new password ends the other sessions; a new email address needs the
link mailed to it; mail about comments can be turned off, from the settings or from the
unsubscribe link every such mail carries."""

import re

from sqlalchemy import select

from service.extensions import db
from service.models import Comment, OutboxMessage, User

from .conftest import PASSWORD, nothing_changes

NEW_PASSWORD = "a-brand-new-passphrase"


def user(app, name):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == name))


def mails_to(app, address):
    with app.app_context():
        return db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)
        ).all()


def test_a_new_password_ends_the_other_sessions_not_this_one(app, api, other_api, make_user):
    make_user("ann")
    api.login("ann")
    other_api.login("ann")  # another browser
    wrong = api.form("/account/settings/password", {"current_password": "nope-nope-nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "That is not your current password." in wrong.get_data(as_text=True)
    same_as_name = api.form("/account/settings/password", {"current_password": PASSWORD, "new_password": "ann"})
    assert same_as_name.status_code == 422
    done = api.form("/account/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert done.status_code == 302
    assert api.get("/api/v1/session").get_json()["user"]["username"] == "ann"
    assert other_api.get("/api/v1/session").get_json()["user"] is None
    assert user(app, "ann").check_password(NEW_PASSWORD)


def test_a_new_email_address_takes_effect_from_the_mailed_link(app, api, make_user):
    make_user("ann", email="ann@example.com")
    make_user("bob", email="bob@example.com")
    api.login("ann")
    with nothing_changes(app):  # no address changed, no link mailed
        taken = api.form("/account/settings/email", {"email": "bob@example.com", "email_password": PASSWORD})
        bad_password = api.form(
            "/account/settings/email", {"email": "ann@new.example", "email_password": "wrong-wrong"}
        )
    assert taken.status_code == 409
    assert bad_password.status_code == 422 and 'id="f-email_password-error"' in bad_password.get_data(as_text=True)
    asked = api.form("/account/settings/email", {"email": "Ann@New.Example", "email_password": PASSWORD})
    assert asked.status_code == 302 and user(app, "ann").email == "ann@example.com"  # not yet
    [mail] = mails_to(app, "ann@new.example")
    path = re.search(r"https?://[^/\s]+(/account/email/\S+)", mail.body).group(1)
    opened = api.client.get(path)
    assert opened.status_code == 302 and user(app, "ann").email == "ann@new.example"


def test_a_password_change_voids_a_pending_email_link(app, api, make_user):
    make_user("ann", email="ann@example.com")
    api.login("ann")
    api.form("/account/settings/email", {"email": "ann@new.example", "email_password": PASSWORD})
    path = "/account/email/" + mails_to(app, "ann@new.example")[0].body.split("/account/email/")[1].split()[0]
    api.form("/account/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    api.client.get(path)
    assert user(app, "ann").email == "ann@example.com"


def reply_to_ann(app, api, other_api, make_article):
    make_article()
    top = api.post("/api/v1/articles/test-article/comments", {"body": "top"}).get_json()["comment"]["id"]
    with app.app_context():
        db.session.get(Comment, top).status = "published"
        db.session.commit()
    reply = other_api.post("/api/v1/articles/test-article/comments", {"body": "a reply", "parent_id": top}).get_json()
    with app.app_context():
        from service.domain.mail import notifications

        notifications.reply_published(db.session.get(Comment, reply["comment"]["id"]))
        db.session.commit()


def test_reply_mail_carries_an_unsubscribe_link_that_stops_it(app, api, other_api, make_user, make_article):
    make_user("ann", email="ann@example.com")
    make_user("bob")
    api.login("ann")
    other_api.login("bob")
    reply_to_ann(app, api, other_api, make_article)
    [mail] = mails_to(app, "ann@example.com")
    path = "/unsubscribe/" + mail.body.split("/unsubscribe/")[1].split()[0]
    visitor = app.test_client()
    asked = visitor.get(path)
    assert asked.status_code == 200 and "Stop these emails" in asked.get_data(as_text=True)
    assert user(app, "ann").comment_mail is True  # a link preview changes nothing
    token = re.search(r'name="csrf_token" value="([^"]+)"', asked.get_data(as_text=True)).group(1)
    assert visitor.post(path, data={"csrf_token": token}).status_code == 200
    assert user(app, "ann").comment_mail is False
    assert visitor.get("/unsubscribe/forged-token").status_code == 404


def test_mail_off_in_the_settings_means_no_reply_mail(app, api, other_api, make_user, make_article):
    make_user("ann", email="ann@example.com")
    make_user("bob")
    api.login("ann")
    other_api.login("bob")
    api.form("/account/settings/mail", {})  # the box unticked
    assert user(app, "ann").comment_mail is False
    reply_to_ann(app, api, other_api, make_article)
    assert mails_to(app, "ann@example.com") == []
    api.form("/account/settings/mail", {"comment_mail": "on"})
    assert user(app, "ann").comment_mail is True
