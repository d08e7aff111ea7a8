"""What mail says: bodies are templates (templates/email/*.txt), rendered with the app's Jinja
environment and nothing of a request, so the worker writes mail exactly as a request does.
Every link in them is built by links.link (PUBLIC_URL); `.txt` templates are not HTML-escaped."""

from flask import current_app

from . import links
from .sending import send_mail


def render(name, user, **context):
    """The body of templates/email/NAME.txt for `user`, with the site's name and `link`."""
    template = current_app.jinja_env.get_template(f"email/{name}.txt")
    return template.render(user=user, site=current_app.config["SITE_NAME"], link=links.link, **context)


def send(user, subject, name, about=None, to=None, **context):
    """Queue the mail templates/email/NAME.txt to `user` (see sending.send_mail for `about` and `to`)."""
    return send_mail(user, subject, render(name, user, **context), about=about, to=to)
