"""Registration, sign-in and password reset."""
import hashlib
import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, ValidationError
from ..extensions import db
from ..models import User
from ..models.base import utcnow
from .mail import send_mail

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
RESET_SALT = "password-reset"


def username_key(username):
    """The form that decides uniqueness: compatibility-normalised and case-folded."""
    return unicodedata.normalize("NFKC", username).casefold()


def normalise_email(email):
    return (email or "").strip().lower()


def _check_password(password, errors):
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if not isinstance(password, str) or len(password) < minimum:
        errors["password"] = f"Use at least {minimum} characters."
    elif len(password) > 256:
        errors["password"] = "Use at most 256 characters."


def validate_registration(email, username, password):
    errors = {}
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = "Enter a valid email address."
    username = unicodedata.normalize("NFKC", (username or "").strip())
    if not USERNAME.match(username):
        errors["username"] = "Use 3–30 letters, digits, dots, dashes or underscores."
    _check_password(password, errors)
    if errors:
        raise ValidationError(errors)
    return email, username


def register(email, username, password, role="reader"):
    email, username = validate_registration(email, username, password)
    taken = db.session.scalar(
        select(User).where(or_(User.email == email, User.username_key == username_key(username)))
    )
    if taken is not None:
        field = "email" if taken.email == email else "username"
        raise Conflict(f"That {field} is already registered.", {field: "Already registered."})
    user = User(email=email, username=username, username_key=username_key(username), role=role)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Lost a race with a concurrent registration of the same name.
        db.session.rollback()
        raise Conflict("That email or username is already registered.") from None
    return user


def find_by_login(login):
    """A user by email or username (either spelling folds to the same key)."""
    login = (login or "").strip()
    return db.session.scalar(
        select(User).where(or_(func.lower(User.email) == login.lower(), User.username_key == username_key(login)))
    )


def authenticate(login, password):
    """The user if the credentials match, else None; a deliberately uniform answer."""
    user = find_by_login(login)
    if user is None or not isinstance(password, str) or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user):
    # Binding the token to the current hash makes it single-use: resetting changes the hash.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user):
    return _serializer().dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(token):
    """The user a valid token belongs to, or None if it is forged, expired or already used."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("pw") != _password_fingerprint(user):
        return None
    return user


def request_password_reset(email):
    """Mail a reset link if the address is registered; callers answer the same either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        return
    link = url_for("auth.reset_password", token=make_reset_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    send_mail(
        user.email,
        "Reset your Parley password",
        f"Hello {user.username},\n\nSomeone asked to reset your password. If it was you, open this link "
        f"within {minutes} minutes:\n\n{link}\n\nIf it was not you, ignore this message.\n",
    )
    db.session.commit()


def reset_password(user, password):
    errors = {}
    _check_password(password, errors)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    db.session.commit()
