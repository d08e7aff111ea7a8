"""A reader's own data under /api/v1/me: ask for an export, see how it is going, delete the account."""

from flask import jsonify, session, url_for
from flask_login import current_user, login_required, logout_user

from ..domain.accounts import deletion, export
from ..limits import exports_per_user, password_check
from ..schemas.accounts import ExportAnswer, MaybeExport, Password
from ..schemas.common import Error
from . import bp, json_body
from .spec import documented


def describe(job):
    data = job.to_dict()
    data["download_url"] = url_for("account.download", export_id=job.id) if job.is_downloadable() else None
    return data


@bp.get("/me/export")
@login_required
@documented("account", {200: (MaybeExport, "The export, or null")})
def my_export():
    """My latest data export and its state"""
    job = export.latest_export(current_user)
    return jsonify(export=describe(job) if job else None)


@bp.post("/me/export")
@login_required
@exports_per_user
@documented(
    "account",
    {
        201: (ExportAnswer, "Ready: follow download_url"),
        202: (ExportAnswer, "Queued: poll GET /api/v1/me/export (an email says when it is ready)"),
        429: (Error, "Asked too often (EXPORT_LIMIT_PER_HOUR); Retry-After says when to ask again"),
    },
)
def my_export_request():
    """Ask for a copy of my data: built at once for small accounts, in the background otherwise"""
    job = export.request_export(current_user)
    return jsonify(export=describe(job)), 201 if job.status == "ready" else 202


@bp.delete("/me")
@login_required
@password_check
@documented("account", {204: (None, "Deleted")}, body=Password)
def my_account_delete():
    """Delete my account (confirmed with my current password); signs me out"""
    data = json_body()
    deletion.delete_own_account(current_user._get_current_object(), data.get("password"))
    logout_user()
    session.clear()
    return "", 204
