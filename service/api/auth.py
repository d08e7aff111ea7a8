from flask import jsonify
from flask_login import current_user, login_required, logout_user
from flask_wtf.csrf import generate_csrf

from ..auth.views import sign_in
from ..domain.accounts import accounts
from ..domain.accounts.users import user_view
from ..errors import Unauthorized
from ..limits import password_check, registration
from . import bp, json_body


def _user():
    return user_view(current_user) if current_user.is_authenticated else None


@bp.get("/session")
def session_info():
    return jsonify(user=_user(), csrf_token=generate_csrf())


@bp.post("/auth/register")
@registration
def register():
    data = json_body()
    user = accounts.register(data.get("email"), data.get("username"), data.get("password"))
    sign_in(user)
    return jsonify(user=user_view(user)), 201


@bp.post("/auth/login")
@password_check
def login():
    data = json_body()
    user = accounts.authenticate(data.get("login"), data.get("password"))
    if user is None:
        raise Unauthorized("That sign-in name and password do not match.")
    sign_in(user, remember=bool(data.get("remember")))
    return jsonify(user=user_view(user))


@bp.post("/auth/logout")
@login_required
def logout():
    logout_user()
    return "", 204
