"""A reader's own data under /api/v1/me: ask for an export, see how it is going, delete the account."""

from flask import jsonify, session, url_for
from flask_login import current_user, login_required, logout_user

from ..domain.accounts import deletion, export
from ..limits import exports_per_user, password_check
from . import bp, json_body


def describe(job):
    data = job.to_dict()
    data["download_url"] = url_for("account.download", export_id=job.id) if job.is_downloadable() else None
    return data


@bp.get("/me/export")
@login_required
def my_export():
    job = export.latest_export(current_user)
    return jsonify(export=describe(job) if job else None)


@bp.post("/me/export")
@login_required
@exports_per_user
def my_export_request():
    job = export.request_export(current_user)
    return jsonify(export=describe(job)), 201 if job.status == "ready" else 202


@bp.delete("/me")
@login_required
@password_check
def my_account_delete():
    data = json_body()
    deletion.delete_own_account(current_user._get_current_object(), data.get("password"))
    logout_user()
    session.clear()
    return "", 204
