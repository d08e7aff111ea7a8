"""Registration, sign-in and password reset."""

from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ...background.wakeups import notify_in_transaction, wake_workers
from ...errors import Conflict, ValidationError
from ...extensions import db
from ...models import OutboxMessage, User
from ...models.base import utcnow
from ...passwords import hash_password, password_fingerprint, password_matches
from ...schemas.accounts import Registration
from ..embed import tokens
from ..mail.compose import render
from .credentials import ASCII_SKELETON, check_password_strength, normalise_email, username_key, username_skeleton

RESET_SALT = "password-reset"
RESET_KIND, RESET_SUBJECT = "password_reset", "Reset your Parley password"


@lru_cache(maxsize=1)
def _dummy_hash():
    # Checked when the sign-in name is unknown, so that path costs what a real check costs.
    return hash_password("no user has this password")


def register(email, username, password, role="reader"):
    """A new account; its fields validated by the Registration schema, then checked against the
    names already taken."""
    fields = Registration.check({"email": email, "username": username, "password": password})
    email, username = fields.email, fields.username
    taken = db.session.scalar(select(User).where(or_(User.email == email, User.username_key == username_key(username))))
    if taken is not None:
        # Usernames are public; an email conflict does tell the asker that the address has an
        # account (see SECURITY.md: the API contract keeps 409, sign-in and reset do not leak).
        field = "email" if taken.email == email else "username"
        raise Conflict(f"That {field} is already registered.", {field: "Already registered."})
    if look_alike_taken(username):
        raise Conflict(
            "That username looks too much like one already registered.",
            {"username": "Too similar to an existing name; choose another."},
        )
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


def _sql_skeleton(column):
    for old, new in ASCII_SKELETON:
        column = func.replace(column, old, new)
    return column


def look_alike_taken(username):
    """Whether a registered name has the same skeleton (computed in SQL: no extra column)."""
    skeleton = username_skeleton(username)
    return db.session.scalar(select(User.id).where(_sql_skeleton(User.username_key) == skeleton).limit(1)) is not None


def find_by_login(login):
    """A user by email or username (either spelling folds to the same key)."""
    login = (login or "").strip()
    return db.session.scalar(
        select(User).where(or_(func.lower(User.email) == login.lower(), User.username_key == username_key(login)))
    )


def authenticate(login, password):
    """The user if the credentials match, else None; a deliberately uniform answer."""
    if not isinstance(login, str) or not isinstance(password, str):
        password_matches(_dummy_hash(), "")
        return None
    user = find_by_login(login)
    if user is None:
        # As slow as a wrong password for a real account: timing does not tell who exists.
        password_matches(_dummy_hash(), password)
        return None
    # A banned account answers as a wrong password does, right password or not: otherwise the
    # answer (403 "banned" against 401) confirms a guessed password. The ban itself was mailed.
    if not user.check_password(password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user):
    # Bound to the current hash, the token is single-use: resetting changes the hash.
    return _serializer().dumps({"uid": user.id, "pw": password_fingerprint(user.password_hash)})


def user_for_reset_token(token):
    """The user a valid token belongs to, or None if it is forged, expired or already used."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("pw") != password_fingerprint(user.password_hash):
        return None
    return user


def request_password_reset(email):
    """Queue a reset for the worker, whatever the address. The request neither looks the
    address up nor sends anything: a registered address and an unknown one take the same
    path, the same statements and the same time (compose_password_resets does the rest)."""
    address = normalise_email(email)[:254]
    if address:
        db.session.add(OutboxMessage(recipient=address, kind=RESET_KIND, subject=RESET_SUBJECT, body=""))
    notify_in_transaction(db.session)  # the worker composes it; wake one (any process, on PostgreSQL)
    db.session.commit()
    wake_workers()


def compose_password_resets(limit=50):
    """In the worker: turn queued reset requests into mail for the accounts that have those
    addresses, and drop the rest (the typed address of no account is not kept). Returns how
    many requests it took."""
    requests = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == RESET_KIND).order_by(OutboxMessage.id).limit(limit)
    ).all()
    for request in requests:
        user = db.session.scalar(select(User).where(User.email == request.recipient))
        if user is None:
            db.session.delete(request)
            continue
        request.kind, request.user_id, request.body = None, user.id, _reset_body(user)
    db.session.commit()
    return len(requests)


def _reset_body(user):
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    return render("password_reset", user, minutes=minutes, token=make_reset_token(user))


def reset_password(user, password):
    errors = {}
    check_password_strength(password, errors, (user.username, user.email, user.email.split("@")[0]))
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    # Whoever knew the old password may hold a widget sign-in: it ends with the old password.
    tokens.revoke_all(user)
    db.session.commit()
