import re
import time

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from service.domain.accounts import accounts
from service.extensions import db
from service.models import OutboxMessage, User

from .conftest import PASSWORD, deliver_mail, nothing_changes, refused_alike


def register(api, email="ann@example.com", username="ann", password=PASSWORD):
    return api.post("/api/v1/auth/register", {"email": email, "username": username, "password": password})


def test_register_signs_in_as_reader(api):
    response = register(api)
    assert response.status_code == 201
    assert response.get_json()["user"] == {
        "id": response.get_json()["user"]["id"],
        "username": "ann",
        "role": "reader",
        "tier": "reader",
    }
    assert api.get("/api/v1/session").get_json()["user"]["username"] == "ann"


def test_password_is_hashed_with_scrypt(api, app):
    register(api)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash


def test_register_rejects_bad_fields_and_writes_nothing(api, app):
    cases = [
        ({"email": "not-an-email", "username": "ann", "password": PASSWORD}, "email"),
        ({"email": "ann@example.com", "username": "a", "password": PASSWORD}, "username"),
        ({"email": "ann@example.com", "username": "ann<script>", "password": PASSWORD}, "username"),
        ({"email": "ann@example.com", "username": "ann", "password": "short"}, "password"),
        ({"email": "ann@example.com", "username": "ann", "password": 1234567890123}, "password"),
    ]
    for payload, field in cases:
        response = api.post("/api/v1/auth/register", payload)
        assert response.status_code == 422, payload
        assert field in response.get_json()["errors"]
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_duplicate_email_or_username_is_409(api, other_api, app):
    assert register(api).status_code == 201
    dup_email = register(other_api, username="someone-else")
    assert dup_email.status_code == 409
    assert "email" in dup_email.get_json()["error"]
    dup_name = register(other_api, email="other@example.com", username="ANN")
    assert dup_name.status_code == 409
    assert "username" in dup_name.get_json()["error"]
    with app.app_context():  # only the first account exists, and only it was mailed
        assert db.session.execute(select(User.username, User.email)).all() == [("ann", "ann@example.com")]
        assert {m.recipient for m in db.session.scalars(select(OutboxMessage))} <= {"ann@example.com"}


def test_sign_in_by_email_and_by_username(api, make_user):
    make_user("bob")
    assert api.login("bob@example.com")["username"] == "bob"
    assert api.post("/api/v1/auth/logout").status_code == 204
    assert api.get("/api/v1/session").get_json()["user"] is None
    assert api.login("BOB")["username"] == "bob"


def test_wrong_password_and_unknown_user_get_the_same_answer(api, make_user):
    make_user("bob")
    wrong = api.post("/api/v1/auth/login", {"login": "bob", "password": "wrong-password!"})
    unknown = api.post("/api/v1/auth/login", {"login": "nobody", "password": "wrong-password!"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_banned_user_cannot_sign_in(api, make_user, app):
    """With the right password a banned account answers as a wrong one does (no password oracle)."""
    uid = make_user("bob")
    with app.app_context():
        db.session.get(User, uid).status = "banned"
        db.session.commit()
    right = api.post("/api/v1/auth/login", {"login": "bob", "password": PASSWORD})
    wrong = api.post("/api/v1/auth/login", {"login": "bob", "password": "not-the-password"})
    assert right.status_code == wrong.status_code == 401 and right.get_json() == wrong.get_json()


def test_logout_needs_a_session(api):
    assert api.post("/api/v1/auth/logout").status_code == 401


def test_page_sign_in_redirects_to_next_and_refuses_open_redirects(api, make_user):
    make_user("bob")
    page = api.client.post(
        "/login?next=/articles/x%23comment-form",
        data={"login": "bob", "password": PASSWORD, "csrf_token": api.token()},
    )
    assert page.status_code == 302 and page.headers["Location"] == "/articles/x#comment-form"
    api.client.post("/logout", data={"csrf_token": api.token()})
    evil = api.client.post(
        "/login?next=https://evil.example/", data={"login": "bob", "password": PASSWORD, "csrf_token": api.token()}
    )
    assert evil.headers["Location"] == "/"


def test_remember_me_sets_a_lasting_cookie(api, make_user):
    make_user("bob")
    response = api.post("/api/v1/auth/login", {"login": "bob", "password": PASSWORD, "remember": True})
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))
    plain = api.post("/api/v1/auth/logout")
    assert plain.status_code == 204


def _reset_link(app, email):
    deliver_mail(app)  # the worker writes the message the request queued
    with app.app_context():
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())
        )
        return re.search(r"http://\S+/reset/(\S+)", message.body).group(1)


def test_password_reset_by_single_use_token(api, make_user, app):
    make_user("bob")
    page = api.form("/forgot", {"email": "bob@example.com"})
    assert page.status_code == 302
    token = _reset_link(app, "bob@example.com")
    assert api.client.get(f"/reset/{token}").status_code == 200
    assert api.form(f"/reset/{token}", {"password": "short"}).status_code == 422
    assert api.form(f"/reset/{token}", {"password": "a-brand-new-password"}).status_code == 302
    assert api.login("bob", "a-brand-new-password")["username"] == "bob"
    # Used once: the same link no longer works.
    assert api.client.get(f"/reset/{token}").status_code == 400
    assert api.form(f"/reset/{token}", {"password": "yet-another-password"}).status_code == 400


