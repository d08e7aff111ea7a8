"""Pages of the widget. Views stay thin: the rules are in service/domain/embed*.py."""

from flask import abort, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user

from ..demo.story import DEMO_ARTICLE
from ..domain.embed import sites
from ..domain.membership.perks import list_tiers
from ..domain.moderation import reports
from ..errors import DomainError
from ..extensions import limiter
from ..limits import embed_creation_budget
from ..public_url import public_url
from . import bp
from .origins import csp_framed_by, own_origin

SCRIPT_MAX_AGE = 3600  # host pages cache embed.js for an hour; a fix reaches them the same day
STYLE_LIMIT = 200  # characters of the host's font-family / size / colour passed to the frame


@bp.get("/embed.js")
def script():
    response = send_from_directory(current_app.static_folder, "embed.js", max_age=SCRIPT_MAX_AGE)
    response.headers["Cache-Control"] = f"public, max-age={SCRIPT_MAX_AGE}"
    return response


def _refused(status, message, origin=None):
    """A plain message; framed by `origin` when it is allowed, so the host shows it in place."""
    response = current_app.make_response((render_template("embed/refused.html", message=message), status))
    if origin:
        response.headers["Content-Security-Policy"] = csp_framed_by(origin)
    return response


@bp.get("/embed/thread")
# Per address: generous (a newsroom behind one NAT reads a lot), but a first load may create an
# article when the setting is on, and a script looping over slugs should hit a wall.
@limiter.limit("600 per minute")
def thread():
    """The thread inside the host page's iframe. It may be framed only by the origin it names,
    and that origin must be registered, so the `origin` parameter cannot lie about the host."""
    slug, claimed = request.args.get("article"), request.args.get("origin")
    if not slug or not claimed:
        return _refused(400, "This is Parley's comment widget: a page embeds it with embed.js.")
    origin = sites.allowed(claimed, own_origin())
    if origin is None:
        return _refused(403, "This site is not registered to show these comments.")
    try:
        framing = sites.Framing(request.headers.get("Sec-Fetch-Dest"), request.headers.get("Referer"))
        article = sites.article_for_page(
            slug, origin, request.args.get("title"), request.args.get("url"), framing, spend=embed_creation_budget
        )
    except DomainError as exc:
        return _refused(
            exc.status, "Comments are not set up for this page." if exc.status == 404 else exc.message, origin
        )
    host_style = {name: (request.args.get(name) or "")[:STYLE_LIMIT] for name in ("font", "size", "color")}
    response = current_app.make_response(
        render_template(
            "embed/thread.html",
            article=article,
            origin=origin,
            host_style=host_style,
            reasons=reports.REASONS,
            badges={tier.slug: tier.badge for tier in list_tiers() if tier.badge},
        )
    )
    response.headers["Content-Security-Policy"] = csp_framed_by(origin)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/embed/auth")
def auth():
    """The sign-in popup, first-party so the session cookie works: signs in (or up) as usual,
    then its script mints a widget token and hands it to the widget that opened it."""
    if not current_user.is_authenticated:
        target = "auth.register" if request.args.get("register") else "auth.login"
        return redirect(url_for(target, next=url_for("embed.auth", origin=request.args.get("origin"))))
    return render_template("embed/auth.html", origin=request.args.get("origin") or "")


def demo_enabled():
    return current_app.debug or current_app.config["EMBED_DEMO"]


@bp.get("/embed/demo")
def demo():
    """A stand-in news page with the snippet pasted in; development only."""
    if not demo_enabled():
        abort(404)
    return render_template("embed/demo.html", article=DEMO_ARTICLE, script_url=public_url(url_for("embed.script")))
