from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.accounts import accounts
from ..domain.accounts.export import latest_export
from ..domain.accounts.profile import comments_by
from ..errors import DomainError
from ..limits import password_check, password_resets, registration
from ..schemas.accounts import SignIn
from ..urls import safe_next
from . import bp


def sign_in(user, remember=False):
    # A fresh session at sign-in: nothing from before (a planted session) survives it.
    session.clear()
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@registration
def register():
    form, errors = request.form, {}
    if request.method == "POST":
        try:
            user = accounts.register(form.get("email"), form.get("username"), form.get("password"))
        except DomainError as exc:
            errors = exc.errors or {"form": exc.message}
        else:
            sign_in(user)
            flash(f"Welcome, {user.username}.")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form, errors=errors), 422 if errors else 200


@bp.route("/login", methods=["GET", "POST"])
@password_check
def login():
    form, error = request.form, None
    if request.method == "POST":
        sent = SignIn.check(form.to_dict())  # the API's schema: never refused field by field
        user = accounts.authenticate(sent.login, sent.password)
        if user is None:
            error = "That sign-in name and password do not match."
        else:
            sign_in(user, remember=sent.remember)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), 401 if error else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("articles.index"))


@bp.route("/forgot", methods=["GET", "POST"])
@password_resets
def forgot_password():
    if request.method == "POST":
        accounts.request_password_reset(request.form.get("email"))
        # The same answer whether or not the address is registered.
        flash("If that address is registered, a reset link is on its way.")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = accounts.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    errors = {}
    if request.method == "POST":
        try:
            accounts.reset_password(user, request.form.get("password"))
        except DomainError as exc:
            errors = exc.errors
        else:
            flash("Your password is changed. Sign in with the new one.")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", errors=errors), 422 if errors else 200


@bp.get("/profile")
@login_required
def profile():
    return render_template(
        "auth/profile.html", comments=comments_by(current_user.id), export=latest_export(current_user)
    )
