"""Whether scoring works: what the workers report, how many comments wait too long, and the
sentence moderators see when either is wrong. /healthz and the review pages read this."""

from datetime import timedelta

from sqlalchemy import DateTime, and_, bindparam, or_, select

from ...extensions import db
from ...models import Comment, WorkerHeartbeat
from ...models.base import utcnow
from ..statements import constant, once
from .capped import CAP, CappedCount, capped_subquery

ALIVE = timedelta(seconds=60)  # a worker silent for longer is presumed gone
STUCK_AFTER = timedelta(minutes=1)


def _newest_beat(column, state):
    """`column` of the newest heartbeat in `state` seen since parameter `alive_since`, as a
    scalar subquery."""
    return (
        select(column)
        .where(WorkerHeartbeat.state == state, WorkerHeartbeat.last_seen >= bindparam("alive_since", type_=DateTime))
        .order_by(WorkerHeartbeat.last_seen.desc())
        .limit(1)
        .scalar_subquery()
    )


def _state(ok_model, error_seen, error):
    # A live worker that loaded the model wins over one that could not.
    if ok_model is not None:
        return ok_model, None
    if error_seen is not None:
        return "unavailable", error
    return "no worker", None


def scoring_state():
    """What the scoring workers say: (model name, error or None).

    The model is that of a live worker that loaded it; with none, the error of one that
    could not, or 'no worker' when nothing has reported recently.
    """
    row = db.session.execute(once("scoring state", lambda: select(*_beats())), _since()).one()
    return _state(*row)


def _since():
    """The parameters of the statements here: since when a worker counts as alive, and
    since when a pending comment counts as stuck."""
    now = utcnow()
    return {"alive_since": now - ALIVE, "stuck_since": now - STUCK_AFTER}


def _beats():
    return (
        _newest_beat(WorkerHeartbeat.model_name, "ok"),
        _newest_beat(WorkerHeartbeat.id, "error"),
        _newest_beat(WorkerHeartbeat.error, "error"),
    )


def _stuck_conditions():
    since = bindparam("stuck_since", type_=DateTime)
    # Waiting since max(created, edited) < since. An edit is never before its creation, so
    # created_at < since holds too: said separately, it bounds the scan of
    # ix_comments_status_created to old pending comments, and only those are checked for edits.
    return (
        Comment.status == constant("pending"),
        Comment.created_at < since,
        or_(Comment.edited_at.is_(None), Comment.edited_at < since),
    )


def scoring_banner(cap=CAP):
    """A sentence for moderators when scoring is not working, or None when it is.

    One statement: the workers' state and the stuck count are read together, since every
    page a moderator opens asks (a statement costs more CPU than these two reads)."""
    statement = once(
        ("scoring banner", cap), lambda: select(*_beats(), capped_subquery(and_(*_stuck_conditions()), Comment, cap))
    )
    *beats, found = db.session.execute(statement, _since()).one()
    model, error = _state(*beats)
    if error:
        return f"Scoring is unavailable: the model could not load ({error[:200]}). New comments wait as pending; nothing is lost."
    stuck = CappedCount.read(found, cap)
    if stuck:
        plural = "s" if stuck.capped or stuck.value != 1 else ""
        return f"Scoring is behind: {stuck} comment{plural} waited over a minute to be scored (model: {model}). They stay pending until a worker scores them."
    return None
