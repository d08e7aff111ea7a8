"""Admin → Embed: the sites allowed to embed the comment widget, the snippet, and whether the
widget may create articles on first load."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.embed import sites
from ..domain.moderation import settings
from ..errors import DomainError
from ..numbers import parse_id
from ..public_url import public_url
from . import bp


@bp.get("/embed")
def embed_page():
    return _page()


def _page(errors=None, form=None, status=200):
    return render_template(
        "admin/embed.html",
        origins=sites.list_origins(),
        create_articles=sites.creates_articles(),
        pages=sites.pages_created(),
        script_url=public_url(url_for("embed.script")),
        errors=errors or {},
        form=form or {},
    ), status


@bp.post("/embed/origins")
def embed_origin_add():
    try:
        origin = sites.add_origin(request.form.get("origin"), current_user)
    except DomainError as exc:
        return _page(errors=exc.errors or {"origin": exc.message}, form=request.form, status=422)
    flash(f"Pages on {origin} can now embed the comments.")
    return redirect(url_for("admin.embed_page"))


@bp.post("/embed/origins/remove")
def embed_origin_remove():
    try:
        origin = sites.remove_origin(parse_id(request.form.get("origin_id")), current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(f"{origin} can no longer embed the comments.")
    return redirect(url_for("admin.embed_page"))


@bp.post("/embed/settings")
def embed_settings():
    settings.update({"embed_create_articles": request.form.get("create_articles") == "on"}, current_user)
    flash("Saved.")
    return redirect(url_for("admin.embed_page"))
