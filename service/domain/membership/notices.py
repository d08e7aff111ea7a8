"""Mail that tells a member where their money and membership stand: how to pay a request
(with the admins' payment instructions), its confirmation or decline, and a lapse."""

from flask import current_app

from ..mail import links
from ..mail.sending import send_mail
from ..moderation.settings import current as current_settings
from .money import format_money
from .words import WITHDRAWN_NOTE


def payment_instructions():
    """What admins wrote about how to pay (bank details, where to send it); '' when unset."""
    return current_settings()["payment_instructions"]


def _amount(membership):
    every = {"monthly": " a month", "yearly": " a year"}.get(membership.recurrence, "")
    return format_money(membership.amount_minor, membership.currency) + every


def _send(membership, subject, text):
    user = membership.user
    if user.is_deleted:  # nobody left to tell
        return
    site = current_app.config["SITE_NAME"]
    send_mail(user, f"{subject} — {site}", f"Hello {user.username},\n\n{text}\n")


def how_to_pay(membership, reference):
    """The text a member needs to pay a request: amount, reference, and the instructions."""
    text = f"Please pay {_amount(membership)} for {membership.tier.name} with the reference {reference}."
    instructions = payment_instructions()
    return f"{text}\n\n{instructions}" if instructions else text


def requested(membership, reference):
    _send(
        membership,
        f"Your {membership.tier.name} request: how to pay",
        f"Thank you for supporting us! {how_to_pay(membership, reference)}\n\n"
        "We switch your membership on as soon as the payment arrives, and write to you when we do.",
    )


def confirmed(membership):
    until = f" until {membership.ends_at:%d %B %Y}" if membership.ends_at else ""
    _send(
        membership,
        f"Your {membership.tier.name} membership is active",
        f"Thank you: we received {format_money(membership.amount_minor, membership.currency)} "
        f"(reference {membership.payment_reference}). Your {membership.tier.name} membership is active{until}.\n\n"
        f"{links.link('/membership')}",
    )


def declined(membership):
    if membership.note == WITHDRAWN_NOTE:
        return  # the member withdrew it themselves
    reason = f"\n\nThe note from our team: {membership.note}" if membership.note else ""
    _send(
        membership,
        f"Your {membership.tier.name} request was declined",
        f"We could not confirm your request for {membership.tier.name} ({_amount(membership)}); "
        f"nothing has been charged by us.{reason}\n\nYou can ask again at {links.link('/support')}.",
    )


def lapsed(membership):
    _send(
        membership,
        f"Your {membership.tier.name} membership has ended",
        f"Your {membership.tier.name} membership ended on {membership.ends_at:%d %B %Y}. "
        f"Thank you for your support. To renew it: {links.link('/support')}",
    )
