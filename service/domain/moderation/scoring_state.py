"""Whether scoring works: what the workers report, how many comments wait too long, and the
sentence moderators see when either is wrong. /healthz and the review pages read this."""

from datetime import timedelta

from sqlalchemy import or_, select

from ...extensions import db
from ...models import Comment, WorkerHeartbeat
from ...models.base import utcnow
from .capped import CAP, capped_count

ALIVE = timedelta(seconds=60)  # a worker silent for longer is presumed gone
STUCK_AFTER = timedelta(minutes=1)


def scoring_state():
    """What the scoring workers say: (model name, error or None).

    The model is that of a live worker that loaded it; with none, the error of one that
    could not, or 'no worker' when nothing has reported recently.
    """
    # Three columns as rows: every moderator page asks, and needs no heartbeat objects.
    recent = db.session.execute(
        select(WorkerHeartbeat.state, WorkerHeartbeat.model_name, WorkerHeartbeat.error)
        .where(WorkerHeartbeat.last_seen >= utcnow() - ALIVE)
        .order_by(WorkerHeartbeat.last_seen.desc())
    ).all()
    for beat in recent:
        if beat.state == "ok":
            return beat.model_name, None
    for beat in recent:
        if beat.state == "error":
            return "unavailable", beat.error
    return "no worker", None


def stuck_pending(cap=CAP):
    """How many comments have waited for scoring longer than a worker should take (a
    CappedCount: the banner needs "how many", up to a point, on every page)."""
    since = utcnow() - STUCK_AFTER
    # Waiting since max(created, edited) < since. An edit is never before its creation, so
    # created_at < since holds too: said separately, it bounds the scan of
    # ix_comments_status_created to old pending comments, and only those are checked for edits.
    return capped_count(
        Comment.status == "pending",
        Comment.created_at < since,
        or_(Comment.edited_at.is_(None), Comment.edited_at < since),
        model=Comment,
        cap=cap,
    )


def scoring_banner():
    """A sentence for moderators when scoring is not working, or None when it is."""

    model, error = scoring_state()
    if error:
        return f"Scoring is unavailable: the model could not load ({error[:200]}). New comments wait as pending; nothing is lost."
    stuck = stuck_pending()
    if stuck:
        plural = "s" if stuck.capped or stuck.value != 1 else ""
        return f"Scoring is behind: {stuck} comment{plural} waited over a minute to be scored (model: {model}). They stay pending until a worker scores them."
    return None
