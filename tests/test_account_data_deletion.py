"""Deleting an account: by its holder with the password, or by an admin on request.

The central check searches every column of every table for the reader's email, username
and a unique string from her profile after deletion, in both comment modes.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.domain.accounts import accounts
from service.domain.moderation import settings
from service.errors import ValidationError
from service.extensions import db
from service.models import Comment, ExportJob, Membership, ModerationAction, OutboxMessage, Report, User
from service.models.base import utcnow

from .account_data_scene import DISPLAY_NAME, EMAIL, USERNAME, build_scene, personal_data_left, sign_in
from .conftest import PASSWORD, Api

NEEDLES = [EMAIL, USERNAME, DISPLAY_NAME, "Quixote7X"]


def set_mode(app, mode, admin_id):
    with app.app_context():
        settings.update({"deleted_account_comments": mode}, db.session.get(User, admin_id))


def snapshot(app):
    """Every row of every table, to show a refused deletion changed nothing."""
    with app.app_context(), db.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(t.select()).all())) for t in db.metadata.sorted_tables}


@pytest.fixture
def scene(app, make_user, make_article):
    return build_scene(app, make_user, make_article)


@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_no_personal_data_remains_and_threads_keep_their_shape(app, api, client, scene, mode):
    set_mode(app, mode, scene.admin)
    with app.app_context():
        assert personal_data_left(NEEDLES), "the scene must hold the data the test looks for"
    sign_in(api)
    response = api.form("/account/delete", {"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"

    with app.app_context():
        needles = NEEDLES + (["Top-level thoughts", "Zelda agrees"] if mode == "delete" else [])
        needles.append("Words Zelda took back")  # her own deleted comment's text goes in both modes
        assert personal_data_left(needles) == []
        zelda = db.session.get(User, scene.zelda)
        assert (zelda.username, zelda.status, zelda.role) == (f"deleted-user-{zelda.id}", "deleted", "reader")
        assert not zelda.check_password(PASSWORD) and zelda.deleted_at is not None
        record = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "account_deleted"))
        assert record.user_id == zelda.id and record.actor_id == zelda.id
        assert record.details["by"] == "self" and record.details["comment_mode"] == mode
        assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 0
        # Her report still counts, without her words.
        assert db.session.scalar(select(Report.reason).where(Report.reporter_id == zelda.id)) == "other"

    # The thread as anyone sees it: the reply to her comment is still under it.
    top = client.get(f"/api/v1/comments/{scene.top}").get_json()["comment"]
    reply = client.get(f"/api/v1/comments/{scene.reply_to_zelda}").get_json()["comment"]
    assert reply["parent_id"] == scene.top and reply["body"] == "Otto answers Zelda"
    listed = [c["id"] for c in client.get("/api/v1/articles/test-article/comments").get_json()["comments"]]
    assert scene.top in listed and scene.reply_to_zelda in listed
    if mode == "delete":
        assert (top["status"], top["author"], top["body"]) == ("deleted", None, "")
        assert client.get(f"/api/v1/comments/{scene.zelda_reply}").get_json()["comment"]["status"] == "deleted"
    else:
        assert top["status"] == "published" and top["body"] == "Top-level thoughts on the talks"
        assert top["author"]["username"].startswith("deleted-user-")
    page = client.get("/articles/test-article").get_data(as_text=True)
    assert "Otto answers Zelda" in page and USERNAME not in page


def test_memberships_stay_as_anonymised_financial_records(app, api, scene):
    with app.app_context():
        before = db.session.get(Membership, scene.membership).snapshot()
    sign_in(api)
    assert api.form("/account/delete", {"password": PASSWORD}).status_code == 302
    with app.app_context():
        membership = db.session.get(Membership, scene.membership)
        after = membership.snapshot()
        for kept in ("user_id", "tier", "state", "starts_at", "ends_at", "amount", "currency", "recurrence", "source"):
            assert after[kept] == before[kept], kept
        assert (membership.display_name, membership.note, membership.public) == (None, None, False)
        assert membership.cancelled_at is not None  # no renewal for an account that is gone
    sponsors = api.client.get("/sponsors").get_data(as_text=True)
    assert DISPLAY_NAME not in sponsors


def test_every_session_ends_and_the_password_no_longer_signs_in(app, api, other_api, scene):
    sign_in(api)
    sign_in(other_api)  # a second browser, signed in before the deletion
    assert api.form("/account/delete", {"password": PASSWORD}).status_code == 302
    for client in (api, other_api):
        assert client.get("/api/v1/session").get_json()["user"] is None
        assert client.client.get("/profile").status_code == 302
    fresh = Api(app.test_client())
    for login in (USERNAME, EMAIL, f"deleted-user-{scene.zelda}"):
        assert fresh.post("/api/v1/auth/login", {"login": login, "password": PASSWORD}).status_code == 401


def test_a_wrong_password_says_so_and_changes_nothing(app, api, scene):
    sign_in(api)
    before = snapshot(app)
    for password in ("not-my-password", ""):
        response = api.form("/account/delete", {"password": password})
        assert response.status_code == 422
        assert "not your current password" in response.get_data(as_text=True)
    assert api.delete("/api/v1/me").status_code == 400  # no JSON body at all
    wrong = api._write("DELETE", "/api/v1/me", {"password": "not-my-password"})
    assert wrong.status_code == 422 and "password" in wrong.get_json()["errors"]
    assert snapshot(app) == before
    assert api.get("/api/v1/session").get_json()["user"]["username"] == USERNAME


def test_the_api_deletes_with_the_password_and_signs_out(app, api, scene):
    sign_in(api)
    response = api._write("DELETE", "/api/v1/me", {"password": PASSWORD})
    assert response.status_code == 204
    assert api.get("/api/v1/session").get_json()["user"] is None
    with app.app_context():
        assert db.session.get(User, scene.zelda).status == "deleted"


def test_an_admin_deletes_on_request_with_a_reason(app, api, scene):
    api.login("boss")
    url = f"/admin/users/{scene.zelda}/delete"
    assert "Delete the account zelda_q7x" in api.get(url).get_data(as_text=True)
    before = snapshot(app)
    refused = api.form(url, {"reason": "   "})
    assert refused.status_code == 422 and "Say why" in refused.get_data(as_text=True)
    assert snapshot(app) == before
    done = api.form(url, {"reason": "asked by email on 3 March"})
    assert done.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "account_deleted"))
        assert record.actor_id == scene.admin and record.reason == "asked by email on 3 March"
        assert record.details["by"] == "admin" and record.details["comment_mode"] == "anonymise"
        assert personal_data_left(NEEDLES) == []
    # The history page shows it; the admin is still signed in.
    assert "account_deleted" in api.get("/review/history?action=account_deleted").get_data(as_text=True)
    assert api.get("/api/v1/session").get_json()["user"]["username"] == "boss"
    assert api.form(url, {"reason": "again"}).status_code == 404


def test_the_last_admin_cannot_delete_themselves(app, api, make_user, scene):
    api.login("boss")
    before = snapshot(app)
    refused = api.form(f"/admin/users/{scene.admin}/delete", {"reason": "leaving"})
    assert refused.status_code == 403 and "last admin" in refused.get_data(as_text=True)
    own = api.form("/account/delete", {"password": PASSWORD})
    assert own.status_code == 403
    assert snapshot(app) == before
    make_user("second", role="admin")
    assert api.form(f"/admin/users/{scene.admin}/delete", {"reason": "leaving"}).status_code == 302
    assert api.get("/api/v1/session").get_json()["user"] is None


def test_the_comment_mode_setting_is_validated(app, api, scene):
    with app.app_context():
        admin = db.session.get(User, scene.admin)
        for bad in ("shred", None, 1, ["delete"]):
            with pytest.raises(ValidationError) as caught:
                settings.update({"deleted_account_comments": bad}, admin)
            assert "deleted_account_comments" in caught.value.errors
        assert settings.current()["deleted_account_comments"] == "anonymise"
    api.login("boss")
    page = api.get("/review/settings").get_data(as_text=True)
    assert 'name="deleted_account_comments" value="anonymise"' in page
    assert api.patch("/api/v1/admin/settings", {"deleted_account_comments": "shred"}).status_code == 422


def test_deleted_accounts_get_no_mail_and_no_sanctions(app, api, make_user, scene):
    sign_in(api)
    assert api.form("/account/delete", {"password": PASSWORD}).status_code == 302
    mona = Api(app.test_client())
    mona.login("mona")
    assert mona.form(f"/review/users/{scene.zelda}/sanctions", {"action": "ban"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, scene.zelda).status == "deleted"
        # Otto replies to her (kept) comment: no reply notice goes anywhere.
        notices_before = db.session.scalar(select(func.count()).where(OutboxMessage.subject.contains("replied")))
    other = Api(app.test_client())
    other.login("otto")
    posted = other.post("/api/v1/articles/test-article/comments", {"body": "A late reply", "parent_id": scene.top})
    assert posted.status_code == 201
    with app.app_context():
        from service.domain.moderation import moderator_actions

        moderator_actions.moderate(posted.get_json()["comment"]["id"], db.session.get(User, scene.moderator), "approve")
        assert (
            db.session.scalar(select(func.count()).where(OutboxMessage.subject.contains("replied"))) == notices_before
        )
        assert db.session.scalar(select(func.count()).where(OutboxMessage.recipient.contains("deleted"))) == 0


def test_deleted_user_names_cannot_be_registered(app):
    with app.app_context():
        for name in ("deleted-user-5", "Deleted_User9", "deleteduser"):
            with pytest.raises(ValidationError) as refused:
                accounts.register(f"{name.lower()}@example.com", name, PASSWORD)
            assert (
                refused.value.errors["username"] == "Names starting with “deleted-user” are kept for deleted accounts."
            )


def test_comments_in_delete_mode_are_recorded_in_the_history(app, api, scene):
    set_mode(app, "delete", scene.admin)
    sign_in(api)
    assert api.form("/account/delete", {"password": PASSWORD}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            select(ModerationAction).where(ModerationAction.comment_id == scene.top).order_by(ModerationAction.id)
        ).all()
        assert (rows[-1].action, rows[-1].to_status, rows[-1].reason) == (
            "delete",
            "deleted",
            "author's account deleted",
        )
        assert db.session.get(Comment, scene.top).deleted_at is not None


def test_widget_sign_ins_are_revoked_with_the_account(app, api, scene):
    from service.models import embed

    with app.app_context():
        db.session.add(
            embed.EmbedToken(token_hash="a" * 64, user_id=scene.zelda, expires_at=utcnow() + timedelta(hours=1))
        )
        db.session.add(
            embed.EmbedToken(token_hash="b" * 64, user_id=scene.otto, expires_at=utcnow() + timedelta(hours=1))
        )
        db.session.commit()
    sign_in(api)
    assert api.form("/account/delete", {"password": PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(embed.EmbedToken.user_id)).all() == [scene.otto]
