"""Sign-in for the comment widget: short-lived bearer tokens, stored hashed, revocable.

The widget runs in a cross-site iframe, where browsers withhold Parley's session cookie.
A reader signs in first-party (a popup at Parley), which mints a token here; the widget
keeps it in memory and sends it as `Authorization: Bearer …`. Nothing ambient, so nothing
for a forged cross-site request to ride on.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ...extensions import db
from ...models import EmbedToken
from ...models.base import utcnow

PREFIX = "pe_"  # recognisable in logs and secret scanners


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def lifetime():
    return timedelta(hours=current_app.config["EMBED_TOKEN_HOURS"])


def mint(user, origin=None):
    """A new token for `user`: returns (raw token, row). The raw value is shown once, never stored."""
    now = utcnow()
    # The user's long-dead tokens are cleared here, so the table does not grow without end.
    db.session.execute(
        delete(EmbedToken).where(EmbedToken.user_id == user.id, EmbedToken.expires_at < now - timedelta(days=1))
    )
    raw = PREFIX + secrets.token_urlsafe(32)
    token = EmbedToken(
        token_hash=_hash(raw), user_id=user.id, origin=origin, created_at=now, expires_at=now + lifetime()
    )
    db.session.add(token)
    db.session.commit()
    return raw, token


def find(raw):
    """The live token for a raw value, or None (unknown, expired, revoked, or its user banned)."""
    if not isinstance(raw, str) or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = db.session.scalar(select(EmbedToken).where(EmbedToken.token_hash == _hash(raw)))
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    if not token.user.is_active:
        return None
    return token


def revoke(token):
    token.revoked_at = utcnow()
    db.session.commit()


def revoke_all(user):
    """Sign the user out of every widget: on a password reset and a ban (domain/accounts/accounts.py,
    domain/moderation/sanctions.py). The caller commits, so the revocation lands with the change that
    caused it, or not at all."""
    db.session.execute(
        update(EmbedToken)
        .where(EmbedToken.user_id == user.id, EmbedToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
