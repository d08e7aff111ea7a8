from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..passwords import hash_password, password_fingerprint, password_matches
from .base import timestamp, utcnow

ROLES = ("reader", "moderator", "admin")
# "deleted": the holder deleted the account (or an admin did on request); the row stays,
# anonymised, so comments, reports and financial records keep something to point at.
STATUSES = ("active", "suspended", "banned", "deleted")
# What a moderator may do to an account (service/domain/moderation/sanctions.py).
SANCTIONS = ("warn", "suspend", "ban", "premoderate", "release", "reinstate")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), unique=True)
    username: Mapped[str] = mapped_column(db.String(40))
    # The folded form decides uniqueness, so "Alice" and "alice" cannot both exist.
    username_key: Mapped[str] = mapped_column(db.String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(db.String(255))
    role: Mapped[str] = mapped_column(db.String(16), default="reader")
    status: Mapped[str] = mapped_column(db.String(16), default="active")
    # A suspension ends by itself: read against the clock, no job lifts it.
    suspended_until = mapped_column(db.DateTime, nullable=True)
    # Set by a moderator, or by the rejection-rate rule (lifted by it when the rate falls).
    premoderated: Mapped[bool] = mapped_column(default=False)
    auto_premoderated: Mapped[bool] = mapped_column(default=False)
    # Mail about the reader's comments (replies, moderators' decisions); off from the account
    # settings or the unsubscribe link in each such mail.
    comment_mail: Mapped[bool] = mapped_column(default=True, server_default=db.true())
    created_at = timestamp()
    last_login_at = mapped_column(db.DateTime, nullable=True)
    deleted_at = mapped_column(db.DateTime, nullable=True)

    def set_password(self, password):
        self.password_hash = hash_password(password)

    def check_password(self, password):
        return password_matches(self.password_hash, password)

    def get_id(self):
        """What a session (and a remember-me cookie) stores: the id and a keyed fingerprint of
        the password hash. A password reset changes the hash, so every session signed in with
        the old password stops loading (service/__init__.py): cookie sessions cannot be
        revoked one by one, but they can all go stale at once."""
        return f"{self.id}:{password_fingerprint(self.password_hash)}"

    @property
    def is_moderator(self):
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def is_suspended(self):
        if self.status != "suspended":
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    @property
    def on_premoderation(self):
        return self.premoderated or self.auto_premoderated

    @property
    def is_deleted(self):
        return self.status == "deleted"

    @property
    def is_active(self):
        # Flask-Login refuses sessions for inactive users; banned and deleted users are signed out.
        return self.status not in ("banned", "deleted")

    def to_dict(self):
        """The row's public fields; `domain.accounts.users.user_view` adds the tier."""
        return {"id": self.id, "username": self.username, "role": self.role}

    def __repr__(self):
        return f"<User {self.username}>"
