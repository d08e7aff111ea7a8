"""Authorisation matrix: every route in the URL map × seven kinds of caller, from one table.

See routes.py for the table. Also: IDOR attempts on comments, memberships and profiles.
"""

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Comment, Membership

from ..conftest import nothing_changes
from .conftest import ROLES, app_rules, client_for, db_fingerprint
from .routes import ACCESS, UnlistedRoute, access_for, build_url, expected, is_api, order, url_values

CHECKED = {"cells": 0}


def test_every_route_has_an_entry(app):
    """Fails loudly, naming the route, when someone adds one without saying who may call it."""
    from .conftest import World

    unlisted = []
    for rule, _method in app_rules(app):
        try:
            access_for(rule)
            url_values(rule, World(users={"reader": 1}))
        except UnlistedRoute as exc:
            unlisted.append(str(exc))
    assert not unlisted, "\n\n".join(unlisted)


def test_the_table_names_no_routes_that_are_gone(app):
    """A stale entry is a failure: it would let a renamed route go unchecked under its old name.
    Add an entry in the same commit as its route."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    stale = sorted(set(ACCESS) - endpoints)
    assert not stale, f"tests/security/routes.py lists endpoints the app does not have: {stale}"


def _send(api, rule, method, url):
    if method == "GET":
        return api.client.get(url)
    if is_api(rule):
        return api._write(method, url, json={})
    return api.client.open(url, method=method, data={"csrf_token": api.token()})


@pytest.mark.parametrize("role", ROLES)
def test_authorisation_matrix(app, world, role):
    api = client_for(app, world, role)
    problems = []
    for rule, method in sorted(app_rules(app), key=order):
        url = build_url(rule, world)
        verdict, want = expected(rule, method, role)
        access = access_for(rule)
        before = db_fingerprint(app) if verdict == "deny" and method != "GET" else None
        response = _send(api, rule, method, url)
        status = response.status_code
        CHECKED["cells"] += 1
        where = f"{method} {url} ({rule.endpoint}) as {role}: got {status}"
        if status >= 500:
            problems.append(f"{where}, a server error")
        elif verdict == "ok":
            if method == "GET" and status != want:
                problems.append(f"{where}, expected {want}")
            elif method != "GET" and access.write_ok is not None and status not in access.write_ok:
                problems.append(f"{where}, expected one of {sorted(access.write_ok)}")
            elif method != "GET" and access.write_ok is None and status in (401, 403):
                problems.append(f"{where}, but this role may call it")
            elif (
                status == 302
                and "/login" in response.headers.get("Location", "")
                and access.level not in ("guest", "public")
                and rule.endpoint != "auth.logout"
            ):
                problems.append(f"{where}, sent to the sign-in page though this role may call it")
        else:
            refused_by_flash = access.flash and status == 302 and method != "GET"
            if status not in want and not refused_by_flash:
                problems.append(f"{where}, expected {sorted(want)}")
            if status == 302 and 302 in want and "/login" not in response.headers.get("Location", ""):
                problems.append(f"{where}, a redirect but not to the sign-in page")
            if before is not None and db_fingerprint(app) != before:
                problems.append(f"{where}, and the database CHANGED though the call was refused")
    assert not problems, f"{len(problems)} authorisation problems:\n" + "\n".join(problems)


# --- IDOR: reaching for someone else's things by changing an id -------------------------


def test_a_reader_cannot_edit_or_delete_another_readers_comment(app, world):
    otto = client_for(app, world, "other_reader")
    url = f"/api/v1/comments/{world.comment_id}"
    assert otto.patch(url, {"body": "pwned"}).status_code == 403
    assert otto.delete(url).status_code == 403
    assert otto.form(f"/comments/{world.comment_id}/edit", {"body": "pwned"}).status_code == 403
    assert otto.form(f"/comments/{world.comment_id}/delete", {}).status_code == 302
    with app.app_context():
        comment = db.session.get(Comment, world.comment_id)
        assert comment.body == "Rita's comment" and comment.status == "published"


def test_moderators_change_comments_only_through_decisions(app, world):
    """Not even an admin can put words in a reader's mouth."""
    admin = client_for(app, world, "admin")
    assert admin.patch(f"/api/v1/comments/{world.comment_id}", {"body": "edited by admin"}).status_code == 403
    with app.app_context():
        assert db.session.get(Comment, world.comment_id).body == "Rita's comment"


def test_memberships_are_private_to_their_member(app, world):
    otto = client_for(app, world, "other_reader")
    mine = otto.get("/api/v1/me/membership").get_json()
    assert mine["memberships"] == []  # otto sees his own (none), never rita's
    assert otto.post(f"/api/v1/me/memberships/{world.membership_id}/cancel").status_code == 403
    assert otto.form(f"/membership/{world.membership_id}/cancel", {}).status_code == 302
    for url in (
        f"/api/v1/admin/users/{world.users['reader']}/memberships",
        "/api/v1/admin/memberships",
        f"/admin/members/{world.users['reader']}",
        "/admin/members.csv",
    ):
        assert otto.get(url).status_code == 403, url
    with app.app_context():
        membership = db.session.get(Membership, world.membership_id)
        assert membership.state == "confirmed" and membership.cancelled_at is None


def test_membership_ids_do_not_leak_between_members(app, world):
    rita = client_for(app, world, "reader")
    data = rita.get("/api/v1/me/membership").get_json()
    assert [m["id"] for m in data["memberships"]] == [world.membership_id]
    with app.app_context():
        ids = db.session.scalars(select(Membership.id)).all()
    assert set(ids) == {world.membership_id}


def test_profiles_show_only_the_signed_in_user(app, world):
    otto = client_for(app, world, "other_reader")
    page = otto.get("/profile").get_data(as_text=True)
    assert "otto" in page and "Rita's comment" not in page and "rita@example.com" not in page
    # No route takes a user id for readers: the per-user pages are moderators' and admins'.
    for url in (f"/review/users/{world.users['reader']}", f"/admin/members/{world.users['reader']}"):
        assert otto.get(url).status_code == 403


def test_emails_are_never_in_public_answers(app, world):
    anonymous = client_for(app, world, "anonymous")
    for url in (
        f"/api/v1/articles/{world.article_slug}/comments",
        f"/api/v1/comments/{world.comment_id}",
        f"/articles/{world.article_slug}",
        "/sponsors",
    ):
        body = anonymous.get(url).get_data(as_text=True)
        assert "@example.com" not in body, url


def test_a_banned_users_open_session_stops_working(app, world):
    """Found by this suite: a ban used to leave the user's existing session signed in."""
    ben = client_for(app, world, "banned")
    assert ben.get("/api/v1/session").get_json()["user"] is None
    with nothing_changes(app):
        assert ben.post(f"/api/v1/articles/{world.article_slug}/comments", {"body": "still here"}).status_code == 401
    assert ben.client.get("/profile").status_code == 302


def test_a_pending_comment_is_invisible_to_others_by_id(app, world, make_user):
    rita = client_for(app, world, "reader")
    created = rita.post(f"/api/v1/articles/{world.article_slug}/comments", {"body": "not yet checked"}).get_json()
    comment_id = created["comment"]["id"]
    assert rita.get(f"/api/v1/comments/{comment_id}").status_code == 200
    for role in ("anonymous", "other_reader"):
        assert client_for(app, world, role).get(f"/api/v1/comments/{comment_id}").status_code == 404
