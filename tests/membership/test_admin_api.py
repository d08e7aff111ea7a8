"""Admins manage memberships and tiers through /api/v1; bad input writes nothing."""

import pytest
from sqlalchemy import select, update

from service.extensions import db
from service.models import MembershipAudit, User

from ..conftest import nothing_changes, refused_alike
from .conftest import counts, days


@pytest.fixture
def ann(make_user):
    return make_user("ann")


def grant(api, user_id, **body):
    return api.post(f"/api/v1/admin/users/{user_id}/memberships", {"tier": "subscriber", **body})


def test_grant_answers_as_the_contract_says(app, admin_api, ann):
    response = grant(
        admin_api, ann, starts_at=days(-1), ends_at=days(30), amount=500, currency="eur", note="press pass"
    )
    assert response.status_code == 201
    membership = response.get_json()["membership"]
    assert membership["tier"] == "subscriber" and membership["amount"] == 500 and membership["currency"] == "EUR"
    assert (
        membership["active"] is True and membership["source"] == "admin_grant" and membership["recorded_by"] == "boss"
    )
    assert membership["note"] == "press pass" and membership["user"] == "ann"


def test_me_membership_lists_the_tier_and_history(app, admin_api, api, ann, other_api):
    grant(admin_api, ann, starts_at=days(-100), ends_at=days(-50))
    grant(admin_api, ann, tier="sponsor")
    other_api.login("ann")
    body = other_api.get("/api/v1/me/membership").get_json()
    assert body["tier"] == "sponsor"
    assert [m["tier"] for m in body["memberships"]] == ["sponsor", "subscriber"]
    assert [m["active"] for m in body["memberships"]] == [True, False]
    assert app.test_client().get("/api/v1/me/membership").status_code == 401


