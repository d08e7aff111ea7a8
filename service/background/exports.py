"""Building queued data exports, one at a time, from the worker loop.

The scoring worker calls `build_next()` between batches (service/background/worker.py), so exports
are built wherever scoring runs: by the in-process thread on the embedded default, and
by any `flask worker` process when scaled out. No extra process or command to run.

A job is claimed with a conditional UPDATE (queued -> running) that only one worker can
win, on SQLite and PostgreSQL alike; on PostgreSQL the candidate is picked with
`FOR UPDATE SKIP LOCKED` so workers do not queue up behind each other's claims. A worker
that dies mid-build leaves its job `running`; after STALE_AFTER another worker takes it
again, so nothing waits forever.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from ..domain.accounts import export
from ..domain.mail.compose import send
from ..extensions import db
from ..models import ExportJob, User
from ..models.base import utcnow

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)


def _waiting(now):
    return or_(
        ExportJob.status == "queued",
        and_(ExportJob.status == "running", ExportJob.started_at < now - STALE_AFTER),
    )


def _claim():
    """The id of a job this worker now owns (committed as `running`), or None."""
    now = utcnow()
    query = select(ExportJob.id).where(_waiting(now)).order_by(ExportJob.requested_at, ExportJob.id).limit(1)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job_id = db.session.scalar(query)
    if job_id is None:
        db.session.rollback()
        return None
    won = db.session.execute(
        update(ExportJob).where(ExportJob.id == job_id, _waiting(now)).values(status="running", started_at=now)
    ).rowcount
    db.session.commit()
    return job_id if won == 1 else None


def _tell_owner(user):
    send(user, "Your data is ready to download", "export_ready", hours=current_app.config["EXPORT_TTL_HOURS"])


def build_next():
    """Build one waiting export. Returns 1 if a job was taken (built or failed), else 0."""
    export.purge_expired()
    db.session.commit()
    job_id = _claim()
    if job_id is None:
        return 0
    try:
        job = db.session.get(ExportJob, job_id)
        user = db.session.get(User, job.user_id)
        export.finish(job, user)
        _tell_owner(user)
        db.session.commit()
    except Exception as exc:  # one bad export must not stop the loop; the reader can ask again
        db.session.rollback()
        log.exception("export %s failed", job_id)
        _mark_failed(job_id, f"{exc.__class__.__name__}: {exc}")
    return 1


def _mark_failed(job_id, error):
    job = db.session.get(ExportJob, job_id)
    if job is None:  # the account was deleted meanwhile, and its jobs with it
        return
    job.status, job.error, job.finished_at = "failed", error[:2000], utcnow()
    db.session.commit()
