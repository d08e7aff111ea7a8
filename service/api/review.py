"""The moderators' API: queues, decisions, sanctions, history, and the admins' settings."""

from flask import jsonify, request
from flask_login import current_user

from ..domain.accounts.users import user_view
from ..domain.moderation import history, moderator_actions, queues, sanctions, settings
from ..domain.threads.comments import comment_view
from ..numbers import MAX_ID
from ..roles import admin_required, moderator_required
from ..schemas.acts import Decision, Sanction
from ..schemas.common import CommentAnswer
from ..schemas.moderation import History, HistoryQuery, Queue, QueueQuery, Sanctioned, Settings, SettingsAnswer
from . import bp, json_body
from .paging import int_arg as _int_arg
from .spec import documented


@bp.get("/review/queues/<name>")
@moderator_required
@documented("review", {200: Queue}, query=QueueQuery)
def review_queue(name):
    """A moderation queue: pending (held), reported, review"""
    page = queues.queue(
        name,
        sort=request.args.get("sort", "age"),
        article=request.args.get("article"),
        author=request.args.get("author"),
        attribute=request.args.get("attribute"),
        limit=_int_arg("limit", queues.PAGE, 1, 200),
        cursor=request.args.get("cursor") or None,
        offset=_int_arg("offset", 0, 0, 10**9),
    )
    counts = queues.counts()
    return jsonify(
        comments=[card["data"] for card in queues.cards(page.comments, current_user)],
        # Capped like the tabs: exact up to queues.CAP; where counts_capped says so, more.
        counts={name: count.value for name, count in counts.items()},
        counts_capped={name: count.capped for name, count in counts.items()},
        next=page.next,
    )


@bp.post("/review/comments/<int:comment_id>/decision")
@moderator_required
@documented("review", {200: (CommentAnswer, "Decided")}, body=Decision)
def review_decision(comment_id):
    """Approve, reject, feature or un-feature a comment; 409 with the current state when already decided"""
    data = json_body()
    comment = moderator_actions.moderate(
        comment_id, current_user, data.get("action"), data.get("reason"), data.get("expected_status")
    )
    return jsonify(comment=comment_view(comment, current_user))


@bp.post("/review/users/<int:user_id>/sanctions")
@moderator_required
@documented("review", {201: (Sanctioned, "Applied")}, body=Sanction)
def review_sanction(user_id):
    """Warn, suspend, ban, pre-moderate, release or reinstate a commenter"""
    data = json_body()
    user = sanctions.apply_sanction(user_id, current_user, data.get("action"), data.get("reason"), data.get("days"))
    return jsonify(user={**user_view(user), "status": user.status, "premoderated": user.on_premoderation}), 201


@bp.get("/review/history")
@moderator_required
@documented("review", {200: (History, "History")}, query=HistoryQuery)
def review_history():
    """Moderation history, newest first"""
    actions = history.history(
        comment_id=_int_arg("comment_id", None, 1, MAX_ID),
        user_id=_int_arg("user_id", None, 1, MAX_ID),
        action=history.check_action(request.args.get("action")),
        limit=_int_arg("limit", 200, 1, 1000),
        offset=_int_arg("offset", 0, 0, 10**9),
    )
    return jsonify(actions=[a.to_dict() for a in actions])


@bp.get("/admin/settings")
@admin_required
@documented("admin", {200: (SettingsAnswer, "Settings")})
def settings_read():
    """Moderation settings now in force"""
    return jsonify(settings=settings.current())


@bp.patch("/admin/settings")
@admin_required
@documented("admin", {200: (SettingsAnswer, "Settings")}, body=Settings)
def settings_update():
    """Change moderation settings (all or nothing; recorded)"""
    return jsonify(settings=settings.update(json_body(), current_user))
