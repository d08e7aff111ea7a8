from flask import Blueprint, jsonify
from flask_login import current_user
from sqlalchemy import func, select, text

from .api.spec import documented
from .domain.moderation.scoring_state import scoring_state
from .extensions import db
from .models import Comment
from .schemas.common import Health

bp = Blueprint("health", __name__)
LARGE_BACKLOG = 1000  # pending comments past which scoring is clearly not keeping up


@bp.get("/healthz")
@documented("health", {200: (Health, "Up"), 503: (None, "Database unreachable")})
def healthz():
    """Health of the service: the status, the model, the pending count and a coarse backlog; for moderators and admins also the model's load error

    200 while the database answers (scoring trouble is reported, not fatal); 503 when not."""
    try:
        db.session.execute(text("SELECT 1"))
        pending = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.status == "pending"))
        model, error = scoring_state()
    except Exception as exc:  # any driver error means the database is not usable
        db.session.rollback()
        return jsonify(status="error", db=f"error: {exc.__class__.__name__}", model="unknown", pending=None), 503
    # "pending" is part of the public HTTP contract (monitors read it); it says how far
    # behind scoring is, not who wrote what. The loader's error (paths, exception text) is
    # for staff only.
    body = {"status": "ok", "db": "ok", "model": model, "pending": pending, "backlog": _backlog(pending)}
    if error and current_user.is_authenticated and current_user.is_moderator:
        body["model_error"] = error
    return jsonify(body)


def _backlog(pending):
    return "none" if not pending else ("some" if pending < LARGE_BACKLOG else "large")
