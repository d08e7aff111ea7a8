"""Deleting an account: by its holder (with their password) or by an admin on request.

Everything happens in one transaction. The user row stays, anonymised, because comments,
reports, memberships and the moderation history point at it; what made it someone's is
cleared. The reader's comments are deleted or kept anonymised by the site setting
`deleted_account_comments`; memberships stay as anonymised financial records; the
deletion itself is a row in the moderation history (who did it, and how).
"""

from sqlalchemy import delete, select, update

from ...errors import Forbidden, NotFound, ValidationError
from ...extensions import db
from ...models import (
    Comment,
    EmbedToken,
    ExportJob,
    Membership,
    MembershipAudit,
    ModerationAction,
    OutboxMessage,
    Report,
    User,
)
from ...models.base import utcnow
from ..membership.payments import provider
from ..membership.perks import audit, forget_cached_tiers
from ..moderation.reports import REASONS
from ..moderation.settings import current as current_settings
from ..moderation.statuses import change_status
from .people import admins_besides

ANONYMOUS_PREFIX = "deleted-user-"
# Free text about the member in the membership records: cleared; dates and money stay.
MEMBERSHIP_PERSONAL_FIELDS = ("note", "refund_note", "display_name")
UNUSABLE_PASSWORD = "!deleted"
QUOTED_SUBJECT = "A reader replied to your comment"
QUOTED_BODY = "[This message quoted a reader whose account has since been deleted.]"  # matches no password: werkzeug refuses a hash without a method


def anonymous_name(user_id):
    return f"{ANONYMOUS_PREFIX}{user_id}"


# --- who may ------------------------------------------------------------------------------


def _check_not_last_admin(user):
    # The same rule as demoting one (people.admins_besides): an admin who can still sign in must remain.
    if user.is_admin and not admins_besides(user):
        raise Forbidden("This is the last admin account; make someone else an admin before deleting it.")


def delete_own_account(user, password):
    """The holder deletes their account; the current password confirms it is really them."""
    if not isinstance(password, str) or not password or not user.check_password(password):
        raise ValidationError({"password": "That is not your current password; nothing was deleted."})
    _check_not_last_admin(user)
    return _delete(user, actor=user, by="self", reason="deleted by the account holder")


def admin_delete_account(user_id, admin, reason):
    """An admin deletes an account at its holder's request, saying why (kept in the history)."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.is_deleted:
        raise NotFound("No such account, or it is already deleted.")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > 1000:
        raise ValidationError({"reason": "Say why (for the record), in at most 1,000 characters."})
    _check_not_last_admin(user)
    return _delete(user, actor=admin, by="admin", reason=reason)


# --- what happens -------------------------------------------------------------------------


def _delete(user, actor, by, reason):
    mode = current_settings()["deleted_account_comments"]
    # Stop a paid renewal first: if the provider refuses, nothing here has changed yet.
    renewing = _renewing_memberships(user)
    for membership in renewing:
        provider().cancel(membership)
    counts = {
        "comments": _handle_comments(user, actor, mode),
        "reports": _anonymise_reports(user),
        "memberships": _anonymise_memberships(user, actor, renewing),
    }
    _scrub_mail(user)
    _drop_sessions_and_exports(user)
    _anonymise_user(user)
    db.session.add(
        ModerationAction(
            user_id=user.id,
            actor_id=actor.id,
            action="account_deleted",
            reason=reason,
            details={"by": by, "comment_mode": mode, **counts},
        )
    )
    db.session.commit()
    forget_cached_tiers()
    return user


def _handle_comments(user, actor, mode):
    """Delete (soft, as an author's delete is: replies keep their place) or keep them.

    Already-deleted comments lose their text either way; it was only kept for the thread.
    """
    comments = db.session.scalars(select(Comment).where(Comment.author_id == user.id)).all()
    now = utcnow()
    for comment in comments:
        if mode == "delete" and not comment.is_deleted:
            comment.deleted_at = now
            change_status(comment, "deleted", "delete", actor=actor, reason="author's account deleted")
        if comment.is_deleted:
            comment.body = ""
            comment.featured = False
    return len(comments)


def _anonymise_reports(user):
    """Reports still count (the hide-after-N rule); the reporter's own words go unless they are
    one of the listed reasons."""
    reports = db.session.scalars(select(Report).where(Report.reporter_id == user.id)).all()
    for report in reports:
        if report.reason not in REASONS:
            report.reason = "other"
    return len(reports)


def _renewing_memberships(user):
    return db.session.scalars(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.state == "confirmed",
            Membership.recurrence != "none",
            Membership.cancelled_at.is_(None),
        )
    ).all()


def _anonymise_memberships(user, actor, renewing):
    """Keep tier, dates, amounts and payment references (the accounts need them); clear the
    rest, stop renewals, withdraw unpaid requests, and scrub the audit trail's copies."""
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    now = utcnow()
    for membership in memberships:
        before = _scrubbed(membership.snapshot())
        for field in MEMBERSHIP_PERSONAL_FIELDS:
            setattr(membership, field, None)
        membership.public = False
        if membership in renewing:
            membership.cancelled_at = now
        if membership.state == "requested":
            membership.state = "declined"
        audit("account_deleted", actor, membership=membership, before=before, after=membership.snapshot())
    for entry in db.session.scalars(select(MembershipAudit).where(MembershipAudit.user_id == user.id)):
        entry.before, entry.after = _scrubbed(entry.before), _scrubbed(entry.after)
    return len(memberships)


def _scrubbed(snapshot):
    if not isinstance(snapshot, dict):
        return snapshot
    return {**snapshot, **{field: None for field in MEMBERSHIP_PERSONAL_FIELDS if field in snapshot}}


def _scrub_mail(user):
    """Mail to the account goes; mail to others that quotes it (a reply notice) loses the
    name and the text. Both chosen by id: a pattern on the name once matched "Hello …," in
    every message when a reader called themselves Hello."""
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.about_user_id == user.id)
        .values(subject=QUOTED_SUBJECT, body=QUOTED_BODY, about_user_id=None)
    )


def _drop_sessions_and_exports(user):
    """Sessions end because the user loader refuses a deleted account (is_active); widget
    sign-ins and prepared exports are removed outright."""
    db.session.execute(delete(ExportJob).where(ExportJob.user_id == user.id))
    db.session.execute(delete(EmbedToken).where(EmbedToken.user_id == user.id))


def _anonymise_user(user):
    name = anonymous_name(user.id)
    user.username = user.username_key = name
    user.email = f"{name}@deleted.invalid"  # unique and never deliverable (RFC 2606)
    user.password_hash = UNUSABLE_PASSWORD
    user.role = "reader"
    user.status = "deleted"
    user.suspended_until = None
    user.premoderated = user.auto_premoderated = False
    user.last_login_at = None
    user.deleted_at = utcnow()
