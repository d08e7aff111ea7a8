from flask import jsonify

from ..domain import articles
from ..roles import admin_required
from . import bp, json_body


@bp.post("/admin/articles")
@admin_required
def article_create():
    return jsonify(article=articles.save_article(json_body()).to_dict()), 201
