"""Readers' pages: Support us, My membership, and the public sponsors page."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.membership import grants, payments
from ..domain.membership.notices import payment_instructions
from ..domain.membership.perks import get_tier, list_tiers, tier_of
from ..domain.membership.sponsors import public_sponsors
from ..domain.membership.words import WITHDRAWN_NOTE
from ..errors import DomainError
from . import bp


def _support_page(**extra):
    """Support us, with the signed-in reader's pending requests beside their tiers."""
    return render_template(
        "membership/support.html",
        tiers=list_tiers(),
        current=tier_of(current_user),
        provider=payments.provider().name,
        pending=grants.pending_requests(current_user),
        reference_for=grants.payment_reference_for,
        instructions=payment_instructions(),
        **{"errors": {}, "form": {}, **extra},
    )


@bp.get("/support")
def support():
    return _support_page()


@bp.post("/support/<slug>")
@login_required
def start(slug):
    try:
        tier = get_tier(slug)
        started = payments.provider().start(current_user, tier, request.form.to_dict())
    except DomainError as exc:
        return _support_page(errors=exc.errors or {"form": exc.message}, form=request.form, failed=slug), exc.status
    if started.redirect_url:
        return redirect(started.redirect_url, code=303)
    reference = grants.payment_reference_for(started.membership)
    flash(
        f"Thank you! Your request for {tier.name} is recorded. Pay with the reference {reference} "
        "(how to pay is below, and in the mail we sent you); we switch it on as soon as the payment arrives."
    )
    return redirect(url_for("membership.mine"))


@bp.get("/membership")
@login_required
def mine():
    if request.args.get("checkout") == "done":
        flash("Thank you! Your payment is being confirmed; your membership starts in a moment.")
    return render_template(
        "membership/mine.html",
        tier=tier_of(current_user),
        memberships=[(m, grants.describe(m)) for m in grants.memberships_of(current_user.id)],
        reference_for=grants.payment_reference_for,
        instructions=payment_instructions(),
        WITHDRAWN_NOTE=WITHDRAWN_NOTE,
    )


@bp.post("/membership/<int:membership_id>/cancel")
@login_required
def cancel(membership_id):
    try:
        membership = payments.cancel_own(grants.get_membership(membership_id), current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        if membership.state == "declined":
            flash("Your request is withdrawn.")
        else:
            flash(f"Cancelled. Your membership stays active until {membership.ends_at:%d %B %Y}.")
    return redirect(url_for("membership.mine"))


@bp.get("/sponsors")
def sponsors():
    return render_template("membership/sponsors.html", sponsors=public_sponsors())
