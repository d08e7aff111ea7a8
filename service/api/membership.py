"""Membership under /api/v1: tiers, a member's own membership, admin management, Stripe's webhook."""

from flask import jsonify, request
from flask_login import current_user, login_required

from ..domain.accounts import users
from ..domain.membership import grants, payments, tiers
from ..domain.membership.notices import payment_instructions
from ..domain.membership.perks import get_tier, list_tiers, member_history, prefetch_tiers, tier_history, tier_of
from ..errors import ValidationError
from ..roles import admin_required
from ..schemas import grants as payloads
from ..schemas import membership as schemas
from ..schemas.tiers import NewTier, TierChange
from . import bp, json_body
from .paging import int_arg
from .spec import documented


def _membership_list(items, describe=grants.describe):
    prefetch_tiers({m.user_id for m in items})
    return [describe(m) for m in items]


@bp.get("/tiers")
@documented("membership", {200: (schemas.Tiers, "Tiers")})
def tier_list():
    """Tiers on offer, with their perks"""
    return jsonify(tiers=[t.to_dict() for t in list_tiers()])


@bp.get("/me/membership")
@login_required
@documented("membership", {200: (schemas.MyMemberships, "Membership")})
def my_membership():
    """My current tier and my memberships"""
    mine = grants.memberships_of(current_user.id)
    return jsonify(tier=tier_of(current_user).slug, memberships=_membership_list(mine, grants.describe_for_member))


@bp.post("/me/membership/requests")
@login_required
@documented("membership", {201: schemas.Started}, body=payloads.MembershipRequest)
def my_membership_request():
    """Subscribe or sponsor: records a request (manual provider) or starts Stripe Checkout"""
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
@documented("membership", {200: (schemas.MembershipAnswer, "The membership after the change")})
def my_membership_cancel(membership_id):
    """Cancel my membership (it runs to the end of the period)"""
    membership = grants.get_membership(membership_id)
    return jsonify(membership=grants.describe_for_member(payments.cancel_own(membership, current_user)))


# --- admins -------------------------------------------------------------------------------


@bp.get("/admin/memberships")
@admin_required
@documented("membership", {200: (schemas.Memberships, "Memberships")}, query=schemas.MembershipQuery)
def admin_membership_list():
    """Memberships, filtered, newest first: every match, or with `limit` a page and `next`"""
    if request.args.get("limit") is None and request.args.get("cursor") is None:
        return jsonify(memberships=_membership_list(grants.list_memberships(**filters(request.args))))
    page = grants.page_memberships(
        limit=int_arg("limit", grants.PAGE, 1, 500), cursor=request.args.get("cursor") or None, **filters(request.args)
    )
    return jsonify(memberships=_membership_list(page.rows), next=page.next)


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
@documented("membership", {200: (schemas.MemberHistory, "History")})
def admin_user_memberships(user_id):
    """A member's tier, memberships and audit history"""
    user = users.get_user(user_id)
    return jsonify(
        tier=tier_of(user).slug,
        memberships=_membership_list(grants.memberships_of(user.id)),
        history=[entry.to_dict() for entry in member_history(user.id)],
    )


@bp.post("/admin/users/<int:user_id>/memberships")
@admin_required
@documented("membership", {201: (schemas.MembershipAnswer, "Granted")}, body=payloads.Grant)
def admin_grant(user_id):
    """Grant a membership or record a payment or sponsorship"""
    user = users.get_user(user_id)
    data = json_body()
    if "amount_major" in data:
        raise ValidationError({"amount": "Send `amount` in minor units (an integer)."})
    return jsonify(membership=grants.describe(grants.grant(user, data, current_user))), 201


ACTIONS = {
    "extend": grants.extend,
    "cancel": lambda m, actor, data: grants.cancel(m, actor, immediately=payloads.Cancel.check(data).immediately),
    "refund": grants.note_refund,
    "confirm": grants.confirm,
    "decline": grants.decline,
    "listing": grants.update_listing,
}
# What each action takes, and its summary in the document.
ACTION_BODIES = {
    "extend": (payloads.Extend, "Extend to a later end"),
    "cancel": (payloads.Cancel, "Cancel: runs to the period's end, or ends now with immediately"),
    "refund": (payloads.Refund, "Note a refund"),
    "confirm": (payloads.Confirm, "Confirm a requested membership's payment"),
    "decline": (payloads.Decline, "Decline a request"),
    "listing": (payloads.Listing, "Sponsors page opt-in, name and order"),
}


def _action_view(action):
    def view(membership_id):
        membership = grants.get_membership(membership_id)
        # A bare POST (no body) is fine for actions without fields, such as cancel.
        data = json_body() if request.get_data() else {}
        return jsonify(membership=grants.describe(ACTIONS[action](membership, current_user, data)))

    view.__name__ = f"admin_membership_{action}"
    body, view.__doc__ = ACTION_BODIES[action]
    answer = (schemas.MembershipAnswer, "The membership after the change")
    return admin_required(documented("membership", {200: answer}, body=body)(view))


for _action in ACTIONS:
    bp.add_url_rule(
        f"/admin/memberships/<int:membership_id>/{_action}", methods=["POST"], view_func=_action_view(_action)
    )


@bp.get("/admin/tiers")
@admin_required
@documented("membership", {200: (schemas.Tiers, "Tiers")})
def admin_tier_list():
    """All tiers, retired ones too"""
    return jsonify(tiers=[t.to_dict() for t in list_tiers(include_retired=True)])


@bp.post("/admin/tiers")
@admin_required
@documented("membership", {201: (schemas.TierAnswer, "Created")}, body=NewTier)
def admin_tier_create():
    """Add a tier"""
    return jsonify(tier=tiers.save_tier(json_body(), current_user).to_dict()), 201


@bp.patch("/admin/tiers/<slug>")
@admin_required
@documented("membership", {200: (schemas.TierAnswer, "Updated")}, body=TierChange)
def admin_tier_update(slug):
    """Rename, price, retire a tier or set its perks (the fields sent)"""
    tier = tiers.get_tier_by_slug(slug)
    data = json_body()
    if "slug" in data and data["slug"] != slug:
        raise ValidationError({"slug": "A tier's slug never changes; rename it with `name`."})
    data.pop("slug", None)
    return jsonify(tier=tiers.save_tier(data, current_user, tier).to_dict())


@bp.get("/admin/tiers/<slug>/history")
@admin_required
@documented("membership", {200: (schemas.TierHistory, "History")})
def admin_tier_history(slug):
    """The audit history of a tier"""
    return jsonify(history=[entry.to_dict() for entry in tier_history(tiers.get_tier_by_slug(slug))])


@bp.post("/payments/stripe/webhook")
@documented("membership", {200: (schemas.Received, "Received")}, body=schemas.StripeEvent)
def stripe_webhook():
    """Stripe's signed webhook (Stripe-Signature header); replays are answered without effect"""
    event = payments.verify_stripe_event(request.get_data(), request.headers.get("Stripe-Signature"))
    outcome, new = payments.handle_stripe_event(event)
    return jsonify(received=True, outcome=outcome, duplicate=not new)
