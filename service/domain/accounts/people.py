"""Every account, as admins find and appoint them: search by name or email, filters by role,
status, tier and joining date, and the moderator and admin roles granted and revoked.

A role change is a row in the moderation history (action "role", who and why) and a mail to
the person, in one transaction. The last admin cannot be demoted: someone must be left who
can appoint the others.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from ...errors import Conflict, NotFound, ValidationError
from ...extensions import db
from ...models import Comment, ExportJob, Membership, ModerationAction, User
from ...models.base import isoformat, utcnow
from ...models.user import ROLES, STATUSES
from ...schemas.accounts import RoleChange
from ..mail.compose import send
from ..membership.fields import parse_when
from ..membership.perks import base_tier, grace, list_tiers, prefetch_tiers, tiers_for
from . import users

PAGE = 50
ROLE_WORDS = {"reader": "a reader", "moderator": "a moderator", "admin": "an admin"}
# Who an admin can do without: one that is neither deleted nor banned can still sign in.
SIGNED_OUT_FOR_GOOD = ("deleted", "banned")


def person_by_username(username):
    user = users.by_name(username)
    if user is None:
        raise NotFound(f"No account called {username.strip() if isinstance(username, str) else ''!r}.")
    return user


# --- finding ------------------------------------------------------------------------------


def clean_filters(args):
    """The search and filters from a query string (page or API), checked; a bad value is a
    422 naming the field, so that a typo never silently lists everyone."""
    errors, out = {}, {}
    q = (args.get("q") or "").strip()
    if len(q) > 254:
        errors["q"] = "At most 254 characters."
    out["q"] = q or None
    for field, choices in (("role", ROLES), ("status", STATUSES)):
        value = args.get(field) or None
        if value is not None and value not in choices:
            errors[field] = f"One of {', '.join(choices)}."
        out[field] = value
    out["tier"] = args.get("tier") or None
    if out["tier"] and out["tier"] not in {t.slug for t in list_tiers(include_retired=True)}:
        errors["tier"] = "One of the tiers under Admin → Tiers."
    out["joined_after"] = parse_when(args.get("joined_after"), "joined_after", errors)
    out["joined_before"] = parse_when(args.get("joined_before"), "joined_before", errors)
    if errors:
        raise ValidationError(errors)
    return out


def _paid_tiers_now(now):
    """{user_id: Tier} of everyone holding a tier above the base one right now. The SQL is a
    superset (it ignores cancellation and grace); tiers_for() makes the exact call."""
    candidates = db.session.scalars(
        select(Membership.user_id.distinct()).where(
            Membership.state == "confirmed",
            Membership.starts_at <= now,
            or_(Membership.ends_at.is_(None), Membership.ends_at > now - grace()),
        )
    ).all()
    base = base_tier()
    return {uid: tier for uid, tier in tiers_for(candidates, now).items() if tier.slug != base.slug}


def _tier_condition(slug, now):
    paid = _paid_tiers_now(now)
    if slug == base_tier().slug:
        return User.id.not_in(list(paid)) if paid else None
    return User.id.in_([uid for uid, tier in paid.items() if tier.slug == slug])


def search(q=None, role=None, status=None, tier=None, joined_after=None, joined_before=None, page=1, limit=PAGE):
    """(accounts newest first, whether there are more) for one page of the admin's list.
    `q` matches part of a username or an email address, case-insensitively."""
    query = select(User)
    if q:
        needle = q.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            or_(
                User.username_key.like(f"%{needle}%", escape="\\"),
                func.lower(User.email).like(f"%{needle}%", escape="\\"),
            )
        )
    if role:
        query = query.where(User.role == role)
    if status:
        query = query.where(User.status == status)
    if joined_after:
        query = query.where(User.created_at >= joined_after)
    if joined_before:  # up to the end of that day
        query = query.where(
            User.created_at < joined_before.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        )
    if tier:
        condition = _tier_condition(tier, utcnow())
        if condition is not None:
            query = query.where(condition)
    rows = db.session.scalars(query.order_by(User.id.desc()).offset((page - 1) * limit).limit(limit + 1)).all()
    prefetch_tiers({u.id for u in rows})  # each row shows its tier: one query, not one each
    return rows[:limit], len(rows) > limit


def describe(user):
    """An account as admins see it (the API's AdminUser): more than any public answer shows."""
    return {
        **users.user_view(user),
        "email": user.email,
        "status": user.status,
        "suspended_until": isoformat(user.suspended_until) if user.is_suspended else None,
        "premoderated": user.on_premoderation,
        "created_at": isoformat(user.created_at),
        "last_login_at": isoformat(user.last_login_at),
    }


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def overview(user):
    """What the account page shows beside the account itself: counts that link onwards."""
    latest_export = db.session.scalar(
        select(ExportJob).where(ExportJob.user_id == user.id).order_by(ExportJob.id.desc()).limit(1)
    )
    return {
        "comments": _count(Comment, Comment.author_id == user.id),
        "memberships": _count(Membership, Membership.user_id == user.id),
        "exports": _count(ExportJob, ExportJob.user_id == user.id),
        "latest_export": latest_export,
        "sanctions": _count(
            ModerationAction,
            ModerationAction.user_id == user.id,
            ModerationAction.comment_id.is_(None),
            ModerationAction.action.in_(("warn", "suspend", "ban", "premoderate", "release", "reinstate")),
        ),
    }


def role_history(user_id, limit=50):
    return db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.user_id == user_id, ModerationAction.action == "role")
        .order_by(ModerationAction.id.desc())
        .limit(limit)
    ).all()


# --- appointing ---------------------------------------------------------------------------


def admins_besides(user):
    """How many other accounts are admins that can still sign in. Their rows are locked on
    PostgreSQL, so two admins demoting each other at once cannot both succeed."""
    others = db.session.scalars(
        select(User.id)
        .where(User.role == "admin", User.id != user.id, User.status.not_in(SIGNED_OUT_FOR_GOOD))
        .with_for_update()
    ).all()
    return len(others)


def _check_role(user, role):
    if user.is_deleted:
        raise Conflict("This account is deleted; it cannot hold a role.")
    if user.role == "admin" and role != "admin" and admins_besides(user) == 0:
        raise Conflict("This is the last admin: make someone else an admin before changing this role.")


def _role_mail(user, before, role, reason):
    site = current_app.config["SITE_NAME"]
    send(user, f"Your role on {site}", "role_changed", before=before, role=role, reason=reason, words=ROLE_WORDS)


def set_role(user, role, actor=None, reason=None):
    """Make `user` a reader, moderator or admin. `actor` is the admin who did it, or None for
    the command line. Returns whether anything changed (the same role again is no change:
    nothing is recorded or mailed)."""
    change = RoleChange.check({"role": role, "reason": reason})
    role, reason = change.role, change.reason
    _check_role(user, role)
    if user.role == role:
        return False
    before, user.role = user.role, role
    db.session.add(
        ModerationAction(
            user_id=user.id,
            actor_id=actor.id if actor is not None else None,
            action="role",
            reason=reason or f"made {ROLE_WORDS[role]}" + ("" if actor is not None else " from the command line"),
            details={"before": {"role": before}, "after": {"role": role}},
        )
    )
    _role_mail(user, before, role, reason)
    db.session.commit()
    return True
