"""Readers' pages: Support us, My membership, and the public sponsors page."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.membership import grants, payments
from ..domain.membership.perks import get_tier, list_tiers, tier_of
from ..domain.membership.sponsors import public_sponsors
from ..errors import DomainError
from . import bp


@bp.get("/support")
def support():
    return render_template(
        "membership/support.html",
        tiers=list_tiers(),
        current=tier_of(current_user),
        provider=payments.provider().name,
        errors={},
        form={},
    )


@bp.post("/support/<slug>")
@login_required
def start(slug):
    try:
        tier = get_tier(slug)
        started = payments.provider().start(current_user, tier, request.form.to_dict())
    except DomainError as exc:
        errors = exc.errors or {"form": exc.message}
        page = render_template(
            "membership/support.html", tiers=list_tiers(), current=tier_of(current_user),
            provider=payments.provider().name, errors=errors, form=request.form, failed=slug,
        )
        return page, exc.status
    if started.redirect_url:
        return redirect(started.redirect_url, code=303)
    reference = grants.payment_reference_for(started.membership)
    flash(f"Thank you! Your request for {tier.name} is recorded. Pay with the reference {reference}; "
          "we switch it on as soon as the payment arrives.")
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
