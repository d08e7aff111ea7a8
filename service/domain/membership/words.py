"""The membership audit trail in words ("Confirmed €50.00 sponsorship"), as admins read it on
a member's page. The rows keep the record before and after; this says what happened."""

from datetime import datetime

from .money import format_money

# What the member wrote on a withdrawn request: a member's withdrawal is a decline they made.
WITHDRAWN_NOTE = "withdrawn by the member"
KIND_WORDS = {"sponsorship": "sponsorship", "subscription": "subscription"}


def _day(value):
    if not value:
        return "no end date"
    try:
        return datetime.fromisoformat(value.rstrip("Z")).strftime("%d %b %Y")
    except (TypeError, ValueError):
        return str(value)


def _what(record, tiers):
    """ "€50.00 sponsorship", "Subscriber (€5.00 monthly)": the membership as a phrase."""
    tier = tiers.get(record.get("tier"))
    name = tier.name if tier else (record.get("tier") or "membership")
    amount, currency = record.get("amount"), record.get("currency")
    money = format_money(amount, currency) if isinstance(amount, int) and currency else None
    if tier is not None and tier.kind == "sponsorship" and money:
        return f"{money} sponsorship"
    recurrence = record.get("recurrence")
    every = f" {recurrence}" if recurrence in ("monthly", "yearly") else ""
    return f"{name} ({money}{every})" if money and amount else name


def _changed(before, after, fields):
    return [f for f in fields if (before or {}).get(f) != (after or {}).get(f)]


def _listing(before, after):
    if not after.get("public"):
        return "Took it off the sponsors page"
    name = after.get("display_name")
    shown = f" as “{name}”" if name else ""
    return f"Listed it on the sponsors page{shown}, position {after.get('public_order', 0)}"


def describe(entry, tiers):
    """One audit row as a sentence; `tiers` is {slug: Tier}. Unknown actions still read."""
    before, after = entry.before or {}, entry.after or {}
    record = after or before
    what = _what(record, tiers)
    sentences = {
        "membership.request": lambda: f"Asked for {what}",
        "membership.grant": lambda: (
            (f"Recorded {what} paid" if record.get("source") == "manual_payment" else f"Granted {what}")
            + (f", until {_day(record.get('ends_at'))}" if record.get("ends_at") else "")
        ),
        "membership.confirm": lambda: (
            f"Confirmed {what}"
            + (f" (payment reference {record['payment_reference']})" if record.get("payment_reference") else "")
        ),
        "membership.decline": lambda: (
            f"Withdrew the request for {what}"
            if after.get("note") == WITHDRAWN_NOTE
            else f"Declined the request for {what}"
        ),
        "membership.extend": lambda: f"Extended {what} to {_day(after.get('ends_at'))}",
        "membership.cancel": lambda: f"Cancelled {what}; it runs to {_day(after.get('ends_at'))}",
        "membership.cancel_now": lambda: f"Ended {what} now",
        "membership.refund": lambda: f"Noted a refund of {what}: {after.get('refund_note') or ''}".rstrip(": "),
        "membership.listing": lambda: _listing(before, after),
        "membership.stripe_checkout": lambda: f"Paid online for {what} (Stripe)",
        "membership.stripe_renewal": lambda: f"Renewed {what} online, to {_day(after.get('ends_at'))} (Stripe)",
        "membership.stripe_ended": lambda: f"Stripe ended {what}",
        "membership.lapsed": lambda: (
            f"{what[:1].upper()}{what[1:]} lapsed" + ("; the member was told by mail" if after.get("mailed") else "")
        ),
        "account_deleted": lambda: f"Anonymised {what} with the account",
    }
    said = sentences.get(entry.action)
    if said is not None:
        return said()
    fields = _changed(before, after, sorted(set(before) | set(after)))
    return f"{entry.action.replace('.', ' ').replace('_', ' ')}: " + (", ".join(fields) or "no fields changed")
