from flask import jsonify, request
from flask_login import current_user

from ..domain.accounts import people, users
from ..domain.threads import articles
from ..errors import ValidationError
from ..roles import admin_required
from . import bp, json_body
from .paging import int_arg as _int_arg


@bp.post("/admin/articles")
@admin_required
def article_create():
    return jsonify(article=articles.save_article(json_body()).to_dict()), 201


@bp.get("/admin/users")
@admin_required
def admin_users():
    """Accounts matching the search and filters, newest first, a page at a time."""
    page = _int_arg("page", 1, 1, 100_000)
    rows, more = people.search(**people.clean_filters(request.args), page=page)
    return jsonify(users=[people.describe(u) for u in rows], next_page=page + 1 if more else None)


@bp.patch("/admin/users/<int:user_id>")
@admin_required
def admin_user_update(user_id):
    """Change an account's role (reader, moderator, admin); the person is told by mail."""
    data = json_body()
    user = users.get_user(user_id)
    if set(data) - {"role", "reason"} or "role" not in data:
        raise ValidationError({"role": 'Send {"role": "reader" | "moderator" | "admin"} and, optionally, a reason.'})
    changed = people.set_role(user, data["role"], current_user, data.get("reason"))
    return jsonify(user=people.describe(user), changed=changed)
