"""Admin → People: every account, found by name or email and filtered, and one account's
page, where admins appoint moderators and admins (and take the roles back)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.accounts import people, users
from ..domain.membership.perks import list_tiers, tier_of
from ..errors import DomainError, ValidationError
from ..models.user import ROLES, STATUSES
from . import bp


def _page_arg():
    value = request.args.get("page", "1")
    return max(int(value), 1) if value.isdigit() and len(value) < 7 else 1


@bp.get("/people")
def people_list():
    errors, rows, more = {}, [], False
    try:
        chosen = people.clean_filters(request.args)
    except ValidationError as exc:
        errors = exc.errors
    else:
        rows, more = people.search(**chosen, page=_page_arg())
    return render_template(
        "admin/people.html",
        rows=rows,
        more=more,
        page=_page_arg(),
        args=request.args,
        errors=errors,
        roles=ROLES,
        statuses=STATUSES,
        tiers=list_tiers(include_retired=True),
    ), (422 if errors else 200)


def _person_page(user, errors=None, status=200):
    return render_template(
        "admin/person.html",
        person=user,
        tier=tier_of(user),
        overview=people.overview(user),
        roles=ROLES,
        role_history=people.role_history(user.id),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/people/<int:user_id>")
def person(user_id):
    return _person_page(users.get_user(user_id))


@bp.post("/people/<int:user_id>/role")
def person_role(user_id):
    user = users.get_user(user_id)
    role = request.form.get("role")
    try:
        changed = people.set_role(user, role, current_user, request.form.get("reason"))
    except DomainError as exc:
        return _person_page(user, exc.errors or {"role": exc.message}, exc.status)
    if changed:
        flash(f"{user.username} is now {people.ROLE_WORDS[role]}; they have been told by mail.")
    else:
        flash(f"{user.username} is already {people.ROLE_WORDS[role]}; nothing changed.")
    if user.id == current_user.id and role != "admin":
        return redirect(url_for("articles.index"))  # no longer an admin: these pages are closed to them
    return redirect(url_for("admin.person", user_id=user.id))