@pytest.mark.parametrize(
    "body, field",
    [
        ({"amount": -1}, "amount"),
        ({"amount": 4.5}, "amount"),
        ({"amount": 5.0}, "amount"),
        ({"amount": "500"}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": 10**12}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "XXY"}, "currency"),
        ({"currency": 978}, "currency"),
        ({"starts_at": days(10), "ends_at": days(5)}, "ends_at"),
        ({"ends_at": days(-1)}, "ends_at"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"ends_at": "1066-10-14"}, "ends_at"),
        ({"tier": "platinum"}, "tier"),
        ({"tier": None}, "tier"),
        ({"recurrence": "weekly"}, "recurrence"),
        ({"source": "stripe"}, "source"),
        ({"note": "x" * 3000}, "note"),
    ],
)
def test_bad_grants_are_422_and_write_nothing(app, admin_api, ann, body, field):
    before = counts(app)
    response = grant(admin_api, ann, **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert counts(app) == before


def test_retired_tiers_banned_users_and_unknown_users_are_refused(app, admin_api, ann):
    assert admin_api.patch("/api/v1/admin/tiers/sponsor", {"retired": True}).status_code == 200
    before = counts(app)
    retired = grant(admin_api, ann, tier="sponsor")
    assert retired.status_code == 422 and "retired" in retired.get_json()["errors"]["tier"]
    assert grant(admin_api, 424242).status_code == 404
    with app.app_context():
        db.session.execute(update(User).where(User.id == ann).values(status="banned"))
        db.session.commit()
    banned = grant(admin_api, ann)
    assert banned.status_code == 409 and "banned" in banned.get_json()["error"]
    assert counts(app) == before


def test_only_admins_manage_memberships(app, api, ann, make_user, client):
    make_user("mod", role="moderator")
    api.login("mod")
    with nothing_changes(app):  # no membership, audit row or tier
        assert grant(api, ann).status_code == 403
        assert api.get("/api/v1/admin/memberships").status_code == 403
        tier = {"slug": "x", "name": "X", "kind": "sponsorship", "price_minor": 0}  # one an admin could add
        assert api.post("/api/v1/admin/tiers", tier).status_code == 403
        assert client.post(f"/api/v1/admin/users/{ann}/memberships", json={"tier": "subscriber"}).status_code == 401


def test_extend_cancel_refund_with_audit(app, admin_api, ann):
    membership = grant(admin_api, ann, ends_at=days(10), recurrence="monthly", amount=500).get_json()["membership"]
    url = f"/api/v1/admin/memberships/{membership['id']}"
    assert admin_api.post(f"{url}/extend", {"ends_at": days(5)}).status_code == 422
    extended = admin_api.post(f"{url}/extend", {"ends_at": days(40)}).get_json()["membership"]
    assert extended["ends_at"][:10] == days(40)[:10]
    cancelled = admin_api.post(f"{url}/cancel").get_json()["membership"]
    assert cancelled["cancelled_at"] and cancelled["active"] and cancelled["ends_at"] == extended["ends_at"]
    assert admin_api.post(f"{url}/cancel").status_code == 409
    assert admin_api.post(f"{url}/refund", {}).status_code == 422
    refunded = admin_api.post(f"{url}/refund", {"refund_note": "refunded by bank transfer", "end_now": True}).get_json()
    assert refunded["membership"]["refund_note"] == "refunded by bank transfer" and not refunded["membership"]["active"]

    history = admin_api.get(f"/api/v1/admin/users/{ann}/memberships").get_json()
    assert history["tier"] == "reader"
    actions = [entry["action"] for entry in history["history"]]
    assert actions == ["membership.refund", "membership.cancel", "membership.extend", "membership.grant"]
    extend_entry = history["history"][2]
    assert extend_entry["actor"] == "boss" and extend_entry["before"]["ends_at"] != extend_entry["after"]["ends_at"]
    assert history["history"][3]["before"] is None and history["history"][3]["after"]["tier"] == "subscriber"


def test_cancel_at_period_end_of_an_open_ended_recurring_membership(app, admin_api, ann):
    membership = grant(admin_api, ann, starts_at=days(-45), recurrence="monthly").get_json()["membership"]
    cancelled = admin_api.post(f"/api/v1/admin/memberships/{membership['id']}/cancel").get_json()["membership"]
    # Started 45 days ago monthly: the running period ends in about two weeks.
    assert days(10) < cancelled["ends_at"] < days(20) and cancelled["active"]
    ended = admin_api.post(f"/api/v1/admin/memberships/{membership['id']}/cancel", {"immediately": True}).get_json()
    assert ended["membership"]["active"] is False


def test_filters(app, admin_api, ann, make_user):
    bob = make_user("bob")
    cy = make_user("cyd")
    grant(admin_api, ann, ends_at=days(10))
    grant(admin_api, bob, tier="sponsor", source="manual_payment", payment_reference="T-1")
    grant(admin_api, cy, starts_at=days(-90), ends_at=days(-60))

    def users(query):
        listed = admin_api.get(f"/api/v1/admin/memberships?{query}").get_json()["memberships"]
        return sorted(m["user"] for m in listed)

    assert users("") == ["ann", "bob", "cyd"]
    assert users("active=yes") == ["ann", "bob"]
    assert users("active=no") == ["cyd"]
    assert users("lapsing=1") == ["ann"]
    assert users("tier=sponsor") == ["bob"]
    assert users("source=manual_payment") == ["bob"]


def test_manual_request_confirm_and_decline(app, admin_api, ann, other_api):
    other_api.login("ann")
    asked = other_api.post("/api/v1/me/membership/requests", {"tier": "subscriber"})
    assert asked.status_code == 201
    body = asked.get_json()
    assert body["membership"]["state"] == "requested" and body["payment_reference"].startswith("PARLEY-")
    assert other_api.post("/api/v1/me/membership/requests", {"tier": "subscriber"}).status_code == 409
    assert other_api.get("/api/v1/me/membership").get_json()["tier"] == "reader"
    assert other_api.post("/api/v1/me/membership/requests", {"tier": "reader"}).status_code == 422

    url = f"/api/v1/admin/memberships/{body['membership']['id']}"
    assert admin_api.post(f"{url}/confirm", {}).status_code == 422
    confirmed = admin_api.post(f"{url}/confirm", {"payment_reference": "bank 2026-11-29 #77"}).get_json()["membership"]
    assert confirmed["state"] == "confirmed" and confirmed["active"] and confirmed["ends_at"]
    assert admin_api.post(f"{url}/confirm", {"payment_reference": "again"}).status_code == 409
    assert other_api.get("/api/v1/me/membership").get_json()["tier"] == "subscriber"

    sponsor = other_api.post("/api/v1/me/membership/requests", {"tier": "sponsor", "amount": 12000}).get_json()
    assert sponsor["membership"]["amount"] == 12000
    declined = admin_api.post(
        f"/api/v1/admin/memberships/{sponsor['membership']['id']}/decline", {"note": "no payment"}
    )
    assert declined.get_json()["membership"]["state"] == "declined"


def test_members_cancel_their_own_at_period_end(app, admin_api, ann, other_api, make_user):
    membership = grant(admin_api, ann, ends_at=days(20), recurrence="monthly").get_json()["membership"]
    make_user("bob")
    other_api.login("bob")
    assert other_api.post(f"/api/v1/me/memberships/{membership['id']}/cancel").status_code == 403
    other_api.client.post("/api/v1/auth/logout", headers={"X-CSRFToken": other_api.token()})
    other_api.login("ann")
    cancelled = other_api.post(f"/api/v1/me/memberships/{membership['id']}/cancel").get_json()["membership"]
    assert cancelled["cancelled_at"] and cancelled["active"] and cancelled["ends_at"] == membership["ends_at"]


def test_tiers_add_rename_price_retire_with_history(app, admin_api, ann, client):
    created = admin_api.post(
        "/api/v1/admin/tiers",
        {
            "slug": "patron",
            "name": "Patron",
            "kind": "sponsorship",
            "price": 10000,
            "currency": "usd",
            "interval": "yearly",
            "rank": 30,
            "badge": "Patron",
            "trusted_commenter": True,
        },
    )
    assert created.status_code == 201 and created.get_json()["tier"]["currency"] == "USD"
    assert admin_api.post("/api/v1/admin/tiers", {"slug": "patron", "name": "Again"}).status_code == 409
    for bad in (
        {"slug": "Bad Slug", "name": "x"},
        {"slug": "ok", "name": ""},
        {"slug": "ok", "name": "x", "price": -5},
        {"slug": "ok", "name": "x", "currency": "ZZZ"},
        {"slug": "ok", "name": "x", "interval": "daily"},
        {"slug": "ok", "name": "x", "rate_limit_multiplier": 0},
    ):
        assert admin_api.post("/api/v1/admin/tiers", bad).status_code == 422, bad

    grant(admin_api, ann, tier="patron")
    renamed = admin_api.patch("/api/v1/admin/tiers/patron", {"name": "Benefactor", "price": 12000}).get_json()["tier"]
    assert renamed["name"] == "Benefactor" and renamed["slug"] == "patron" and renamed["price"] == 12000
    assert admin_api.patch("/api/v1/admin/tiers/patron", {"slug": "other"}).status_code == 422
    assert admin_api.patch("/api/v1/admin/tiers/patron", {"retired": True}).get_json()["tier"]["retired"] is True
    # Retired: not on offer, no new grants, but the existing member keeps it and its history.
    assert "patron" not in [t["slug"] for t in client.get("/api/v1/tiers").get_json()["tiers"]]
    assert grant(admin_api, ann, tier="patron").status_code == 422
    assert admin_api.get(f"/api/v1/admin/users/{ann}/memberships").get_json()["tier"] == "patron"
    history = admin_api.get("/api/v1/admin/tiers/patron/history").get_json()["history"]
    assert [h["action"] for h in history] == ["tier.update", "tier.update", "tier.create"]
    assert history[1]["before"]["name"] == "Patron" and history[1]["after"]["name"] == "Benefactor"

    assert admin_api.patch("/api/v1/admin/tiers/reader", {"retired": True}).status_code == 409
    assert admin_api.patch("/api/v1/admin/tiers/nope", {"name": "x"}).status_code == 404


def test_every_change_is_in_the_audit_table(app, admin_api, ann):
    membership = grant(admin_api, ann, ends_at=days(10)).get_json()["membership"]
    admin_api.post(f"/api/v1/admin/memberships/{membership['id']}/listing", {"public": True, "display_name": "Ann A."})
    with app.app_context():
        rows = db.session.scalars(
            select(MembershipAudit)
            .where(MembershipAudit.membership_id == membership["id"])
            .order_by(MembershipAudit.id)
        ).all()
        assert [r.action for r in rows] == ["membership.grant", "membership.listing"]
        assert rows[1].before["public"] is False and rows[1].after["display_name"] == "Ann A."
        assert all(r.actor.username == "boss" and r.created_at for r in rows)


def test_the_grant_form_and_the_api_refuse_a_bad_grant_in_the_same_words(app, admin_api, ann):
    """One schema (service/schemas/grants.py) validates both, naming every bad field at once."""
    bad = {
        "tier": "subscriber",
        "currency": "EURO",
        "ends_at": "1066-10-14",
        "recurrence": "weekly",
        "note": "x" * 2001,
    }
    url = f"/api/v1/admin/users/{ann}/memberships"
    refused = refused_alike(app, admin_api, url, "/admin/memberships/new", bad, form={"username": "ann"})
    assert refused["errors"] == {
        "currency": "An ISO 4217 currency code such as EUR or USD.",
        "ends_at": "A date between the years 2000 and 2200.",
        "recurrence": "One of none, monthly, yearly.",
        "note": "Text of at most 2000 characters.",
    }
    assert all(f"{field}: {text}" in refused["error"] for field, text in refused["errors"].items())
