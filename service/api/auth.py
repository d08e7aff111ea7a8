from flask import jsonify
from flask_login import current_user, login_required, logout_user
from flask_wtf.csrf import generate_csrf

from ..auth.views import sign_in
from ..domain.accounts import accounts
from ..domain.accounts.users import user_view
from ..errors import Unauthorized
from ..limits import password_check, registration
from ..schemas.accounts import Registration, Session, SignIn
from ..schemas.common import UserAnswer
from . import bp, json_body
from .spec import documented


def _user():
    return user_view(current_user) if current_user.is_authenticated else None


@bp.get("/session")
@documented("auth", {200: (Session, "Session")})
def session_info():
    """Who is signed in, and a CSRF token for writes"""
    return jsonify(user=_user(), csrf_token=generate_csrf())


@bp.post("/auth/register")
@registration
@documented("auth", {201: (UserAnswer, "Registered")}, body=Registration)
def register():
    """Register and sign in"""
    data = json_body()
    user = accounts.register(data.get("email"), data.get("username"), data.get("password"))
    sign_in(user)
    return jsonify(user=user_view(user)), 201


@bp.post("/auth/login")
@password_check
@documented("auth", {200: (UserAnswer, "Signed in")}, body=SignIn)
def login():
    """Sign in with email or username"""
    sent = SignIn.check(json_body())
    user = accounts.authenticate(sent.login, sent.password)
    if user is None:
        raise Unauthorized("That sign-in name and password do not match.")
    sign_in(user, remember=sent.remember)
    return jsonify(user=user_view(user))


@bp.post("/auth/logout")
@login_required
@documented("auth", {204: (None, "Signed out")})
def logout():
    """Sign out"""
    logout_user()
    return "", 204
