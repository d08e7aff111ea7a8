"""Payment providers behind one interface.

- ManualProvider (the default): a reader's request is recorded and waits for an admin to
  confirm the payment with a reference.
- StripeProvider (when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set): a Checkout
  session is started, and memberships change only on Stripe's signed webhooks. Every event
  id is stored with its effect in one transaction, so a replayed event changes nothing.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import stripe
from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import json_input
from ...errors import Conflict, DomainError
from ...extensions import db
from ...models import Membership, PaymentEvent, Tier, User
from ...models.base import utcnow
from ...numbers import parse_id
from ...public_url import public_url
from . import grants, money
from .perks import audit, forget_cached_tiers, period_end

log = logging.getLogger(__name__)


class ProviderUnavailable(DomainError):
    """The payment provider could not be reached or refused the call; nothing was changed here."""

    status = 502


@dataclass
class Started:
    """What starting a payment gave: a recorded request, or a page to send the reader to."""

    membership: Membership | None = None
    redirect_url: str | None = None


class ManualProvider:
    name = "manual"

    def start(self, user, tier, data):
        return Started(membership=grants.request_membership(user, tier, data))

    def cancel(self, membership):
        """Nothing to tell anyone: the admin simply stops expecting payments."""


class StripeProvider:
    name = "stripe"

    def __init__(self, config):
        self.api_key = config["STRIPE_SECRET_KEY"]
        self.prices = config["STRIPE_PRICES"]

    def start(self, user, tier, data):
        grants.request_checks(user, tier)
        price = self.prices.get(tier.slug)
        if not price:
            raise Conflict(f"Online payment for {tier.name} is not set up yet; please contact us.")
        try:
            session = self._checkout(user, tier, price, data)
        except stripe.StripeError as exc:
            log.warning("Stripe Checkout failed for user %s: %s", user.id, exc)
            raise ProviderUnavailable("Online payment is unavailable just now; please try again later.") from None
        return Started(redirect_url=session["url"])

    def _checkout(self, user, tier, price, data):
        return stripe.checkout.Session.create(
            api_key=self.api_key,
            mode="subscription" if tier.interval != "none" else "payment",
            line_items=[{"price": price, "quantity": 1}],
            client_reference_id=str(user.id),
            customer_email=user.email,
            metadata={"user_id": str(user.id), "tier": tier.slug, "public": "1" if data.get("public") else ""},
            # Where Stripe sends the reader back: the address readers use (PUBLIC_URL behind a proxy).
            success_url=public_url(url_for("membership.mine", checkout="done")),
            cancel_url=public_url(url_for("membership.support")),
        )

    def cancel(self, membership):
        """Ask Stripe to stop renewing; its customer.subscription.deleted arrives at period end."""
        if membership.source != "stripe" or not (membership.external_id or "").startswith("sub_"):
            return
        try:
            stripe.Subscription.modify(membership.external_id, api_key=self.api_key, cancel_at_period_end=True)
        except stripe.StripeError as exc:
            log.warning("Stripe refused to cancel %s: %s", membership.external_id, exc)
            raise ProviderUnavailable(
                "Stripe could not cancel the subscription just now; please try again later."
            ) from None


def stripe_enabled():
    config = current_app.config
    return bool(config["STRIPE_SECRET_KEY"] and config["STRIPE_WEBHOOK_SECRET"])


def provider():
    return StripeProvider(current_app.config) if stripe_enabled() else ManualProvider()


def cancel_own(membership, user):
    """A member cancels: the provider stops renewing, then the record runs to its period end."""
    if membership.user_id == user.id and membership.state == "confirmed":
        provider().cancel(membership)
    return grants.cancel_own(membership, user)


# --- Stripe webhooks ----------------------------------------------------------------------


def verify_stripe_event(payload, signature):
    """The event as a dict if the signature is Stripe's for our secret; 400 otherwise."""
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    if not secret:
        raise DomainError("Stripe is not configured here.")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE)
        event = json_input.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError):
        raise DomainError("The Stripe signature does not match this payload.") from None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise DomainError("Not a Stripe event.")
    return event


def handle_stripe_event(event):
    """Apply an event once. Returns (outcome, whether it was new)."""
    if db.session.get(PaymentEvent, event["id"]) is not None:
        return "already processed", False
    handler = HANDLERS.get(event["type"], _ignore)
    outcome = handler(event, _object(event))
    db.session.add(PaymentEvent(id=event["id"], provider="stripe", type=event["type"][:80], outcome=outcome[:200]))
    try:
        db.session.commit()
    except IntegrityError:
        # The same event delivered twice at once: the other delivery applied it.
        db.session.rollback()
        return "already processed", False
    forget_cached_tiers()
    return outcome, True


def _object(event):
    return _dict(_dict(event.get("data")).get("object"))


# Signed events are still data: any field may be missing or of another type, and a number
# may be out of every range. These read them without raising (an exception here is a 500).
LATEST_TIMESTAMP = 2**33  # the year 2242; later "timestamps" overflow datetime


def _dict(value):
    return value if isinstance(value, dict) else {}


def _text(value, limit=255):
    return value if isinstance(value, str) and 0 < len(value) <= limit else None


