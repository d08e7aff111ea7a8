"""How a comment's status changes: by the system's decision on its scores, or by a moderator.

Every change is a row in the moderation history. The seam is `submit()`: a new or edited
comment is stored as `pending`, and a scoring worker later calls `record_system_decision()`
for exactly that revision.
"""
from datetime import timedelta

from sqlalchemy import select, update

from moderation.policy import Article as PolicyArticle
from moderation.policy import Author as PolicyAuthor
from moderation.policy import should_premoderate

from ...errors import Conflict, DomainError, NotFound, ValidationError
from ...extensions import db
from ...models import Comment, Decision, ModerationAction, Report
from ...models.base import utcnow
from ...models.comment import STATUSES
from ..mail import notifications
from . import open_reports
from ..membership.perks import has_perk
from .settings import policy_settings

OUTCOME_STATUS = {"publish": "published", "review": "review", "hold": "held", "reject": "rejected"}
ACTIONS = ("approve", "reject", "feature", "unfeature")
# Where each moderator action may start from; anything else is already decided (409).
# A comment with open reports may also be approved or rejected whatever its status, and a
# moderator may take down any published comment by saying they saw it published.
ALLOWED_FROM = {
    "approve": {"pending", "held", "review"},
    "reject": {"pending", "held", "review"},
    "feature": {"pending", "held", "review", "published"},
    "unfeature": {"pending", "held", "review", "published", "rejected"},
}
DECIDED_STATUSES = ("published", "review", "rejected")


def change_status(comment, to_status, action, actor=None, reason=None, details=None):
    """Move a comment to a new status and record who did it and why, in the caller's transaction."""
    db.session.add(
        ModerationAction(
            comment_id=comment.id,
            user_id=comment.author_id,
            actor_id=actor.id if actor is not None else None,
            action=action,
            from_status=comment.status,
            to_status=to_status,
            reason=reason,
            details=details,
        )
    )
    comment.status = to_status
    comment.reason = reason


def submit(comment):
    """The seam: a comment waits as `pending` for a scoring worker; nothing is decided here."""
    comment.attempts = 0
    comment.next_attempt_at = None
    comment.last_error = None


def policy_context(comment):
    """What the policy needs to know about the author and the article."""
    author = comment.author
    return (
        PolicyAuthor(trusted=has_perk(author, "trusted_commenter"), premoderated=author.on_premoderation),
        PolicyArticle(premoderated=comment.article.premoderated),
    )


def with_word_spans(spans, decision, text):
    """The model's spans plus the words the policy matched (a banned or suspect word): those
    are why the comment is where it is, so the card marks them too, before any other span."""
    words = [
        {"start": start, "end": end, "text": text[start:end], "weight": 1.0, "rule": decision.rule}
        for _, (start, end) in getattr(decision, "words", ()) or ()
        if 0 <= start < end <= len(text)
    ]
    return (words + list(spans or [])) or spans


def record_system_decision(comment, decision, scores, model_name=None, model_version=None, spans=None,
                           language=None):
    """Apply the policy's decision to the revision that was scored (caller commits)."""
    spans = with_word_spans(spans, decision, comment.body or "")
    db.session.add(
        Decision(
            comment_id=comment.id,
            revision=comment.revision,
            outcome=decision.outcome,
            rule=decision.rule,
            reason=decision.reason,
            scores=scores,
            spans=spans,
            model_name=model_name,
            model_version=model_version,
            language=language,
        )
    )
    comment.scores = scores
    comment.attempts = 0
    comment.next_attempt_at = None
    status = OUTCOME_STATUS[decision.outcome]
    details = {"rule": decision.rule, **({"language": language} if language else {})}
    change_status(comment, status, decision.outcome, reason=decision.reason, details=details)
    if status in ("published", "review"):
        notifications.reply_published(comment)


def record_scoring_failure(comment, error, max_attempts):
    """Back off and retry; after `max_attempts` failures, hold the comment for a human."""
    comment.attempts += 1
    comment.last_error = error[:2000]
    if comment.attempts < max_attempts:
        comment.next_attempt_at = utcnow() + timedelta(seconds=min(2**comment.attempts, 300))
        return
    reason = f"scoring failed {comment.attempts} times: {error[:300]}"
    db.session.add(
        Decision(comment_id=comment.id, revision=comment.revision, outcome="hold", rule="scoring_failed", reason=reason)
    )
    change_status(comment, "held", "hold", reason=reason, details={"rule": "scoring_failed"})


