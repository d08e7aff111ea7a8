"""Membership under /api/v1: tiers, a member's own membership, admin management, Stripe's webhook."""

from flask import jsonify, request
from flask_login import current_user, login_required

from ..domain.accounts import users
from ..domain.membership import grants, payments, tiers
from ..domain.membership.notices import payment_instructions
from ..domain.membership.perks import get_tier, list_tiers, member_history, prefetch_tiers, tier_history, tier_of
from ..errors import ValidationError
from ..roles import admin_required
from . import bp, json_body


def _membership_list(items, describe=grants.describe):
    prefetch_tiers({m.user_id for m in items})
    return [describe(m) for m in items]


@bp.get("/tiers")
def tier_list():
    return jsonify(tiers=[t.to_dict() for t in list_tiers()])


@bp.get("/me/membership")
@login_required
def my_membership():
    mine = grants.memberships_of(current_user.id)
    return jsonify(tier=tier_of(current_user).slug, memberships=_membership_list(mine, grants.describe_for_member))


@bp.post("/me/membership/requests")
@login_required
def my_membership_request():
    data = json_body()
    tier = get_tier(data.get("tier"))
    started = payments.provider().start(current_user, tier, data)
    if started.redirect_url:
        return jsonify(checkout_url=started.redirect_url), 201
    membership = grants.describe_for_member(started.membership)
    return jsonify(
        membership=membership,
        payment_reference=grants.payment_reference_for(started.membership),
        payment_instructions=payment_instructions(),
    ), 201


@bp.post("/me/memberships/<int:membership_id>/cancel")
@login_required
def my_membership_cancel(membership_id):
    membership = grants.get_membership(membership_id)
    return jsonify(membership=grants.describe_for_member(payments.cancel_own(membership, current_user)))


# --- admins -------------------------------------------------------------------------------


@bp.get("/admin/memberships")
@admin_required
def admin_membership_list():
    return jsonify(memberships=_membership_list(grants.list_memberships(**filters(request.args))))


def filters(args):
    """The list filters from a query string: tier, active (yes/no), lapsing, source, state."""
    active = {"yes": True, "true": True, "no": False, "false": False}.get(args.get("active", ""))
    return {
        "tier": args.get("tier") or None,
        "active": active,
        "lapsing": args.get("lapsing") in ("1", "yes", "true", "on"),
        "source": args.get("source") or None,
        "state": args.get("state") or None,
    }


@bp.get("/admin/users/<int:user_id>/memberships")
@admin_required
def admin_user_memberships(user_id):
    user = users.get_user(user_id)
    return jsonify(
        tier=tier_of(user).slug,
        memberships=_membership_list(grants.memberships_of(user.id)),
        history=[entry.to_dict() for entry in member_history(user.id)],
    )


@bp.post("/admin/users/<int:user_id>/memberships")
@admin_required
def admin_grant(user_id):
    user = users.get_user(user_id)
    data = json_body()
    if "amount_major" in data:
        raise ValidationError({"amount": "Send `amount` in minor units (an integer)."})
    return jsonify(membership=grants.describe(grants.grant(user, data, current_user))), 201


ACTIONS = {
    "extend": grants.extend,
    "cancel": lambda m, actor, data: grants.cancel(m, actor, immediately=bool(data.get("immediately"))),
    "refund": grants.note_refund,
    "confirm": grants.confirm,
    "decline": grants.decline,
    "listing": grants.update_listing,
}


def _action_view(action):
    def view(membership_id):
        membership = grants.get_membership(membership_id)
        # A bare POST (no body) is fine for actions without fields, such as cancel.
        data = json_body() if request.get_data() else {}
        return jsonify(membership=grants.describe(ACTIONS[action](membership, current_user, data)))

    view.__name__ = f"admin_membership_{action}"
    return admin_required(view)


for _action in ACTIONS:
    bp.add_url_rule(
        f"/admin/memberships/<int:membership_id>/{_action}", methods=["POST"], view_func=_action_view(_action)
    )


@bp.get("/admin/tiers")
@admin_required
def admin_tier_list():
    return jsonify(tiers=[t.to_dict() for t in list_tiers(include_retired=True)])


@bp.post("/admin/tiers")
@admin_required
def admin_tier_create():
    return jsonify(tier=tiers.save_tier(json_body(), current_user).to_dict()), 201


@bp.patch("/admin/tiers/<slug>")
@admin_required
def admin_tier_update(slug):
    tier = tiers.get_tier_by_slug(slug)
    data = json_body()
    if "slug" in data and data["slug"] != slug:
        raise ValidationError({"slug": "A tier's slug never changes; rename it with `name`."})
    data.pop("slug", None)
    return jsonify(tier=tiers.save_tier(data, current_user, tier).to_dict())


@bp.get("/admin/tiers/<slug>/history")
@admin_required
def admin_tier_history(slug):
    return jsonify(history=[entry.to_dict() for entry in tier_history(tiers.get_tier_by_slug(slug))])


@bp.post("/payments/stripe/webhook")
def stripe_webhook():
    event = payments.verify_stripe_event(request.get_data(), request.headers.get("Stripe-Signature"))
    outcome, new = payments.handle_stripe_event(event)
    return jsonify(received=True, outcome=outcome, duplicate=not new)
