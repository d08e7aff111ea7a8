from flask import Blueprint

from .comment_html import comment_html, comment_text_html, forms_html

bp = Blueprint("articles", __name__)
# Built in Python (comment_html.py): as a recursive macro a thread was most of a signed-in page's CPU.
bp.add_app_template_global(comment_html, "comment_html")
bp.add_app_template_global(comment_text_html, "comment_text_html")
bp.add_app_template_global(forms_html, "forms_html")

from . import reference, site, views  # noqa: E402,F401
