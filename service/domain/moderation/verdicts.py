"""The verdict's one home: a scored comment in, its status out.

For each comment of a scored batch: what the policy needs to know about the author and the
article, the verdict (`moderation.assess.judge_many`: language, the policy's decision and, for a
comment a moderator will look at, the model's spans), the policy's word matches added as
spans, the recorded ScoringDecision and the new status; then, once for the batch, each
author's automatic pre-moderation. A scoring failure is recorded here too. The worker
claims, scores, calls these and commits.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, select

from moderation.assess import judge_many
from moderation.policy import Article as PolicyArticle
from moderation.policy import Author as PolicyAuthor
from moderation.policy import should_premoderate

from ...extensions import db
from ...models import Comment, ModerationAction, ScoringDecision
from ...models.base import utcnow
from ..mail import notifications
from ..membership.perks import has_perk, prefetch_tiers
from .settings import policy_settings
from .statuses import DECIDED_STATUSES, OUTCOME_STATUS, change_status

log = logging.getLogger(__name__)


def record_verdicts(scored, scorer, settings=None):
    """Decide and record each `(comment, scores)` of a batch the scorer scored (caller commits).

    The comments a moderator will look at are explained together, in one forward pass: one
    at a time, explaining a comment cost about twice what scoring it did."""
    settings = settings or policy_settings()
    prefetch_tiers({comment.author_id for comment, _ in scored})  # every author's perks in one query
    cases = [(comment.body, scores, *policy_context(comment)) for comment, scores in scored]
    judged = judge_many(cases, settings, explain_many=lambda texts: _model_spans(scorer, texts))
    for (comment, scores), verdict in zip(scored, judged):
        record_system_decision(
            comment, verdict.decision, scores, scorer.name, scorer.version, verdict.spans, verdict.language.code
        )
    db.session.flush()
    update_auto_premoderation({comment.author for comment, _ in scored}, settings)


def policy_context(comment):
    """What the policy needs to know about the author and the article."""
    author = comment.author
    return (
        PolicyAuthor(trusted=has_perk(author, "trusted_commenter"), premoderated=author.on_premoderation),
        PolicyArticle(premoderated=comment.article.premoderated),
    )


def _model_spans(scorer, texts):
    """The model's explanation of each text; a verdict never fails because an explanation did."""
    from moderation.explain import explain_many  # torch is loaded only where a scorer is

    try:
        return explain_many(texts, scorer)
    except Exception:  # an explanation is a nicety; the verdicts stand without it
        log.exception("explain failed")
        return [None] * len(texts)


def record_system_decision(comment, decision, scores, model_name=None, model_version=None, spans=None, language=None):
    """Apply the policy's decision to the revision that was scored (caller commits); `spans` as
    the verdict gives them (the policy's words first)."""
    db.session.add(
        ScoringDecision(
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
        ScoringDecision(
            comment_id=comment.id, revision=comment.revision, outcome="hold", rule="scoring_failed", reason=reason
        )
    )
    change_status(comment, "held", "hold", reason=reason, details={"rule": "scoring_failed"})


def update_auto_premoderation(users, settings=None):
    """Put each author on automatic pre-moderation when their recent rejection rate passes
    the set rate, and take them off when it falls; each flip is recorded. One query for all."""
    settings = settings or policy_settings()
    users = sorted(users, key=lambda user: user.id)
    recent = recent_decided_statuses([user.id for user in users], settings.rate_window)
    for user in users:
        _premoderate_if_due(user, recent.get(user.id, []), settings)


def recent_decided_statuses(user_ids, window):
    """{user_id: [status, ...]}: each author's last `window` decided comments, newest first."""
    if not user_ids:
        return {}
    newest_first = (Comment.created_at.desc(), Comment.id.desc())
    ranked = (
        select(
            Comment.author_id,
            Comment.status,
            func.row_number().over(partition_by=Comment.author_id, order_by=newest_first).label("rank"),
        )
        .where(Comment.author_id.in_(user_ids), Comment.status.in_(DECIDED_STATUSES))
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.author_id, ranked.c.status)
        .where(ranked.c.rank <= window)
        .order_by(ranked.c.author_id, ranked.c.rank)
    )
    found = defaultdict(list)
    for author_id, status in rows:
        found[author_id].append(status)
    return found


def _premoderate_if_due(user, recent, settings):
    wanted = should_premoderate(recent, settings)
    if wanted == user.auto_premoderated:
        return
    user.auto_premoderated = wanted
    rejected = sum(1 for status in recent if status == "rejected")
    db.session.add(
        ModerationAction(
            user_id=user.id,
            action="auto_premoderate" if wanted else "auto_release",
            reason=f"{rejected} of the last {len(recent)} decided comments rejected",
            details={"rate": settings.premoderation_rate, "window": settings.rate_window},
        )
    )
