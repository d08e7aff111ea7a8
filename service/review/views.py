"""Workspace pages. Each view reads its input, calls the domain, and renders or redirects."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from moderation.policy import ATTRIBUTES

from ..domain.accounts import profile, users
from ..domain.moderation import calibration, moderator_actions, queues, sanctions, settings, workspace
from ..domain.moderation import history as moderation_history
from ..domain.threads import articles
from ..errors import DomainError, ValidationError
from ..extensions import db
from ..models import Comment
from ..models.user import SANCTIONS
from ..numbers import parse_id, whole_number
from ..roles import admin_required, moderator_required
from ..urls import safe_next
from . import bp
from .forms import settings_changes, settings_form

NO_REASON = "Choose a reason for rejecting (or write one): nothing was rejected."


@bp.before_request
@moderator_required
def only_moderators():
    """Every page here is for moderators and admins; some for admins only."""


@bp.context_processor
def review_choices():
    return {"ATTRIBUTES": ATTRIBUTES}


def _back(default):
    """Where a form came from, if it is a page of this site."""
    return redirect(safe_next(request.form.get("next"), default))


def _page_arg():
    return whole_number(request.args.get("page"), 1, 10**6) or 1


@bp.get("/review/")
def home():
    return redirect(url_for("review.queue", name="pending"))


@bp.get("/review/<any(pending, reported, review):name>")
def queue(name):
    filters = {key: request.args.get(key) or None for key in ("article", "author", "attribute")}
    sort = request.args.get("sort") or "age"
    cursor = request.args.get("cursor") or None
    try:
        page = queues.queue(name, sort=sort, cursor=cursor, **filters)
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("review.queue", name=name))
    return render_template(
        "review/queue.html",
        name=name,
        cards=queues.cards(page.comments, current_user),
        counts=queues.counts(),
        filters=filters,
        sort=sort,
        first_page=cursor is None,
        next_cursor=page.next,
        article_choices=articles.choices(keep=filters["article"]),
        settings=settings.current(),
    )


def _reason(form):
    """A reason typed in wins over one picked from the list."""
    return (form.get("reason_text") or "").strip() or form.get("reason") or None


def _moderate(comment_id, action, reason, expected_status=None):
    """One decision; a refusal becomes a message saying what already happened."""
    try:
        return moderator_actions.moderate(comment_id, current_user, action, reason, expected_status)
    except DomainError as exc:  # a 409 says what already happened; say it as it is
        flash(f"Comment #{comment_id}: {exc.message}", "error")
        return None


@bp.post("/review/comments/<int:comment_id>/decision")
def decide(comment_id):
    action = request.form.get("action")
    if action == "reject" and not _reason(request.form):
        # The form preselects no reason, so that abuse is never recorded (and mailed) as spam.
        flash(f"Comment #{comment_id}: {NO_REASON}", "error")
    # The status the card showed: if someone changed it since, the domain refuses with a 409.
    elif _moderate(comment_id, action, _reason(request.form), request.form.get("expected_status") or None):
        flash(f"Comment #{comment_id} {moderator_actions.PAST.get(action, action)}.")
    return _back(url_for("review.queue", name="pending"))


@bp.post("/review/bulk")
def bulk():
    action = request.form.get("action")
    ids = sorted({i for i in map(parse_id, request.form.getlist("ids")) if i is not None})
    if action not in ("approve", "reject"):
        flash("Choose approve or reject for the selection.", "error")
    elif not ids:
        flash("Select some comments first.", "error")
    elif action == "reject" and not _reason(request.form):
        flash(NO_REASON, "error")
    else:
        done = [i for i in ids if _moderate(i, action, _reason(request.form))]
        if done:
            flash(f"{moderator_actions.PAST[action].capitalize()} {len(done)} comment{'s' if len(done) != 1 else ''}.")
    return _back(url_for("review.queue", name="pending"))


@bp.get("/review/comments/<int:comment_id>")
def comment(comment_id):
    comment = db.get_or_404(Comment, comment_id)
    return render_template(
        "review/comment.html",
        card=queues.cards([comment], current_user)[0],
        actions=moderation_history.history(comment_id=comment_id),
        settings=settings.current(),
    )


@bp.get("/review/users/<int:user_id>")
def user(user_id):
    author = users.get_user(user_id)
    return render_template(
        "review/user.html",
        author=author,
        summary=workspace.author_summary(author),
        comments=profile.comments_by(user_id, limit=50),
        actions=moderation_history.history(user_id=user_id, limit=100),
        sanction_choices=SANCTIONS,
    )


@bp.post("/review/users/<int:user_id>/sanctions")
def sanction(user_id):
    action = request.form.get("action")
    days = request.form.get("days", "").strip()
    try:
        target = sanctions.apply_sanction(
            user_id,
            current_user,
            action,
            reason=(request.form.get("reason") or "").strip() or None,
            days=_days(days) if action == "suspend" else None,
        )
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(f"{target.username}: {action} recorded.")
    return redirect(url_for("review.user", user_id=user_id))


def _days(text):
    # A non-number goes through as text so the domain's message about days applies.
    number = whole_number(text, 0, 10**6)
    return number if number is not None else (text or None)


def _history_filters():
    """The history filters from the query string, and an error message for bad ones."""
    args = request.args
    comment_id = args.get("comment", "").strip()
    username = args.get("user", "").strip()
    action = args.get("action") or None
    filters = {"comment_id": parse_id(comment_id), "user_id": None, "action": action}
    problem = None
    if comment_id and filters["comment_id"] is None:
        problem = "The comment filter takes a comment number."
    if username:
        found = users.by_name(username)
        filters["user_id"] = found.id if found else -1  # nobody: an empty list, not everything
        problem = problem or (None if found else f"No user called {username!r}.")
    if action and action not in moderation_history.HISTORY_ACTIONS:
        filters["action"], problem = None, f"No action {action!r}."
    return filters, problem


@bp.get("/review/history")
def history():
    filters, problem = _history_filters()
    page = _page_arg()
    if problem:
        flash(problem, "error")
    actions = moderation_history.history(**filters, limit=100, offset=(page - 1) * 100)
    return render_template(
        "review/history.html",
        actions=actions,
        counts=queues.counts(),
        args=request.args,
        action_choices=moderation_history.HISTORY_ACTIONS,
        page=page,
        more=len(actions) == 100,
    )


@bp.get("/review/history.csv")
def history_csv():
    filters, _ = _history_filters()
    body = moderation_history.history_csv(moderation_history.history(**filters, limit=None))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=moderation-history.csv"},
    )


@bp.route("/review/settings", methods=["GET", "POST"])
@admin_required
def settings_page():
    errors = {}
    if request.method == "POST":
        try:
            settings.update(settings_changes(request.form), current_user)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash("Settings saved; they apply to comments scored from now on.")
            return redirect(url_for("review.settings_page"))
    form = request.form if errors else settings_form(settings.current())
    return render_template("review/settings.html", form=form, errors=errors), (422 if errors else 200)


def _target_arg():
    try:
        target = float(request.args.get("target", "0.9"))
    except ValueError:
        return 0.9
    return target if 0.5 <= target <= 1 else 0.9


@bp.get("/review/calibration")
@admin_required
def calibration_page():
    result = calibration.report(calibration.moderator_outcomes(), target=_target_arg())
    return render_template("review/calibration.html", report=result, current=settings.current())
