from flask import jsonify, request
from flask_login import current_user

from ..domain.accounts import people, users
from ..domain.threads import articles
from ..errors import ValidationError
from ..roles import admin_required
from ..schemas.accounts import People, PeopleQuery, RoleChange, RoleChanged
from ..schemas.articles import ArticleFields
from ..schemas.common import ArticleAnswer
from . import bp, json_body
from .paging import int_arg as _int_arg
from .spec import documented


@bp.post("/admin/articles")
@admin_required
@documented("admin", {201: (ArticleAnswer, "Created")}, body=ArticleFields)
def article_create():
    """Create an article"""
    return jsonify(article=articles.save_article(json_body()).to_dict()), 201


@bp.get("/admin/users")
@admin_required
@documented("admin", {200: (People, "A page of accounts")}, query=PeopleQuery)
def admin_users():
    """Every account, newest first, 50 a page: search and filters (a bad filter is a 422 naming it)"""
    page = _int_arg("page", 1, 1, 100_000)
    rows, more = people.search(**people.clean_filters(request.args), page=page)
    return jsonify(users=[people.describe(u) for u in rows], next_page=page + 1 if more else None)


@bp.patch("/admin/users/<int:user_id>")
@admin_required
@documented(
    "admin", {200: (RoleChanged, "The account; changed is false when it already had the role")}, body=RoleChange
)
def admin_user_update(user_id):
    """Change an account's role; recorded in the moderation history (action role) and mailed to the person

    The last admin cannot be demoted (409); a deleted account holds no role (409)."""
    data = json_body()
    user = users.get_user(user_id)
    if set(data) - {"role", "reason"} or "role" not in data:
        raise ValidationError({"role": 'Send {"role": "reader" | "moderator" | "admin"} and, optionally, a reason.'})
    changed = people.set_role(user, data["role"], current_user, data.get("reason"))
    return jsonify(user=people.describe(user), changed=changed)
