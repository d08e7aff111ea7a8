"""Mail that tells a member where their money and membership stand: how to pay a request
(with the admins' payment instructions), its confirmation or decline, and a lapse."""

from flask import current_app

from ..mail.compose import send
from ..moderation.settings import current as current_settings
from .money import format_money
from .words import WITHDRAWN_NOTE


def payment_instructions():
    """What admins wrote about how to pay (bank details, where to send it); '' when unset."""
    return current_settings()["payment_instructions"]


def _amount(membership):
    every = {"monthly": " a month", "yearly": " a year"}.get(membership.recurrence, "")
    return format_money(membership.amount_minor, membership.currency) + every


def _send(membership, subject, name, **context):
    user = membership.user
    if user.is_deleted:  # nobody left to tell
        return
    site = current_app.config["SITE_NAME"]
    send(user, f"{subject} — {site}", name, membership=membership, **context)


def how_to_pay(membership, reference):
    """The text a member needs to pay a request: amount, reference, and the instructions."""
    text = f"Please pay {_amount(membership)} for {membership.tier.name} with the reference {reference}."
    instructions = payment_instructions()
    return f"{text}\n\n{instructions}" if instructions else text


def requested(membership, reference):
    _send(
        membership,
        f"Your {membership.tier.name} request: how to pay",
        "membership_requested",
        how_to_pay=how_to_pay(membership, reference),
    )


def confirmed(membership):
    _send(
        membership,
        f"Your {membership.tier.name} membership is active",
        "membership_confirmed",
        paid=format_money(membership.amount_minor, membership.currency),
    )


def declined(membership):
    if membership.note == WITHDRAWN_NOTE:
        return  # the member withdrew it themselves
    _send(
        membership,
        f"Your {membership.tier.name} request was declined",
        "membership_declined",
        amount=_amount(membership),
    )


def lapsed(membership):
    _send(membership, f"Your {membership.tier.name} membership has ended", "membership_lapsed")
