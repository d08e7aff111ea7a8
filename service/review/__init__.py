"""The moderators' and admins' workspace: queues, authors, history, settings, calibration."""

from numbers import Number

from flask import Blueprint
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from moderation.policy import ATTRIBUTES

from ..domain.moderation.history import describe_details
from ..domain.moderation.scoring_state import scoring_banner
from ..domain.moderation.workspace import excerpt, highlight
from ..extensions import db
from .card_html import card_actions_html

bp = Blueprint("review", __name__)
bp.add_app_template_global(card_actions_html, "card_actions_html")


@bp.app_template_global("score_bars_html")
def score_bars_html(comment_id, scores, settings):
    """A card's score meters, one per attribute, as review/_macros.html's score_bars shows
    them. Written here rather than as a template loop: a queue page has 50 cards of six
    meters, and the loop was a third of the page's rendering time."""
    cid = int(comment_id)
    scores = scores or {}
    rows = []
    for attribute in ATTRIBUTES:
        label, key = escape(attribute.replace("_", " ")), f"score-{cid}-{escape(attribute)}"
        value = scores.get(attribute)
        if isinstance(value, Number):
            shown = f"{value:.2f}"
            low, high = escape(settings["review"][attribute]), escape(settings["hold"][attribute])
            rows.append(
                f'<div class="score"><dt><label for="{key}">{label}</label></dt><dd>'
                f'<meter id="{key}" min="0" max="1" optimum="0" low="{low}" high="{high}" value="{escape(value)}">{shown}</meter>'
                f' <span class="score-value">{shown}</span></dd></div>'
            )
        else:
            rows.append(
                f'<div class="score"><dt><label for="{key}">{label}</label></dt><dd>'
                f'<span class="score-value" id="{key}">not scored</span></dd></div>'
            )
    return Markup('<dl class="scores">' + "".join(rows) + "</dl>")


@bp.app_template_filter("highlight")
def highlight_filter(text, spans):
    """[(segment, marked)] for a template to wrap marked segments in <mark>, escaped as usual."""
    return highlight(text, spans)


@bp.app_template_filter("excerpt")
def excerpt_filter(segments):
    """A long comment's marks and their surroundings for its card (None: show it whole)."""
    return excerpt(segments)


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