def _conflict(comment, message, viewer):
    return Conflict(message, extra={"comment": comment.to_dict(viewer)})


def _check_action(comment, action, moderator, expected_status):
    if action not in ACTIONS:
        raise DomainError(f"Unknown action {action!r}; use one of: {', '.join(ACTIONS)}.")
    if comment.status == "deleted":
        raise _conflict(comment, "The author deleted this comment.", moderator)
    if expected_status is not None and expected_status != comment.status:
        raise _conflict(comment, f"This comment is now {comment.status}, not {expected_status}.", moderator)
    allowed = comment.status in ALLOWED_FROM[action]
    if action in ("approve", "reject") and comment.status in ("published", "review") and has_open_reports(comment):
        allowed = True
    if action == "reject" and comment.status == "published" and expected_status == "published":
        allowed = True
    flag_already = {"feature": comment.featured, "unfeature": not comment.featured}.get(action, False)
    if flag_already:
        allowed = False
    if not allowed:
        state = ("featured" if comment.featured else "not featured") if flag_already else comment.status
        raise _conflict(comment, f"Already decided: this comment is {state}.", moderator)


PAST = {"approve": "approved", "reject": "rejected", "feature": "featured", "unfeature": "un-featured"}


def _status_after(comment, action):
    """Un-featuring only takes the mark away; the comment stays where it was."""
    if action == "unfeature":
        return comment.status
    return "rejected" if action == "reject" else "published"


def has_open_reports(comment):
    return (
        db.session.scalar(
            select(Report.id).where(Report.comment_id == comment.id, Report.resolved_at.is_(None)).limit(1)
        )
        is not None
    )


def moderate(comment_id, moderator, action, reason=None, expected_status=None):
    """A moderator approves, rejects or features a comment.

    `expected_status` is the status the moderator saw, when the client knows it. The update
    only applies if the comment is still as it was read (same status, revision and feature
    flag), so a second moderator acting at once gets a 409 with the current state instead
    of silently overwriting the first.
    """
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("No such comment.")
    if reason is not None and (not isinstance(reason, str) or len(reason) > 1000):
        raise ValidationError({"reason": "Text of at most 1,000 characters."})
    if expected_status is not None and expected_status not in STATUSES:
        raise ValidationError({"expected_status": "A comment status."})
    _check_action(comment, action, moderator, expected_status)
    was_waiting = comment.status in ("pending", "held") and action != "unfeature"
    new_status = _status_after(comment, action)
    featured = (comment.featured or action == "feature") and action != "unfeature"
    claimed = db.session.execute(
        update(Comment)
        .where(
            Comment.id == comment.id,
            Comment.status == comment.status,
            Comment.revision == comment.revision,
            Comment.featured == comment.featured,
        )
        .values(featured=featured)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(comment)
        raise _conflict(comment, f"Another moderator got there first: this comment is now {comment.status}.", moderator)
    comment.featured = featured
    text = reason or f"{PAST[action]} by a moderator"
    change_status(comment, new_status, action, actor=moderator, reason=text)
    if action != "unfeature":  # taking a mark away decides nothing readers reported
        open_reports.resolve_all(comment)
    if was_waiting:
        notifications.comment_decided(comment, action, reason)
    if new_status == "published" and was_waiting:
        notifications.reply_published(comment)
    db.session.flush()
    update_auto_premoderation(comment.author)
    db.session.commit()
    return comment




def update_auto_premoderation(user, settings=None):
    """Put an author on automatic pre-moderation when their recent rejection rate passes the
    set rate, and take them off when it falls; each flip is recorded."""
    settings = settings or policy_settings()
    recent = db.session.scalars(
        select(Comment.status)
        .where(Comment.author_id == user.id, Comment.status.in_(DECIDED_STATUSES))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(settings.rate_window)
    ).all()
    wanted = should_premoderate(recent, settings)
    if wanted == user.auto_premoderated:
        return
    user.auto_premoderated = wanted
    rejected = sum(1 for s in recent if s == "rejected")
    db.session.add(
        ModerationAction(
            user_id=user.id,
            action="auto_premoderate" if wanted else "auto_release",
            reason=f"{rejected} of the last {len(recent)} decided comments rejected",
            details={"rate": settings.premoderation_rate, "window": settings.rate_window},
        )
    )
