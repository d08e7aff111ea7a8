"""The moderators' and admins' workspace: queues, authors, history, settings, calibration."""

from flask import Blueprint
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..domain.moderation.history import describe_details
from ..domain.moderation.scoring_state import scoring_banner
from ..extensions import db
from .card_html import CardPage, card_html, cards_html, reason_options_html

bp = Blueprint("review", __name__)
bp.add_app_template_global(reason_options_html, "reason_options_html")
# Cards are built in Python (card_html.py): as macros they were most of a queue page's CPU.
bp.add_app_template_global(CardPage.build, "card_page")
bp.add_app_template_global(card_html, "render_card")
bp.add_app_template_global(cards_html, "render_cards")


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
