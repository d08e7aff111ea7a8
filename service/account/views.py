from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from ..domain.accounts import deletion, export
from ..domain.moderation.settings import current as current_settings
from ..errors import DomainError
from ..limits import exports_per_user, password_check
from . import bp


def attachment(job):
    """The export as a file download: JSON, never cached, only ever sent to its owner."""
    return Response(
        job.document,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{export.download_name(job)}"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/account/export")
@login_required
@exports_per_user
def request_export():
    job = export.request_export(current_user)
    if job.status == "ready":
        return redirect(url_for("account.download", export_id=job.id))
    flash("Your data is being prepared. It will be linked here, and we will email you, when it is ready.")
    return redirect(url_for("auth.profile", _anchor="your-data"))


@bp.get("/account/exports/<int:export_id>/download")
@login_required
def download(export_id):
    return attachment(export.export_for_download(export_id, current_user))


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@password_check
def delete():
    errors, status = {}, 200
    if request.method == "POST":
        try:
            deletion.delete_own_account(current_user._get_current_object(), request.form.get("password"))
        except DomainError as exc:
            errors, status = exc.errors or {"form": exc.message}, exc.status
        else:
            logout_user()
            session.clear()
            flash("Your account is deleted. Thank you for having been part of the conversation.")
            return redirect(url_for("articles.index"))
    mode = current_settings()["deleted_account_comments"]
    return render_template("account/delete.html", errors=errors, mode=mode), status
