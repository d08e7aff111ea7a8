"""Admin pages for membership: members and their history, grants and sponsorships, request
confirmation, tiers, CSV export and the dashboard."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..api.membership import filters
from ..domain.accounts import users
from ..domain.membership import grants, tiers
from ..domain.membership.dashboard import dashboard, members_csv
from ..domain.membership.money import format_money, to_major
from ..domain.membership.notices import payment_instructions
from ..domain.membership.perks import list_tiers, member_history, prefetch_tiers, tier_history, tier_of
from ..domain.membership.words import describe as describe_audit
from ..domain.moderation import settings
from ..errors import DomainError
from ..extensions import db
from ..models import Tier
from ..models.membership import SOURCES, STATES
from ..urls import safe_next
from . import bp
from . import charts as charts_lib


@bp.get("/members", endpoint="members")
def members_list():
    chosen = filters(request.args)
    page = grants.page_memberships(limit=grants.PAGE, cursor=request.args.get("cursor"), **chosen)
    prefetch_tiers({m.user_id for m in page.rows})
    # Requests a page at a time too: a site that takes bank transfers can have hundreds.
    requests = grants.page_memberships(limit=grants.PAGE, cursor=request.args.get("requests_cursor"), state="requested")
    return render_template(
        "admin/members.html",
        rows=[(m, grants.describe(m)) for m in page.rows],
        next_cursor=page.next,
        first_page=not request.args.get("cursor"),
        args=request.args,
        tiers=list_tiers(include_retired=True),
        sources=SOURCES,
        states=STATES,
        requests=requests.rows,
        requests_next=requests.next,
        requests_waiting=grants.requests_waiting(),
        reference_for=grants.payment_reference_for,
        instructions=payment_instructions(),
    )


@bp.post("/members/payment-instructions")
def payment_instructions_save():
    """How readers pay a manual request: shown with their reference and mailed to them."""
    try:
        settings.update(
            {"payment_instructions": request.form.get("payment_instructions", "")},
            current_user,
            reason="payment instructions changed",
        )
    except DomainError as exc:
        flash(exc.errors.get("payment_instructions", exc.message), "error")
    else:
        flash("Payment instructions saved; readers see them with their payment reference.")
    return redirect(url_for("admin.members", _anchor="payment-instructions"))


@bp.get("/members.csv")
def members_export():
    rows = grants.list_memberships(**filters(request.args))
    return Response(
        members_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=parley-members.csv"},
    )


def _member_page(user, action_errors=None, status=200):
    by_slug = {t.slug: t for t in list_tiers(include_retired=True)}
    page = render_template(
        "admin/member.html",
        member=user,
        tier=tier_of(user),
        memberships=[(m, grants.describe(m)) for m in grants.memberships_of(user.id)],
        history=[(entry, describe_audit(entry, by_slug)) for entry in member_history(user.id)],
        action_errors=action_errors or {},
        reference_for=grants.payment_reference_for,
    )
    return page, status


@bp.get("/members/<int:user_id>")
def member(user_id):
    return _member_page(users.get_user(user_id))


@bp.route("/memberships/new", methods=["GET", "POST"])
def membership_new():
    """Grant a membership, or (kind=sponsorship) record a sponsorship that was paid."""
    sponsorship = request.args.get("kind") == "sponsorship"
    defaults = {
        "username": request.args.get("username", ""),
        "tier": "sponsor" if sponsorship else "subscriber",
        "source": "manual_payment" if sponsorship else "admin_grant",
        "currency": "",
    }
    form, errors = (request.form if request.method == "POST" else defaults), {}
    if request.method == "POST":
        try:
            user = users.find_user(request.form.get("username"))
            membership = grants.grant(user, request.form.to_dict(), current_user)
        except DomainError as exc:
            errors = exc.errors or {"form": exc.message}
        else:
            flash(f"Recorded {membership.tier.name} for {user.username}.")
            return redirect(url_for("admin.member", user_id=user.id))
    return render_template(
        "admin/membership_form.html",
        form=form,
        errors=errors,
        sponsorship=sponsorship,
        tiers=list_tiers(),
    ), (422 if errors else 200)


ACTIONS = {
    "extend": (grants.extend, "Extended."),
    "cancel": (lambda m, actor, data: grants.cancel(m, actor), "Cancelled; it runs to the end of its period."),
    "cancel_now": (lambda m, actor, data: grants.cancel(m, actor, immediately=True), "Ended now."),
    "refund": (grants.note_refund, "Refund noted."),
    "confirm": (grants.confirm, "Confirmed; the membership is active."),
    "decline": (grants.decline, "Request declined."),
    "listing": (grants.update_listing, "Sponsors page listing saved."),
}


@bp.post("/memberships/<int:membership_id>/<action>")
def membership_action(membership_id, action):
    if action not in ACTIONS:
        return redirect(url_for("admin.members"))
    membership = grants.get_membership(membership_id)
    change, message = ACTIONS[action]
    try:
        change(membership, current_user, request.form.to_dict())
    except DomainError as exc:
        db.session.rollback()
        errors = {membership.id: {"action": action, **(exc.errors or {"form": exc.message})}}
        return _member_page(membership.user, errors, exc.status)
    flash(message)
    # The members list confirms requests inline and comes back to itself.
    default = url_for("admin.member", user_id=membership.user_id, _anchor=f"membership-{membership.id}")
    return redirect(safe_next(request.form.get("next"), default))


@bp.get("/tiers", endpoint="tiers")
def tiers_page():
    return render_template("admin/tiers.html", tiers=list_tiers(include_retired=True))


# Unticked checkboxes are absent from a form post; for the tier form absence means "off".
TIER_FLAGS = ("members_comments", "trusted_commenter")


@bp.route("/tiers/new", methods=["GET", "POST"])
def tier_new():
    return _tier_form(None)


@bp.route("/tiers/<int:tier_id>/edit", methods=["GET", "POST"])
def tier_edit(tier_id):
    return _tier_form(db.get_or_404(Tier, tier_id))


def _tier_form(tier):
    errors = {}
    if request.method == "POST":
        data = {**request.form.to_dict(), **{flag: flag in request.form for flag in TIER_FLAGS}}
        data.pop("csrf_token", None)
        if tier is not None:
            data.pop("slug", None)
        try:
            saved = tiers.save_tier(data, current_user, tier)
        except DomainError as exc:
            errors = exc.errors or {"form": exc.message}
        else:
            flash(f"Saved the {saved.name} tier.")
            return redirect(url_for("admin.tiers"))
    form = request.form if request.method == "POST" else _tier_values(tier)
    history = tier_history(tier) if tier is not None else []
    return render_template("admin/tier_form.html", tier=tier, form=form, errors=errors, history=history), (
        422 if errors else 200
    )


def _tier_values(tier):
    if tier is None:
        return {
            "kind": "subscription",
            "interval": "monthly",
            "currency": "EUR",
            "rank": 5,
            "rate_limit_multiplier": 1,
            "price_major": "0.00",
        }
    return {**tier.to_dict(), **tier.to_dict()["perks"], "price_major": to_major(tier.price_minor, tier.currency)}


@bp.post("/tiers/<int:tier_id>/retire")
def tier_retire(tier_id):
    tier = db.get_or_404(Tier, tier_id)
    try:
        tiers.set_retired(tier, current_user, not tier.retired)
        flash(f"{tier.name} is {'retired: no new members' if tier.retired else 'on offer again'}.")
    except DomainError as exc:
        flash(exc.message, "error")
    return redirect(url_for("admin.tiers"))


@bp.get("/membership/dashboard")
def membership_dashboard():
    report = dashboard()
    return render_template("admin/membership_dashboard.html", report=report, charts=_charts(report))


def _money_fmt(currency):
    return lambda minor: format_money(int(round(minor)), currency)


def _charts(report):
    labels, names = report["labels"], report["tiers"]
    charts = {
        "active": charts_lib.line_chart(labels, [(names.get(s, s), v) for s, v in report["active"].items()]),
        "churn": charts_lib.bar_chart(labels, [("New", report["new"]), ("Lapsed", report["lapsed"])]),
        "mrr": {c: charts_lib.line_chart(labels, [(c, v)], _money_fmt(c)) for c, v in report["mrr"].items()},
        "sponsorships": {
            c: charts_lib.bar_chart(labels, [(c, v)], _money_fmt(c)) for c, v in report["sponsorships"].items()
        },
    }
    return charts