def _when(timestamp):
    if isinstance(timestamp, int) and not isinstance(timestamp, bool) and 0 <= timestamp <= LATEST_TIMESTAMP:
        return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)
    return None


def _ignore(event, obj):
    return f"ignored: {event['type']}"


def _by_external_id(external_id):
    if not external_id:
        return None
    return db.session.scalar(
        select(Membership).where(Membership.source == "stripe", Membership.external_id == external_id)
    )


# Checkout's payment_status values that mean the money is there (or none is owed, e.g. a
# 100% coupon). "unpaid" is a delayed method (SEPA, bank transfer) still on its way: Stripe
# sends checkout.session.async_payment_succeeded or _failed for it later.
SETTLED = ("paid", "no_payment_required")
# A period Stripe reports may run past the one the price allows by at most this (clock skew,
# proration on a plan change); beyond it the event is wrong, and the end is cut back.
PERIOD_SLACK = timedelta(days=2)


def _checkout_completed(event, obj):
    """A finished Checkout grants the membership only once the payment has settled."""
    if obj.get("payment_status") not in SETTLED:
        return "waiting: the payment has not settled (async_payment_succeeded will follow)"
    return _grant_from_checkout(event, obj)


def _async_payment_failed(event, obj):
    # Nothing was granted while the payment was on its way, so nothing is taken back.
    return "ignored: the delayed payment failed; no membership was granted"


def _grant_from_checkout(event, obj):
    metadata = _dict(obj.get("metadata"))
    user_id = parse_id(metadata.get("user_id"))
    user = db.session.get(User, user_id) if user_id is not None else None
    slug = _text(metadata.get("tier"))
    tier = db.session.scalar(select(Tier).where(Tier.slug == slug)) if slug else None
    if user is None or tier is None:
        return "ignored: no user or tier in the session's metadata"
    external_id = _text(obj.get("subscription")) or _text(obj.get("id"))
    if _by_external_id(external_id) is not None:
        return "ignored: membership already recorded"
    starts = min(_when(event.get("created")) or utcnow(), utcnow())  # never a start in the future
    currency = money.clean_currency(obj.get("currency") or "") or tier.currency
    amount = obj.get("amount_total") if money.check_minor(obj.get("amount_total")) is None else tier.price_minor
    membership = Membership(
        user=user,
        tier=tier,
        state="confirmed",
        source="stripe",
        starts_at=starts,
        ends_at=period_end(starts, tier.interval),
        amount_minor=amount,
        currency=currency,
        recurrence=tier.interval,
        external_id=external_id,
        payment_reference=_text(obj.get("id"), 200),
        public=bool(metadata.get("public")),
    )
    db.session.add(membership)
    db.session.flush()
    audit("membership.stripe_checkout", None, membership=membership, after=membership.snapshot())
    return f"membership {membership.id} started"


def _subscription_of_invoice(obj):
    # Older API versions put it on the invoice, newer ones under parent.subscription_details.
    details = _dict(_dict(obj.get("parent")).get("subscription_details"))
    return _text(obj.get("subscription")) or _text(details.get("subscription"))


def _invoice_period_end(obj):
    lines = _dict(obj.get("lines")).get("data")
    lines = lines if isinstance(lines, list) else []
    ends = [_when(_dict(_dict(line).get("period")).get("end")) for line in lines]
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else _when(obj.get("period_end"))


def _invoice_paid(event, obj):
    membership = _by_external_id(_subscription_of_invoice(obj))
    if membership is None:
        return "ignored: no membership for this subscription"
    end = _invoice_period_end(obj)
    if end is None or (membership.ends_at is not None and end <= membership.ends_at):
        return f"membership {membership.id} already paid to that date"
    allowed = _furthest_end(membership)
    if allowed is None:
        return f"ignored: membership {membership.id} does not renew"
    before = membership.snapshot()
    membership.ends_at = min(end, allowed)
    if money.check_minor(obj.get("amount_paid")) is None:
        membership.amount_minor = obj["amount_paid"]
    audit("membership.stripe_renewal", None, membership=membership, before=before, after=membership.snapshot())
    return f"membership {membership.id} renewed"


def _furthest_end(membership):
    """The latest end one paid invoice can give: one period of the membership's interval from
    where it stands now (its end, or today if that has passed), plus a little slack."""
    base = max(membership.ends_at or utcnow(), utcnow())
    end = period_end(base, membership.recurrence)
    return end + PERIOD_SLACK if end is not None else None


def _subscription_deleted(event, obj):
    membership = _by_external_id(_text(obj.get("id")))
    if membership is None:
        return "ignored: no membership for this subscription"
    before = membership.snapshot()
    ended = _when(obj.get("ended_at")) or _when(event.get("created")) or utcnow()
    membership.cancelled_at = membership.cancelled_at or ended
    membership.ends_at = max(min(membership.ends_at or ended, ended), membership.starts_at)
    audit("membership.stripe_ended", None, membership=membership, before=before, after=membership.snapshot())
    return f"membership {membership.id} ended"


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _grant_from_checkout,
    "checkout.session.async_payment_failed": _async_payment_failed,
    "invoice.paid": _invoice_paid,
    "customer.subscription.deleted": _subscription_deleted,
}
