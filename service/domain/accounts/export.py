"""A reader's copy of their own data: what goes into it, and asking for one.

Small accounts get their document at once; larger ones get a queued job that the worker
loop builds (service/background/exports.py), so a request never spends minutes in a web process.
"""

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from ...background.wakeups import notify_in_transaction, wake_workers
from ...errors import NotFound
from ...extensions import db
from ...models import Comment, ExportJob, Membership, ModerationAction, OutboxMessage, Reaction, Report, ScoringDecision
from ...models.base import isoformat, utcnow
from ..membership.perks import grace, is_active, tier_of

SCHEMA = "parley.account-export"
VERSION = 1
# Actions about the account itself rather than one comment (sanctions, pre-moderation).
ACCOUNT_ACTIONS = ("warn", "suspend", "ban", "premoderate", "release", "reinstate", "auto_premoderate", "auto_release")


# --- the document -----------------------------------------------------------------------


def _who(action, user):
    """Who acted, as the reader should see it: themselves, the system, or "a moderator".

    Moderators' names are their own personal data, so the export does not carry them.
    """
    if action.actor_id is None:
        return "system"
    return "you" if action.actor_id == user.id else "moderator"


def _history_entry(action, user):
    return {
        "action": action.action,
        "by": _who(action, user),
        "from_status": action.from_status,
        "to_status": action.to_status,
        "reason": action.reason,
        "at": isoformat(action.created_at),
    }


def _profile(user):
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "role": user.role,
        "status": user.status,
        "suspended_until": isoformat(user.suspended_until),
        "premoderated": user.on_premoderation,
        "tier": tier_of(user).slug,
        "created_at": isoformat(user.created_at),
        "last_login_at": isoformat(user.last_login_at),
    }


def _comments(user):
    """Every comment with its system decisions and the moderation history of each, in three queries."""
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == user.id).order_by(Comment.created_at, Comment.id)
    ).all()
    mine = select(Comment.id).where(Comment.author_id == user.id)
    decisions, history = {}, {}
    for decision in db.session.scalars(
        select(ScoringDecision).where(ScoringDecision.comment_id.in_(mine)).order_by(ScoringDecision.id)
    ):
        decisions.setdefault(decision.comment_id, []).append(decision.to_dict())
    for action in db.session.scalars(
        select(ModerationAction).where(ModerationAction.comment_id.in_(mine)).order_by(ModerationAction.id)
    ):
        history.setdefault(action.comment_id, []).append(_history_entry(action, user))
    return [
        {
            "id": c.id,
            "article": {"slug": c.article.slug, "title": c.article.title},
            "parent_id": c.parent_id,
            "body": c.body,
            "status": c.status,
            "featured": c.featured,
            "scores": c.scores,
            "reason": c.reason,
            "created_at": isoformat(c.created_at),
            "edited_at": isoformat(c.edited_at),
            "deleted_at": isoformat(c.deleted_at),
            "decisions": decisions.get(c.id, []),
            "moderation": history.get(c.id, []),
        }
        for c in comments
    ]


def _reports(user):
    rows = db.session.scalars(select(Report).where(Report.reporter_id == user.id).order_by(Report.id))
    return [
        {
            "comment_id": r.comment_id,
            "reason": r.reason,
            "created_at": isoformat(r.created_at),
            "resolved_at": isoformat(r.resolved_at),
        }
        for r in rows
    ]


def _respect_given(user):
    rows = db.session.scalars(select(Reaction).where(Reaction.user_id == user.id).order_by(Reaction.id))
    return [{"comment_id": r.comment_id, "created_at": isoformat(r.created_at)} for r in rows]


def _memberships(user):
    now, period = utcnow(), grace()
    rows = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id).order_by(Membership.starts_at, Membership.id)
    )
    result = []
    for m in rows:
        record = m.snapshot()
        del record["user_id"]
        result.append({"id": m.id, "tier_name": m.tier.name, "active": is_active(m, now, period), **record})
    return result


def _notifications(user):
    """What Parley told the reader: every message addressed to their account."""
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id))
    return [
        {"subject": m.subject, "body": m.body, "created_at": isoformat(m.created_at), "sent_at": isoformat(m.sent_at)}
        for m in rows
    ]


def _account_history(user):
    rows = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.user_id == user.id, ModerationAction.action.in_(ACCOUNT_ACTIONS))
        .order_by(ModerationAction.id)
    )
    return [_history_entry(a, user) for a in rows]


def build_document(user):
    """The whole export as a dict; `schema` and `version` say how to read it."""
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "generated_at": isoformat(utcnow()),
        "site": current_app.config["SITE_NAME"],
        "profile": _profile(user),
        "comments": _comments(user),
        "reports": _reports(user),
        "respect_given": _respect_given(user),
        "memberships": _memberships(user),
        "notifications": _notifications(user),
        "account_history": _account_history(user),
    }


def finish(job, user):
    """Build the document into the job and mark it ready (caller commits)."""
    text = json.dumps(build_document(user), ensure_ascii=False, indent=1)
    now = utcnow()
    job.document = text
    job.size = len(text.encode("utf-8"))
    job.status = "ready"
    job.error = None
    job.finished_at = now
    job.expires_at = now + timedelta(hours=current_app.config["EXPORT_TTL_HOURS"])


# --- asking for one -----------------------------------------------------------------------


def comment_count(user):
    return db.session.scalar(select(func.count()).select_from(Comment).where(Comment.author_id == user.id))


def request_export(user):
    """The reader's export: built now for a small account, queued for the worker otherwise.

    A job already queued or running is returned as it is (asking twice does not queue
    twice); finished ones are replaced, so only the newest copy is kept.
    """
    waiting = db.session.scalar(
        select(ExportJob).where(ExportJob.user_id == user.id, ExportJob.status.in_(("queued", "running")))
    )
    if waiting is not None:
        return waiting
    db.session.execute(delete(ExportJob).where(ExportJob.user_id == user.id))
    job = ExportJob(user_id=user.id, status="queued", requested_at=utcnow())
    db.session.add(job)
    small = comment_count(user) <= current_app.config["EXPORT_SYNC_MAX_COMMENTS"]
    if small:
        job.started_at = utcnow()
        finish(job, user)
    else:
        notify_in_transaction(db.session)  # workers elsewhere wake when this commits
    db.session.commit()
    if not small:
        wake_workers()
    return job


def latest_export(user):
    return db.session.scalar(
        select(ExportJob)
        .where(ExportJob.user_id == user.id)
        .order_by(ExportJob.requested_at.desc(), ExportJob.id.desc())
        .limit(1)
    )


def export_for_download(job_id, user):
    """The owner's ready, unexpired export; anything else (someone else's too) is a 404."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.user_id != user.id or not job.is_downloadable():
        raise NotFound("No such export, or it has expired; ask for a new one.")
    return job


def download_name(job):
    return f"parley-data-{job.user.username}-{job.finished_at:%Y%m%d-%H%M%S}.json"


def purge_expired(now=None):
    """Drop documents past their expiry, and failed jobs as old; returns how many."""
    now = now or utcnow()
    result = db.session.execute(
        delete(ExportJob).where(
            or_(
                ExportJob.expires_at < now,
                (ExportJob.status == "failed") & (ExportJob.finished_at < now - timedelta(days=1)),
            )
        )
    )
    return result.rowcount
