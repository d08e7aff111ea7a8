from flask import jsonify
from flask_login import current_user, login_required

from ..domain.moderation import reports
from ..domain.threads import comments, reactions
from ..limits import comments_per_user, reports_per_user
from ..schemas.comments import CommentBody, Report
from ..schemas.common import CommentAnswer, Reported, Respect
from . import bp, json_body
from .spec import documented


@bp.get("/comments/<int:comment_id>")
@documented("comments", {200: (CommentAnswer, "Comment")})
def comment_detail(comment_id):
    """One comment"""
    return jsonify(comment=comments.comment_view(comments.get_comment(comment_id, current_user), current_user))


@bp.patch("/comments/<int:comment_id>")
@login_required
@comments_per_user
@documented("comments", {200: (CommentAnswer, "Edited")}, body=CommentBody)
def comment_edit(comment_id):
    """Edit own comment within the edit window"""
    data = json_body()
    comment = comments.get_comment(comment_id, current_user)
    comments.edit_comment(comment, current_user, data.get("body"))
    return jsonify(comment=comments.comment_view(comment, current_user))


@bp.delete("/comments/<int:comment_id>")
@login_required
@documented("comments", {204: (None, "Deleted")})
def comment_delete(comment_id):
    """Delete own comment"""
    comments.delete_comment(comments.get_comment(comment_id, current_user), current_user)
    return "", 204


@bp.post("/comments/<int:comment_id>/reports")
@login_required
@reports_per_user
@documented("comments", {201: (Reported, "Reported")}, body=Report)
def comment_report(comment_id):
    """Report a comment (once per reader)"""
    reason = json_body().get("reason")
    reports.report_comment(comments.get_comment(comment_id, current_user), current_user, reason)
    return jsonify(status="reported"), 201


def _respect_view(name, given, summary):
    """Giving a comment your respect (once: again changes nothing), or taking it back."""

    def view(comment_id):
        comment = (reactions.give if given else reactions.take_back)(comment_id, current_user)
        return jsonify(respect=comment.respect_count, respected=given)

    view.__name__, view.__doc__ = name, summary
    return login_required(documented("comments", {200: (Respect, "The comment's count")})(view))


RESPECT = "/comments/<int:comment_id>/respect"
GIVE = "Give a published comment (not your own) your respect; once per reader, again changes nothing"
bp.add_url_rule(RESPECT, view_func=_respect_view("comment_respect", True, GIVE), methods=["POST"])
bp.add_url_rule(
    RESPECT, view_func=_respect_view("comment_respect_back", False, "Take your respect back"), methods=["DELETE"]
)
