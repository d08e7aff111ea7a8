from flask import Blueprint, jsonify
from sqlalchemy import func, select, text

from .domain.decisions import scorer_name
from .extensions import db
from .models import Comment

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness for load balancers: 200 while the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
        pending = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.status == "pending"))
    except Exception as exc:  # any driver error means the database is not usable
        db.session.rollback()
        return jsonify(status="error", db=f"error: {exc.__class__.__name__}", model=scorer_name(), pending=None), 503
    return jsonify(status="ok", db="ok", model=scorer_name(), pending=pending)
