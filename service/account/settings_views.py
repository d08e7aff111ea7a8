"""/account/settings: password, email address and comment mail; the links mail carries."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from ..domain.accounts import settings
from ..errors import DomainError
from ..limits import password_check
from . import bp


def _page(errors=None, failed=None, status=200):
    page = render_template(
        "account/settings.html", errors=errors or {}, failed=failed, form=request.form if failed else {}
    )
    return page, status


@bp.get("/account/settings")
@login_required
def settings_page():
    return _page()


@bp.post("/account/settings/password")
@login_required
@password_check
def change_password():
    user = current_user._get_current_object()
    try:
        settings.change_password(user, request.form.get("current_password"), request.form.get("new_password"))
    except DomainError as exc:
        return _page(exc.errors or {"form": exc.message}, "password", exc.status)
    # This session carries the old password's fingerprint too: sign it in again with the new
    # one, so only the other sessions end.
    login_user(user)
    flash("Your password is changed. You are signed out everywhere else.")
    return redirect(url_for("account.settings_page"))


@bp.post("/account/settings/email")
@login_required
@password_check
def change_email():
    try:
        email = settings.request_email_change(
            current_user, request.form.get("email"), request.form.get("email_password")
        )
    except DomainError as exc:
        # This form's password box has its own name: the password form on the page has one too.
        errors = {("email_password" if k == "current_password" else k): v for k, v in exc.errors.items()}
        return _page(errors or {"form": exc.message}, "email", exc.status)
    flash(
        f"We sent a link to {email}. Your address changes when you open it (within {settings.EMAIL_LINK_HOURS} hours)."
    )
    return redirect(url_for("account.settings_page"))


@bp.get("/account/email/<token>")
def confirm_email(token):
    try:
        user = settings.confirm_email_change(token)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("articles.index"))
    if user is None:
        flash("That link is not valid any more; ask for a new one from your account settings.", "error")
    else:
        flash(f"Your email address is now {user.email}.")
    return redirect(url_for("account.settings_page" if current_user.is_authenticated else "auth.login"))


@bp.post("/account/settings/mail")
@login_required
def comment_mail():
    wanted = request.form.get("comment_mail") == "on"
    settings.set_comment_mail(current_user, wanted)
    flash(
        "We will mail you about replies and decisions on your comments."
        if wanted
        else "No more mail about your comments."
    )
    return redirect(url_for("account.settings_page"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """From a mail: GET asks (a link preview must not unsubscribe anyone), POST does it."""
    user = settings.user_for_unsubscribe(token)
    if user is None:
        return render_template("account/unsubscribe.html", user=None), 404
    if request.method == "POST":
        settings.set_comment_mail(user, False)
    return render_template("account/unsubscribe.html", user=user, done=request.method == "POST")