def test_a_password_reset_ends_every_session_signed_in_with_the_old_password(
    api, other_api, make_user, make_article, app
):
    make_article()
    make_user("bob")
    other_api.login("bob")  # another device, or whoever learned the old password
    assert other_api.get("/api/v1/session").get_json()["user"]["username"] == "bob"
    api.form("/forgot", {"email": "bob@example.com"})
    token = _reset_link(app, "bob@example.com")
    assert api.form(f"/reset/{token}", {"password": "a-brand-new-password"}).status_code == 302
    assert other_api.get("/api/v1/session").get_json()["user"] is None
    assert other_api.post("/api/v1/articles/test-article/comments", {"body": "still here?"}).status_code == 401
    assert api.login("bob", "a-brand-new-password")["username"] == "bob"  # the new password works
    assert api.get("/api/v1/session").get_json()["user"]["username"] == "bob"


def test_a_refused_reset_leaves_sessions_signed_in(api, other_api, make_user, app):
    make_user("bob")
    other_api.login("bob")
    api.form("/forgot", {"email": "bob@example.com"})
    token = _reset_link(app, "bob@example.com")
    assert api.form(f"/reset/{token}", {"password": "short"}).status_code == 422
    assert other_api.get("/api/v1/session").get_json()["user"]["username"] == "bob"


def test_a_session_cookie_with_a_bare_user_id_loads_nobody(client, make_user):
    bob = make_user("bob")
    with client.session_transaction() as session:
        session["_user_id"] = str(bob)  # the form before sessions carried a fingerprint
    assert client.get("/api/v1/session").get_json()["user"] is None


def test_reset_for_unknown_email_answers_the_same_and_sends_nothing(api, app):
    response = api.form(
        "/forgot",
        {"email": "nobody@example.com"},
    )
    assert response.status_code == 302
    assert deliver_mail(app) == 1  # the worker took the request, and dropped it
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage)) is None


def test_expired_and_forged_reset_tokens_are_refused(api, make_user, app):
    uid = make_user("bob")
    with app.app_context():
        token = accounts.make_reset_token(db.session.get(User, uid))
    app.config["PASSWORD_RESET_MAX_AGE"], saved = -1, app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        time.sleep(1)
        assert api.client.get(f"/reset/{token}").status_code == 400
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = saved
    forged = URLSafeTimedSerializer("not-the-secret", salt="password-reset").dumps({"uid": uid, "pw": "x"})
    assert api.client.get(f"/reset/{forged}").status_code == 400


def test_roles_guard_admin_routes(app, api, make_user):
    make_user("reader1")
    make_user("mod1", role="moderator")
    make_user("boss", role="admin")
    article = {"slug": "new-one", "title": "New", "summary": "S"}
    with nothing_changes(app):
        assert api.post("/api/v1/admin/articles", article).status_code == 401
    for name in ("reader1", "mod1"):
        api.login(name)
        with nothing_changes(app):
            assert api.post("/api/v1/admin/articles", article).status_code == 403
        api.post("/api/v1/auth/logout")
    api.login("boss")
    assert api.post("/api/v1/admin/articles", article).status_code == 201
    assert api.get("/api/v1/articles/new-one/comments").status_code == 200  # the article is there now


def test_create_admin_command_with_flags_and_prompts(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "--email", "a@example.com", "--username", "root1", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    prompted = runner.invoke(args=["create-admin"], input=f"b@example.com\nroot2\n{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    bad = runner.invoke(args=["create-admin", "--email", "c@example.com", "--username", "root3", "--password", "short"])
    assert bad.exit_code != 0 and "password" in bad.output
    with app.app_context():
        roles = {u.username: u.role for u in db.session.scalars(select(User))}
    assert roles == {"root1": "admin", "root2": "admin"}


def test_the_sign_up_form_and_the_api_refuse_a_bad_registration_in_the_same_words(app, api):
    """One schema (service/schemas/accounts.Registration): every field named at once, the password
    checked against the name and address as sent even where they are refused, nothing stored."""
    bad = {"email": "not-an-address", "username": "a b", "password": "not-an-address"}
    refused = refused_alike(app, api, "/api/v1/auth/register", "/register", bad)
    assert refused["errors"] == {
        "email": "Enter a valid email address.",
        "username": "Use 3–30 letters, digits, dots, dashes or underscores.",
        "password": "Your password cannot be your username or email address; choose another.",
    }


def test_a_sign_in_is_never_refused_field_by_field(app, api, make_user):
    """schemas/accounts.SignIn: a missing or non-text field is the same 401 as a wrong password."""
    make_user("ann")
    wrong = api.post("/api/v1/auth/login", {"login": "ann", "password": "not the password"})
    assert wrong.status_code == 401
    for body in ({"login": ["ann"], "password": PASSWORD}, {"login": "ann"}, {"password": PASSWORD}, {"login": 5}):
        refused = api.post("/api/v1/auth/login", body)
        assert refused.status_code == 401 and refused.get_json() == wrong.get_json(), body
    assert api.post("/api/v1/auth/login", {"login": "ann", "password": PASSWORD, "remember": 1}).status_code == 200
