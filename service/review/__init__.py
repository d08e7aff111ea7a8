"""The moderators' and admins' workspace: queues, authors, history, settings, calibration."""

from flask import Blueprint
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from moderation.language import name_of

from ..domain.moderation.history import describe_details
from ..domain.moderation.scoring_state import scoring_banner
from ..extensions import db
from .card_html import CardPage, card_html, reason_options_html

bp = Blueprint("review", __name__)
bp.add_app_template_global(reason_options_html, "reason_options_html")


@bp.app_template_global("card_page")
def card_page(next_url, selectable=True):
    """What the cards of one page share (service/review/card_html.py), built once a page."""
    csrf_field = Markup(f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">')
    return CardPage.build(csrf_field, next_url, selectable)


@bp.app_template_global("render_card")
def render_card(card, settings, page):
    """A moderator's card for one of `queues.cards()`, as Markup."""
    return card_html(card, settings, page, name_of)


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
