"""The moderators' and admins' workspace: queues, authors, history, settings, calibration."""

from flask import Blueprint
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..domain.moderation.history import describe_details
from ..domain.moderation.scoring_state import scoring_banner
from ..domain.moderation.workspace import highlight
from ..extensions import db

bp = Blueprint("review", __name__)


@bp.app_template_filter("highlight")
def highlight_filter(text, spans):
    """[(segment, marked)] for a template to wrap marked segments in <mark>, escaped as usual."""
    return highlight(text, spans)


@bp.app_template_filter("language_name")
def language_name_filter(code):
    """'German' for a decision's 'de'."""
    from moderation.language import name_of

    return name_of(code)


@bp.app_template_filter("history_details")
def history_details_filter(details):
    return describe_details(details)


@bp.app_context_processor
def moderation_banner():
    """Moderators see on every page when scoring is down or behind."""

    def banner():
        if not (current_user.is_authenticated and current_user.is_moderator):
            return None
        try:
            return scoring_banner()
        except SQLAlchemyError:  # an error page must still render when the database is down
            db.session.rollback()
            return None

    return {"moderation_banner": banner}


from . import views  # noqa: E402,F401
