"""Admins deleting an account at its holder's request (the reader's own door is /account/delete)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.accounts import deletion, users
from ..domain.moderation.settings import current as current_settings
from ..errors import DomainError
from . import bp


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
def account_delete(user_id):
    user = users.get_user(user_id)
    errors, status = {}, 200
    if request.method == "POST":
        name = user.username
        try:
            deletion.admin_delete_account(user_id, current_user, request.form.get("reason"))
        except DomainError as exc:
            errors, status = exc.errors or {"form": exc.message}, exc.status
        else:
            flash(f"The account {name} is deleted; the history keeps the record.")
            if user_id == current_user.id:
                return redirect(url_for("articles.index"))
            return redirect(url_for("admin.member", user_id=user_id))
    mode = current_settings()["deleted_account_comments"]
    page = render_template("admin/account_delete.html", member=user, errors=errors, mode=mode, form=request.form)
    return page, status
