"""A reader's own account settings: password, email address and comment mail.

A new password ends every other session at once (sessions carry a fingerprint of the
password hash, models/user.py) and every widget sign-in. A new email address takes effect only
from a link mailed to it, so nobody can move an account to an address they do not read. The
unsubscribe link in each notification mail is signed and names only the account: it works
from any mail client without signing in, and does nothing but stop those mails.
"""

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select

from ...errors import Conflict, ValidationError
from ...extensions import db
from ...models import User
from ...passwords import password_fingerprint
from ..embed import tokens
from ..mail import links
from ..mail.compose import send
from .accounts import check_password_strength, normalise_email

EMAIL_SALT = "parley-email-change"
UNSUBSCRIBE_SALT = "parley-unsubscribe"
EMAIL_LINK_HOURS = 24


def _require_password(user, password):
    if not isinstance(password, str) or not user.check_password(password):
        raise ValidationError({"current_password": "That is not your current password."})


def change_password(user, current, new):
    """Set a new password; every other session and widget sign-in ends with the old one."""
    _require_password(user, current)
    errors = {}
    check_password_strength(new, errors, (user.username, user.email, user.email.split("@")[0]))
    if errors:
        raise ValidationError({"new_password": errors["password"]})
    user.set_password(new)
    tokens.revoke_all(user)
    db.session.commit()


def _email_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMAIL_SALT)


def _taken(email, user):
    other = db.session.scalar(select(User.id).where(User.email == email, User.id != user.id))
    return other is not None


def request_email_change(user, new_email, password):
    """Mail a confirmation link to the new address; nothing changes until it is opened."""
    _require_password(user, password)
    email = normalise_email(new_email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    if email == user.email:
        raise ValidationError({"email": "That is already your address."})
    if _taken(email, user):
        raise Conflict(
            "That address belongs to another account.", {"email": "That address belongs to another account."}
        )
    token = _email_serializer().dumps({"uid": user.id, "email": email, "pw": password_fingerprint(user.password_hash)})
    path = url_for("account.confirm_email", token=token)
    send(user, "Confirm your new email address", "email_change", to=email, hours=EMAIL_LINK_HOURS, path=path)
    db.session.commit()
    return email


def confirm_email_change(token):
    """The account whose address the link moves, after moving it; None for a bad, old or used link."""
    try:
        data = _email_serializer().loads(token, max_age=EMAIL_LINK_HOURS * 3600)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.is_deleted or data.get("pw") != password_fingerprint(user.password_hash):
        return None  # a password change since the request voids it
    if _taken(data["email"], user):
        raise Conflict("That address now belongs to another account.")
    user.email = data["email"]
    db.session.commit()
    return user


def set_comment_mail(user, wanted):
    user.comment_mail = bool(wanted)
    db.session.commit()


def _unsubscribe_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(user):
    # A literal path: notifications are sent by workers, outside any request.
    return links.link(f"/unsubscribe/{_unsubscribe_serializer().dumps({'uid': user.id})}")


def user_for_unsubscribe(token):
    try:
        data = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    return None if user is None or user.is_deleted else user
