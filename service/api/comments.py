from flask import jsonify
from flask_login import current_user, login_required

from ..domain.moderation import reports
from ..domain.threads import comments, reactions
from ..limits import reports_per_user
from . import bp, json_body


@bp.get("/comments/<int:comment_id>")
def comment_detail(comment_id):
    return jsonify(comment=comments.comment_view(comments.get_comment(comment_id, current_user), current_user))


@bp.patch("/comments/<int:comment_id>")
@login_required
def comment_edit(comment_id):
    data = json_body()
    comment = comments.get_comment(comment_id, current_user)
    comments.edit_comment(comment, current_user, data.get("body"))
    return jsonify(comment=comments.comment_view(comment, current_user))


@bp.delete("/comments/<int:comment_id>")
@login_required
def comment_delete(comment_id):
    comments.delete_comment(comments.get_comment(comment_id, current_user), current_user)
    return "", 204


@bp.post("/comments/<int:comment_id>/reports")
@login_required
@reports_per_user
def comment_report(comment_id):
    data = json_body()
    comment = comments.get_comment(comment_id, current_user)
    reports.report_comment(comment, current_user, data.get("reason"))
    return jsonify(status="reported"), 201


@bp.post("/comments/<int:comment_id>/respect")
@login_required
def comment_respect(comment_id):
    """Give the comment your respect (once: again changes nothing)."""
    comment = reactions.give(comment_id, current_user)
    return jsonify(respect=comment.respect_count, respected=True)


@bp.delete("/comments/<int:comment_id>/respect")
@login_required
def comment_respect_back(comment_id):
    comment = reactions.take_back(comment_id, current_user)
    return jsonify(respect=comment.respect_count, respected=False)
