"""Signed Stripe events grant only what was paid for (issue 14, items 9 and 10).

A signature proves the event is Stripe's, not that it says what the code assumes: a Checkout
may finish unpaid (a delayed method), a period may be absurd, a field may be of any type.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.domain.membership.perks import ensure_default_tiers
from service.extensions import db
from service.models import Membership, PaymentEvent
from service.models.base import utcnow

from ..membership.test_stripe import URL, checkout_event, deliver, invoice_event, sign, stripe_event

YEAR_5138 = 99_999_999_999


@pytest.fixture(autouse=True)
def stripe_on(app, monkeypatch):
    for key, value in (
        ("STRIPE_SECRET_KEY", "sk_test_key"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_test_secret"),
        ("STRIPE_PRICES", {"subscriber": "price_sub"}),
    ):
        monkeypatch.setitem(app.config, key, value)
    with app.app_context():
        ensure_default_tiers()
        db.session.remove()


def memberships(app):
    with app.app_context():
        return db.session.scalars(select(Membership)).all()


def unpaid(user_id, event_id="evt_unpaid", kind="checkout.session.completed"):
    event = checkout_event(user_id, event_id=event_id)
    event["type"] = kind
    event["data"]["object"]["payment_status"] = "unpaid"
    return event


def test_an_unpaid_checkout_grants_nothing_until_the_payment_settles(app, client, make_user):
    ann = make_user("ann")
    assert deliver(client, unpaid(ann)).status_code == 200
    assert memberships(app) == []
    failed = unpaid(ann, "evt_failed", "checkout.session.async_payment_failed")
    assert deliver(client, failed).status_code == 200 and memberships(app) == []
    settled = checkout_event(ann, event_id="evt_settled")
    settled["type"] = "checkout.session.async_payment_succeeded"
    assert deliver(client, settled).status_code == 200
    [membership] = memberships(app)
    assert membership.state == "confirmed" and membership.source == "stripe"


def test_a_renewal_extends_by_at_most_one_period_of_the_price(app, client, make_user):
    ann = make_user("ann")
    assert deliver(client, checkout_event(ann)).status_code == 200
    assert deliver(client, invoice_event("evt_far", YEAR_5138)).status_code == 200
    [membership] = memberships(app)
    assert membership.ends_at < utcnow() + timedelta(days=31 + 31 + 3)


def test_a_checkout_dated_in_the_future_starts_now(app, client, make_user):
    ann = make_user("ann")
    event = checkout_event(ann)
    event["created"] = YEAR_5138
    assert deliver(client, event).status_code == 200
    [membership] = memberships(app)
    assert membership.starts_at <= utcnow() and membership.ends_at < utcnow() + timedelta(days=32)


ODD_OBJECTS = [
    {"metadata": {"user_id": "²", "tier": "subscriber"}, "payment_status": "paid"},
    {"metadata": {"user_id": "99999999999999999999", "tier": "subscriber"}, "payment_status": "paid"},
    {"metadata": ["user_id", "1"], "payment_status": "paid"},
    {"metadata": {"user_id": "1", "tier": ["subscriber"]}, "payment_status": "paid"},
    {"subscription": {"id": "sub_1"}, "metadata": {"user_id": "1", "tier": "subscriber"}, "payment_status": "paid"},
    {"lines": {"data": [{"period": ["end"]}, "line", {"period": {"end": 10**30}}]}, "subscription": "sub_123"},
    {"parent": ["subscription_details"], "period_end": -5},
]


@pytest.mark.parametrize("obj", ODD_OBJECTS)
@pytest.mark.parametrize(
    "kind",
    [
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "invoice.paid",
        "customer.subscription.deleted",
    ],
)
def test_signed_events_of_any_shape_are_answered_not_500(app, client, make_user, obj, kind):
    make_user("ann")
    event = stripe_event(f"evt_{kind}", kind, obj)
    response = deliver(client, event)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_a_deeply_nested_signed_event_is_a_400(app, client):
    payload = '{"id": "evt_deep", "type": "invoice.paid", "data": ' + "[" * 1000 + "]" * 1000 + "}"
    response = client.post(
        URL, data=payload, headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(PaymentEvent.id)) is None
