"""The Stripe provider: Checkout is started, memberships change only on signed webhooks, and a
replayed event changes nothing. Payloads are signed here with a test secret (no network)."""

import hashlib
import hmac
import json
import time

import pytest
import stripe
from sqlalchemy import func, select

from service.extensions import db
from service.models import Membership, PaymentEvent

from .conftest import counts

SECRET = "whsec_test_secret"
URL = "/api/v1/payments/stripe/webhook"


@pytest.fixture
def stripe_on(app):
    saved = {k: app.config[k] for k in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICES")}
    app.config.update(
        STRIPE_SECRET_KEY="sk_test_key",
        STRIPE_WEBHOOK_SECRET=SECRET,
        STRIPE_PRICES={"subscriber": "price_sub", "sponsor": "price_spo"},
    )
    yield
    app.config.update(saved)


def sign(payload, secret=SECRET, timestamp=None):
    """Stripe's v1 scheme: HMAC-SHA256 over "<timestamp>.<body>" with the endpoint secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(client, event, **signing):
    payload = json.dumps(event)
    return client.post(
        URL, data=payload, headers={"Stripe-Signature": sign(payload, **signing), "Content-Type": "application/json"}
    )


def stripe_event(event_id, kind, obj):
    """An event as Stripe sends it: its id and type, sent now, about `obj`."""
    return {"id": event_id, "type": kind, "created": int(time.time()), "data": {"object": obj}}


def checkout_event(user_id, event_id="evt_checkout_1", tier="subscriber"):
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "client_reference_id": str(user_id),
        "subscription": "sub_123",
        "customer": "cus_1",
        "amount_total": 500,
        "currency": "eur",
        "payment_status": "paid",
        "metadata": {"user_id": str(user_id), "tier": tier, "public": ""},
    }
    return stripe_event(event_id, "checkout.session.completed", session)


def invoice_event(event_id, period_end, amount=500):
    invoice = {
        "id": f"in_{event_id}",
        "object": "invoice",
        "amount_paid": amount,
        "currency": "eur",
        "parent": {"subscription_details": {"subscription": "sub_123"}},
        "lines": {"data": [{"period": {"start": period_end - 30 * 86400, "end": period_end}}]},
    }
    return stripe_event(event_id, "invoice.paid", invoice)


def memberships(app):
    with app.app_context():
        return db.session.scalars(select(Membership)).all()


def test_support_starts_a_checkout_session(app, stripe_on, api, make_user, monkeypatch):
    make_user("ann")
    api.login("ann")
    seen = {}

    def create(**params):
        seen.update(params)
        return {"id": "cs_test_1", "url": "https://checkout.stripe.com/c/pay/cs_test_1"}

    monkeypatch.setattr(stripe.checkout.Session, "create", create)
    response = api.form("/support/subscriber", {})
    assert response.status_code == 303 and response.headers["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    assert seen["mode"] == "subscription" and seen["line_items"] == [{"price": "price_sub", "quantity": 1}]
    assert seen["metadata"]["tier"] == "subscriber" and seen["api_key"] == "sk_test_key"
    assert memberships(app) == []  # nothing changes until Stripe's webhook says it was paid
    from_api = api.post("/api/v1/me/membership/requests", {"tier": "sponsor"})
    assert from_api.status_code == 201 and from_api.get_json()["checkout_url"].startswith(
        "https://checkout.stripe.com/"
    )
    assert seen["mode"] == "subscription" and seen["line_items"][0]["price"] == "price_spo"


def test_checkout_sends_the_reader_back_to_the_public_address(app, stripe_on, api, make_user, monkeypatch):
    """Behind a proxy Parley sees http://internal:8000; Stripe must send readers to PUBLIC_URL."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://comments.example.com")
    make_user("ann")
    api.login("ann")
    seen = {}
    monkeypatch.setattr(
        stripe.checkout.Session,
        "create",
        lambda **params: seen.update(params) or {"id": "cs_1", "url": "https://checkout.stripe.com/c/1"},
    )
    assert api.form("/support/subscriber", {}).status_code == 303
    assert seen["success_url"].startswith("https://comments.example.com/")
    assert "checkout=done" in seen["success_url"]
    assert seen["cancel_url"].startswith("https://comments.example.com/support")


def test_a_signed_checkout_activates_once_even_when_replayed(app, stripe_on, client, make_user):
    ann = make_user("ann")
    first = deliver(client, checkout_event(ann))
    assert first.status_code == 200 and first.get_json()["duplicate"] is False
    again = deliver(client, checkout_event(ann))
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    rows = memberships(app)
    assert len(rows) == 1
    assert (rows[0].source, rows[0].state, rows[0].external_id, rows[0].amount_minor) == (
        "stripe",
        "confirmed",
        "sub_123",
        500,
    )
    # The same subscription in a different event id is not a second membership either.
    deliver(client, checkout_event(ann, event_id="evt_checkout_2"))
    assert len(memberships(app)) == 1


def test_bad_signatures_are_400_and_change_nothing(app, stripe_on, client, make_user):
    ann = make_user("ann")
    before = counts(app)
    payload = json.dumps(checkout_event(ann))
    for headers in (
        {},
        {"Stripe-Signature": "garbage"},
        {"Stripe-Signature": sign(payload, secret="whsec_someone_else")},
        {"Stripe-Signature": sign(payload, timestamp=int(time.time()) - 3600)},  # too old: a replay attack
        {"Stripe-Signature": sign(payload.replace('"amount_total": 500', '"amount_total": 1'))},  # body changed
    ):
        response = client.post(URL, data=payload, headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 400, headers
        assert "error" in response.get_json()
    assert counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 0


def test_without_stripe_configured_the_webhook_refuses(app, client, make_user):
    ann = make_user("ann")
    assert deliver(client, checkout_event(ann)).status_code == 400
    assert memberships(app) == []


def test_invoice_paid_renews_once_and_subscription_deleted_ends_it(app, stripe_on, client, make_user):
    ann = make_user("ann")
    deliver(client, checkout_event(ann))
    renewal = int(time.time()) + 60 * 86400
    assert deliver(client, invoice_event("evt_inv_1", renewal)).get_json()["outcome"].endswith("renewed")
    ends = memberships(app)[0].ends_at
    assert abs(ends.timestamp() - renewal) < 86400 * 1.1  # naive UTC vs epoch: same day
    assert deliver(client, invoice_event("evt_inv_1", renewal)).get_json()["duplicate"] is True
    # An older invoice arriving late never shortens the paid period.
    deliver(client, invoice_event("evt_inv_old", renewal - 40 * 86400))
    assert memberships(app)[0].ends_at == ends

    ended_at = int(time.time())
    deleted = {
        "id": "evt_del_1",
        "type": "customer.subscription.deleted",
        "created": ended_at,
        "data": {"object": {"id": "sub_123", "object": "subscription", "ended_at": ended_at}},
    }
    assert deliver(client, deleted).status_code == 200
    row = memberships(app)[0]
    assert row.cancelled_at is not None and row.ends_at <= ends
    with app.app_context():
        from service.domain.accounts.users import get_user
        from service.domain.membership.perks import tier_of

        assert tier_of(get_user(ann)).slug == "reader"
    assert deliver(client, deleted).get_json()["duplicate"] is True


def test_unknown_events_are_acknowledged_and_recorded_once(app, stripe_on, client):
    event = {"id": "evt_other", "type": "customer.created", "data": {"object": {"id": "cus_9"}}}
    first = deliver(client, event).get_json()
    assert first["outcome"].startswith("ignored") and first["duplicate"] is False
    assert deliver(client, event).get_json()["duplicate"] is True
    orphan = deliver(client, invoice_event("evt_orphan", int(time.time()) + 86400)).get_json()
    assert orphan["outcome"].startswith("ignored")
    assert memberships(app) == []
    for bad in ("[1, 2]", '{"type": "x"}', "not json"):
        assert client.post(URL, data=bad, headers={"Stripe-Signature": sign(bad)}).status_code == 400


def test_when_stripe_cannot_be_reached_the_reader_is_told_and_nothing_changes(
    app, stripe_on, api, make_user, monkeypatch
):
    make_user("ann")
    api.login("ann")

    def unreachable(**params):
        raise stripe.APIConnectionError("network is down")

    monkeypatch.setattr(stripe.checkout.Session, "create", unreachable)
    before = counts(app)
    response = api.post("/api/v1/me/membership/requests", {"tier": "subscriber"})
    assert response.status_code == 502 and "try again" in response.get_json()["error"]
    assert counts(app) == before
