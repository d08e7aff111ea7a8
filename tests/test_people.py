"""Admin → People: finding every account and appointing moderators and admins, on the page,
through the API and from the command line; each change audited and mailed."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.domain.membership import grants
from service.domain.membership.perks import ensure_default_tiers
from service.extensions import db
from service.models import Membership, ModerationAction, OutboxMessage, User
from service.models.base import utcnow
from tests.conftest import Api


@pytest.fixture
def people(app, make_user):
    ids = {
        "boss": make_user("boss", role="admin"),
        "mod": make_user("mod", role="moderator"),
        "ann": make_user("ann", email="Ann.Reader@Example.com"),
        "bob": make_user("bob"),
        "zed": make_user("zed"),
    }
    with app.app_context():
        old = db.session.get(User, ids["zed"])
        old.created_at = utcnow() - timedelta(days=400)
        db.session.get(User, ids["bob"]).status = "banned"
        db.session.commit()
        ensure_default_tiers()
        boss = db.session.get(User, ids["boss"])
        grants.grant(
            db.session.get(User, ids["ann"]), {"tier": "sponsor", "amount": 6000, "source": "admin_grant"}, boss
        )
    return ids


def html(response):
    return response.get_data(as_text=True)


def listed(response):
    return re.findall(r'<a href="/admin/people/\d+">([^<]+)</a>', html(response))


def mails_to(app, username):
    with app.app_context():
        email = db.session.scalar(select(User.email).where(User.username == username))
        return [
            (m.subject, m.body)
            for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email))
        ]


def role_of(app, username):
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.username == username))


def role_rows(app):
    with app.app_context():
        return [
            (a.user.username, a.actor.username if a.actor else None, a.details, a.reason)
            for a in db.session.scalars(
                select(ModerationAction).where(ModerationAction.action == "role").order_by(ModerationAction.id)
            )
        ]


# --- finding ---------------------------------------------------------------------------------


def test_people_lists_every_account_with_search_and_filters(app, people, as_admin):
    assert listed(as_admin.get("/admin/people")) == ["zed", "bob", "ann", "mod", "boss"]  # newest first
    assert listed(as_admin.get("/admin/people?q=ANN.reader@example")) == ["ann"]  # by email, any case
    assert listed(as_admin.get("/admin/people?q=BO")) == ["bob", "boss"]
    assert listed(as_admin.get("/admin/people?q=%25")) == []  # a LIKE wildcard is a character here
    assert listed(as_admin.get("/admin/people?role=moderator")) == ["mod"]
    assert listed(as_admin.get("/admin/people?status=banned")) == ["bob"]
    assert listed(as_admin.get("/admin/people?tier=sponsor")) == ["ann"]
    assert listed(as_admin.get("/admin/people?tier=reader")) == ["zed", "bob", "mod", "boss"]
    long_ago = (utcnow() - timedelta(days=30)).date().isoformat()
    assert listed(as_admin.get(f"/admin/people?joined_before={long_ago}")) == ["zed"]
    assert listed(as_admin.get(f"/admin/people?joined_after={long_ago}&role=reader")) == ["bob", "ann"]
    page = as_admin.get("/admin/people?role=owner&joined_after=yesterday")
    assert page.status_code == 422
    assert "One of reader, moderator, admin." in html(page) and 'id="p-joined_after-error"' in html(page)
    assert listed(page) == []
    assert 'aria-current="page">People</a>' in html(as_admin.get("/admin/people"))


def test_people_pages_in_fifties(app, people, as_admin, make_user):
    for n in range(50):
        make_user(f"many{n:02d}")
    first = as_admin.get("/admin/people")
    assert len(listed(first)) == 50 and 'rel="next" href="/admin/people?page=2"' in html(first)
    assert listed(as_admin.get("/admin/people?page=2")) == ["zed", "bob", "ann", "mod", "boss"]


def test_an_account_page_links_comments_record_memberships_exports_and_deletion(app, people, as_admin):
    page = html(as_admin.get(f"/admin/people/{people['ann']}"))
    assert "ann.reader@example.com" in page and "Sponsor" in page
    assert f'href="/review/users/{people["ann"]}">Comments, record and sanctions</a>' in page
    assert f'href="/admin/members/{people["ann"]}">Memberships</a>: 1' in page
    assert "Data exports: 0" in page
    assert f'href="/admin/users/{people["ann"]}/delete">Delete this account…</a>' in page
    assert as_admin.get("/admin/people/999999").status_code == 404


# --- appointing on the page ------------------------------------------------------------------


def test_an_admin_appoints_a_moderator_who_is_told_and_can_moderate(app, people, as_admin):
    response = as_admin.form(
        f"/admin/people/{people['ann']}/role", {"role": "moderator", "reason": "runs the letters page"}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/people/{people['ann']}"
    page = html(as_admin.get(response.headers["Location"]))
    assert "ann is now a moderator; they have been told by mail." in page
    assert "role: reader → moderator" in page and "runs the letters page" in page
    assert role_of(app, "ann") == "moderator"
    assert role_rows(app) == [
        ("ann", "boss", {"before": {"role": "reader"}, "after": {"role": "moderator"}}, "runs the letters page")
    ]
    ((subject, body),) = mails_to(app, "ann")
    assert (
        subject == "Your role on The Parley Ledger"
        and "You are now a moderator" in body
        and "runs the letters page" in body
    )

    ann = Api(app.test_client())
    ann.login("ann")
    assert ann.get("/review/pending").status_code == 200
    assert "role: reader → moderator" in html(as_admin.get("/review/history?action=role"))

    # Taking it back: the queues close to her again, and she is told.
    as_admin.form(f"/admin/people/{people['ann']}/role", {"role": "reader"})
    assert role_of(app, "ann") == "reader" and ann.get("/review/pending").status_code == 403
    assert "no longer a moderator" in mails_to(app, "ann")[-1][1]
    # The same role again changes nothing, records nothing, mails nothing.
    as_admin.form(f"/admin/people/{people['ann']}/role", {"role": "reader"})
    assert len(role_rows(app)) == 2 and len(mails_to(app, "ann")) == 2


def test_the_last_admin_cannot_be_demoted(app, people, as_admin):
    response = as_admin.form(f"/admin/people/{people['boss']}/role", {"role": "moderator"})
    assert response.status_code == 409 and "This is the last admin" in html(response)
    assert role_of(app, "boss") == "admin" and role_rows(app) == [] and mails_to(app, "boss") == []
    # A banned admin cannot sign in to appoint anyone: they do not count.
    with app.app_context():
        db.session.get(User, people["bob"]).role = "admin"
        db.session.commit()
    assert as_admin.form(f"/admin/people/{people['boss']}/role", {"role": "reader"}).status_code == 409

    # With a second as_admin, either may step down, and one who does leaves the admin pages.
    as_admin.form(f"/admin/people/{people['mod']}/role", {"role": "admin"})
    response = as_admin.form(f"/admin/people/{people['boss']}/role", {"role": "moderator"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert role_of(app, "boss") == "moderator" and as_admin.get("/admin/people").status_code == 403
    mod = Api(app.test_client())
    mod.login("mod")
    assert mod.form(f"/admin/people/{people['mod']}/role", {"role": "reader"}).status_code == 409


def test_bad_role_changes_are_refused_and_change_nothing(app, people, as_admin):
    bad = as_admin.form(f"/admin/people/{people['ann']}/role", {"role": "owner"})
    assert bad.status_code == 422 and "One of reader, moderator, admin." in html(bad)
    long = as_admin.form(f"/admin/people/{people['ann']}/role", {"role": "admin", "reason": "x" * 501})
    assert long.status_code == 422 and 'id="role-reason-error"' in html(long)
    both = as_admin.patch(f"/api/v1/admin/users/{people['ann']}", {"role": "owner", "reason": "x" * 501})
    assert both.status_code == 422  # one schema (schemas/accounts.RoleChange) names both fields
    assert both.get_json()["errors"] == {
        "role": "One of reader, moderator, admin.",
        "reason": "Text of at most 500 characters.",
    }
    with app.app_context():
        ann = db.session.get(User, people["ann"])
        ann.status = "deleted"
        db.session.commit()
    gone = as_admin.form(f"/admin/people/{people['ann']}/role", {"role": "moderator"})
    assert gone.status_code == 409 and "deleted" in html(gone)
    assert role_of(app, "ann") == "reader" and role_rows(app) == [] and mails_to(app, "ann") == []


# --- the API ---------------------------------------------------------------------------------


def test_the_api_lists_and_finds_people(app, people, as_admin):
    body = as_admin.get("/api/v1/admin/users?q=example.com&role=reader").get_json()
    assert [u["username"] for u in body["users"]] == ["zed", "bob", "ann"] and body["next_page"] is None
    ann = next(u for u in body["users"] if u["username"] == "ann")
    assert ann["email"] == "ann.reader@example.com" and ann["tier"] == "sponsor" and ann["status"] == "active"
    bad = as_admin.get("/api/v1/admin/users?status=sleeping")
    assert bad.status_code == 422 and "status" in bad.get_json()["errors"]
    assert as_admin.get("/api/v1/admin/users?page=0").status_code == 422


def test_the_api_changes_roles_with_csrf_for_admins_only(app, people, as_admin, other_api):
    url = f"/api/v1/admin/users/{people['ann']}"
    answer = as_admin.patch(url, {"role": "moderator", "reason": "night shift"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["user"]["role"] == "moderator" and answer.get_json()["changed"] is True
    assert as_admin.patch(url, {"role": "moderator"}).get_json()["changed"] is False
    assert role_rows(app)[-1][1:] == (
        "boss",
        {"before": {"role": "reader"}, "after": {"role": "moderator"}},
        "night shift",
    )
    assert "You are now a moderator" in mails_to(app, "ann")[0][1]

    # Without the CSRF header the cookie's authority is not enough.
    assert as_admin.client.patch(url, json={"role": "admin"}).status_code == 400
    assert as_admin.patch(url, {"role": "owner"}).status_code == 422
    assert as_admin.patch(url, {"role": "admin", "email": "x@example.com"}).status_code == 422
    assert as_admin.patch(url, {}).status_code == 422
    assert as_admin.patch("/api/v1/admin/users/999999", {"role": "admin"}).status_code == 404
    last = as_admin.patch(f"/api/v1/admin/users/{people['boss']}", {"role": "reader"})
    assert last.status_code == 409 and "last admin" in last.get_json()["error"]
    other_api.login("mod")
    assert other_api.patch(url, {"role": "admin"}).status_code == 403
    assert other_api.get("/api/v1/admin/users").status_code == 403
    assert role_of(app, "ann") == "moderator"


def test_the_openapi_document_describes_the_people_calls(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get"} <= set(paths["/api/v1/admin/users"]) and {"patch"} <= set(paths["/api/v1/admin/users/{id}"])


# --- the command line ------------------------------------------------------------------------


def test_flask_set_role_from_the_command_line(app, people):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["set-role", "ANN", "moderator", "--reason", "new desk"])
    assert result.exit_code == 0 and "ann is now a moderator" in result.output, result.output
    assert role_of(app, "ann") == "moderator"
    assert role_rows(app) == [("ann", None, {"before": {"role": "reader"}, "after": {"role": "moderator"}}, "new desk")]
    assert "You are now a moderator" in mails_to(app, "ann")[0][1]
    assert "already a moderator" in runner.invoke(args=["set-role", "ann", "moderator"]).output

    unknown = runner.invoke(args=["set-role", "nobody", "admin"])
    assert unknown.exit_code != 0 and "No account called 'nobody'" in unknown.output
    wrong = runner.invoke(args=["set-role", "ann", "owner"])
    assert wrong.exit_code != 0 and "owner" in wrong.output
    last = runner.invoke(args=["set-role", "boss", "reader"])
    assert last.exit_code != 0 and "last admin" in last.output and role_of(app, "boss") == "admin"
    with app.app_context():
        assert db.session.scalar(select(Membership.id)) is not None  # the scene is untouched otherwise
